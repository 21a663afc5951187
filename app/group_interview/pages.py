"""Pages of the group interview: the facilitator's console, the shared screen, pass-the-tablet, and the
phone's join and participant pages. The pages draw themselves from the live stream (static/js/gi-*.js);
joining also works without JavaScript (plain form posts to /join)."""

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from app import room
from app.db import SessionDep
from app.deps import MemberDep, SettingsDep, WriterDep, participant_cookie_name
from app.errors import DomainError, NotFound
from app.group_interview import codes, service
from app.group_interview.deps import OptionalDeviceDep, open_by_code
from app.group_interview.models import GroupInterview, GroupInterviewStatus, RoomPurpose
from app.group_interview.router import set_device_cookie
from app.i18n import _
from app.participants.service import readiness
from app.templating import render, script_data
from app.timeline import service as timeline
from app.validation import Submitted, whole_number
from app.vendor import plotly_css_url, plotly_js_url

pages = APIRouter(include_in_schema=False)

JOIN_COOKIE_SECONDS = 600


def join_cookie_name(request: Request) -> str:
    """The short-lived cookie that carries a code from the QR URL to the join page."""
    return "__Host-leerreview-join" if request.app.state.settings.secure_cookies else "leerreview-join"


def _state(session: SessionDep, settings: SettingsDep, interview: GroupInterview | None, with_code: bool) -> Any:
    if interview is None:
        return script_data(None)
    snapshot = room.room_snapshot(
        session=session, settings=settings, interview=interview, member=True, with_code=with_code
    )
    return script_data(snapshot)


def _events(session: SessionDep, review_id: int) -> list[dict[str, Any]]:
    return [
        {"id": e.id, "title": e.title, "when": e.when_text + (f" – {e.until_text}" if e.until_text else "")}
        for e in timeline.list_events(session=session, review_id=review_id)
    ]


def _member_context(session: SessionDep, settings: SettingsDep, access: MemberDep) -> dict[str, Any]:
    review_id = access.review_id
    interview = service.current(session=session, review_id=review_id)
    return {
        "review": access.review,
        "access": access,
        "interview": interview,
        "state_json": _state(session, settings, interview, access.can_write),
        "events": _events(session, review_id),
        "active": "group_interview",
        "join_host": settings.base_url.split("://", 1)[-1].rstrip("/"),
        "plotly_js": plotly_js_url(),
        "plotly_css": plotly_css_url(),
    }


def _room_screen(request: Request, context: dict[str, Any], template: str) -> Response:
    """One of the room's screens (the shared screen, the tablet); 404 while the review has no group interview."""
    if context["interview"] is None:
        raise NotFound(_("This review has no group interview yet."))
    return render(request, template, context)


@pages.get("/reviews/{review_id}/group-interview")
def console_page(session: SessionDep, settings: SettingsDep, access: MemberDep, request: Request) -> Response:
    """The facilitator's console: steps, joining, factors, proposals and sticker rounds, live."""
    context = _member_context(session, settings, access)
    interview = context["interview"]
    context["readiness"] = readiness(session=session, review_id=access.review_id)
    context["can_prepare"] = access.can_write and (interview is None or interview.status == GroupInterviewStatus.closed)
    return render(request, "group_interview/console.html", context)


@pages.post("/reviews/{review_id}/group-interview")
def prepare_page(session: SessionDep, settings: SettingsDep, access: WriterDep, request: Request) -> Response:
    """Prepare the group interview from the console's button (works without JavaScript)."""
    try:
        service.create(session=session, settings=settings, review_id=access.review_id, user=access.viewer.user)
    except DomainError as exc:
        context = _member_context(session, settings, access)
        context.update(
            readiness=readiness(session=session, review_id=access.review_id), can_prepare=True, error=exc.message
        )
        return render(request, "group_interview/console.html", context, status_code=exc.status_code)
    return RedirectResponse(f"/reviews/{access.review_id}/group-interview", status_code=303)


