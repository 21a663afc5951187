"""Use cases of the file study (dossieronderzoek): documents, their attached files, and findings that
confirm, correct or add life-line events.

Files live under ``settings.upload_dir / f"review-{id}"`` with random names; they are written before the
transaction commits and removed again when it rolls back, and a replaced or deleted file is removed only
once the change is committed. Erasing a review removes its folder (``app.reviews.service.erase_review``).
"""

import os
import secrets
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import event as sa_event
from sqlmodel import Session, col, func, select

from app import audit
from app.audit import Actor
from app.auth.models import User
from app.auth.service import user_names
from app.config import Settings
from app.db import apply_changes, of_review
from app.db.base import from_row, utcnow
from app.documents._files import Received, download_name
from app.documents.models import Document, DocumentFinding, FindingKind
from app.documents.schemas import DocumentCreate, DocumentOut, DocumentUpdate, FileOut, FindingCreate, FindingOut
from app.errors import NotFound
from app.i18n import N_, _, ngettext
from app.labels import LABELS
from app.reviews.service import register_step_hint
from app.timeline import service as timeline
from app.timeline.models import EventStatus, LifelineEvent
from app.timeline.schemas import MAX_REASON, EventCreate, EventUpdate, Source, SourceKind

LABELS["document_kind"] = {
    "treatment_plan": N_("Treatment plan"),
    "meeting_report": N_("Report of a collaboration meeting"),
    "other": N_("Other document"),
}
LABELS["finding_kind"] = {"confirm": N_("Confirms"), "correct": N_("Corrects"), "add": N_("Adds")}


def review_folder(settings: Settings, review_id: int) -> Path:
    """Where the files of one review are stored."""
    return settings.upload_dir / f"review-{review_id}"


def _when_settled(session: Session, *, committed: Callable[[], None], rolled_back: Callable[[], None]) -> None:
    """Run ``committed`` after the session's transaction commits, or ``rolled_back`` if it rolls back."""
    settled = False

    def on_commit(_session: Session) -> None:
        nonlocal settled
        if not settled:
            settled = True
            committed()

    def on_rollback(_session: Session) -> None:
        nonlocal settled
        if not settled:
            settled = True
            rolled_back()

    sa_event.listen(session, "after_commit", on_commit)
    sa_event.listen(session, "after_rollback", on_rollback)


def _nothing() -> None:
    return None


def get_document(*, session: Session, review_id: int, document_id: int) -> Document:
    """One document of this review; 404 for another review's document."""
    return of_review(session, Document, document_id, review_id, missing=_("This document does not exist."))


def document_label(document: Document) -> str:
    """How the document is named as a source: its title and date."""
    text = document.title
    if document.dated:
        text += f", {document.dated.strftime('%d-%m-%Y')}"
    return text[:200]


def document_source(document: Document) -> Source:
    """This document as the source of a life-line event."""
    return Source(kind=SourceKind.document, ref_id=document.id, label=document_label(document))


def _findings(session: Session, document_ids: list[int]) -> dict[int, list[FindingOut]]:
    if not document_ids:
        return {}
    rows = session.exec(
        select(DocumentFinding, LifelineEvent)
        .join(LifelineEvent, col(LifelineEvent.id) == col(DocumentFinding.event_id))
        .where(col(DocumentFinding.document_id).in_(document_ids))
        .order_by(col(DocumentFinding.id))
    ).all()
    names = user_names(session=session, user_ids=(f.created_by for f, _e in rows))
    snapshots = timeline.history
    out: dict[int, list[FindingOut]] = {}
    for finding, event in rows:
        when = event.when_text
        if finding.event_version != event.version:
            versions = snapshots(session=session, review_id=event.review_id, event_id=event.id or 0)
            then = next((v for v in versions if v.version == finding.event_version), None)
            when = then.when if then else when
        out.setdefault(finding.document_id, []).append(
            FindingOut(
                id=finding.id or 0,
                document_id=finding.document_id,
                kind=finding.kind,
                event_id=event.id or 0,
                event_version=finding.event_version,
                event_title=event.title,
                event_when=when,
                event_current_version=event.version,
                note=finding.note,
                created_by=names.get(finding.created_by or 0),
                created_at=finding.created_at,
            )
        )
    return out


