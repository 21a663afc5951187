"""The JSON API of share links: creating, listing and revoking them (members; the forms on the report page are in
``app.reports.pages``)."""

from fastapi import APIRouter, Response

from app.db import SessionDep
from app.deps import MemberDep, PathId, SettingsDep, WriterDep
from app.sharing import service
from app.sharing.schemas import ShareLinkCreate, ShareLinkCreated, ShareLinkOut

api = APIRouter(tags=["sharing"])


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
