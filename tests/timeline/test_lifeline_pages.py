"""The life-line pages: the figure as a JSON block, filters, the event page with history, conflicts."""

import html
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.auth.models import User
from tests.timeline.events import add_event, events_url

FIGURE_BLOCK = re.compile(r'<script type="application/json" id="lifeline-figure">(.*?)</script>', re.S)
EVIL = "</script><script>alert(1)</script>"


def _page_url(review_id: int, query: str = "") -> str:
    return f"/reviews/{review_id}/lifeline{query}"


def _row_ids(page_html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr id="event-(\d+)"', page_html)]


def _figure_texts(page_html: str) -> str:
    blocks = FIGURE_BLOCK.findall(page_html)
    assert len(blocks) == 1
    figure = json.loads(blocks[0])
    return " ".join(str(t) for trace in figure["data"] for t in (trace.get("text") or []))


def test_the_figure_is_a_json_block_that_a_title_cannot_break_out_of(
    team, owner_api: TestClient, browser_as: Callable[[User], Any]
) -> None:
    add_event(owner_api, team.review_id, title=EVIL, when="2016", lane="safety")
    page = browser_as(team.owner).get(_page_url(team.review_id))
    assert page.status_code == 200
    assert "<script>alert(1)" not in page.text
    block = FIGURE_BLOCK.search(page.text)
    assert block is not None
    assert "<" not in block.group(1) and ">" not in block.group(1)
    assert html.escape(EVIL) in _figure_texts(page.text)  # plotly draws text as HTML: escaped once, shown as typed
    assert html.escape(EVIL) in page.text  # the table row, escaped by the template
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "unsafe-inline" not in page.headers["content-security-policy"].split("script-src")[1].split(";")[0]


def test_the_page_loads_plotly_and_its_module_from_our_own_origin(team, browser_as: Callable[[User], Any]) -> None:
    browser = browser_as(team.owner)
    page = browser.get(_page_url(team.review_id))
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/") and not s.startswith("//") for s in sources)
    plotly = next(s for s in sources if "/vendor/plotly-" in s and s.endswith(".min.js"))
    css = next(s for s in sources if "/vendor/plotly-" in s and s.endswith(".css"))
    script = browser.client.get(plotly, headers={"accept-encoding": "gzip"})
    assert script.status_code == 200 and "immutable" in script.headers["cache-control"]
    assert script.headers["content-encoding"] == "gzip"
    stylesheet = browser.client.get(css)
    assert ".js-plotly-plot .plotly .modebar" in stylesheet.text
    assert browser.client.get(plotly.replace("plotly-", "plotly-0.0.")).status_code == 404


@pytest.fixture
def filtered(team, owner_api: TestClient) -> dict[str, int]:
    """Four events that differ in lane, person, source and status."""
    made = {
        "school": add_event(
            owner_api,
            team.review_id,
            title="Noor verzuimt",
            when="2021",
            lane="school",
            people=["Noor"],
            sources=[{"label": "dossier school"}],
        ),
        "care": add_event(
            owner_api,
            team.review_id,
            title="Wijkteam",
            when="jan. 2022",
            lane="care",
            people=["Moeder", "Noor"],
            sources=[{"label": "interview wijkteam"}],
            status="confirmed",
        ),
        "family": add_event(
            owner_api,
            team.review_id,
            title="Verhuizing",
            when="zomer 2017",
            people=["Vader"],
            sources=[{"label": "interview vader"}],
            status="disputed",
        ),
        "safety": add_event(
            owner_api,
            team.review_id,
            title="Melding",
            when="2016",
            lane="safety",
            sources=[{"label": "dossier Veilig Thuis"}],
        ),
    }
    return {lane: event["id"] for lane, event in made.items()}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["safety", "family", "school", "care"]),
        ("?lane=care", ["care"]),
        ("?person=Noor", ["school", "care"]),
        ("?person=noor", ["school", "care"]),
        ("?source=dossier", ["safety", "school"]),
        ("?status=disputed", ["family"]),
        ("?lane=school&person=Noor&source=school&status=draft", ["school"]),
        ("?lane=care&status=draft", []),
        ("?status=nonsense", ["safety", "family", "school", "care"]),
    ],
)
def test_filters_filter_the_table_and_the_chart(
    team, filtered: dict[str, int], browser_as: Callable[[User], Any], query: str, expected: list[str]
) -> None:
    page = browser_as(team.reader).get(_page_url(team.review_id, query))
    assert page.status_code == 200
    assert _row_ids(page.text) == [filtered[lane] for lane in expected]
    texts = _figure_texts(page.text)
    titles = {"school": "Noor verzuimt", "care": "Wijkteam", "family": "Verhuizing", "safety": "Melding"}
    assert {lane for lane, title in titles.items() if title in texts} == set(expected)
    # The page's script asks for the same figure packed for the width it draws at: same filter, same events.
    found = re.search(r'data-figure-url="([^"]*)"', page.text)
    assert found is not None
    refit = browser_as(team.reader).get(f"{html.unescape(found.group(1))}&width=700")
    assert refit.status_code == 200 and refit.json()["layout"]["width"] == 700
    again = " ".join(str(t) for trace in refit.json()["data"] for t in (trace.get("text") or []))
    assert {lane for lane, title in titles.items() if title in again} == set(expected)


