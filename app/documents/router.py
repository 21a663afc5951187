"""HTTP routes of the file study: the API (documents, attached files, findings) and the pages."""

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import FileResponse, RedirectResponse
from starlette.datastructures import UploadFile

import lifeline
from app.db import SessionDep
from app.deps import MemberDep, PathId, ReviewAccess, SettingsDep, WriterDep
from app.documents import _files, service
from app.documents.models import DocumentKind, FindingKind
from app.documents.schemas import DocumentCreate, DocumentOut, DocumentUpdate, FindingCreate, FindingOut
from app.downloads import close_form
from app.errors import DomainError, InvalidInput
from app.i18n import _, current_language
from app.templating import render
from app.timeline import service as timeline
from app.timeline.models import EventStatus
from app.validation import form_values, parse_form

api = APIRouter(tags=["file study"], dependencies=[Depends(close_form)])
pages = APIRouter(include_in_schema=False, dependencies=[Depends(close_form)])

LANES = ("family", "care", "safety", "school")
MULTIPART_OVERHEAD = 64 * 1024


async def _receive(
    request: Request, settings: SettingsDep, review_id: int, *, required: bool
) -> _files.Received | None:
    """The uploaded ``file`` field, checked and waiting in a temporary file; None when none was chosen."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > _files.MAX_BYTES + MULTIPART_OVERHEAD:
        raise _files.too_large()
    form = await request.form(max_files=1, max_fields=20)
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or (not upload.filename and not required):
            if required:
                raise InvalidInput(_("Choose a file to attach."))
            return None
        folder = service.review_folder(settings, review_id)
        return await _files.receive(upload, name=upload.filename or "", folder=folder)
    finally:
        await form.close()


def _attach(
    session: SessionDep, settings: SettingsDep, access: ReviewAccess, document_id: int, received: _files.Received
) -> None:
    try:
        service.attach_file(
            session=session,
            settings=settings,
            review_id=access.review_id,
            document_id=document_id,
            actor=access.viewer.actor,
            received=received,
        )
    finally:
        received.path.unlink(missing_ok=True)


# --- API -------------------------------------------------------------------------------------------------


@api.get("/reviews/{review_id}/documents", response_model=list[DocumentOut])
def list_documents(session: SessionDep, access: MemberDep) -> list[DocumentOut]:
    """The documents of the file study with their files and findings."""
    return service.list_documents(session=session, review_id=access.review_id)


@api.post("/reviews/{review_id}/documents", response_model=DocumentOut, status_code=201)
def create_document(session: SessionDep, access: WriterDep, data: DocumentCreate) -> DocumentOut:
    """Record a document: title, kind (treatment_plan, meeting_report, other), date."""
    document = service.create_document(session=session, review_id=access.review_id, user=access.viewer.user, data=data)
    return service.document_out(session=session, document=document)


@api.get("/reviews/{review_id}/documents/{document_id}", response_model=DocumentOut)
def read_document(session: SessionDep, access: MemberDep, document_id: PathId) -> DocumentOut:
    """One document."""
    document = service.get_document(session=session, review_id=access.review_id, document_id=document_id)
    return service.document_out(session=session, document=document)


@api.patch("/reviews/{review_id}/documents/{document_id}", response_model=DocumentOut)
def update_document(session: SessionDep, access: WriterDep, document_id: PathId, data: DocumentUpdate) -> DocumentOut:
    """Change fields of a document."""
    document = service.update_document(
        session=session, review_id=access.review_id, document_id=document_id, actor=access.viewer.actor, data=data
    )
    return service.document_out(session=session, document=document)


@api.delete("/reviews/{review_id}/documents/{document_id}", status_code=204)
def delete_document(session: SessionDep, settings: SettingsDep, access: WriterDep, document_id: PathId) -> Response:
    """Delete a document with its file and findings (life-line events keep their versions)."""
    service.delete_document(
        session=session,
        settings=settings,
        review_id=access.review_id,
        document_id=document_id,
        actor=access.viewer.actor,
    )
    return Response(status_code=204)


@api.put("/reviews/{review_id}/documents/{document_id}/file", response_model=DocumentOut)
async def upload_file(
    request: Request, session: SessionDep, settings: SettingsDep, access: WriterDep, document_id: PathId
) -> DocumentOut:
    """Attach a file (multipart field ``file``): PDF, DOCX, ODT, PNG or JPEG by content, at most 20 MB."""
    service.get_document(session=session, review_id=access.review_id, document_id=document_id)
    received = await _receive(request, settings, access.review_id, required=True)
    assert received is not None
    _attach(session, settings, access, document_id, received)
    document = service.get_document(session=session, review_id=access.review_id, document_id=document_id)
    return service.document_out(session=session, document=document)


@api.get("/reviews/{review_id}/documents/{document_id}/file")
def download_file(session: SessionDep, settings: SettingsDep, access: MemberDep, document_id: PathId) -> Response:
    """Download the attached file (always as an attachment, never shown inline)."""
    path, name, kind = service.file_for_download(
        session=session,
        settings=settings,
        review_id=access.review_id,
        document_id=document_id,
        actor=access.viewer.actor,
    )
    return FileResponse(
        path,
        media_type=_files.MEDIA_TYPES[kind],
        filename=name,
        content_disposition_type="attachment",
        headers={"x-content-type-options": "nosniff", "cache-control": "no-store"},
    )


@api.delete("/reviews/{review_id}/documents/{document_id}/file", response_model=DocumentOut)
def remove_file(session: SessionDep, settings: SettingsDep, access: WriterDep, document_id: PathId) -> DocumentOut:
    """Remove the attached file; the document stays."""
    document = service.remove_file(
        session=session,
        settings=settings,
        review_id=access.review_id,
        document_id=document_id,
        actor=access.viewer.actor,
    )
    return service.document_out(session=session, document=document)


@api.post("/reviews/{review_id}/documents/{document_id}/findings", response_model=FindingOut, status_code=201)
def add_finding(session: SessionDep, access: WriterDep, document_id: PathId, data: FindingCreate) -> FindingOut:
    """Let the document confirm, correct or add a life-line event (as a new version of the event)."""
    finding = service.add_finding(
        session=session, review_id=access.review_id, document_id=document_id, user=access.viewer.user, data=data
    )
    return service.finding_out(session=session, finding=finding)


# --- Pages -----------------------------------------------------------------------------------------------


def _list_page(request: Request, session: SessionDep, access: ReviewAccess, **extra: Any) -> Response:
    context = {
        "review": access.review,
        "access": access,
        "active": "documents",
        "documents": service.list_documents(session=session, review_id=access.review_id),
        "kinds": list(DocumentKind),
        "hint": service.file_study_hint(session, access.review_id),
        "errors": {},
        "values": {},
    }
    context.update(extra)
    return render(request, "documents/list.html", context, status_code=422 if extra.get("errors") else 200)


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
            received = await _receive(request, settings, access.review_id, required=False)
            document = service.create_document(
                session=session, review_id=access.review_id, user=access.viewer.user, data=data
            )
            if received is not None:
                _attach(session, settings, access, document.id or 0, received)
            return RedirectResponse(f"/reviews/{access.review_id}/documents/{document.id}", status_code=303)
        except DomainError as exc:
            session.rollback()
            errors = {"file": exc.message}
    return _list_page(request, session, access, errors=errors, values=values)


def _document_page(
    request: Request, session: SessionDep, access: ReviewAccess, document_id: int, status: int = 200, **extra: Any
) -> Response:
    review_id = access.review_id
    document = service.get_document(session=session, review_id=review_id, document_id=document_id)
    context = {
        "review": access.review,
        "access": access,
        "active": "documents",
        "document": service.document_out(session=session, document=document),
        "events": [timeline.event_out(e) for e in timeline.list_events(session=session, review_id=review_id)],
        "kinds": list(DocumentKind),
        "finding_kinds": list(FindingKind),
        "statuses": list(EventStatus),
        "lanes": [(lane, lifeline.lane_label(lane, current_language())) for lane in LANES],
        "max_mb": _files.MAX_BYTES // (1024 * 1024),
        "errors": {},
        "values": {},
    }
    context.update(extra)
    return render(request, "documents/document.html", context, status_code=status)


@pages.get("/reviews/{review_id}/documents/{document_id}")
def document_page(request: Request, session: SessionDep, access: MemberDep, document_id: PathId) -> Response:
    """One document: its details, its file, and its findings on the life-line."""
    return _document_page(request, session, access, document_id)


@pages.post("/reviews/{review_id}/documents/{document_id}")
async def update_document_page(
    request: Request, session: SessionDep, access: WriterDep, document_id: PathId
) -> Response:
    """Save a document's details from the form."""
    values = await form_values(request)
    data, errors = parse_form(DocumentUpdate, _document_fields(values))
    if data is not None:
        service.update_document(
            session=session,
            review_id=access.review_id,
            document_id=document_id,
            actor=access.viewer.actor,
            data=data,
        )
        return RedirectResponse(f"/reviews/{access.review_id}/documents/{document_id}", status_code=303)
    return _document_page(request, session, access, document_id, errors=errors, values=values, status=422)


