"""Who reads the OData feed: HTTP Basic with the board account's user name and password (what
Excel's and Power BI's "Basic" OData sign-in sends), or the board's session cookie (a browser).

The password is checked as at sign-in (:mod:`central.web.sign_in`: the same login limit per
account and per address, every failure on record, one argon2 hash in a worker thread). A
check that passed is kept in this process for :data:`KEEP_SECONDS` by the SHA-256 of the user
name and password, so paging through a feed costs one hash, not one per page; a changed or
wrong password is checked afresh. Basic sends the password with every request: the server
is only ever reached over HTTPS (docs/operations.md).
"""

import base64
import binascii
import hashlib
import time
from dataclasses import dataclass
from typing import Any

import anyio.to_thread
from fastapi import Request
from sqlmodel import Session, select

from central.db import write_session
from central.models import OrgNode, User
from central.security import check_sign_in
from central.web.auth import EXPORT_ROLES, client_ip, load_viewer
from central.web.models import LoginAttempt
from central.web.scope import Scope, scope_for
from central.web.sign_in import LoginLimits, _limited
from central.web.state import web_state

KEEP_SECONDS = 300.0
_KEPT: dict[str, tuple[float, Any]] = {}


@dataclass(frozen=True)
class FeedViewer:
    user: User
    scope: Scope

    @property
    def id(self) -> Any:
        return self.user.id

    @property
    def role(self) -> str:
        return self.user.role


@dataclass(frozen=True)
class FeedRefusal:
    status: int
    code: str
    message_key: str


_NO_AUTH = FeedRefusal(401, "Unauthorized", "odata.error.auth")
_LIMITED = FeedRefusal(429, "TooManyAttempts", "odata.error.limited")
_ROLE = FeedRefusal(403, "Forbidden", "odata.error.role")


def _credentials(header: str) -> tuple[str, str] | None:
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        raw = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    try:
        text = raw.decode("utf-8")  # what the challenge asks for (RFC 7617)
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # what many clients send for a password with an ñ
    username, sep, password = text.partition(":")
    return (username, password) if sep and username and len(username) <= 150 else None


def _check(engine: Any, limits: LoginLimits, username: str, password: str,
           ip: str) -> FeedViewer | FeedRefusal:
    """Blocking: the login limit, the password hash, the failure on record."""
    from datetime import UTC, datetime, timedelta

    key = username.lower()
    since = datetime.now(UTC) - timedelta(minutes=limits.window_minutes)
    with Session(engine, expire_on_commit=False) as session:
        if _limited(session, limits, key, ip, since):
            return _LIMITED
        user = session.exec(select(User).where(User.username == username)).first()
        node = session.get(OrgNode, user.scope_id) if user and user.scope_id else None
    if not check_sign_in(user, password) or user is None:
        with write_session(engine) as session:
            session.add(LoginAttempt(username=key, ip=ip, success=False))
            session.commit()
        return _NO_AUTH
    return FeedViewer(user, scope_for(user, node.level if node else None))


async def feed_viewer(request: Request) -> FeedViewer | FeedRefusal:
    """The reader of this request, or why not."""
    viewer = load_viewer(request)
    if viewer is not None:
        return FeedViewer(viewer.user, viewer.scope) if viewer.role in EXPORT_ROLES else _ROLE
    found = _credentials(request.headers.get("authorization", ""))
    if found is None:
        return _NO_AUTH
    username, password = found
    digest = hashlib.sha256(f"{username}\0{password}".encode()).hexdigest()
    now = time.monotonic()
    kept = _KEPT.get(digest)
    if kept is not None and now - kept[0] < KEEP_SECONDS:
        result = kept[1]
    else:
        state = web_state(request)
        result = await anyio.to_thread.run_sync(
            _check, request.app.state.engine, state.login_limits, username, password,
            client_ip(request))
        if isinstance(result, FeedViewer):
            if len(_KEPT) > 256:
                _KEPT.clear()
            _KEPT[digest] = (now, result)
    if isinstance(result, FeedViewer) and result.role not in EXPORT_ROLES:
        return _ROLE
    return result
