"""Exports: the JSON backup and its import into a new review (round trip), formula-safe CSV of factors and
stickers, everything about one participant (GDPR), and the REFI-QDA project."""

import csv
import io
import json
import zipfile
from typing import Any
from xml.etree import ElementTree

import pytest
from sqlmodel import Session, select

from app.audit.models import AuditEntry
from app.auth.models import User
from app.group_interview.models import Factor, FactorKind
from app.reports.exports import TABLES, fk_target, safe_cell
from app.voting.models import Sticker, StickerRound
from tests.reports.demo_case import CONTACT, DEMO_OWNER, FORMULA_TITLE, HOSTILE_TITLE, WITHDRAWN_QUOTE, Demo
from tests.world import row_counts

EVIDENCE = {"event": "lifeline_events", "quote": "quotes", "round": "sticker_rounds", "document": "documents"}
EVIDENCE |= {"interview": "interviews", "factor": "factors"}
ANCHORS = {"person": "lifeline_people", "event": "lifeline_events"}
SOURCES = {"interview": "interviews", "document": "documents", "group_interview": "group_interviews"}


def export(demo: Demo, review_id: int) -> dict[str, Any]:
    response = demo.api.get(f"/api/v1/reviews/{review_id}/export.json")
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def normalise(data: dict[str, Any], importer: int) -> dict[str, Any]:
    """The export with every id replaced by its rank in its table (references likewise) and the export's own
    time stamp removed: two exports of the same content are then equal. An import recognises only the importer's
    account: other accounts become unknown (and rows that need one, an interviewer, stay behind)."""
    users = {t.name: [c.name for c in t.columns if fk_target(c) == "users" and not c.nullable] for t in TABLES}
    tables = {
        name: [r for r in rows if all(r[c] == importer for c in users.get(name, []))]
        for name, rows in data["tables"].items()
    }
    rank = {name: {row.get("id"): n for n, row in enumerate(rows)} for name, rows in tables.items()}
    columns = {t.name: {c.name: fk_target(c) for c in t.columns} for t in TABLES}

    def ref(table: str | None, value: Any) -> Any:
        if table == "users":
            return value if value == importer else None
        if value is None or table in (None, "reviews"):
            return "REVIEW" if table == "reviews" else value
        return ("ref", table, rank.get(table, {}).get(value, f"missing:{value}"))

    out: dict[str, Any] = {}
    for name, rows in tables.items():
        fixed = []
        for row in rows:
            row = dict(row)
            row["id"] = rank[name][row.get("id")]
            for column, target in columns[name].items():
                if target and column in row:
                    row[column] = ref(target, row[column])
            if name == "finding_evidence":
                row["ref_id"] = ref(EVIDENCE[row["kind"]], row["ref_id"])
            if name == "lifeline_anchors" and row["kind"] is not None:
                row["target_id"] = ref(ANCHORS[row["kind"]], row["target_id"])
            if name == "node_themes" and row.get("theme_ref"):
                row["theme_id"] = "shipped"
            for field in ("sources_json", "snapshot_json"):
                if field in row:
                    value = json.loads(row[field])
                    sources = value if field == "sources_json" else value.get("sources", [])
                    for source in sources or []:
                        if source.get("ref_id") is not None and source.get("kind") in SOURCES:
                            source["ref_id"] = ref(SOURCES[source["kind"]], source["ref_id"])
                    if name == "finding_node_versions":
                        for key in ("parent_id", "merged_into_id"):
                            value[key] = ref("finding_nodes", value.get(key))
                    row[field] = value
            fixed.append(row)
        out[name] = fixed
    review = dict(data["review"])
    return {"review": review, "tables": out, "excluded": data["excluded"], "format": data["format_version"]}


