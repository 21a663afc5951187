"""The JSON API of the report (PDF, Word) and the exports (JSON backup and import, CSV, GDPR, REFI-QDA). Every file
that leaves the service is logged in the audit log as ``export``."""

import json
from collections.abc import Callable
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
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
from app.downloads import CsvSeparator, LateFile, download, log_export
from app.errors import InvalidInput, NotAuthenticated
from app.i18n import _, current_language
from app.participants import service as participants
from app.reports import exports, imports, service
from app.reports.schemas import ImportResult, Report
from lifeline.csvio import separator_for

api = APIRouter(tags=["reports and exports"])

Lang = Annotated[Literal["nl", "en"] | None, Query(description="The report's language (default: the request's)")]


def _slug(access: ReviewAccess) -> str:
    return f"leerreview-{access.review_id}"


def _csv_export(
    session: SessionDep, access: ReviewAccess, sep: str | None, table: Callable[..., str], name: str
) -> Response:
    """One of the review's tables as a CSV file ``name`` in the separator asked for (default: the language's)."""
    text = table(session=session, review_id=access.review_id, sep=separator_for(current_language(), sep))
    log_export(session, access, name)
    return download(text, f"{_slug(access)}-{name}")


def report_for(session: SessionDep, access: ReviewAccess, lang: str | None) -> Report:
    """The review's report in ``lang`` (default: the request's language)."""
    return service.build_report(session=session, review=access.review, lang=lang or current_language())


# --- API -------------------------------------------------------------------------------------------------


@api.get("/reviews/{review_id}/report.pdf", response_class=Response)
def report_pdf(session: SessionDep, access: MemberDep, lang: Lang = None) -> Response:
    """The report as PDF (A4, page numbers): only pseudonyms, only consented quotes."""
    report = report_for(session, access, lang)
    log_export(session, access, f"report.pdf:{report.lang}")
    return LateFile(lambda: service.report_pdf(report), filename=f"{_slug(access)}-report-{report.lang}.pdf")


@api.get("/reviews/{review_id}/report.docx", response_class=Response)
def report_docx(session: SessionDep, access: MemberDep, lang: Lang = None) -> Response:
    """The report as a Word document: a table of contents, the life-line and findings tree as pictures, tables
    and lists; in the report's language, with its title and author in the document properties."""
    report = report_for(session, access, lang)
    log_export(session, access, f"report.docx:{report.lang}")
    author = access.viewer.user.name or access.viewer.user.email
    name = f"{_slug(access)}-report-{report.lang}.docx"
    return LateFile(lambda: service.report_docx(report, author=author), filename=name)


@api.get("/reviews/{review_id}/export.json")
def export_json(session: SessionDep, access: WriterDep) -> Response:
    """The complete review as JSON with a format version (what is left out is listed in ``excluded``)."""
    data = exports.export_review(session=session, review=access.review)
    log_export(session, access, "export.json")
    return download(json.dumps(data, ensure_ascii=False, indent=1), f"{_slug(access)}.json")


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
    return _csv_export(session, access, sep, exports.factors_csv, "factors.csv")


@api.get("/reviews/{review_id}/stickers.csv", response_class=Response)
def stickers_csv(session: SessionDep, access: MemberDep, sep: CsvSeparator = None) -> Response:
    """Every sticker; in anonymous rounds without who placed it (formula-safe CSV, ``;`` for Dutch Excel)."""
    return _csv_export(session, access, sep, exports.stickers_csv, "stickers.csv")


@api.get("/reviews/{review_id}/participants/{participant_id}/export.json")
def participant_export(session: SessionDep, access: WriterDep, participant_id: PathId) -> Response:
    """Everything stored about one participant (GDPR access request)."""
    review_id = access.review_id
    participant = participants.get_participant(session=session, review_id=review_id, participant_id=participant_id)
    data = exports.participant_export(session=session, review=access.review, participant=participant)
    log_export(session, access, f"participant.json:{participant_id}")
    return download(
        json.dumps(data, ensure_ascii=False, indent=1), f"{_slug(access)}-participant-{participant_id}.json"
    )


@api.get("/reviews/{review_id}/export.qdpx", response_class=Response)
def export_qdpx(session: SessionDep, settings: SettingsDep, access: WriterDep) -> Response:
    """A REFI-QDA project for qualitative-analysis tools (ATLAS.ti, NVivo, QualCoder): the notes, the group
    interview, the life-line and the documents as sources; the findings tree, themes and factors as codes,
    with a coding for every evidence link, quote and candidate-factor passage."""
    make = exports.qdpx_maker(session=session, settings=settings, review=access.review, user=access.viewer.user)
    log_export(session, access, "export.qdpx")
    return LateFile(make, filename=f"{_slug(access)}.qdpx")
