"""This kiosk's identity, server settings and sync state: storage functions (keyword-only,
taking the caller's session)."""

from datetime import datetime
from typing import Any

from sqlmodel import Session

from kiosk.storage.models import SINGLE_ROW_ID, KioskIdentity, KioskSetting, SyncState
from trato.protocol.wire import EnrolmentResponse


def get_identity(session: Session) -> KioskIdentity | None:
    """The enrolled identity, or ``None`` before enrolment."""
    return session.get(KioskIdentity, SINGLE_ROW_ID)


def save_identity(
    session: Session,
    *,
    enrolment: EnrolmentResponse,
    server_url: str,
    now: datetime | None = None,
) -> KioskIdentity:
    """Save (or replace, on re-enrolment) the identity the server gave this kiosk, and the
    settings that came with it. ``enrolled_at`` is the server's time of the enrolment unless
    ``now`` is given. A re-enrolment clears a revocation."""
    unit = enrolment.unit
    identity = get_identity(session) or KioskIdentity(id=SINGLE_ROW_ID)
    identity.kiosk_id = enrolment.kiosk_id
    identity.clues = unit.clues
    identity.unit_name = unit.name
    identity.unit_number = unit.unit_number
    identity.kiosk_number = unit.kiosk_number
    identity.module_id = unit.module_id
    identity.module_name = unit.module_name
    identity.ooad_code = unit.ooad_code
    identity.umae_code = unit.umae_code
    identity.tracking_base_url = unit.tracking_base_url
    identity.timezone = unit.timezone
    identity.sealing_public_key = enrolment.sealing_public_key
    identity.server_url = server_url
    identity.enrolled_at = now or enrolment.server_time
    identity.revoked_at = None
    identity.revoked_reason = None
    session.add(identity)
    for key, value in enrolment.settings.items():
        put_setting(session, key=key, value=value, version=1, now=now or enrolment.server_time)
    session.flush()
    return identity


def mark_revoked(session: Session, *, now: datetime, reason: str) -> KioskIdentity | None:
    """The server says this kiosk is revoked: it stops sending and keeps its data."""
    identity = get_identity(session)
    if identity is None:
        return None
    if identity.revoked_at is None:
        identity.revoked_at = now
    identity.revoked_reason = reason[:500]
    session.add(identity)
    session.flush()
    return identity


def put_setting(
    session: Session, *, key: str, value: Any, version: int, now: datetime
) -> KioskSetting:
    """Insert or update a server setting; an older ``version`` than stored is ignored."""
    setting = session.get(KioskSetting, key)
    if setting is not None and setting.version > version:
        return setting
    if setting is None:
        setting = KioskSetting(key=key, value=value, version=version, updated_at=now)
    setting.value = value
    setting.version = version
    setting.updated_at = now
    session.add(setting)
    session.flush()
    return setting


def get_setting(session: Session, *, key: str, default: Any = None) -> Any:
    setting = session.get(KioskSetting, key)
    return default if setting is None else setting.value


def get_sync_state(session: Session) -> SyncState:
    """The sync state row, created on first use (in a write transaction)."""
    state = session.get(SyncState, SINGLE_ROW_ID)
    if state is None:
        state = SyncState(id=SINGLE_ROW_ID)
        session.add(state)
        session.flush()
    return state


def read_sync_state(session: Session) -> SyncState:
    """The sync state for display; a blank one (not added) before the first sync."""
    return session.get(SyncState, SINGLE_ROW_ID) or SyncState(id=SINGLE_ROW_ID)
