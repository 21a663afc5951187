"""Use cases of share links: create (only the token's hash is kept), list, revoke, and resolve a token for the
read-only view, counting and logging every view."""

from sqlmodel import Session, col, select

from app import audit
from app.audit import Actor
from app.auth.models import User
from app.db import of_review
from app.db.base import from_row, utcnow
from app.errors import NotFound
from app.i18n import _
from app.security import new_token, token_hash
from app.sharing.models import ShareLink
from app.sharing.schemas import ShareLinkCreate, ShareLinkOut

TOKEN_MAX = 100


def link_out(link: ShareLink) -> ShareLinkOut:
    """A share link as the API and the page list it."""
    return from_row(ShareLinkOut, link, active=link.revoked_at is None and link.expires_at > utcnow())


def create_link(
    *, session: Session, review_id: int, user: User, data: ShareLinkCreate, base_url: str
) -> tuple[ShareLink, str]:
    """A new link with a random 256-bit token; answers the link and its URL (the token is not stored)."""
    token = new_token()
    link = ShareLink(
        review_id=review_id,
        token_hash=token_hash(token),
        label=data.label,
        created_by=user.id,
        expires_at=data.expires_at,  # type: ignore[arg-type]  # the validator made it a datetime
    )
    audit.record_added(session, link, actor=Actor.of(user), action="share.create", review_id=review_id, kind="share")
    return link, f"{base_url.rstrip('/')}/s/{token}"


def list_links(*, session: Session, review_id: int) -> list[ShareLink]:
    """The review's share links, newest first."""
    return list(
        session.exec(select(ShareLink).where(ShareLink.review_id == review_id).order_by(col(ShareLink.id).desc()))
    )


def revoke_link(*, session: Session, review_id: int, link_id: int, user: User) -> ShareLink:
    """Revoke a link at once (revoking twice changes nothing)."""
    link = of_review(session, ShareLink, link_id, review_id, missing=_("This share link does not exist."))
    if link.revoked_at is None:
        link.revoked_at = utcnow()
        session.add(link)
        audit.record(
            session, actor=Actor.of(user), action="share.revoke", review_id=review_id, target=f"share:{link.id}"
        )
    return link


def resolve(*, session: Session, token: str) -> ShareLink:
    """The link a token opens; 404 for an unknown, expired or revoked one (they look the same)."""
    link = (
        session.exec(select(ShareLink).where(ShareLink.token_hash == token_hash(token))).first()
        if 20 <= len(token) <= TOKEN_MAX
        else None
    )
    if link is None or link.revoked_at is not None or link.expires_at <= utcnow():
        raise NotFound(_("This link is no longer valid. Ask the researchers for a new one."))
    return link


def record_view(*, session: Session, link: ShareLink, what: str) -> None:
    """Count the view and log it (``share.view``; which page, never case text)."""
    link.views += 1
    link.last_viewed_at = utcnow()
    session.add(link)
    audit.record(
        session,
        actor=audit.Actor.share_link(link.id),
        action="share.view",
        review_id=link.review_id,
        target=f"share:{link.id}",
        detail=what,
    )
