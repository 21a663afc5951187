"""WCAG 2.1 AA in a real browser: axe-core finds no serious or critical violation on any page type, in Dutch and
in English, and Chromium logs nothing (no CSP refusal, no failed request) while the page draws itself.

One module-scoped room serves every page type: the demo case for the researcher pages, a fresh review with an
open group interview in the sticker step (a factor of each kind, an open round, a joined phone per language)
for the console, the shared screen, the tablet and the phone, and a share link for the team pages.
"""

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.axe import ConsoleWatch, assert_accessible
from tests.browser.conftest import DEMO_OWNER, LiveServer
from tests.browser.pages import add_consenting, api

pytestmark = pytest.mark.browser

LANGUAGES = ("nl", "en")
READER = ("team.lezer@example.org", "demo-leerreview")
PEOPLE = (("Moeder (Anja)", "parent"), ("Jongere (Sam)", "child"), ("Wijkteam", "professional"))


@dataclass
class World:
    """Ids of what the pages show."""

    demo: int = 0
    participant: int = 0
    event: int = 0
    interview: int = 0
    document: int = 0
    room: int = 0
    meeting: int = 0  # a review with an open share-back meeting, showing its first finding
    meeting_code: str = ""
    meeting_people: dict[str, int] = field(default_factory=dict)
    share: str = ""
    code: str = ""
    study: int = 0
    people: dict[str, int] = field(default_factory=dict)


@dataclass
class Visitor:
    """One browser context per kind of visitor and language, with its console watched."""

    context: BrowserContext
    watch: ConsoleWatch


@dataclass
class Site:
    """The module's browser contexts and data."""

    world: World
    visitors: dict[tuple[str, str], Visitor]


def _context(browser: Browser, server: LiveServer, language: str, **options: Any) -> Visitor:
    context = browser.new_context(
        base_url=server.url,
        locale="nl-NL" if language == "nl" else "en-GB",
        viewport=options.pop("viewport", {"width": 1280, "height": 860}),
        **options,
    )
    context.set_default_timeout(10_000)
    watch = ConsoleWatch.on(context)
    context.add_cookies([{"name": "leerreview-lang", "value": language, "url": server.url}])
    return Visitor(context, watch)


def _log_in(visitor: Visitor, account: tuple[str, str], language: str, server: LiveServer) -> None:
    page = visitor.context.new_page()
    page.goto("/login")
    page.locator("#f-email").fill(account[0])
    page.locator("#f-password").fill(account[1])
    page.locator("form[action='/login'] button").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/")
    # logging in sets the account's own language; the test's language wins
    visitor.context.add_cookies([{"name": "leerreview-lang", "value": language, "url": server.url}])
    page.close()


def _build_world(page: Page) -> World:
    page.goto("/")
    call = api(page)
    world = World()
    world.demo = next(r["id"] for r in call("GET", "/reviews") if r["case_pseudonym"] == "gezin Bakker")
    world.participant = call("GET", f"/reviews/{world.demo}/participants")[0]["id"]
    world.event = call("GET", f"/reviews/{world.demo}/lifeline/events")[0]["id"]
    world.interview = call("GET", f"/reviews/{world.demo}/interviews")[0]["id"]
    world.document = call("GET", f"/reviews/{world.demo}/documents")[0]["id"]
    world.study = call("GET", "/studies")[0]["id"]
    expires = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    world.share = urlsplit(call("POST", f"/reviews/{world.demo}/share-links", {"expires_at": expires})["url"]).path

    room = call("POST", "/reviews", {"title": "Toegankelijkheid", "case_pseudonym": "gezin de Vries"})["id"]
    world.room = room
    world.people = add_consenting(call, room, PEOPLE)
    first = call("POST", f"/reviews/{room}/lifeline/events", {"title": "Wijkteam betrokken", "when": "2021"})
    call("POST", f"/reviews/{room}/lifeline/events", {"title": "Verhuizing", "when": "zomer 2016", "lane": "family"})
    call("POST", f"/reviews/{room}/group-interview")
    world.code = call("POST", f"/reviews/{room}/group-interview/open")["join_code"]
    call("POST", f"/reviews/{room}/factors", {"kind": "success", "title": "Korte lijnen", "event_id": first["id"]})
    call("POST", f"/reviews/{room}/factors", {"kind": "hindering", "title": "Wisselende gezichten"})
    call("POST", f"/reviews/{room}/group-interview/step", {"step": 4})
    sticker_round = call("POST", f"/reviews/{room}/rounds", {"kind": "success"})
    call("POST", f"/reviews/{room}/rounds/{sticker_round['id']}/open")
    _share_back(call, world)
    return world


