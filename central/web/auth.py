"""Sign-in, server-side sessions, CSRF and login rate limiting.

* The session cookie (``td_session``, HttpOnly, SameSite=Strict) holds a random id and its
  HMAC; the database keeps only the id's SHA-256 (:class:`central.web.models.WebSession`).
* Every POST form carries ``csrf_token``: the session's token, or before sign-in the value of
  the ``td_csrf`` cookie (double submit).
* The login limit (per account and per address, kept in the database) and the password
  check are in :mod:`central.web.sign_in`; past the limit, 429 with a Spanish message that is
  the same whether or not the account exists, even for the right password.
"""

import hmac
import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Annotated, Any
from urllib.parse import quote

import anyio.to_thread
import sqlalchemy as sa
from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from central.models import OrgNode, Role, User
from central.web.i18n import t
from central.web.models import WebSession
from central.web.scope import Scope, scope_for
from central.web.sign_in import Refusal, SignedIn, attempt_sign_in, token_hash
from central.web.state import render, web_state

log = logging.getLogger(__name__)

SESSION_COOKIE = "td_session"
LOGIN_CSRF_COOKIE = "td_csrf"

router = APIRouter()


#: Who registers cases on the web (central/web/desk.py): agents of the 800 line and of the
#: desks, a unit's staff, administrators.
CASE_ENTRY_ROLES = frozenset({Role.AGENTE.value, Role.UNIDAD.value, Role.ADMIN.value})
#: Who keeps the module staff's roster of their branch (``/personal``; Human Resources works
#: at OOAD/UMAE level).
ROSTER_ROLES = frozenset({Role.ADMIN.value, Role.NACIONAL.value, Role.OOAD.value,
                          Role.UMAE.value})
#: Who moderates the Muro's recognitions and links them to the roster (``/reconocimientos``,
#: the case page of a reconocimiento).
MODERATOR_ROLES = frozenset({Role.ADMIN.value, Role.NACIONAL.value, Role.OOAD.value,
                             Role.UMAE.value})
#: Who downloads the analysts' export (``/exportar``) and reads the OData feed: every board
#: role but the agents of the 800 line and the desks.
EXPORT_ROLES = frozenset({Role.ADMIN.value, Role.NACIONAL.value, Role.OOAD.value,
                          Role.UMAE.value, Role.UNIDAD.value})

#: Who writes and publishes survey instruments (``/instrumentos``): the whole institution,
#: or an OOAD or UMAE for the kiosks of its units.
INSTRUMENT_ROLES = ROSTER_ROLES

#: Who sits on a committee (``/comites``, central/web/committees.py): Nivel Central's (admin,
#: nacional), an OOAD's or a UMAE's. Unit users and agents have none.
COMMITTEE_ROLES = frozenset({Role.ADMIN.value, Role.NACIONAL.value, Role.OOAD.value,
                             Role.UMAE.value})


@dataclass(frozen=True)
class Viewer:
    """The signed-in user of this request."""

    user: User
    scope: Scope
    scope_name: str
    csrf_token: str
    session_hash: str

    @property
    def id(self) -> uuid.UUID:
        return self.user.id

    @property
    def role(self) -> str:
        return self.user.role

    @property
    def display_name(self) -> str:
        return self.user.display_name or self.user.username

    @property
    def may_register(self) -> bool:
        return self.user.role in CASE_ENTRY_ROLES

    @property
    def may_manage_staff(self) -> bool:
        """Keeps the module staff's roster of the branch (``/personal``)."""
        return self.user.role in ROSTER_ROLES

    @property
    def may_export(self) -> bool:
        return self.user.role in EXPORT_ROLES

    @property
    def may_manage_instruments(self) -> bool:
        """Writes and publishes survey instruments for the branch (``/instrumentos``)."""
        return self.user.role in INSTRUMENT_ROLES

    @property
    def may_sit_on_committee(self) -> bool:
        """Has a committee (``/comites``): Nivel Central's, an OOAD's or a UMAE's."""
        return self.user.role in COMMITTEE_ROLES

    @property
    def is_admin(self) -> bool:
        return self.user.role == Role.ADMIN.value