def test_json_round_trip_gives_an_equal_review(demo: Demo) -> None:
    first = export(demo, demo.review_id)
    assert first["format"] == "leerreview.review" and first["format_version"] == 1

    response = demo.api.post("/api/v1/reviews/import", json=first)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["id"] != demo.review_id
    second = export(demo, created["id"])

    with Session(demo.engine) as session:
        importer = session.exec(select(User.id).where(User.email == DEMO_OWNER[0])).one()
    assert normalise(second, importer) == normalise(first, importer)
    assert {u["id"] for u in second["users"]} == {importer}  # nobody else's account is attached
    # every table of the review came along, with new ids
    assert all(second["tables"][name] for name in ("participants", "consents", "lifeline_events", "stickers"))
    assert {r["id"] for r in second["tables"]["factors"]}.isdisjoint({r["id"] for r in first["tables"]["factors"]})
    mine = demo.api.get("/api/v1/reviews").json()
    assert any(r["id"] == created["id"] and r["role"] == "owner" for r in mine)


def test_export_leaves_out_what_may_not_leave(demo: Demo) -> None:
    data = export(demo, demo.review_id)
    text = json.dumps(data, ensure_ascii=False)

    assert WITHDRAWN_QUOTE not in text
    quote_ids = {q["id"] for q in data["tables"]["quotes"]}
    assert all(e["ref_id"] in quote_ids for e in data["tables"]["finding_evidence"] if e["kind"] == "quote")
    assert "audit_log" not in data["tables"] and "share_links" not in data["tables"]
    assert all("stored_name" not in d for d in data["tables"]["documents"])
    assert all("code_hash" not in g and "code_nonce" not in g for g in data["tables"]["group_interviews"])
    assert any("audit log" in line for line in data["excluded"])
    assert "password_hash" not in text and "token_hash" not in text
    with Session(demo.engine) as session:
        logged = session.exec(select(AuditEntry).where(AuditEntry.detail == "export.json")).all()
    assert logged


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"format": "something-else", "format_version": 1},
        {"format": "leerreview.review", "format_version": 99, "review": {"title": "x"}},
        {"format": "leerreview.review", "format_version": 1, "review": "not an object"},
        {"format": "leerreview.review", "format_version": 1, "review": {"title": ""}},
        {"format": "leerreview.review", "format_version": 1, "review": {"title": "x" * 500}},
        {"format": "leerreview.review", "format_version": 1, "review": {"title": "ok"}, "tables": []},
        {
            "format": "leerreview.review",
            "format_version": 1,
            "review": {"title": "ok"},
            "tables": {"participants": [{"id": 1, "pseudonym": "A", "role_category": "alien"}]},
        },
        {
            "format": "leerreview.review",
            "format_version": 1,
            "review": {"title": "ok"},
            "tables": {"lifeline_events": [{"id": 1, "title": "x", "when_text": "2020", "sources_json": "{bad"}]},
        },
    ],
)
def test_a_bad_import_is_refused_and_stores_nothing(demo: Demo, body: dict[str, Any]) -> None:
    before = row_counts(demo.engine)
    response = demo.api.post("/api/v1/reviews/import", json=body)

    assert response.status_code == 422, response.text
    assert response.json()["detail"]
    after = row_counts(demo.engine)
    assert {k: v for k, v in after.items() if k != "auth_sessions"} == {
        k: v for k, v in before.items() if k != "auth_sessions"
    }


def rows_of(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_factors_csv_neutralises_formulas(demo: Demo) -> None:
    response = demo.api.get(f"/api/v1/reviews/{demo.review_id}/factors.csv")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = rows_of(response.text)
    titles = {r["title"] for r in rows}
    assert "'" + FORMULA_TITLE in titles
    assert "'" + HOSTILE_TITLE.replace("<", "<") in titles or HOSTILE_TITLE in titles
    assert "'+31 6 procent" in titles and "'-minder regels" in titles
    for row in rows:
        for value in row.values():
            assert not value or value[0] not in "=+-@\t\r", value
    assert sum(int(r["stickers"]) for r in rows) > 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@A1", "'@A1"), ("\tx", "'\tx"), ("ok", "ok"), (None, "")],
)
def test_safe_cell(value: str | None, expected: str) -> None:
    assert safe_cell(value) == expected