@pages.get("/reviews/{review_id}/group-interview/screen")
def screen_page(session: SessionDep, settings: SettingsDep, access: MemberDep, request: Request) -> Response:
    """The shared screen for the projector: no controls, large type."""
    return _room_screen(request, _member_context(session, settings, access), "group_interview/screen.html")


@pages.get("/reviews/{review_id}/group-interview/tablet")
def tablet_page(session: SessionDep, settings: SettingsDep, access: WriterDep, request: Request) -> Response:
    """Pass the tablet: one device, one person at a time places their stickers."""
    return _room_screen(request, _member_context(session, settings, access), "group_interview/tablet.html")


# --- Phones ----------------------------------------------------------------------------------------------


@pages.get("/j/{code}")
def join_link(request: Request, code: str) -> Response:
    """The QR code's URL: keep the code in a short-lived cookie and take it out of the address at once."""
    response = RedirectResponse("/join", status_code=303)
    clean = codes.normalise(code)[:20]
    if clean:
        response.set_cookie(
            join_cookie_name(request),
            clean,
            max_age=JOIN_COOKIE_SECONDS,
            httponly=True,
            samesite="lax",
            secure=request.app.state.settings.secure_cookies,
            path="/",
        )
    response.headers["cache-control"] = "no-store"
    return response


def _join_page(
    request: Request,
    *,
    code: str = "",
    people: list[dict[str, Any]] | None = None,
    error: str = "",
    status_code: int = 200,
    device: Any = None,
) -> Response:
    shown = codes.display(code) if len(code) == codes.CODE_LENGTH else code
    response = render(
        request,
        "group_interview/join.html",
        {"code": shown, "people": people, "error": error, "device": device},
        status_code=status_code,
    )
    response.headers["cache-control"] = "no-store"
    return response


@pages.get("/join")
def join_page(request: Request, device: OptionalDeviceDep) -> Response:
    """Join from a phone: type the code from the screen (filled in when you came through the QR code)."""
    code = codes.normalise(request.cookies.get(join_cookie_name(request), ""))[:20]
    return _join_page(request, code=code, device=device)


@pages.post("/join")
def join_form(request: Request, form: Submitted, session: SessionDep, settings: SettingsDep) -> Response:
    """The join form without JavaScript: first the code (answers the names), then a name (joins)."""
    code = codes.normalise(str(form.get("code", "")))[:20]
    chosen = str(form.get("participant_id", ""))
    if len(code) < 4:
        return _join_page(request, code=code, error=_("Type the code shown on the screen."), status_code=422)
    try:
        interview = open_by_code(request, session, settings, code)
        participant_id = whole_number(chosen)
        if participant_id is not None:
            token, _participant = service.join(session=session, interview=interview, participant_id=participant_id)
            response = RedirectResponse("/p", status_code=303)
            set_device_cookie(response, settings.secure_cookies, participant_cookie_name(settings), token)
            response.delete_cookie(join_cookie_name(request), path="/")
            return response
        people = [p for p in service.room_participants(session=session, interview=interview) if not p["joined"]]
    except DomainError as exc:
        return _join_page(request, code=code, error=exc.message, status_code=exc.status_code)
    return _join_page(request, code=code, people=people)


@pages.get("/p")
def phone_page(request: Request, session: SessionDep, settings: SettingsDep, device: OptionalDeviceDep) -> Response:
    """The participant's own page on their phone: the current step and what they can do in it."""
    if device is None:
        if request.cookies.get(participant_cookie_name(settings)):
            return render(request, "group_interview/ended.html", {}, status_code=200)
        return RedirectResponse("/join", status_code=303)
    if device.interview.purpose == RoomPurpose.share_back:
        return RedirectResponse("/p/share-back", status_code=303)
    snapshot = room.room_state(
        session=session,
        settings=settings,
        interview=device.interview,
        member=False,
        participant_id=device.participant.id,
    )
    response = render(
        request,
        "group_interview/phone.html",
        {
            "me": device.participant,
            "state_json": script_data(snapshot.to_json()),
            "events": _events(session, device.interview.review_id),
            "review_id": device.interview.review_id,
        },
    )
    response.headers["cache-control"] = "no-store"
    return response


__all__ = ["pages"]
