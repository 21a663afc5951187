"""HTTP routes of accounts: the log-in and log-out pages, the language switch, and API tokens."""

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app.auth import service
from app.auth.models import User
from app.auth.schemas import LanguageForm, LoginForm, TokenOut, UserOut
from app.db import SessionDep, without_turn
from app.deps import OptionalViewerDep, SettingsDep, ViewerDep, session_cookie_name
from app.i18n import _
from app.middleware import LANGUAGE_COOKIE
from app.templating import render
from app.validation import parse_form

api = APIRouter(tags=["auth"])
pages = APIRouter(include_in_schema=False)


def safe_next(target: str) -> str:
    """Only local paths are followed after login (no open redirects)."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@pages.get("/login")
def login_page(request: Request, viewer: OptionalViewerDep, next: str = "/") -> Response:
    """The log-in page."""
    if viewer is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "auth/login.html", {"next": safe_next(next), "errors": {}, "email": ""})


async def _check_password(request: Request, session: Session, email: str, password: str) -> User | None:
    """The account, when e-mail and password are right: looked up within the request's database turn, the
    password checked (argon2: CPU for tens of milliseconds) in a thread with the turn given back, the outcome
    recorded in the turn again."""
    state, client = request.app.state, _client(request)
    limits = {"limiter": state.login_limiter, "backoff": state.login_backoff, "client": client}
    attempt = await run_in_threadpool(partial(service.begin_login, session=session, email=email, **limits))
    verified = await without_turn(request, state.check_password, attempt.password_hash, password)
    return await run_in_threadpool(
        partial(service.finish_login, session=session, attempt=attempt, verified=verified, **limits)
    )


@pages.post("/login")
async def login(request: Request, session: SessionDep, settings: SettingsDep, viewer: OptionalViewerDep) -> Response:
    """Check the credentials and start a fresh session (a session this browser had is ended: rotation)."""
    form, errors = parse_form(LoginForm, dict(await request.form()))
    if form is None:
        return render(request, "auth/login.html", {"next": "/", "errors": errors, "email": ""}, status_code=422)
    user = await _check_password(request, session, form.email, form.password)
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
async def switch_language(
    request: Request, session: SessionDep, settings: SettingsDep, viewer: OptionalViewerDep
) -> Response:
    """Switch the interface language (remembered for the account when logged in)."""
    form, _errors = parse_form(LanguageForm, dict(await request.form()))
    language = form.language if form else settings.default_language
    if viewer is not None:
        service.set_language(session=session, user=viewer.user, language=language)
    response = RedirectResponse(safe_next(form.next if form else "/"), status_code=303)
    response.set_cookie(LANGUAGE_COOKIE, language, samesite="lax", secure=settings.secure_cookies, max_age=365 * 86400)
    return response


@api.post("/auth/token", response_model=TokenOut)
async def issue_token(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=1000)],
) -> Response:
    """Exchange e-mail (``username``) and password for a bearer token (OAuth2 password flow)."""
    user = await _check_password(request, session, username, password)
    if user is None:
        return JSONResponse(
            {"detail": _("E-mail address or password is not correct.")},
            status_code=401,
            headers={"www-authenticate": "Bearer"},
        )
    token = await run_in_threadpool(
        partial(service.open_session, session=session, settings=settings, user=user, kind="api")
    )
    return JSONResponse(TokenOut(access_token=token).model_dump())


@api.get("/me", response_model=UserOut)
def me(viewer: ViewerDep) -> UserOut:
    """The account behind this token or session."""
    user = viewer.user
    return UserOut(id=user.id or 0, email=user.email, name=user.name, language=user.language)
