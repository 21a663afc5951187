"""HTTP routes of the report (preview page, PDF, Word) and the exports (JSON backup and import, CSV, GDPR,
REFI-QDA). Every file that leaves the service is logged in the audit log as ``export``."""

import json
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from app.config import Settings
from app.db import SessionDep, run_transaction
from app.deps import (
    MemberDep,
    PathId,
    ReviewAccess,
    SettingsDep,
    ViewerDep,
    WriterDep,
    bearer_token,
    resolve_viewer,
    session_cookie_name,
)
from app.downloads import CsvSeparator, LateFile, attachment, log_export
from app.errors import InvalidInput, NotAuthenticated
from app.i18n import _, current_language
from app.participants import service as participants
from app.reports import exports, imports, service
from app.reports.schemas import ImportResult, Report
from app.sharing import service as sharing
from app.sharing.schemas import ShareLinkCreate
from app.templating import render
from app.validation import parse_form
from lifeline.csvio import separator_for

api = APIRouter(tags=["reports and exports"])
pages = APIRouter(include_in_schema=False)

Lang = Annotated[Literal["nl", "en"] | None, Query(description="The report's language (default: the request's)")]
FILE_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "qdpx": "application/zip",
}


def _file(content: bytes | str, name: str) -> Response:
    kind = name.rsplit(".", 1)[-1]
    return Response(content, media_type=FILE_TYPES[kind], headers=attachment(name))


def _late_file(make: Callable[[], bytes], name: str) -> LateFile:
    """A file made after the request's database work (PDF and Word take a second or more)."""
    return LateFile(make, media_type=FILE_TYPES[name.rsplit(".", 1)[-1]], filename=name)


def _slug(access: ReviewAccess) -> str:
    return f"leerreview-{access.review_id}"


def _report(session: SessionDep, access: ReviewAccess, lang: str | None) -> Report:
    return service.build_report(session=session, review=access.review, lang=lang or current_language())


# --- API -------------------------------------------------------------------------------------------------


@api.get("/reviews/{review_id}/report.pdf", response_class=Response)
def report_pdf(session: SessionDep, access: MemberDep, lang: Lang = None) -> Response:
    """The report as PDF (A4, page numbers): only pseudonyms, only consented quotes."""
    report = _report(session, access, lang)
    log_export(session, access, f"report.pdf:{report.lang}")
    return _late_file(lambda: service.report_pdf(report), f"{_slug(access)}-report-{report.lang}.pdf")


@api.get("/reviews/{review_id}/report.docx", response_class=Response)
def report_docx(session: SessionDep, access: MemberDep, lang: Lang = None) -> Response:
    """The report as a Word document: a table of contents, the life-line and findings tree as pictures, tables
    and lists; in the report's language, with its title and author in the document properties."""
    report = _report(session, access, lang)
    log_export(session, access, f"report.docx:{report.lang}")
    author = access.viewer.user.name or access.viewer.user.email
    return _late_file(lambda: service.report_docx(report, author=author), f"{_slug(access)}-report-{report.lang}.docx")


@api.get("/reviews/{review_id}/export.json")
def export_json(session: SessionDep, access: WriterDep) -> Response:
    """The complete review as JSON with a format version (what is left out is listed in ``excluded``)."""
    data = exports.export_review(session=session, review=access.review)
    log_export(session, access, "export.json")
    return _file(json.dumps(data, ensure_ascii=False, indent=1), f"{_slug(access)}.json")


async def _importer_email(request: Request, settings: Settings) -> str:
    """Who imports, looked up in a short database turn of its own: a stranger's file is never read."""
    bearer, cookie = bearer_token(request), request.cookies.get(session_cookie_name(settings))
    viewer = (
        await run_transaction(request.app, lambda session: resolve_viewer(session, settings, bearer, cookie))
        if bearer or cookie
        else None
    )
    if viewer is None:
        raise NotAuthenticated(_("Please log in."))
    return viewer.user.email


async def _read_capped(request: Request) -> bytes:
    """The request body, refused as soon as it passes ``MAX_IMPORT_BYTES`` (before it is parsed)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > imports.MAX_IMPORT_BYTES:
        raise InvalidInput(imports.too_large())
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > imports.MAX_IMPORT_BYTES:
            raise InvalidInput(imports.too_large())
        chunks.append(chunk)
    return b"".join(chunks)


async def _upload(request: Request) -> bytes:
    """The uploaded file of the import form, capped like the API's body."""
    upload = (await request.form()).get("file")
    if upload is None or isinstance(upload, str):
        raise InvalidInput(_("Choose a leerreview export (.json) to import."))
    raw = await upload.read(imports.MAX_IMPORT_BYTES + 1)
    if len(raw) > imports.MAX_IMPORT_BYTES:
        raise InvalidInput(imports.too_large())
    return raw


def _checked(raw: bytes, email: str) -> imports.CheckedExport:
    return imports.check_export(imports.read_export(raw), importer_email=email)


async def checked_body(request: Request, settings: SettingsDep) -> imports.CheckedExport:
    """The API's import body, read and checked before the request takes its database turn (in a thread)."""
    email = await _importer_email(request, settings)
    return await run_in_threadpool(_checked, await _read_capped(request), email)


async def checked_upload(request: Request, settings: SettingsDep) -> imports.CheckedExport:
    """The import form's file, read and checked before the request takes its database turn (in a thread)."""
    email = await _importer_email(request, settings)
    return await run_in_threadpool(_checked, await _upload(request), email)


