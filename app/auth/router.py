"""The accounts' JSON API: bearer tokens for scripts, who is asking; the password check the log-in page shares."""

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app.auth import service
from app.auth.models import User
from app.auth.schemas import TokenOut, UserOut
from app.db import SessionDep, without_turn
from app.deps import SettingsDep, ViewerDep
from app.i18n import _

api = APIRouter(tags=["auth"])


def safe_next(target: str) -> str:
    """Only local paths are followed after login (no open redirects)."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def check_password(request: Request, session: Session, email: str, password: str) -> User | None:
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


@api.post("/auth/token", response_model=TokenOut)
async def issue_token(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=1000)],
) -> Response:
    """Exchange e-mail (``username``) and password for a bearer token (OAuth2 password flow)."""
    user = await check_password(request, session, username, password)
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