def _share_back(call: Callable[..., Any], world: World) -> None:
    """A second fresh review with a findings tree and an open share-back meeting on its first finding, the
    tablet passed to the first participant."""
    meeting = call("POST", "/reviews", {"title": "Terugkoppeling", "case_pseudonym": "gezin Smit"})["id"]
    world.meeting = meeting
    call("PATCH", f"/reviews/{meeting}", {"success_statement": "Sam woont weer thuis en gaat naar school."})
    world.meeting_people = add_consenting(call, meeting, PEOPLE)
    first = call(
        "POST", f"/reviews/{meeting}/findings-tree/nodes", {"title": "Eén vaste casemanager", "branch": "success"}
    )
    call(
        "POST",
        f"/reviews/{meeting}/findings-tree/nodes",
        {"title": "Bereikbaar, ook 's avonds", "parent_id": first["id"]},
    )
    call("POST", f"/reviews/{meeting}/findings-tree/nodes", {"title": "Wisselende voogden", "branch": "hindering"})
    base = f"/reviews/{meeting}/share-back"
    call("POST", base)
    world.meeting_code = call("POST", f"{base}/open")["join_code"]
    call("POST", f"{base}/show", {"node_id": first["id"]})
    call("POST", f"{base}/tablet", {"participant_id": world.meeting_people[PEOPLE[0][0]]})


def _join(visitor: Visitor, code: str, participant_id: int) -> None:
    page = visitor.context.new_page()
    page.goto("/join")
    answer = page.request.post("/api/v1/join", data={"code": code, "participant_id": participant_id})
    assert answer.ok, answer.text()
    page.close()


@pytest.fixture(scope="module")
def site(browser: Browser, live_server: LiveServer) -> Iterator[Site]:
    visitors: dict[tuple[str, str], Visitor] = {}
    try:
        for language in LANGUAGES:
            visitors["member", language] = _context(browser, live_server, language)
            _log_in(visitors["member", language], DEMO_OWNER, language, live_server)
            visitors["reader", language] = _context(browser, live_server, language)
            _log_in(visitors["reader", language], READER, language, live_server)
            visitors["anon", language] = _context(browser, live_server, language)
            for phone in ("phone", "sb-phone"):
                visitors[phone, language] = _context(
                    browser,
                    live_server,
                    language,
                    viewport={"width": 390, "height": 844},
                    is_mobile=True,
                    has_touch=True,
                )
        setup = visitors["member", "nl"].context.new_page()
        world = _build_world(setup)
        setup.close()
        _join(visitors["phone", "nl"], world.code, world.people["Moeder (Anja)"])
        _join(visitors["phone", "en"], world.code, world.people["Jongere (Sam)"])
        for language, name in zip(LANGUAGES, ("Moeder (Anja)", "Jongere (Sam)"), strict=True):
            _join(visitors["sb-phone", language], world.meeting_code, world.meeting_people[name])
        for visitor in visitors.values():
            visitor.watch.messages.clear()
        yield Site(world, visitors)
    finally:
        for visitor in visitors.values():
            visitor.context.close()


@dataclass(frozen=True)
class PageType:
    """A kind of page: who opens it, where, what shows it is drawn, and its HTTP status."""

    name: str
    who: str
    path: Callable[[World], str]
    ready: str = "main"
    status: int = 200
    then: Callable[[Page, World], None] | None = None
    logs: int | None = None  # an error status that ``then`` brings about (Chromium logs it as a failed load)


def _join_names(page: Page, world: World) -> None:
    page.locator("#join-code").fill(world.code)
    page.locator("#join-next").click()
    expect(page.locator("#join-names .ph-name").first).to_be_visible()


def _wrong_password(page: Page, world: World) -> None:
    # an unknown account (no lockout of a real one): the form comes back with its error
    page.locator("#f-email").fill("niemand@example.org")
    page.locator("#f-password").fill("niet-het-wachtwoord")
    with page.expect_response(lambda r: urlsplit(r.url).path == "/login" and r.request.method == "POST") as answer:
        page.locator("form[action='/login'] button").click()
    assert answer.value.status == 401
    expect(page.locator(".alert-error")).to_be_visible()