def test_the_figure_is_packed_for_the_width_it_is_drawn_at(team, owner_api: TestClient) -> None:
    for index in range(12):
        add_event(owner_api, team.review_id, title=f"Gebeurtenis met een lange naam {index}", when=f"{2010 + index}")
    url = f"/api/v1/reviews/{team.review_id}/lifeline/figure"
    narrow, wide = owner_api.get(f"{url}?width=700").json(), owner_api.get(f"{url}?width=2400").json()
    rows = lambda figure: {y for trace in figure["data"] for y in (trace.get("y") or []) if isinstance(y, (int, float))}  # noqa: E731
    assert len(rows(narrow)) > len(rows(wide))
    too_narrow = owner_api.get(f"{url}?width=100")
    assert too_narrow.status_code == 422 and "width" in too_narrow.text


def test_deleted_events_show_only_when_asked(team, owner_api: TestClient, browser_as: Callable[[User], Any]) -> None:
    event = add_event(owner_api, team.review_id, title="Weg", when="2016")
    owner_api.delete(events_url(team.review_id, event["id"]))
    browser = browser_as(team.owner)
    assert _row_ids(browser.get(_page_url(team.review_id)).text) == []
    shown = browser.get(_page_url(team.review_id, "?deleted=1")).text
    assert _row_ids(shown) == [event["id"]]
    assert "Weg" not in _figure_texts(shown)  # the chart never draws deleted events


def test_adding_an_event_through_the_form(team, owner_api: TestClient, browser_as: Callable[[User], Any]) -> None:
    browser = browser_as(team.researcher)
    browser.get(_page_url(team.review_id))
    response = browser.post(
        f"/reviews/{team.review_id}/lifeline/events",
        {
            "title": "Noor start op Het Baken",
            "when": "sept. 2020",
            "until": "",
            "lane": "school",
            "people": "Noor, Moeder",
            "source": "interview intern begeleider",
            "status": "draft",
            "description": "",
        },
    )
    assert response.status_code == 303
    [event] = owner_api.get(events_url(team.review_id)).json()
    assert (event["title"], event["when"], event["until"], event["lane"]) == (
        "Noor start op Het Baken",
        "sept. 2020",
        None,
        "school",
    )
    assert event["people"] == ["Noor", "Moeder"]
    assert [s["label"] for s in event["sources"]] == ["interview intern begeleider"]


def test_a_bad_date_in_the_form_is_shown_at_the_field_and_nothing_is_stored(
    team, owner_api: TestClient, browser_as: Callable[[User], Any]
) -> None:
    browser = browser_as(team.owner)
    browser.get(_page_url(team.review_id))
    response = browser.post(
        f"/reviews/{team.review_id}/lifeline/events", {"title": "Iets", "when": "toen Noor klein was", "lane": "family"}
    )
    assert response.status_code == 422
    assert "Bruikbaar zijn bijvoorbeeld" in response.text
    assert 'value="toen Noor klein was"' in response.text  # what was typed is kept
    assert owner_api.get(events_url(team.review_id)).json() == []


def test_the_event_page_shows_the_history_with_restore_buttons(
    team, owner_api: TestClient, browser_as: Callable[[User], Any]
) -> None:
    event = add_event(owner_api, team.review_id, title="OTS", when="sept. 2021", lane="safety")
    owner_api.patch(
        events_url(team.review_id, event["id"]),
        json={"when": "okt. 2021", "version": 1, "reason": "gecorrigeerd in het groepsinterview"},
    )
    url = f"/reviews/{team.review_id}/lifeline/events/{event['id']}"
    page = browser_as(team.owner).get(url)
    assert page.status_code == 200
    history = page.text[page.text.index('id="history"') :]
    assert "sept. 2021" in history and "okt. 2021" in history
    assert "gecorrigeerd in het groepsinterview" in history
    assert f'{url}/versions/1/restore"' in history
    assert f'{url}/versions/2/restore"' not in history  # the current version needs no restore button
    reader_page = browser_as(team.reader).get(url)
    assert "sept. 2021" in reader_page.text and "/restore" not in reader_page.text