@api.post(
    "/reviews/import",
    response_model=ImportResult,
    status_code=201,
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": f"A file made by GET …/export.json (at most {imports.MAX_IMPORT_BYTES // 2**20} MB, "
            f"{imports.MAX_IMPORT_ROWS} rows)",
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    },
)
def import_json(
    export: Annotated[imports.CheckedExport, Depends(checked_body)],
    session: SessionDep,
    settings: SettingsDep,
    viewer: ViewerDep,
) -> ImportResult:
    """Restore an export as a NEW review (new ids everywhere); the caller becomes its owner."""
    review, counts = imports.import_review(session=session, settings=settings, user=viewer.user, export=export)
    return ImportResult(id=review.id or 0, title=review.title, url=f"/reviews/{review.id}", rows=counts)


@api.get("/reviews/{review_id}/factors.csv", response_class=Response)
def factors_csv(session: SessionDep, access: MemberDep, sep: CsvSeparator = None) -> Response:
    """The factors with their stickers, in total and per round (formula-safe CSV, ``;`` for Dutch Excel)."""
    delimiter = separator_for(current_language(), sep)
    text = exports.factors_csv(session=session, review_id=access.review_id, sep=delimiter)
    log_export(session, access, "factors.csv")
    return _file(text, f"{_slug(access)}-factors.csv")


@api.get("/reviews/{review_id}/stickers.csv", response_class=Response)
def stickers_csv(session: SessionDep, access: MemberDep, sep: CsvSeparator = None) -> Response:
    """Every sticker; in anonymous rounds without who placed it (formula-safe CSV, ``;`` for Dutch Excel)."""
    delimiter = separator_for(current_language(), sep)
    text = exports.stickers_csv(session=session, review_id=access.review_id, sep=delimiter)
    log_export(session, access, "stickers.csv")
    return _file(text, f"{_slug(access)}-stickers.csv")


@api.get("/reviews/{review_id}/participants/{participant_id}/export.json")
def participant_export(session: SessionDep, access: WriterDep, participant_id: PathId) -> Response:
    """Everything stored about one participant (GDPR access request)."""
    review_id = access.review_id
    participant = participants.get_participant(session=session, review_id=review_id, participant_id=participant_id)
    data = exports.participant_export(session=session, review=access.review, participant=participant)
    log_export(session, access, f"participant.json:{participant_id}")
    return _file(json.dumps(data, ensure_ascii=False, indent=1), f"{_slug(access)}-participant-{participant_id}.json")


@api.get("/reviews/{review_id}/export.qdpx", response_class=Response)
def export_qdpx(session: SessionDep, settings: SettingsDep, access: WriterDep) -> Response:
    """A REFI-QDA project for qualitative-analysis tools (ATLAS.ti, NVivo, QualCoder): the notes, the group
    interview, the life-line and the documents as sources; the findings tree, themes and factors as codes,
    with a coding for every evidence link, quote and candidate-factor passage."""
    make = exports.qdpx_maker(session=session, settings=settings, review=access.review, user=access.viewer.user)
    log_export(session, access, "export.qdpx")
    return _late_file(make, f"{_slug(access)}.qdpx")


# --- Pages -----------------------------------------------------------------------------------------------


def report_page(
    request: Request, session: SessionDep, access: ReviewAccess, *, status_code: int = 200, **extra: Any
) -> Response:
    """The report & sharing page: the preview, the downloads, the exports and the share links."""
    lang = request.query_params.get("lang")
    report = _report(session, access, lang if lang in ("nl", "en") else None)
    context: dict[str, Any] = {
        "review": access.review,
        "access": access,
        "active": "report",
        "report_html": service.report_body(report),
        "report_lang": report.lang,
        "links": [sharing.link_out(li) for li in sharing.list_links(session=session, review_id=access.review_id)],
        "people": participants.list_participants(session=session, review_id=access.review_id),
        "new_link": None,
        "import_limits": (imports.MAX_IMPORT_BYTES // 2**20, imports.MAX_IMPORT_ROWS),
        "errors": {},
        "values": {},
    }
    context.update(extra)
    return render(request, "reports/report.html", context, status_code=status_code)


@pages.get("/reviews/{review_id}/report")
def report_preview(request: Request, session: SessionDep, access: MemberDep) -> Response:
    """The report as it will be printed, with the downloads, exports and share links beside it."""
    return report_page(request, session, access)


# The share-link forms of the report & sharing page (the links' API is in app.sharing.router).


@pages.post("/reviews/{review_id}/share-links")
async def create_link_page(request: Request, session: SessionDep, settings: SettingsDep, access: WriterDep) -> Response:
    """Create a link from the form and show its URL once."""
    values = {k: v for k, v in (await request.form()).items() if isinstance(v, str) and k != "csrf_token"}
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
    return RedirectResponse(f"/reviews/{access.review_id}/report#share-links", status_code=303)


@pages.post("/reviews/import")
def import_page(
    export: Annotated[imports.CheckedExport, Depends(checked_upload)],
    session: SessionDep,
    settings: SettingsDep,
    viewer: ViewerDep,
) -> Response:
    """Restore a JSON export (an uploaded file) as a new review, then open it."""
    review, _counts = imports.import_review(session=session, settings=settings, user=viewer.user, export=export)
    return RedirectResponse(f"/reviews/{review.id}", status_code=303)