def _out(document: Document, findings: list[FindingOut]) -> DocumentOut:
    file = None
    if document.stored_name:
        file = FileOut(
            name=download_name(document.file_name, document.file_type),
            type=document.file_type,
            size=document.file_size,
            uploaded_at=document.uploaded_at,
            url=f"/api/v1/reviews/{document.review_id}/documents/{document.id}/file",
        )
    return from_row(DocumentOut, document, label=document_label(document), file=file, findings=findings)


def list_documents(*, session: Session, review_id: int) -> list[DocumentOut]:
    """The review's documents by date (undated last), with files and findings."""
    rows = session.exec(select(Document).where(Document.review_id == review_id)).all()
    rows = sorted(rows, key=lambda d: (d.dated is None, d.dated or utcnow().date(), d.id or 0))
    findings = _findings(session, [d.id or 0 for d in rows])
    return [_out(d, findings.get(d.id or 0, [])) for d in rows]


def document_out(*, session: Session, document: Document) -> DocumentOut:
    """One document as the API shows it."""
    return _out(document, _findings(session, [document.id or 0]).get(document.id or 0, []))


def create_document(*, session: Session, review_id: int, user: User, data: DocumentCreate) -> Document:
    """Record a document of the file study."""
    document = Document(review_id=review_id, created_by=user.id, **data.model_dump())
    return audit.record_added(
        session, document, actor=Actor.of(user), action="document.create", review_id=review_id, kind="document"
    )


def update_document(
    *, session: Session, review_id: int, document_id: int, actor: Actor, data: DocumentUpdate
) -> Document:
    """Change the given fields of a document."""
    document = get_document(session=session, review_id=review_id, document_id=document_id)
    changes = data.model_dump(exclude_unset=True)
    apply_changes(document, changes, clearable={"dated"})
    document.updated_at = utcnow()
    return audit.record_changed(
        session, document, actor=actor, action="document.update", review_id=review_id, kind="document", changes=changes
    )


def _remove_later(session: Session, path: Path | None) -> None:
    if path is not None:
        _when_settled(session, committed=lambda: path.unlink(missing_ok=True), rolled_back=_nothing)


def _stored_path(settings: Settings, document: Document) -> Path | None:
    return review_folder(settings, document.review_id) / document.stored_name if document.stored_name else None


def delete_document(*, session: Session, settings: Settings, review_id: int, document_id: int, actor: Actor) -> None:
    """Delete a document, its findings and its file; life-line events keep the document as a named source."""
    document = get_document(session=session, review_id=review_id, document_id=document_id)
    for finding in session.exec(select(DocumentFinding).where(DocumentFinding.document_id == document_id)):
        session.delete(finding)
    _remove_later(session, _stored_path(settings, document))
    session.delete(document)
    audit.record(session, actor=actor, action="document.delete", review_id=review_id, target=f"document:{document_id}")


def attach_file(
    *, session: Session, settings: Settings, review_id: int, document_id: int, actor: Actor, received: Received
) -> Document:
    """Attach a checked upload to a document (replacing an earlier file once this commits)."""
    document = get_document(session=session, review_id=review_id, document_id=document_id)
    folder = review_folder(settings, review_id)
    stored_name = secrets.token_hex(16)
    target = folder / stored_name
    os.replace(received.path, target)
    os.chmod(target, 0o600)
    old = _stored_path(settings, document)
    _when_settled(
        session,
        committed=lambda: old.unlink(missing_ok=True) if old else None,
        rolled_back=lambda: target.unlink(missing_ok=True),
    )
    document.file_name = received.name
    document.file_type = received.type
    document.file_size = received.size
    document.stored_name = stored_name
    document.uploaded_at = utcnow()
    document.updated_at = utcnow()
    session.add(document)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="document.file.attach",
        review_id=review_id,
        target=f"document:{document_id}",
        detail=f"{received.type}:{received.size}",
    )
    return document


def remove_file(*, session: Session, settings: Settings, review_id: int, document_id: int, actor: Actor) -> Document:
    """Remove the file attached to a document (the document itself stays)."""
    document = get_document(session=session, review_id=review_id, document_id=document_id)
    if not document.stored_name:
        raise NotFound(_("This document has no attached file."))
    _remove_later(session, _stored_path(settings, document))
    document.file_name, document.file_type, document.file_size, document.stored_name = "", "", 0, ""
    document.uploaded_at = None
    document.updated_at = utcnow()
    session.add(document)
    audit.record(
        session, actor=actor, action="document.file.remove", review_id=review_id, target=f"document:{document_id}"
    )
    return document