@pages.post("/reviews/{review_id}/documents/{document_id}/file")
async def upload_file_page(
    request: Request, session: SessionDep, settings: SettingsDep, access: WriterDep, document_id: PathId
) -> Response:
    """Attach or replace the document's file from the form."""
    service.get_document(session=session, review_id=access.review_id, document_id=document_id)
    try:
        received = await _receive(request, settings, access.review_id, required=True)
        assert received is not None
        _attach(session, settings, access, document_id, received)
    except DomainError as exc:
        return _document_page(request, session, access, document_id, errors={"file": exc.message}, status=422)
    return RedirectResponse(f"/reviews/{access.review_id}/documents/{document_id}#file", status_code=303)


@pages.post("/reviews/{review_id}/documents/{document_id}/file/delete")
def remove_file_page(session: SessionDep, settings: SettingsDep, access: WriterDep, document_id: PathId) -> Response:
    """Remove the document's file."""
    service.remove_file(
        session=session,
        settings=settings,
        review_id=access.review_id,
        document_id=document_id,
        actor=access.viewer.actor,
    )
    return RedirectResponse(f"/reviews/{access.review_id}/documents/{document_id}#file", status_code=303)


@pages.post("/reviews/{review_id}/documents/{document_id}/delete")
def delete_document_page(
    session: SessionDep, settings: SettingsDep, access: WriterDep, document_id: PathId
) -> Response:
    """Delete a document."""
    service.delete_document(
        session=session,
        settings=settings,
        review_id=access.review_id,
        document_id=document_id,
        actor=access.viewer.actor,
    )
    return RedirectResponse(f"/reviews/{access.review_id}/documents", status_code=303)


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
async def add_finding_page(request: Request, session: SessionDep, access: WriterDep, document_id: PathId) -> Response:
    """Record a finding from one of the three forms (confirm, correct, add)."""
    values = await form_values(request)
    data, errors = parse_form(FindingCreate, _finding_fields(values))
    kind = values.get("kind", "")
    status = 422
    if data is not None:
        try:
            service.add_finding(
                session=session,
                review_id=access.review_id,
                document_id=document_id,
                user=access.viewer.user,
                data=data,
            )
            return RedirectResponse(f"/reviews/{access.review_id}/documents/{document_id}#findings", status_code=303)
        except DomainError as exc:
            session.rollback()  # a refused finding leaves the life-line untouched
            errors, status = {"form": exc.message}, exc.status_code
    message = "; ".join(errors.values())
    return _document_page(
        request, session, access, document_id, errors={f"finding_{kind}": message}, values=values, status=status
    )
