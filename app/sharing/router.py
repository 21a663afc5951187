"""HTTP routes of share links: creating, listing and revoking them (members, API; the forms on the report page
are in ``app.reports.router``), and the read-only view under
``/s/{token}`` (no account: the tree, the report and the life-line of one review, nothing else).

A share token is not a session: it opens only the GET pages below, and every view is counted and logged.
"""

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response

from app.db import SessionDep
from app.deps import MemberDep, PathId, SettingsDep, WriterDep
from app.downloads import LateFile
from app.i18n import current_language, language
from app.reports import service as reports
from app.reviews.models import Review
from app.sharing import service
from app.sharing.models import ShareLink
from app.sharing.schemas import ShareLinkCreate, ShareLinkCreated, ShareLinkOut
from app.templating import render

api = APIRouter(tags=["sharing"])
pages = APIRouter(include_in_schema=False)

Token = Annotated[str, Path(min_length=1, max_length=service.TOKEN_MAX, pattern=r"^[A-Za-z0-9_-]+$")]
Lang = Annotated[Literal["nl", "en"] | None, Query()]


# --- API -------------------------------------------------------------------------------------------------


@api.post("/reviews/{review_id}/share-links", response_model=ShareLinkCreated, status_code=201)
def create_link(
    session: SessionDep, settings: SettingsDep, access: WriterDep, data: ShareLinkCreate
) -> ShareLinkCreated:
    """A read-only link for teams with an expiry; the URL holds the token and is shown only now."""
    link, url = service.create_link(
        session=session, review_id=access.review_id, user=access.viewer.user, data=data, base_url=settings.base_url
    )
    return ShareLinkCreated(id=link.id or 0, url=url, expires_at=link.expires_at)


@api.get("/reviews/{review_id}/share-links", response_model=list[ShareLinkOut])
def list_links(session: SessionDep, access: MemberDep) -> list[ShareLinkOut]:
    """The review's share links with their views (without URLs: only the tokens' hashes are stored)."""
    return [service.link_out(link) for link in service.list_links(session=session, review_id=access.review_id)]


@api.delete("/reviews/{review_id}/share-links/{link_id}", status_code=204)
def revoke_link(session: SessionDep, access: WriterDep, link_id: PathId) -> Response:
    """Revoke a link: it stops working at once."""
    service.revoke_link(session=session, review_id=access.review_id, link_id=link_id, user=access.viewer.user)
    return Response(status_code=204)


# --- The read-only view ----------------------------------------------------------------------------------


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
    return LateFile(lambda: reports.report_pdf(report), media_type="application/pdf", filename=name)
