"""Figure JSON, the banner as SVG and PDF, CSV export and import; every export is in the audit log."""

import csv
import io
import sqlite3
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlmodel import Session, col, select

import lifeline
from app.audit.models import AuditEntry
from app.auth.models import User
from tests.timeline.events import add_event, events_url, lifeline_url

MM_PER_PT = 25.4 / 72
COMPARED = (
    "title",
    "date_text",
    "earliest",
    "latest",
    "precision",
    "is_period",
    "lane",
    "description",
    "people",
    "organisation",
    "status",
)


def _some_events(client: TestClient, review_id: int) -> None:
    add_event(client, review_id, title="Ouders leren elkaar kennen", when="ca. 2006")
    add_event(
        client,
        review_id,
        title="Moeder opgenomen",
        when="voorjaar 2014",
        description='psychose, "acuut"\nGGZ',
        sources=[{"kind": "document", "label": "dossier GGZ"}],
        status="confirmed",
    )
    add_event(
        client,
        review_id,
        title="Wisselende hulpverleners",
        when="2014–2017",
        lane="care",
        organisation="Gezinsondersteuning Zuid",
        people=["Moeder", "Noor"],
    )
    add_event(
        client,
        review_id,
        title="Wijkteam casemanager",
        when="sinds 2022",
        lane="care",
        sources=[{"label": "interview wijkteam"}, {"label": "verslag overleg"}],
    )
    add_event(client, review_id, title="Noor naar de brugklas", when="sept. 2020", lane="Noor", status="disputed")


def _exports(db: Session, review_id: int) -> list[str]:
    rows = db.exec(
        select(AuditEntry)
        .where(AuditEntry.review_id == review_id, AuditEntry.action == "export")
        .order_by(col(AuditEntry.id))
    ).all()
    details = [row.detail for row in rows]
    db.rollback()  # end the read transaction: SQLite transactions here begin IMMEDIATE and would block the app
    return details