def _open_cell(page: Page, world: World) -> None:
    # the matrix cell view: the factors behind one cell, with their tree path and evidence
    page.locator("#matrix-table .cell-btn:not([disabled])").first.click()
    expect(page.locator("#cell-detail .cell-factor").first).to_be_visible()


def _ended(page: Page, world: World) -> None:
    # a phone cookie that no longer opens anything: the page says the group interview has ended
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(page.url))
    page.context.add_cookies([{"name": "leerreview-p", "value": "gone", "url": origin}])
    try:
        page.goto("/p")
        expect(page.locator(".ph-ended")).to_be_visible()
    finally:
        page.context.clear_cookies(name="leerreview-p")


PAGE_TYPES = [
    PageType("login", "anon", lambda w: "/login", "#f-email"),
    PageType("login-failed", "anon", lambda w: "/login", "#f-email", then=_wrong_password, logs=401),
    PageType("dashboard", "member", lambda w: "/", "a.review-card-link"),
    PageType("review-new", "member", lambda w: "/reviews/new", "#f-title"),
    PageType("review", "member", lambda w: f"/reviews/{w.demo}", "ol.stepper"),
    PageType("members", "member", lambda w: f"/reviews/{w.demo}/members"),
    PageType("erase", "member", lambda w: f"/reviews/{w.demo}/erase"),
    PageType("participants", "member", lambda w: f"/reviews/{w.demo}/participants"),
    PageType("participant", "member", lambda w: f"/reviews/{w.demo}/participants/{w.participant}"),
    PageType("lifeline", "member", lambda w: f"/reviews/{w.demo}/lifeline", "#lifeline-chart[data-ready='1']"),
    PageType("event", "member", lambda w: f"/reviews/{w.demo}/lifeline/events/{w.event}"),
    PageType("interviews", "member", lambda w: f"/reviews/{w.demo}/interviews"),
    PageType("interview", "member", lambda w: f"/reviews/{w.demo}/interviews/{w.interview}"),
    PageType("documents", "member", lambda w: f"/reviews/{w.demo}/documents"),
    PageType("document", "member", lambda w: f"/reviews/{w.demo}/documents/{w.document}"),
    PageType("findings", "member", lambda w: f"/reviews/{w.demo}/findings", "#findings-chart[data-ready='1']"),
    PageType("report", "member", lambda w: f"/reviews/{w.demo}/report"),
    PageType("studies", "member", lambda w: "/studies", "main h1"),
    PageType("study", "member", lambda w: f"/studies/{w.study}", "#matrix-figure[data-ready='1']"),
    PageType(
        "study-cell", "member", lambda w: f"/studies/{w.study}", "#matrix-figure[data-ready='1']", then=_open_cell
    ),
    PageType("study-report", "member", lambda w: f"/studies/{w.study}/report", "main h1"),
    PageType("share-back", "member", lambda w: f"/reviews/{w.demo}/share-back", "main h1"),
    PageType("console-gate", "member", lambda w: f"/reviews/{w.demo}/group-interview"),
    PageType("console", "member", lambda w: f"/reviews/{w.room}/group-interview", "#gi-conn[data-status='live']"),
    PageType("screen", "member", lambda w: f"/reviews/{w.room}/group-interview/screen", "#gi-conn[data-status='live']"),
    PageType("tablet", "member", lambda w: f"/reviews/{w.room}/group-interview/tablet", "#gi-conn[data-status='live']"),
    # The share-back meeting live (console, shared screen, tablet, phone) and a held one's screen.
    PageType("sb-console", "member", lambda w: f"/reviews/{w.meeting}/share-back", "#gi-conn[data-status='live']"),
    PageType(
        "sb-screen", "member", lambda w: f"/reviews/{w.meeting}/share-back/screen", "#gi-conn[data-status='live']"
    ),
    PageType("sb-screen-held", "member", lambda w: f"/reviews/{w.demo}/share-back/screen", "#sb-closed:not([hidden])"),
    PageType("sb-tablet", "member", lambda w: f"/reviews/{w.meeting}/share-back/tablet", "#sb-react:not([hidden])"),
    PageType("sb-phone", "sb-phone", lambda w: "/p/share-back", "#sb-react:not([hidden])"),
    PageType("join", "anon", lambda w: "/join", "#join-code"),
    PageType("join-names", "anon", lambda w: "/join", "#join-code", then=_join_names),
    PageType("phone", "phone", lambda w: "/p", "#ph-vote-list .ph-vote"),
    PageType("phone-ended", "anon", lambda w: "/p", "#join-code", then=_ended),
    PageType("share", "anon", lambda w: w.share, ".share-figure svg"),
    PageType("share-report", "anon", lambda w: f"{w.share}/report", ".report h2"),
    PageType("share-gone", "anon", lambda w: "/s/" + "x" * 43, "main", 404),
    PageType("share-bad-language", "anon", lambda w: f"{w.share}?lang=de", ".error-list li", 422),
    PageType("not-allowed-here", "member", lambda w: "/logout", "main", 405),
    PageType("not-found", "member", lambda w: "/reviews/999999", "main", 404),
    PageType("forbidden", "reader", lambda w: f"/reviews/{w.demo}/group-interview/tablet", "main", 403),
]


