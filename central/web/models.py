"""Tables the web side needs beyond central.models: server-side sessions and login attempts.

Same SQLModel metadata as central.models, so ``create_all`` and the Alembic environment
(which imports this module when it exists) see them.
"""

import uuid
from datetime import UTC, datetime

from sqlmodel import Field, SQLModel

from central.db import UtcDateTime


def _now() -> datetime:
    return datetime.now(UTC)


class WebSession(SQLModel, table=True):
    """A signed-in browser. The cookie holds a random id; only its SHA-256 is stored."""

    __tablename__ = "web_session"

    id_hash: str = Field(primary_key=True, max_length=64)
    user_id: uuid.UUID = Field(index=True)
    csrf_token: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=_now, sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime)
    ip: str = Field(default="", max_length=64)


class LoginAttempt(SQLModel, table=True):
    """One failed or successful sign-in, for the login limit per account and per address
    (:mod:`central.web.sign_in`)."""

    __tablename__ = "web_login_attempt"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    username: str = Field(index=True, max_length=150)
    ip: str = Field(index=True, max_length=64)
    at: datetime = Field(default_factory=_now, index=True, sa_type=UtcDateTime)
    success: bool = False
