"""The file study's pages: the documents and one document with its file and findings."""

from functools import partial
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from starlette.concurrency import run_in_threadpool

import lifeline
from app.db import SessionDep
from app.deps import MemberDep, PathId, ReviewAccess, SettingsDep, WriterDep
from app.documents import _files, router, service
from app.documents.models import DocumentKind, FindingKind
from app.documents.router import attach_received, receive_upload
from app.documents.schemas import DocumentCreate, DocumentUpdate, FindingCreate
from app.downloads import close_form
from app.errors import DomainError
from app.i18n import current_language
from app.timeline import service as timeline
from app.timeline.models import EventStatus
from app.validation import Submitted, parse_form, text_fields
from app.web import render_review, see_other, submit

pages = APIRouter(include_in_schema=False, dependencies=[Depends(close_form)])


def _list_page(request: Request, session: SessionDep, access: ReviewAccess, **extra: Any) -> Response:
    context = {
        "documents": service.list_documents(session=session, review_id=access.review_id),
        "kinds": list(DocumentKind),
        "hint": service.file_study_hint(session, access.review_id),
    }
    return render_review(request, access, "documents/list.html", context, active="documents", extra=extra)


@pages.get("/reviews/{review_id}/documents")
def documents_page(request: Request, session: SessionDep, access: MemberDep) -> Response:
    """The file study: every document read, with its file and what it says about the life-line."""
    return _list_page(request, session, access)


def _document_fields(values: dict[str, Any]) -> dict[str, Any]:
    fields = {k: v for k, v in values.items() if k in {"title", "kind", "dated", "author_organisation", "notes"}}
    fields["dated"] = fields.get("dated") or None
    return fields


@pages.post("/reviews/{review_id}/documents")
async def create_document_page(
    request: Request, session: SessionDep, settings: SettingsDep, access: WriterDep
) -> Response:
    """Record a document from the form, with its file if one was chosen."""
    form = await request.form(max_files=1, max_fields=20)
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    data, errors = parse_form(DocumentCreate, _document_fields(values))
    if data is not None:
        try:
            received = await receive_upload(request, settings, access.review_id, required=False)

            def store(data: DocumentCreate = data) -> int:
                document = service.create_document(
                    session=session, review_id=access.review_id, user=access.viewer.user, data=data
                )
                if received is not None:
                    attach_received(session, settings, access, document.id or 0, received)
                return document.id or 0

            document_id = await run_in_threadpool(store)  # the database work in a thread, not on the event loop
            return see_other(f"/reviews/{access.review_id}/documents/{document_id}")
        except DomainError as exc:
            await run_in_threadpool(session.rollback)
            errors = {"file": exc.message}
    return await run_in_threadpool(partial(_list_page, request, session, access, errors=errors, values=values))


def _document_page(
    request: Request, session: SessionDep, access: ReviewAccess, document_id: int, status: int = 200, **extra: Any
) -> Response:
    review_id = access.review_id
    context = {
        "document": router.read_document(session, access, document_id),
        "events": [timeline.event_out(e) for e in timeline.list_events(session=session, review_id=review_id)],
        "kinds": list(DocumentKind),
        "finding_kinds": list(FindingKind),
        "statuses": list(EventStatus),
        "lanes": [(lane, lifeline.lane_label(lane, current_language())) for lane in lifeline.Lane.STANDARD],
        "max_mb": _files.MAX_BYTES // (1024 * 1024),
    }
    return render_review(
        request, access, "documents/document.html", context, active="documents", extra=extra, status_code=status
    )


@pages.get("/reviews/{review_id}/documents/{document_id}")
def document_page(request: Request, session: SessionDep, access: MemberDep, document_id: PathId) -> Response:
    """One document: its details, its file, and its findings on the life-line."""
    return _document_page(request, session, access, document_id)


@pages.post("/reviews/{review_id}/documents/{document_id}")
def update_document_page(
    request: Request, form: Submitted, session: SessionDep, access: WriterDep, document_id: PathId
) -> Response:
    """Save a document's details from the form."""
    values = text_fields(form)
    return submit(
        DocumentUpdate,
        _document_fields(values),
        lambda data: router.update_document(session, access, document_id, data),
        then=f"/reviews/{access.review_id}/documents/{document_id}",
        again=lambda errors: _document_page(
            request, session, access, document_id, errors=errors, values=values, status=422
        ),
        passes=(DomainError,),  # the details form has no place for a refusal: the error page says it (gone: 404)
    )


@pages.post("/reviews/{review_id}/documents/{document_id}/file")
async def upload_file_page(
    request: Request, session: SessionDep, settings: SettingsDep, access: WriterDep, document_id: PathId
) -> Response:
    """Attach or replace the document's file from the form."""
    try:
        await router.upload_file(request, session, settings, access, document_id)
    except DomainError as exc:
        page = partial(_document_page, request, session, access, document_id, errors={"file": exc.message}, status=422)
        return await run_in_threadpool(page)
    return see_other(f"/reviews/{access.review_id}/documents/{document_id}#file")


@pages.post("/reviews/{review_id}/documents/{document_id}/file/delete")
def remove_file_page(session: SessionDep, settings: SettingsDep, access: WriterDep, document_id: PathId) -> Response:
    """Remove the document's file."""
    router.remove_file(session, settings, access, document_id)
    return see_other(f"/reviews/{access.review_id}/documents/{document_id}#file")


@pages.post("/reviews/{review_id}/documents/{document_id}/delete")
def delete_document_page(
    session: SessionDep, settings: SettingsDep, access: WriterDep, document_id: PathId
) -> Response:
    """Delete a document."""
    router.delete_document(session, settings, access, document_id)
    return see_other(f"/reviews/{access.review_id}/documents")


def _finding_fields(values: dict[str, str]) -> dict[str, Any]:
    """The finding forms' fields in the API's shape: the event select carries "id@version"."""
    kind = values.get("kind", "")
    fields: dict[str, Any] = {"kind": kind, "note": values.get("note", "")}
    event_id, _sep, version = values.get("event", "").partition("@")
    if kind in (FindingKind.confirm, FindingKind.correct):
        fields["event_id"] = event_id or None
    if kind == FindingKind.correct:
        fields["version"] = version or None
        changes = {k: values[k].strip() for k in ("title", "when", "until") if values.get(k, "").strip()}
        fields["changes"] = changes or None
    if kind == FindingKind.add:
        fields["event"] = {
            "title": values.get("title", ""),
            "when": values.get("when", ""),
            "until": values.get("until") or None,
            "lane": values.get("lane") or "family",
            "description": values.get("description", ""),
        }
    return fields


@pages.post("/reviews/{review_id}/documents/{document_id}/findings")
def add_finding_page(
    request: Request, form: Submitted, session: SessionDep, access: WriterDep, document_id: PathId
) -> Response:
    """Record a finding from one of the three forms (confirm, correct, add)."""
    values = text_fields(form)
    data, errors = parse_form(FindingCreate, _finding_fields(values))
    kind = values.get("kind", "")
    status = 422
    if data is not None:
        try:
            router.add_finding(session, access, document_id, data)
            return see_other(f"/reviews/{access.review_id}/documents/{document_id}#findings")
        except DomainError as exc:
            session.rollback()  # a refused finding leaves the life-line untouched
            errors, status = {"form": exc.message}, exc.status_code
    message = "; ".join(errors.values())
    return _document_page(
        request, session, access, document_id, errors={f"finding_{kind}": message}, values=values, status=status
    )
