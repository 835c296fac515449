"""Passwords, tokens and the audited opening of sealed personal data."""

import hashlib
import secrets
import uuid
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from nacl.public import PrivateKey
from sqlmodel import Session

from central.models import AUDIT_OPEN_PERSONAL, AuditLog, Case, Role, User
from trato.protocol.sealing import SealingError, open_json

_hasher = PasswordHasher()

#: Roles that may open sealed personal data (always within their scope; the web layer also
#: decides restricted reading of sensitive cases).
PERSONAL_DATA_ROLES = frozenset({Role.ADMIN, Role.NACIONAL, Role.OOAD, Role.UMAE, Role.UNIDAD})


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches; never raises on a damaged hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    """A hash of a random password with this server's parameters, made once per process."""
    return _hasher.hash(secrets.token_urlsafe(16))


def check_sign_in(user: User | None, password: str) -> bool:
    """True when ``user`` may sign in with ``password``. Costs one full password hash
    whatever the outcome: an unknown or inactive user, or an empty password, is checked
    against a dummy hash of the same parameters, so the time taken does not tell which
    usernames exist. Slow (about 0.1-0.3 s of CPU): call it off the event loop."""
    usable = user is not None and user.active and bool(password)
    stored = user.password_hash if usable and user is not None else _dummy_hash()
    matches = verify_password(stored, password)
    return usable and matches


def new_token(nbytes: int = 24) -> str:
    """A URL-safe random token (enrolment tokens, admin tokens)."""
    return secrets.token_urlsafe(nbytes)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.strip().encode("utf-8")).hexdigest()


class PersonalDataUnavailable(LookupError):  # noqa: N818 - reads as a sentence
    """The case has no sealed personal data, or it cannot be opened."""


def open_personal(
    case: Case,
    user: User,
    session: Session,
    *,
    private_key: PrivateKey,
    reason: str = "",
    commit: bool = True,
) -> dict[str, Any]:
    """Open the case's sealed personal data for ``user`` and write an audit row.

    Call only for a user already authorised for this case (scope and, for sensitive cases,
    restricted reading). The audit row is written (and committed unless ``commit=False``)
    whether or not the box opens, so every attempt is on record.
    """
    detail: dict[str, Any] = {"folio": case.folio}
    if reason:
        detail["reason"] = reason[:500]
    ok = True
    data: dict[str, Any] = {}
    if not case.sealed_personal:
        ok = False
        detail["result"] = "no_personal_data"
    else:
        try:
            data = open_json(private_key, case.sealed_personal)
            detail["result"] = "opened"
        except SealingError:
            ok = False
            detail["result"] = "cannot_open"
    session.add(
        AuditLog(
            id=uuid.uuid4(),
            user_id=user.id,
            username=user.username,
            action=AUDIT_OPEN_PERSONAL,
            target_type="case",
            target_id=str(case.id),
            detail=detail,
        )
    )
    if commit:
        session.commit()
    else:
        session.flush()
    if not ok:
        raise PersonalDataUnavailable(detail["result"])
    return data
