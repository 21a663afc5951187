"""The report & sharing page (preview, downloads, exports, share links), its share-link forms and the import form."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from app.db import SessionDep
from app.deps import (
    MemberDep,
    PathId,
    ReviewAccess,
    SettingsDep,
    ViewerDep,
    WriterDep,
)
from app.participants import service as participants
from app.reports import imports, router, service
from app.reports.router import checked_upload, report_for
from app.sharing import service as sharing
from app.sharing.schemas import ShareLinkCreate
from app.validation import Submitted, parse_form
from app.web import render_review, see_other

pages = APIRouter(include_in_schema=False)


def report_page(
    request: Request, session: SessionDep, access: ReviewAccess, *, status_code: int = 200, **extra: Any
) -> Response:
    """The report & sharing page: the preview, the downloads, the exports and the share links."""
    lang = request.query_params.get("lang")
    report = report_for(session, access, lang if lang in ("nl", "en") else None)
    context: dict[str, Any] = {
        "report_html": service.report_body(report),
        "report_lang": report.lang,
        "links": [sharing.link_out(li) for li in sharing.list_links(session=session, review_id=access.review_id)],
        "people": participants.list_participants(session=session, review_id=access.review_id),
        "new_link": None,
        "import_limits": (imports.MAX_IMPORT_BYTES // 2**20, imports.MAX_IMPORT_ROWS),
    }
    return render_review(
        request, access, "reports/report.html", context, active="report", extra=extra, status_code=status_code
    )


@pages.get("/reviews/{review_id}/report")
def report_preview(request: Request, session: SessionDep, access: MemberDep) -> Response:
    """The report as it will be printed, with the downloads, exports and share links beside it."""
    return report_page(request, session, access)


# The share-link forms of the report & sharing page (the links' API is in app.sharing.router).


@pages.post("/reviews/{review_id}/share-links")
def create_link_page(
    request: Request, form: Submitted, session: SessionDep, settings: SettingsDep, access: WriterDep
) -> Response:
    """Create a link from the form and show its URL once."""
    values = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
    data, errors = parse_form(ShareLinkCreate, values)
    if data is None:
        return report_page(request, session, access, errors=errors, values=values, status_code=422)
    link, url = sharing.create_link(
        session=session, review_id=access.review_id, user=access.viewer.user, data=data, base_url=settings.base_url
    )
    return report_page(request, session, access, new_link={"id": link.id, "url": url})


@pages.post("/reviews/{review_id}/share-links/{link_id}/revoke")
def revoke_link_page(session: SessionDep, access: WriterDep, link_id: PathId) -> Response:
    """Revoke a link from the page."""
    sharing.revoke_link(session=session, review_id=access.review_id, link_id=link_id, user=access.viewer.user)
    return see_other(f"/reviews/{access.review_id}/report#share-links")


@pages.post("/reviews/import")
def import_page(
    export: Annotated[imports.CheckedExport, Depends(checked_upload)],
    session: SessionDep,
    settings: SettingsDep,
    viewer: ViewerDep,
) -> Response:
    """Restore a JSON export (an uploaded file) as a new review, then open it."""
    return see_other(router.import_json(export, session, settings, viewer).url)