def file_for_download(
    *, session: Session, settings: Settings, review_id: int, document_id: int, actor: Actor
) -> tuple[Path, str, str]:
    """The stored file of a document, its download name and type; the download is logged."""
    document = get_document(session=session, review_id=review_id, document_id=document_id)
    path = _stored_path(settings, document)
    if path is None or not path.is_file():
        raise NotFound(_("This document has no attached file."))
    audit.record(
        session, actor=actor, action="document.file.download", review_id=review_id, target=f"document:{document_id}"
    )
    return path, download_name(document.file_name, document.file_type), document.file_type


# --- Findings --------------------------------------------------------------------------------------------


def record_finding(
    *,
    session: Session,
    review_id: int,
    document_id: int,
    event: LifelineEvent,
    kind: FindingKind,
    note: str = "",
    event_version: int | None = None,
    created_by: int | None = None,
) -> DocumentFinding:
    """Record that a document confirms, corrects or adds an event at a version, without changing the event."""
    finding = DocumentFinding(
        review_id=review_id,
        document_id=document_id,
        event_id=event.id or 0,
        event_version=event_version or event.version,
        kind=kind,
        note=note,
        created_by=created_by,
    )
    session.add(finding)
    session.flush()
    return finding


def _has_source(event: LifelineEvent, source: Source) -> bool:
    return any(s.get("kind") == source.kind and s.get("ref_id") == source.ref_id for s in event.sources)


def _reason(note: str, default: str) -> str:
    """The reason of the event's new version: the finding's note (its start: the finding keeps it whole)."""
    return (note or default)[:MAX_REASON].strip()


def add_finding(
    *, session: Session, review_id: int, document_id: int, user: User, data: FindingCreate
) -> DocumentFinding:
    """Let a document confirm, correct (a new version; the old stays in the history) or add a life-line event."""
    document = get_document(session=session, review_id=review_id, document_id=document_id)
    source = document_source(document)
    actor = Actor.of(user)
    if data.kind == FindingKind.add:
        assert data.event is not None
        event = timeline.create_event(
            session=session,
            review_id=review_id,
            actor=actor,
            data=EventCreate(**data.event.model_dump(), sources=[source]),
            reason=_reason(data.note, _("Added from %(document)s", document=source.label)),
        )
    else:
        current = timeline.get_event(session=session, review_id=review_id, event_id=data.event_id or 0)
        if data.kind == FindingKind.confirm:
            change = EventUpdate(
                version=current.version,
                status=EventStatus.confirmed,
                reason=_reason(data.note, _("Confirmed by %(document)s", document=source.label)),
            )
        else:
            assert data.changes is not None and data.version is not None
            change = EventUpdate(
                version=data.version,
                reason=_reason(data.note, _("Corrected after %(document)s", document=source.label)),
                **data.changes.model_dump(exclude_none=True),
            )
        cited = _has_source(current, source)
        if data.kind == FindingKind.confirm and current.status == EventStatus.confirmed and cited:
            event = current  # confirmed by this document already: nothing changes
        else:
            event = timeline.update_event(
                session=session,
                review_id=review_id,
                event_id=current.id or 0,
                actor=actor,
                data=change,
                add_source=None if cited else source,
            )
    finding = record_finding(
        session=session,
        review_id=review_id,
        document_id=document_id,
        event=event,
        kind=data.kind,
        note=data.note,
        created_by=user.id,
    )
    audit.record(
        session,
        actor=Actor.of(user),
        action="document.finding",
        review_id=review_id,
        target=f"document:{document_id}",
        detail=f"{data.kind}:event:{event.id}",
    )
    return finding


def finding_out(*, session: Session, finding: DocumentFinding) -> FindingOut:
    """One finding as the API shows it."""
    return next(f for f in _findings(session, [finding.document_id])[finding.document_id] if f.id == finding.id)


@register_step_hint("file_study_done")
def file_study_hint(session: Session, review_id: int) -> str:
    """ "2 documents studied", with the number of findings on the life-line."""
    documents = session.exec(select(func.count()).select_from(Document).where(Document.review_id == review_id)).one()
    findings = session.exec(
        select(func.count()).select_from(DocumentFinding).where(DocumentFinding.review_id == review_id)
    ).one()
    text = ngettext("%(num)s document studied", "%(num)s documents studied", documents)
    if findings:
        text += " · " + ngettext("%(num)s finding on the life-line", "%(num)s findings on the life-line", findings)
    return text


timeline.register_source_model(SourceKind.document, Document)  # life-line sources may point at these