def test_figure_is_plotly_json_with_every_event(team, owner_api: TestClient) -> None:
    _some_events(owner_api, team.review_id)
    response = owner_api.get(lifeline_url(team.review_id, "figure"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    figure = response.json()
    assert {"data", "layout"} <= figure.keys()
    assert figure["layout"]["xaxis"]["type"] == "date"
    texts = " ".join(str(t) for trace in figure["data"] for t in trace.get("text", []) or [])
    for title in ("Ouders leren", "Moeder opgenomen", "Wisselende hulpverleners", "Noor naar de brugklas"):
        assert title in texts
    lanes = " ".join(figure["layout"]["yaxis"]["ticktext"])
    assert "Noor" in lanes


def test_every_bar_and_marker_carries_its_event_id(team, owner_api: TestClient) -> None:
    _some_events(owner_api, team.review_id)
    ids = {e["id"] for e in owner_api.get(events_url(team.review_id)).json()}
    figure = owner_api.get(lifeline_url(team.review_id, "figure")).json()
    drawn = [t for t in figure["data"] if t.get("hovertext") and "customdata" in t]
    assert drawn
    for trace in drawn:
        assert len(trace["customdata"]) == len(trace["x"])
    assert {i for trace in drawn for i in trace["customdata"]} == ids


def test_figure_follows_the_filters(team, owner_api: TestClient) -> None:
    _some_events(owner_api, team.review_id)
    figure = owner_api.get(lifeline_url(team.review_id, "figure"), params={"lane": "care"}).json()
    texts = " ".join(str(t) for trace in figure["data"] for t in trace.get("text", []) or [])
    assert "Wisselende hulpverleners" in texts
    assert "Moeder opgenomen" not in texts


def test_svg_banner_has_the_physical_length(team, owner_api: TestClient, db: Session) -> None:
    _some_events(owner_api, team.review_id)
    response = owner_api.get(lifeline_url(team.review_id, "lifeline.svg"), params={"length_m": 10})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert 'width="10000mm"' in response.text
    assert "Moeder opgenomen" in response.text
    short = owner_api.get(lifeline_url(team.review_id, "lifeline.svg"), params={"length_m": 2.5})
    assert 'width="2500mm"' in short.text
    assert _exports(db, team.review_id) == ["lifeline.svg", "lifeline.svg"]


@pytest.mark.parametrize(("paper", "size_mm"), [("A3", (420, 297)), ("A4", (297, 210))])
def test_pdf_banner_is_split_over_landscape_pages(
    team, owner_api: TestClient, db: Session, paper: str, size_mm: tuple[int, int]
) -> None:
    _some_events(owner_api, team.review_id)
    response = owner_api.get(lifeline_url(team.review_id, "lifeline.pdf"), params={"length_m": 10, "paper": paper})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == lifeline.banner_page_count(10, paper, 20)
    assert len(reader.pages) > 1
    for page in reader.pages:
        width, height = (float(v) * MM_PER_PT for v in (page.mediabox.width, page.mediabox.height))
        assert (round(width), round(height)) == size_mm
    assert _exports(db, team.review_id) == ["lifeline.pdf"]


def test_pdf_refuses_unknown_paper(team, owner_api: TestClient, db: Session) -> None:
    response = owner_api.get(lifeline_url(team.review_id, "lifeline.pdf"), params={"paper": "Letter"})
    assert response.status_code == 422
    assert _exports(db, team.review_id) == []


def test_csv_round_trip_recreates_the_same_events_in_another_review(team, owner_api: TestClient, db: Session) -> None:
    _some_events(owner_api, team.review_id)
    exported = owner_api.get(lifeline_url(team.review_id, "lifeline.csv"))
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    assert "attachment" in exported.headers["content-disposition"]
    assert _exports(db, team.review_id) == ["lifeline.csv"]

    other = owner_api.post(
        "/api/v1/reviews", json={"title": "Tweede casus", "collaboration": "x", "case_pseudonym": "gezin U"}
    ).json()["id"]
    imported = owner_api.post(
        lifeline_url(other, "lifeline.csv"), content=exported.content, headers={"content-type": "text/csv"}
    )
    assert imported.status_code == 201, imported.text
    assert imported.json()["imported"] == 5

    def comparable(review_id: int) -> list[tuple]:
        events = owner_api.get(events_url(review_id)).json()
        return [(*tuple(str(e[key]) for key in COMPARED), tuple(s["label"] for s in e["sources"])) for e in events]

    assert comparable(other) == comparable(team.review_id)
    assert len(comparable(other)) == 5


def test_csv_import_as_an_uploaded_file(team, owner_api: TestClient) -> None:
    text = "titel;wanneer;tot;baan\nNoor geboren;2008;;gezin\nPsycholoog;2018;2020;zorg\n"
    response = owner_api.post(
        lifeline_url(team.review_id, "lifeline.csv"), files={"file": ("levenslijn.csv", text.encode(), "text/csv")}
    )
    assert response.status_code == 201, response.text
    events = owner_api.get(events_url(team.review_id)).json()
    assert [(e["title"], e["lane"], e["is_period"]) for e in events] == [
        ("Noor geboren", "family", False),
        ("Psycholoog", "care", True),
    ]


def test_csv_with_a_bad_row_imports_nothing_and_names_the_line(team, owner_api: TestClient) -> None:
    text = (
        "title,when,until,lane\nNoor geboren,2008,,family\nIets,toen Noor klein was,,family\nSem geboren,2011,,family\n"
    )
    response = owner_api.post(
        lifeline_url(team.review_id, "lifeline.csv"),
        content=text.encode(),
        headers={"content-type": "text/csv", "accept-language": "en"},
    )
    assert response.status_code == 422
    body = response.json()
    assert [problem["line"] for problem in body["errors"]] == [3]
    assert "toen Noor klein was" in body["errors"][0]["message"]
    assert owner_api.get(events_url(team.review_id)).json() == []


def test_csv_row_too_long_for_the_service_imports_nothing(team, owner_api: TestClient) -> None:
    long_title = "x" * 301
    text = f"title,when\nNoor geboren,2008\n{long_title},2011\n"
    response = owner_api.post(
        lifeline_url(team.review_id, "lifeline.csv"), content=text.encode(), headers={"content-type": "text/csv"}
    )
    assert response.status_code == 422
    assert [problem["line"] for problem in response.json()["errors"]] == [3]
    assert owner_api.get(events_url(team.review_id)).json() == []


@pytest.mark.parametrize("body", [b"", b"   \n", b"x" * (2 * 1024 * 1024 + 1)])
def test_empty_or_huge_csv_is_refused(team, owner_api: TestClient, body: bytes) -> None:
    response = owner_api.post(
        lifeline_url(team.review_id, "lifeline.csv"), content=body, headers={"content-type": "text/csv"}
    )
    assert response.status_code == 422
    assert owner_api.get(events_url(team.review_id)).json() == []


def test_readers_may_export_and_it_is_logged_as_theirs(team, api_as: Callable[[User], TestClient], db: Session) -> None:
    reader = api_as(team.reader)
    assert reader.get(lifeline_url(team.review_id, "lifeline.csv")).status_code == 200
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "export")).one()
    seen = (entry.actor, entry.review_id, entry.detail)
    db.rollback()
    assert seen == (f"user:{team.reader.id}", team.review_id, "lifeline.csv")