def test_restoring_a_version_through_the_page(team, owner_api: TestClient, browser_as: Callable[[User], Any]) -> None:
    event = add_event(owner_api, team.review_id, title="OTS", when="sept. 2021", lane="safety")
    owner_api.patch(events_url(team.review_id, event["id"]), json={"when": "okt. 2021", "version": 1})
    url = f"/reviews/{team.review_id}/lifeline/events/{event['id']}"
    browser = browser_as(team.owner)
    browser.get(url)
    response = browser.post(f"{url}/versions/1/restore", {"current_version": "2"})
    assert response.status_code == 303
    now = owner_api.get(events_url(team.review_id, event["id"])).json()
    assert (now["when"], now["version"]) == ("sept. 2021", 3)


def test_a_stale_restore_through_the_page_changes_nothing(
    team, owner_api: TestClient, browser_as: Callable[[User], Any]
) -> None:
    event = add_event(owner_api, team.review_id, title="Verhuizing", when="zomer 2017")
    url = f"/reviews/{team.review_id}/lifeline/events/{event['id']}"
    browser = browser_as(team.owner)
    owner_api.patch(events_url(team.review_id, event["id"]), json={"title": "Verhuizing vader", "version": 1})
    owner_api.delete(events_url(team.review_id, event["id"]))  # version 3, deleted
    browser.get(url)
    response = browser.post(f"{url}/versions/1/restore", {"current_version": "2"})  # seen before the delete
    assert response.status_code == 409
    now = owner_api.get(events_url(team.review_id, event["id"])).json()
    assert (now["deleted"], now["version"], now["title"]) == (True, 3, "Verhuizing vader")
    assert len(owner_api.get(events_url(team.review_id, event["id"], "history")).json()) == 3


def test_a_conflicting_edit_through_the_form_shows_both_versions(
    team, owner_api: TestClient, api_as: Callable[[User], TestClient], browser_as: Callable[[User], Any]
) -> None:
    event = add_event(owner_api, team.review_id, title="Melding Veilig Thuis", when="2016", lane="safety")
    url = f"/reviews/{team.review_id}/lifeline/events/{event['id']}"
    browser = browser_as(team.owner)
    form_page = browser.get(url)
    assert 'name="version" value="1"' in form_page.text
    # Meanwhile the researcher corrects the date.
    assert (
        api_as(team.researcher)
        .patch(events_url(team.review_id, event["id"]), json={"when": "voorjaar 2016", "version": 1})
        .status_code
        == 200
    )
    response = browser.post(
        url,
        {
            "title": "Melding na politie-inzet",
            "when": "2016",
            "until": "",
            "lane": "safety",
            "description": "",
            "people": "",
            "organisation": "",
            "status": "draft",
            "reason": "",
            "version": "1",
        },
    )
    assert response.status_code == 409
    assert "voorjaar 2016" in response.text  # what is stored now
    assert 'value="Melding na politie-inzet"' in response.text  # my change, kept in the form
    assert 'name="version" value="2"' in response.text  # saving again is based on the newest version
    now = owner_api.get(events_url(team.review_id, event["id"])).json()
    assert (now["title"], now["when"], now["version"]) == ("Melding Veilig Thuis", "voorjaar 2016", 2)


@pytest.mark.parametrize("bad_row", ["Iets,toen Noor klein was", "x" * 301 + ",2011"])
def test_a_csv_upload_with_a_bad_row_imports_nothing_and_names_the_line(
    team, owner_api: TestClient, browser_as: Callable[[User], Any], bad_row: str
) -> None:
    browser = browser_as(team.owner)
    browser.get(_page_url(team.review_id))
    text = f"titel,wanneer\nNoor geboren,2008\n{bad_row}\nSem geboren,2011\n"
    response = browser.post(
        f"/reviews/{team.review_id}/lifeline/import", files={"file": ("levenslijn.csv", text.encode(), "text/csv")}
    )
    assert response.status_code == 422
    assert "Regel 3" in response.text
    assert owner_api.get(events_url(team.review_id)).json() == []