class LoginRequiredError(Exception):
    """Raised by :func:`require_viewer`; answered with a redirect to the sign-in page."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


class PasswordChangeRequiredError(Exception):
    """The viewer signed in with a temporary password: every page but ``/contrasena`` and
    ``/salir`` sends them to choose their own (:mod:`central.web.users`)."""


#: The pages a user with a temporary password may still open.
PASSWORD_CHANGE_PATHS = frozenset({"/contrasena", "/salir"})


class CsrfRejectedError(Exception):
    """A POST without the right CSRF token (answered 403)."""


def _now() -> datetime:
    return datetime.now(UTC)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _engine(request: Request) -> Any:
    return request.app.state.engine


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _scope_node(session: Session, user: User) -> OrgNode | None:
    return session.get(OrgNode, user.scope_id) if user.scope_id is not None else None


def _scope_name(user: User, node: OrgNode | None) -> str:
    if user.scope_id is None:
        return t("scope.nivel_central")
    return node.name if node else t("scope.none")


def load_viewer(request: Request) -> Viewer | None:
    """The signed-in user from the session cookie, or None."""
    cached = getattr(request.state, "viewer", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    raw = request.cookies.get(SESSION_COOKIE, "")
    token, _, sig = raw.partition(".")
    if not token or not sig or not hmac.compare_digest(sig, web_state(request).sign(token)):
        return None
    with Session(_engine(request), expire_on_commit=False) as session:
        row = session.get(WebSession, token_hash(token))
        if row is None or row.expires_at <= _now():
            return None
        user = session.get(User, row.user_id)
        if user is None or not user.active:
            return None
        node = _scope_node(session, user)
        viewer = Viewer(
            user=user,
            scope=scope_for(user, node.level if node else None),
            scope_name=_scope_name(user, node),
            csrf_token=row.csrf_token,
            session_hash=row.id_hash,
        )
    request.state.viewer = viewer
    return viewer


def session_alive(request: Request, viewer: Viewer) -> bool:
    """Whether the viewer's session still holds (not signed out, not ended by an
    administrator, the user still active): for a long answer such as the board's events."""
    with Session(_engine(request)) as session:
        row = session.get(WebSession, viewer.session_hash)
        user = session.get(User, viewer.id) if row is not None else None
        return bool(row is not None and row.expires_at > _now() and user is not None
                    and user.active)


def require_viewer(request: Request) -> Viewer:
    """FastAPI dependency: the signed-in user, else a redirect to the sign-in page."""
    viewer = load_viewer(request)
    if viewer is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequiredError(target)
    if viewer.user.must_change_password and request.url.path not in PASSWORD_CHANGE_PATHS:
        raise PasswordChangeRequiredError()
    return viewer


#: Route parameter type: the signed-in viewer (redirects to the sign-in page otherwise).
CurrentViewer = Annotated[Viewer, Depends(require_viewer)]


async def check_csrf(request: Request, viewer: Viewer) -> dict[str, Any]:
    """The POSTed form, after checking its CSRF token against the session's."""
    form = await request.form()
    sent = str(form.get("csrf_token", ""))
    if not sent or not hmac.compare_digest(sent, viewer.csrf_token):
        raise CsrfRejectedError()
    return {k: v for k, v in form.multi_items()}


def _safe_next(value: str) -> str:
    if value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/tablero"


def _login_page(request: Request, *, error: str = "", username: str = "", next_url: str = "",
                status: int = 200, headers: dict[str, str] | None = None) -> Response:
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html",
        {"csrf_token": token, "error": error, "username": username,
         "next_url": _safe_next(next_url)},
        status_code=status,
        headers=headers,
    )
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                        secure=_secure(request), path="/")
    return response


@router.get("/entrar", include_in_schema=False)
def login_form(request: Request, next: str = "/tablero") -> Response:
    if load_viewer(request) is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return _login_page(request, next_url=next)


@router.get("/", include_in_schema=False)
def root(request: Request) -> Response:
    return RedirectResponse("/tablero" if load_viewer(request) else "/entrar", status_code=303)


@router.post("/entrar", include_in_schema=False)
async def login(request: Request) -> Response:
    form = await request.form()
    username = str(form.get("username", "")).strip()[:150]
    password = str(form.get("password", ""))[:1024]
    next_url = str(form.get("next", "/tablero"))
    sent = str(form.get("csrf_token", ""))
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not sent or not cookie or not hmac.compare_digest(sent, cookie):
        return _login_page(request, error=t("login.csrf"), username=username,
                           next_url=next_url, status=403)
    state = web_state(request)
    limits = state.login_limits
    # The password hash runs in a worker thread, at most ``password_hash_threads`` at once:
    # the event loop and the threads of other requests never wait for a sign-in.
    outcome = await anyio.to_thread.run_sync(
        partial(attempt_sign_in, _engine(request), limits, username=username,
                password=password, ip=client_ip(request)),
        limiter=state.sign_in_limiter(),
    )
    if outcome is Refusal.LIMITED:
        return _login_page(
            request, error=t("login.too_many", minutes=int(limits.window_minutes)),
            username=username, next_url=next_url, status=429,
            headers={"Retry-After": str(int(limits.window_minutes * 60))},
        )
    if not isinstance(outcome, SignedIn):
        return _login_page(request, error=t("login.failed"), username=username,
                           next_url=next_url, status=401)
    token = outcome.token
    response = RedirectResponse(_safe_next(next_url), status_code=303)
    response.set_cookie(
        SESSION_COOKIE, f"{token}.{state.sign(token)}", httponly=True, samesite="strict",
        secure=_secure(request), path="/", max_age=int(limits.session_hours * 3600),
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
    return response


@router.post("/salir", include_in_schema=False)
async def logout(request: Request) -> Response:
    viewer = require_viewer(request)
    await check_csrf(request, viewer)
    with Session(_engine(request)) as session:
        session.execute(sa.delete(WebSession).where(WebSession.id_hash == viewer.session_hash))
        session.commit()
    response = RedirectResponse("/entrar", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def login_redirect(exc: LoginRequiredError) -> Response:
    return RedirectResponse(f"/entrar?next={quote(exc.next_url, safe='')}", status_code=303)
