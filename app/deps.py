"""Request dependencies: settings, the viewer (who is asking), CSRF, and access to one review."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from sqlmodel import Session, select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from app.audit import Actor
from app.auth import service as auth_service
from app.auth.models import AuthSession, User
from app.config import Settings
from app.db import SessionDep
from app.errors import Forbidden, NotAuthenticated, NotFound
from app.i18n import _
from app.middleware import FORMS_TO_CLOSE
from app.reviews.models import Membership, Review, Role
from app.security import can_write, csrf_matches, csrf_token
from app.validation import MAX_ID

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
"""An id in a URL path (``app.validation.Id`` in a body or query); out-of-range ids answer 404 like unknown ones."""

FigureWidth = Annotated[int | None, Query(ge=320, le=6000)]
"""The pixel width a figure will be drawn at: its labels are packed for it (default: the library's nominal)."""


def session_cookie_name(settings: Settings) -> str:
    """The session cookie's name: ``__Host-`` prefixed when cookies are secure."""
    return "__Host-leerreview" if settings.secure_cookies else "leerreview"


def pre_cookie_name(settings: Settings) -> str:
    """The cookie that binds CSRF tokens of forms shown before login (log in, join)."""
    return "__Host-leerreview-pre" if settings.secure_cookies else "leerreview-pre"


def participant_cookie_name(settings: Settings) -> str:
    """The phone's cookie in a group interview: ``__Host-`` prefixed when cookies are secure."""
    return "__Host-leerreview-p" if settings.secure_cookies else "leerreview-p"


async def get_app_settings(request: Request) -> Settings:
    """The settings of the running app (async: dependencies without I/O run on the loop, not in a thread)."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]


@dataclass
class Viewer:
    """Who is asking: a user through a browser session or an API bearer token."""

    user: User
    auth: AuthSession
    via: str
    token: str

    @property
    def actor(self) -> Actor:
        """This viewer as who did something (the audit log's ``user:7``)."""
        return Actor.of(self.user)


def bearer_token(request: Request) -> str | None:
    """The API token of an ``Authorization: Bearer`` header, if any."""
    header = request.headers.get("authorization", "")
    scheme, _sep, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def resolve_viewer(session: Session, settings: Settings, bearer: str | None, cookie: str | None) -> Viewer | None:
    """Who a bearer token (401 when invalid) or a browser session cookie (ignored when stale) belongs to."""
    if bearer:
        user, auth = auth_service.resolve_session(session=session, settings=settings, token=bearer, kind="api")
        return Viewer(user=user, auth=auth, via="bearer", token=bearer)
    if cookie:
        try:
            user, auth = auth_service.resolve_session(session=session, settings=settings, token=cookie, kind="web")
        except NotAuthenticated:
            return None
        return Viewer(user=user, auth=auth, via="cookie", token=cookie)
    return None


async def optional_viewer(request: Request, session: SessionDep, settings: SettingsDep) -> Viewer | None:
    """The viewer if logged in (bearer token first, then the session cookie), else None.

    Async so that requests without credentials (phones, visitors) never wait for a thread; the database is
    asked, in the thread pool, only when there is a token to look up.
    """
    if hasattr(request.state, "viewer"):
        cached: Viewer | None = request.state.viewer
        return cached
    bearer = bearer_token(request)
    cookie = request.cookies.get(session_cookie_name(settings))
    viewer = await run_in_threadpool(resolve_viewer, session, settings, bearer, cookie) if bearer or cookie else None
    request.state.viewer = viewer
    return viewer


OptionalViewerDep = Annotated[Viewer | None, Depends(optional_viewer)]


def page_csrf_token(request: Request) -> str:
    """The CSRF token for a page's forms and scripts, bound as :func:`csrf_protect` checks it: to the viewer's
    session when one was resolved, else to the session cookie sent, the phone's cookie or the pre-login cookie.

    Every rendered page gets it (``app.templating.render``), whatever dependencies its route has.
    """
    settings: Settings = request.app.state.settings
    viewer: Viewer | None = getattr(request.state, "viewer", None)
    if hasattr(request.state, "viewer"):  # resolved: a stale session cookie binds nothing
        session_binding = viewer.token if viewer else ""
    else:
        session_binding = request.cookies.get(session_cookie_name(settings), "")
    phone = request.cookies.get(participant_cookie_name(settings), "")
    pre: str = getattr(request.state, "pre_binding", "")
    return csrf_token(settings.resolved_secret_key(), session_binding or phone or pre)


async def current_viewer(viewer: OptionalViewerDep) -> Viewer:
    """The logged-in viewer; 401 (or a redirect to the login page for pages) otherwise."""
    if viewer is None:
        raise NotAuthenticated(_("Please log in."))
    return viewer


ViewerDep = Annotated[Viewer, Depends(current_viewer)]


async def csrf_protect(request: Request) -> None:
    """Refuse a state-changing browser request without the CSRF token bound to its session.

    Bearer-token requests carry no ambient credentials and need no token. Browsers send the token as the
    form field ``csrf_token`` or the header ``X-CSRF-Token`` (from our scripts). A form read here is closed
    when the request ends (its uploaded files are spooled to temporary files) by
    ``app.middleware.RequestContextMiddleware``. A plain function, not a generator: it runs for every request,
    and FastAPI wraps a generator dependency in context managers and a cancel scope each time.
    """
    form = await _check_csrf(request)
    if form is not None:
        request.scope["state"].setdefault(FORMS_TO_CLOSE, []).append(form)


async def _check_csrf(request: Request) -> FormData | None:
    if request.method in SAFE_METHODS or bearer_token(request):
        return None
    presented = request.headers.get("x-csrf-token")
    form = None
    if presented is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            # The first (and only) parse of the form: handlers get Starlette's cached copy, so the bound on files
            # is set here (every form of the service uploads at most one file); a second file part is refused
            # (400) while the body is parsed, before anything is spooled for it.
            form = await request.form(max_files=1)
            value = form.get("csrf_token")
            presented = value if isinstance(value, str) else None
    if not _csrf_valid(request, presented):
        if form is not None:
            await form.close()
        raise Forbidden(_("This form has expired or did not come from this site. Reload the page and try again."))
    return form


def _csrf_valid(request: Request, presented: str | None) -> bool:
    """Whether an unsafe request without a bearer token may go on with the CSRF token ``presented``."""
    settings: Settings = request.app.state.settings
    # The phone's cookie is an ambient credential too; its token binds the phone's CSRF token.
    cookie = request.cookies.get(session_cookie_name(settings)) or request.cookies.get(
        participant_cookie_name(settings)
    )
    if cookie is None and request.url.path.startswith("/api/"):
        # No session cookie: no ambient credentials to abuse (scripts, the token endpoint, joining by code).
        return True
    # A session cookie that expired or was revoked still arrives, but its pages were rendered with the
    # pre-login binding (see optional_viewer): accept that too, or the log-in form could never be sent.
    secret = settings.resolved_secret_key()
    pre_binding = request.state.pre_binding
    return csrf_matches(secret, cookie or pre_binding, presented) or csrf_matches(secret, pre_binding, presented)


def csrf_header_ok(request: Request) -> bool:
    """Whether :func:`csrf_protect` lets a request through on its headers alone (a safe method, a bearer token,
    or the header ``X-CSRF-Token`` bound to its session); False means: only a form could still carry the token,
    or the request is refused (``app.lane`` then leaves it to :func:`csrf_protect`)."""
    if request.method in SAFE_METHODS or bearer_token(request):
        return True
    return _csrf_valid(request, request.headers.get("x-csrf-token"))


@dataclass
class ReviewAccess:
    """A review together with the viewer's membership in it."""

    review: Review
    membership: Membership
    viewer: Viewer

    @property
    def review_id(self) -> int:
        """The review's id (the row is loaded, so it has one)."""
        return self.review.id or 0

    @property
    def role(self) -> Role:
        """The viewer's role in this review."""
        return self.membership.role

    @property
    def can_write(self) -> bool:
        """Whether the viewer may change this review."""
        return can_write(self.membership.role)


def load_access(session: Session, viewer: Viewer, review_id: int) -> ReviewAccess:
    """Find the review and the viewer's membership; 404 when either is missing (existence stays hidden)."""
    review = session.get(Review, review_id)
    membership = (
        session.exec(
            select(Membership).where(Membership.review_id == review_id, Membership.user_id == viewer.user.id)
        ).first()
        if review
        else None
    )
    if review is None or membership is None:
        raise NotFound(_("This review does not exist or you have no access to it."))
    return ReviewAccess(review=review, membership=membership, viewer=viewer)


def member_access(session: SessionDep, viewer: ViewerDep, review_id: PathId) -> ReviewAccess:
    """Any member of the review (owner, researcher, reader)."""
    return load_access(session, viewer, review_id)


async def writer_access(access: Annotated[ReviewAccess, Depends(member_access)]) -> ReviewAccess:
    """A member who may change the review (owner or researcher); readers get 403."""
    if not access.can_write:
        raise Forbidden(_("Readers can look but not change anything in this review."))
    return access


async def owner_access(access: Annotated[ReviewAccess, Depends(member_access)]) -> ReviewAccess:
    """The review's owner (members, erasure)."""
    if access.role != Role.owner:
        raise Forbidden(_("Only an owner of this review can do this."))
    return access


MemberDep = Annotated[ReviewAccess, Depends(member_access)]
WriterDep = Annotated[ReviewAccess, Depends(writer_access)]
OwnerDep = Annotated[ReviewAccess, Depends(owner_access)]
