"""Kiosk enrolment with one-time tokens or short codes, and revocation.

A short enrolment code is a one-time token a technician can type on the kiosk's first-run
screen: 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), shown grouped
``ABCD-EFGH``, valid 24 hours, issued from the board for one module. It is stored like a
token (only its SHA-256, of the 8 characters in capitals) and exchanged by the same
:func:`enrol`: the kiosk sends it as its token, with or without the dash, in any case.
Guessing is bounded by the attempt limit of the enrolment endpoint (central/api/enrolment.py).
"""

import base64
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from central.db import utcnow
from central.models import EnrolmentToken, Kiosk, KioskStatus, OrgLevel, OrgNode, Setting
from central.security import hash_token, new_token
from trato.protocol.wire import EnrolmentRequest, EnrolmentResponse, UnitConfig


class EnrolmentError(Exception):
    """A refused enrolment: ``status`` (4xx), stable ``code`` and a reason."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail


def find_unit(session: Session, clues: str) -> OrgNode | None:
    return session.execute(
        select(OrgNode).where(OrgNode.level == OrgLevel.UNIT.value,
                              OrgNode.clues == clues.strip().upper())
    ).scalar_one_or_none()


def resolve_module(session: Session, target: str) -> OrgNode:
    """A module by its code, or the first module of a unit given by CLUES (created as
    "Módulo de Trato Digno 1" when the unit has none). Raises LookupError."""
    target = target.strip()
    module = session.execute(
        select(OrgNode).where(OrgNode.level == OrgLevel.MODULE.value, OrgNode.code == target)
    ).scalar_one_or_none()
    if module is not None:
        return module
    unit = find_unit(session, target)
    if unit is None:
        raise LookupError(f"no module or unit (CLUES) {target!r}")
    module = session.execute(
        select(OrgNode).where(OrgNode.level == OrgLevel.MODULE.value,
                              OrgNode.parent_id == unit.id).order_by(OrgNode.code)
    ).scalars().first()
    if module is None:
        module = OrgNode(level=OrgLevel.MODULE.value, code=f"{unit.clues}-M1",
                         name="Módulo de Trato Digno 1", parent_id=unit.id,
                         ooad_id=unit.ooad_id, umae_id=unit.umae_id, unit_id=unit.id)
        session.add(module)
        session.flush()
    return module


def issue_token(session: Session, target: str, *, hours: int = 72, created_by: str = ""
                ) -> str:
    """A one-time enrolment token for a module (code) or unit (CLUES); commits."""
    module = resolve_module(session, target)
    token = new_token()
    session.add(EnrolmentToken(token_hash=hash_token(token), module_id=module.id,
                               expires_at=utcnow() + timedelta(hours=hours),
                               created_by=created_by))
    session.commit()
    return token


CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
CODE_HOURS = 24


def normalise_code(text: str) -> str | None:
    """The 8 characters of a short code as typed (spaces, dashes and case ignored), or None
    when ``text`` is not one (a long token)."""
    compact = "".join(text.split()).replace("-", "").upper()
    if len(compact) == CODE_LENGTH and all(c in CODE_ALPHABET for c in compact):
        return compact
    return None


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def issue_code(session: Session, module: OrgNode, *, hours: int = CODE_HOURS,
               created_by: str = "") -> tuple[str, datetime]:
    """A short one-time code for ``module`` (formatted ``ABCD-EFGH``) and when it expires;
    commits."""
    expires_at = utcnow() + timedelta(hours=hours)
    for _attempt in range(5):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        try:
            with session.begin_nested():
                session.add(EnrolmentToken(token_hash=hash_token(code), module_id=module.id,
                                           expires_at=expires_at, created_by=created_by))
            session.commit()
            return format_code(code), expires_at
        except IntegrityError:  # the same code is live already: draw again
            continue
    raise RuntimeError("could not draw a free enrolment code")


def _valid_signing_key(text: str) -> bool:
    try:
        return len(base64.b64decode(text, validate=True)) == 32
    except ValueError:
        return False


def kiosk_settings(session: Session) -> dict[str, Any]:
    return {s.key: s.value for s in session.execute(select(Setting)).scalars()}


@dataclass(frozen=True)
class EnrolmentContext:
    tracking_base_url: str
    sealing_public_key: str
    timezone: str = "America/Mexico_City"


def enrol(session: Session, request: EnrolmentRequest, ctx: EnrolmentContext
          ) -> EnrolmentResponse:
    """Consume the token and create the kiosk; commits. Raises EnrolmentError."""
    if not _valid_signing_key(request.signing_public_key):
        raise EnrolmentError(422, "invalid_key", "signing_public_key is not a base64 Ed25519 key")
    token = session.execute(
        select(EnrolmentToken).where(EnrolmentToken.token_hash == hash_token(
            normalise_code(request.token) or request.token))
    ).scalar_one_or_none()
    now = utcnow()
    if token is None:
        raise EnrolmentError(401, "invalid_token", "the enrolment token is not valid")
    if token.used_at is not None:
        raise EnrolmentError(409, "token_used", "the enrolment token was already used")
    if token.expires_at <= now:
        raise EnrolmentError(401, "token_expired", "the enrolment token has expired")
    # Consume atomically: only one concurrent request can win.
    won = session.execute(
        update(EnrolmentToken)
        .where(EnrolmentToken.id == token.id, EnrolmentToken.used_at.is_(None))  # type: ignore[union-attr]
        .values(used_at=now)
    ).rowcount
    if won != 1:
        session.rollback()
        raise EnrolmentError(409, "token_used", "the enrolment token was already used")
    module = session.get(OrgNode, token.module_id)
    assert module is not None and module.unit_id is not None
    unit = session.get(OrgNode, module.unit_id)
    assert unit is not None
    kiosk_id = uuid.uuid4()
    for _attempt in range(5):
        number = int(session.execute(
            select(func.coalesce(func.max(Kiosk.kiosk_number), 0)).where(
                Kiosk.unit_id == unit.id)
        ).scalar_one()) + 1
        kiosk = Kiosk(id=kiosk_id, module_id=module.id, unit_id=unit.id, ooad_id=unit.ooad_id,
                      umae_id=unit.umae_id, kiosk_number=number,
                      signing_public_key=request.signing_public_key,
                      hostname=request.hostname, app_version=request.app_version,
                      enrolled_at=now)
        try:
            with session.begin_nested():
                session.add(kiosk)
            break
        except IntegrityError:
            continue
    else:
        raise EnrolmentError(409, "busy", "could not number the kiosk; try again")
    token.kiosk_id = kiosk_id
    session.add(token)
    ooad = session.get(OrgNode, unit.ooad_id) if unit.ooad_id else None
    umae = session.get(OrgNode, unit.umae_id) if unit.umae_id else None
    settings = kiosk_settings(session)
    session.commit()
    return EnrolmentResponse(
        kiosk_id=kiosk_id,
        sealing_public_key=ctx.sealing_public_key,
        server_time=now,
        unit=UnitConfig(
            clues=unit.clues or unit.code,
            name=unit.name,
            unit_number=int(unit.unit_number or 0),
            kiosk_number=kiosk.kiosk_number,
            module_id=module.id,
            module_name=module.name,
            ooad_code=ooad.code if ooad else None,
            umae_code=umae.code if umae else None,
            tracking_base_url=ctx.tracking_base_url,
            timezone=ctx.timezone,
        ),
        settings=settings,
    )


def revoke_kiosk(session: Session, kiosk_id: uuid.UUID, reason: str = "") -> Kiosk:
    """Revoke a kiosk (idempotent); commits. Raises LookupError for an unknown kiosk."""
    kiosk = session.get(Kiosk, kiosk_id)
    if kiosk is None:
        raise LookupError("unknown kiosk")
    if kiosk.status != KioskStatus.REVOKED.value:
        kiosk.status = KioskStatus.REVOKED.value
        kiosk.revoked_at = utcnow()
        kiosk.revoke_reason = reason[:500]
        session.add(kiosk)
        session.commit()
    return kiosk