def test_stickers_csv_never_names_who_voted_in_an_anonymous_round(demo: Demo) -> None:
    with Session(demo.engine) as session:
        rounds = session.exec(select(StickerRound).where(StickerRound.review_id == demo.review_id)).all()
        assert any(r.anonymous for r in rounds)
        named = next((r for r in rounds if not r.anonymous), None)
        if named is None:  # make one round named, to see the difference
            named = rounds[-1]
            named.anonymous = False
            session.add(named)
            session.commit()
        named_id = named.id
        voter = session.exec(
            select(Sticker.participant_id).where(Sticker.round_id == named_id, Sticker.participant_id.is_not(None))  # type: ignore[union-attr]
        ).first()
    rows = rows_of(demo.api.get(f"/api/v1/reviews/{demo.review_id}/stickers.csv").text)

    anonymous = [r for r in rows if r["anonymous"] == "yes"]
    assert anonymous and all(r["participant"] == "" and r["placed_at"] == "" for r in anonymous)
    if voter is not None:
        assert any(r["participant"] for r in rows if r["round_id"] == str(named_id))


def test_participant_export_holds_everything_about_them(demo: Demo) -> None:
    pid = demo.withdrawn_participant_id
    response = demo.api.get(f"/api/v1/reviews/{demo.review_id}/participants/{pid}/export.json")

    assert response.status_code == 200
    data = response.json()
    assert data["participant"]["pseudonym"] == "Oom Kees"
    assert data["participant"]["contact"] == CONTACT  # their own data, for their access request
    assert [c["scope"] for c in data["consents"]] == ["quotes"]
    assert data["consents"][0]["withdrawn_on"] == "2024-06-01"
    assert data["quotes"] == [] and data["quotes_not_exported"] == 1
    assert WITHDRAWN_QUOTE not in response.text
    missing = demo.api.get(f"/api/v1/reviews/{demo.review_id}/participants/999999/export.json")
    assert missing.status_code == 404


def test_qdpx_is_a_refi_qda_project(demo: Demo) -> None:
    response = demo.api.get(f"/api/v1/reviews/{demo.review_id}/export.qdpx")

    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    project = ElementTree.fromstring(archive.read("project.qde"))
    ns = {"q": "urn:QDA-XML:project:1.0"}
    codes = project.findall(".//q:Code", ns)
    sources = project.findall(".//q:TextSource", ns)
    assert len(codes) >= 5
    assert sources
    for source in sources:
        path = source.get("plainTextPath", "").removeprefix("internal://")
        assert archive.read(f"sources/{path}")
    assert WITHDRAWN_QUOTE.encode() not in response.content


def test_factors_csv_is_semicolon_separated_for_dutch_and_every_piece_is_neutralised(demo: Demo) -> None:
    with Session(demo.engine) as session:
        interview_id = session.exec(select(Factor.group_interview_id).where(Factor.review_id == demo.review_id)).first()
        session.add(
            Factor(
                review_id=demo.review_id,
                group_interview_id=interview_id,
                kind=FactorKind.hindering,
                title="zie notulen;=1+1;",
                description="eerst, @SUM(A1)",
            )
        )
        session.commit()
    url = f"/api/v1/reviews/{demo.review_id}/factors.csv"
    dutch = demo.api.get(url, headers={"accept-language": "nl"}).text.lstrip("\ufeff")
    english = demo.api.get(url).text.lstrip("\ufeff")
    tabbed = demo.api.get(url, params={"sep": "tab"}).text.lstrip("\ufeff")

    rows = list(csv.DictReader(io.StringIO(dutch), delimiter=";"))
    assert "zie notulen;'=1+1;" in {r["title"] for r in rows}
    assert next(iter(csv.DictReader(io.StringIO(english)))).keys() == rows[0].keys()
    assert next(iter(csv.DictReader(io.StringIO(tabbed), delimiter="\t"))).keys() == rows[0].keys()
    for text in (dutch, english):
        for delimiter in (";", ",", "\t"):
            for row in csv.reader(io.StringIO(text), delimiter=delimiter):
                assert all(cell.lstrip(' "')[:1] not in ("=", "+", "-", "@") for cell in row), row
    assert demo.api.get(url, params={"sep": "|"}).status_code == 422