def test_the_banner_is_made_after_the_database_work_so_others_can_write_meanwhile(
    team, owner_api: TestClient, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 10 m banner takes seconds to make: meanwhile SQLite's single writer turn must be free for the room."""
    _some_events(owner_api, team.review_id)
    database = db.get_bind().url.database
    assert database is not None
    make_banner, others_could_write = lifeline.banner_pdf, []

    def watched(*args: Any, **kwargs: Any) -> bytes:
        # While the PDF is made, another connection takes the write lock at once (or gives up after 0.1 s).
        other = sqlite3.connect(database, timeout=0.1, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            others_could_write.append(True)
        except sqlite3.OperationalError:
            others_could_write.append(False)
        finally:
            other.close()
        return make_banner(*args, **kwargs)

    monkeypatch.setattr(lifeline, "banner_pdf", watched)
    response = owner_api.get(lifeline_url(team.review_id, "lifeline.pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert others_could_write == [True]
    assert _exports(db, team.review_id) == ["lifeline.pdf"]  # the audit line was committed before


def _reimport(client: TestClient, review_id: int, content: bytes) -> dict[str, Any]:
    response = client.post(
        lifeline_url(review_id, "lifeline.csv"), content=content, headers={"content-type": "text/csv"}
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_reimporting_an_exported_csv_updates_by_id_instead_of_doubling(team, owner_api: TestClient) -> None:
    _some_events(owner_api, team.review_id)
    before = owner_api.get(events_url(team.review_id)).json()
    exported = owner_api.get(lifeline_url(team.review_id, "lifeline.csv"), headers={"accept-language": "nl"})
    text = exported.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:2] == ["id", "titel"] and len(rows) == 6

    again = _reimport(owner_api, team.review_id, exported.content)

    assert (again["imported"], again["updated"], again["unchanged"]) == (0, 0, 5)
    after = owner_api.get(events_url(team.review_id)).json()
    assert [(e["id"], e["version"], e["when"]) for e in after] == [(e["id"], e["version"], e["when"]) for e in before]

    # edited in Dutch Excel: one title changed, one date re-saved as Excel does, one row added without an id
    title_at, when_at = rows[0].index("titel"), rows[0].index("wanneer")
    edited = next(r for r in rows[1:] if r[title_at] == "Noor naar de brugklas")
    edited[title_at], edited[when_at] = "Noor naar het vmbo", "sep-20"
    rows.append(["", "Nieuw", "2023", *[""] * (len(rows[0]) - 3)])
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)

    changed = _reimport(owner_api, team.review_id, buffer.getvalue().encode("cp1252"))

    assert (changed["imported"], changed["updated"], changed["unchanged"]) == (1, 1, 4)
    final = owner_api.get(events_url(team.review_id)).json()
    assert len(final) == 6
    vmbo = next(e for e in final if e["id"] == int(edited[0]))
    assert vmbo["title"] == "Noor naar het vmbo" and vmbo["version"] == 2 and vmbo["precision"] == "month"


def test_a_row_naming_a_deleted_event_is_refused_and_nothing_changes(team, owner_api: TestClient) -> None:
    _some_events(owner_api, team.review_id)
    exported = owner_api.get(lifeline_url(team.review_id, "lifeline.csv"), params={"sep": ","})
    assert exported.content.decode("utf-8-sig").startswith('"id","titel",')
    first = owner_api.get(events_url(team.review_id)).json()[0]
    deleted = owner_api.delete(f"{events_url(team.review_id)}/{first['id']}", params={"version": first["version"]})
    assert deleted.status_code in (200, 204), deleted.text

    response = owner_api.post(
        lifeline_url(team.review_id, "lifeline.csv"), content=exported.content, headers={"content-type": "text/csv"}
    )

    assert response.status_code == 422
    assert [p["line"] for p in response.json()["errors"]] == [2]
    assert len(owner_api.get(events_url(team.review_id)).json()) == 4
