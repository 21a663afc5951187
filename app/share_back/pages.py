"""Pages of the share-back meeting: the facilitator's console, the shared screen, pass-the-tablet and the phone.

The pages draw themselves from the live stream (static/js/sb-*.js); preparing the meeting also works without
JavaScript (a plain form post).
"""

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from app.db import SessionDep
from app.deps import MemberDep, SettingsDep, WriterDep
from app.errors import DomainError, NotFound
from app.group_interview.deps import OptionalDeviceDep
from app.group_interview.models import RoomPurpose
from app.i18n import _
from app.share_back import service
from app.templating import render, script_data

pages = APIRouter(include_in_schema=False)


def _context(session: SessionDep, settings: SettingsDep, access: MemberDep) -> dict[str, Any]:
    review_id = access.review_id
    found = service.current(session=session, review_id=review_id)
    state = None
    if found is not None:
        state = service.member_state(session=session, settings=settings, meeting=found[0], room=found[1])
    return {
        "review": access.review,
        "access": access,
        "meeting": found[0] if found else None,
        "status": service.status_of(found[1]) if found else None,
        "state_json": script_data(state),
        "active": "share_back",
        "join_host": settings.base_url.split("://", 1)[-1].rstrip("/"),
    }


def _console(request: Request, context: dict[str, Any], status_code: int = 200) -> Response:
    context["can_prepare"] = context["access"].can_write and context["status"] in (None, "closed")
    return render(request, "share_back/console.html", context, status_code=status_code)


def _room_screen(request: Request, context: dict[str, Any], template: str) -> Response:
    """One of the meeting's screens (the shared screen, the tablet); 404 while the review has no meeting."""
    if context["meeting"] is None:
        raise NotFound(_("This review has no share-back meeting yet."))
    return render(request, template, context)


@pages.get("/reviews/{review_id}/share-back")
def console_page(session: SessionDep, settings: SettingsDep, access: MemberDep, request: Request) -> Response:
    """The facilitator's console: step through the findings, see the reactions come in, decide per finding."""
    return _console(request, _context(session, settings, access))


@pages.post("/reviews/{review_id}/share-back")
def prepare_page(session: SessionDep, settings: SettingsDep, access: WriterDep, request: Request) -> Response:
    """Prepare the share-back meeting from the console's button (works without JavaScript)."""
    try:
        service.create(session=session, settings=settings, review_id=access.review_id, user=access.viewer.user)
    except DomainError as exc:
        context = _context(session, settings, access)
        context["error"] = exc.message
        return _console(request, context, status_code=exc.status_code)
    return RedirectResponse(f"/reviews/{access.review_id}/share-back", status_code=303)


@pages.get("/reviews/{review_id}/share-back/screen")
def screen_page(session: SessionDep, settings: SettingsDep, access: MemberDep, request: Request) -> Response:
    """The shared screen for the projector: the finding now under discussion and the room's reactions, large."""
    return _room_screen(request, _context(session, settings, access), "share_back/screen.html")


@pages.get("/reviews/{review_id}/share-back/tablet")
def tablet_page(session: SessionDep, settings: SettingsDep, access: WriterDep, request: Request) -> Response:
    """Pass the tablet: one device, one person at a time reacts to the finding on the screen."""
    return _room_screen(request, _context(session, settings, access), "share_back/tablet.html")


@pages.get("/p/share-back")
def phone_page(request: Request, session: SessionDep, settings: SettingsDep, device: OptionalDeviceDep) -> Response:
    """A participant's phone in the share-back meeting: the finding on the screen and three buttons."""
    if device is None or device.interview.purpose != RoomPurpose.share_back:
        return RedirectResponse("/p" if device else "/join", status_code=303)
    snapshot = service.room_state(
        session=session, settings=settings, room=device.interview, participant_id=device.participant.id
    )
    response = render(
        request,
        "share_back/phone.html",
        {
            "me": device.participant,
            "state_json": script_data(snapshot),
            "review_id": device.interview.review_id,
            "meeting_id": snapshot["meeting"]["id"],
        },
    )
    response.headers["cache-control"] = "no-store"
    return response