def _own_status(line: str, kind: PageType, page: Page) -> bool:
    """Chromium logs an error page's own status (404, 403) as a failed load: that one is expected."""
    expected = kind.logs or (kind.status if kind.status != 200 else None)
    return expected is not None and f"status of {expected}" in line and line.endswith(f"({page.url})")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", PAGE_TYPES, ids=lambda kind: kind.name)
def test_no_serious_axe_violation_and_a_clean_console(site: Site, kind: PageType, language: str) -> None:
    visitor = site.visitors[kind.who, language]
    page = visitor.context.new_page()
    try:
        response = page.goto(kind.path(site.world))
        assert response is not None and response.status == kind.status
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator(kind.ready).first).to_be_attached()
        if kind.then is not None:
            kind.then(page, site.world)
        assert_accessible(page, f"{kind.name} ({language})")
        logged = [line for line in visitor.watch.problems(page) if not _own_status(line, kind, page)]
        assert not logged, f"{kind.name} ({language}) console:\n" + "\n".join(logged)
    finally:
        page.close()


# Every id the chart draws (plotly keeps each trace's customdata on the plot element).
_CHART_IDS = """(chart) => [...new Set(document.getElementById(chart).data.flatMap((trace) => trace.customdata ?? [])
  .filter((id) => id !== null && id !== undefined))]"""


@pytest.mark.parametrize(
    ("path", "chart", "alternative", "row"),
    [
        (lambda w: f"/reviews/{w.demo}/lifeline", "lifeline-chart", "events", "#events tr#event-{}"),
        (lambda w: f"/reviews/{w.demo}/findings", "findings-chart", "tree-region", "#tree-region #node-{}"),
    ],
    ids=["lifeline", "findings"],
)
def test_a_chart_is_a_figure_whose_caption_leads_to_a_table_with_the_same_items(
    site: Site, path: Callable[[World], str], chart: str, alternative: str, row: str
) -> None:
    page = site.visitors["member", "nl"].context.new_page()
    try:
        page.goto(path(site.world))
        drawn = page.locator(f"#{chart}")
        expect(drawn).to_have_attribute("data-ready", "1")
        # The figure is named by its caption, which links to the table; the drawing itself is hidden from
        # screen readers (they get the table), and the chart is no image wrapped around buttons.
        figure = page.locator("figure", has=drawn)
        expect(figure.locator("figcaption a")).to_have_attribute("href", f"#{alternative}")
        assert drawn.get_attribute("role") is None
        assert drawn.locator(".main-svg").count() >= 1
        expect(drawn.locator(".main-svg:not([aria-hidden='true'])")).to_have_count(0)
        # The mode bar's buttons are named in the page's language, and none sends the chart to plotly's cloud.
        expect(drawn.locator(".modebar-btn[data-title='Share chart...']")).to_have_count(0)
        for button in drawn.locator(".modebar-btn").all():
            assert button.get_attribute("aria-label") != "Download plot as a PNG"
        # Whatever the chart draws is in the table (or list), so nobody needs the picture.
        ids = page.evaluate(_CHART_IDS, chart)
        assert len(ids) > 5
        for item in ids:
            expect(page.locator(row.format(item))).to_have_count(1)
    finally:
        page.close()
