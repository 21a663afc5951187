"""The read-only view of a share link under ``/s/{token}`` (no account: the tree, the report and the life-line of one
review, nothing else)."""

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response

from app.db import SessionDep
from app.downloads import LateFile
from app.i18n import current_language, language
from app.reports import service as reports
from app.reviews.models import Review
from app.sharing import service
from app.sharing.models import ShareLink
from app.templating import render

pages = APIRouter(include_in_schema=False)

Token = Annotated[str, Path(min_length=1, max_length=service.TOKEN_MAX, pattern=r"^[A-Za-z0-9_-]+$")]
Lang = Annotated[Literal["nl", "en"] | None, Query()]


def _open(session: SessionDep, token: str, what: str) -> tuple[ShareLink, Review]:
    link = service.resolve(session=session, token=token)
    review = session.get(Review, link.review_id)
    assert review is not None  # the link is deleted with its review
    service.record_view(session=session, link=link, what=what)
    return link, review


def _shared_page(request: Request, session: SessionDep, token: str, lang: str | None, tab: str) -> Response:
    link, review = _open(session, token, tab)
    chosen = lang or current_language()
    report = reports.build_report(session=session, review=review, lang=chosen)
    with language(chosen):
        context = {"report": report, "token": token, "link": link, "tab": tab, "lang": chosen}
        if tab == "report":
            context["report_html"] = reports.report_body(report)
        return render(request, "sharing/view.html", context)


@pages.get("/s/{token}")
def shared_view(request: Request, session: SessionDep, token: Token, lang: Lang = None) -> Response:
    """The shared findings tree and life-line of one review, read-only."""
    return _shared_page(request, session, token, lang, "tree")


@pages.get("/s/{token}/report")
def shared_report(request: Request, session: SessionDep, token: Token, lang: Lang = None) -> Response:
    """The shared report (HTML), with a PDF download."""
    return _shared_page(request, session, token, lang, "report")


@pages.get("/s/{token}/report.pdf")
def shared_report_pdf(session: SessionDep, token: Token, lang: Lang = None) -> Response:
    """The shared report as PDF."""
    _link, review = _open(session, token, "report.pdf")
    report = reports.build_report(session=session, review=review, lang=lang or current_language())
    name = f"leerreview-report-{report.lang}.pdf"
    return LateFile(lambda: reports.report_pdf(report), filename=name)
