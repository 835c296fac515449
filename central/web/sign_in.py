"""The sign-in check, run in a worker thread: the login limit, one password hash whatever the
outcome, the attempt on record and the new session.

The limit lives in the database (``web_login_attempt``), so every server process behind the
proxy counts the same attempts:

* at most ``per_account`` failed sign-ins of one username, from any address, and
* at most ``per_address`` failed sign-ins from one address, whatever the username,

within ``window_minutes``; past either, the answer is "wait" even for the right password.
Attempts are counted by the username typed, whether or not such an account exists, so the
wait says nothing about which usernames are real. The address is the peer's, or the one a
configured proxy forwarded (``TD_CENTRAL_TRUSTED_PROXIES``); nothing else in a request can
change it. Two processes may both let through the attempt that reaches a limit at the same
instant: the limit can be passed by the number of processes, never reset.
"""

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from central.db import write_session
from central.models import User
from central.security import check_sign_in
from central.web.models import LoginAttempt, WebSession

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoginLimits:
    per_account: int = 5
    per_address: int = 20
    window_minutes: float = 15.0
    session_hours: float = 12.0


class Refusal(Enum):
    LIMITED = "limited"  # too many failures: wait
    WRONG = "wrong"  # unknown user, inactive user or wrong password (one answer for all)


@dataclass(frozen=True)
class SignedIn:
    token: str  # the session cookie's random part; only its SHA-256 is stored


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _limited(session: Session, limits: LoginLimits, key: str, ip: str,
             since: datetime) -> bool:
    by_account = LoginAttempt.username == key
    by_address = LoginAttempt.ip == ip
    account, address = session.execute(
        sa.select(sa.func.count().filter(by_account), sa.func.count().filter(by_address))
        .where(LoginAttempt.success == sa.false(), LoginAttempt.at > since,
               sa.or_(by_account, by_address))
    ).one()
    return bool(account >= limits.per_account or address >= limits.per_address)


def attempt_sign_in(engine: Any, limits: LoginLimits, *, username: str, password: str,
                    ip: str) -> SignedIn | Refusal:
    """Check one sign-in and record it; a new session when it succeeds. Blocking (a password
    hash and database round trips): run it in a worker thread. No transaction is open while
    the password is hashed."""
    key = username.lower()
    now = datetime.now(UTC)
    since = now - timedelta(minutes=limits.window_minutes)
    with Session(engine, expire_on_commit=False) as session:
        if _limited(session, limits, key, ip, since):
            log.info("sign-in refused by the login limit")
            return Refusal.LIMITED
        user = session.exec(select(User).where(User.username == username)).first()
    ok = check_sign_in(user, password)
    with write_session(engine) as session:
        session.add(LoginAttempt(username=key, ip=ip, success=ok))
        if not ok or user is None:
            session.commit()
            return Refusal.WRONG
        token = secrets.token_urlsafe(32)
        session.add(WebSession(
            id_hash=token_hash(token), user_id=user.id, csrf_token=secrets.token_urlsafe(24),
            expires_at=now + timedelta(hours=limits.session_hours), ip=ip,
        ))
        session.execute(sa.update(User).where(User.id == user.id)  # type: ignore[arg-type]
                        .values(last_login_at=now))
        # The account's failures are forgiven; attempts and sessions past their time go.
        session.execute(sa.delete(LoginAttempt).where(
            sa.or_(sa.and_(LoginAttempt.username == key, LoginAttempt.success == sa.false()),
                   LoginAttempt.at <= since)))
        session.execute(sa.delete(WebSession).where(WebSession.expires_at < now))
        session.commit()
    return SignedIn(token)
