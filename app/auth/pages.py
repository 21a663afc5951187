"""The accounts' pages: log in, log out, the language switch."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from app.auth import service
from app.auth.router import check_password, safe_next
from app.auth.schemas import LanguageForm, LoginForm
from app.db import SessionDep
from app.deps import OptionalViewerDep, SettingsDep, ViewerDep, session_cookie_name
from app.i18n import _
from app.middleware import LANGUAGE_COOKIE
from app.templating import render
from app.validation import Submitted, parse_form

pages = APIRouter(include_in_schema=False)


@pages.get("/login")
def login_page(request: Request, viewer: OptionalViewerDep, next: str = "/") -> Response:
    """The log-in page."""
    if viewer is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "auth/login.html", {"next": safe_next(next), "errors": {}, "email": ""})


@pages.post("/login")
async def login(request: Request, session: SessionDep, settings: SettingsDep, viewer: OptionalViewerDep) -> Response:
    """Check the credentials and start a fresh session (a session this browser had is ended: rotation)."""
    form, errors = parse_form(LoginForm, dict(await request.form()))
    if form is None:
        return render(request, "auth/login.html", {"next": "/", "errors": errors, "email": ""}, status_code=422)
    user = await check_password(request, session, form.email, form.password)
    if user is None:
        context: dict[str, object] = {"next": safe_next(form.next), "email": form.email}
        context["errors"] = {"form": _("E-mail address or password is not correct.")}
        return render(request, "auth/login.html", context, status_code=401)

    def rotate() -> str:
        if viewer is not None and viewer.via == "cookie":
            service.close_session(session=session, auth=viewer.auth)
        return service.open_session(session=session, settings=settings, user=user)

    token = await run_in_threadpool(rotate)
    response = RedirectResponse(safe_next(form.next), status_code=303)
    response.set_cookie(
        session_cookie_name(settings),
        token,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        path="/",
        max_age=settings.session_absolute_hours * 3600,
    )
    if user.language:
        response.set_cookie(LANGUAGE_COOKIE, user.language, samesite="lax", secure=settings.secure_cookies)
    return response


@pages.post("/logout")
def logout(session: SessionDep, settings: SettingsDep, viewer: ViewerDep) -> Response:
    """End the session."""
    service.close_session(session=session, auth=viewer.auth)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(session_cookie_name(settings), path="/", secure=settings.secure_cookies, httponly=True)
    return response


@pages.post("/language")
def switch_language(
    request: Request, form: Submitted, session: SessionDep, settings: SettingsDep, viewer: OptionalViewerDep
) -> Response:
    """Switch the interface language (remembered for the account when logged in)."""
    chosen, _errors = parse_form(LanguageForm, dict(form))
    language = chosen.language if chosen else settings.default_language
    if viewer is not None:
        service.set_language(session=session, user=viewer.user, language=language)
    response = RedirectResponse(safe_next(chosen.next if chosen else "/"), status_code=303)
    response.set_cookie(LANGUAGE_COOKIE, language, samesite="lax", secure=settings.secure_cookies, max_age=365 * 86400)
    return response
