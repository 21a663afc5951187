"""The file study's JSON API: documents, their attached files and findings."""

from functools import partial

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from app.db import SessionDep
from app.deps import MemberDep, PathId, ReviewAccess, SettingsDep, WriterDep
from app.documents import _files, service
from app.documents.schemas import DocumentCreate, DocumentOut, DocumentUpdate, FindingCreate, FindingOut
from app.downloads import close_form
from app.errors import InvalidInput
from app.i18n import _

api = APIRouter(tags=["file study"], dependencies=[Depends(close_form)])

MULTIPART_OVERHEAD = 64 * 1024


async def receive_upload(
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


def attach_received(
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
    review_id = access.review_id
    await run_in_threadpool(
        partial(service.get_document, session=session, review_id=review_id, document_id=document_id)
    )
    received = await receive_upload(request, settings, review_id, required=True)
    assert received is not None

    def store() -> DocumentOut:  # the database work in a thread, not on the event loop
        attach_received(session, settings, access, document_id, received)
        document = service.get_document(session=session, review_id=review_id, document_id=document_id)
        return service.document_out(session=session, document=document)

    return await run_in_threadpool(store)


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
