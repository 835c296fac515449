"""Staff accounts in the kiosk's store: the pulled roster, the local administrator, each
account's lockout and the audit of sign-ins (storage functions: the caller's session first,
everything else keyword-only)."""

from datetime import datetime

from sqlmodel import Session, col, select

from kiosk.storage.models import (
    SINGLE_ROW_ID,
    LocalAdmin,
    StaffAudit,
    StaffLockout,
    StaffMember,
)


def get_member(session: Session, staff_id: str) -> StaffMember | None:
    """The roster member ``staff_id`` (active or not), or None."""
    return session.get(StaffMember, staff_id)


def get_local_admin(session: Session) -> LocalAdmin | None:
    return session.get(LocalAdmin, SINGLE_ROW_ID)


def set_local_admin(session: Session, *, pin_hash: str, now: datetime) -> LocalAdmin:
    """Create the local administrator, or give it a new PIN hash."""
    admin = get_local_admin(session)
    if admin is None:
        admin = LocalAdmin(id=SINGLE_ROW_ID, pin_hash=pin_hash, created_at=now, updated_at=now)
    admin.pin_hash, admin.updated_at = pin_hash, now
    session.add(admin)
    session.flush()
    return admin


def get_lockout(session: Session, staff_id: str) -> StaffLockout | None:
    return session.get(StaffLockout, staff_id)


def put_lockout(session: Session, *, staff_id: str, failures: int,
                locked_until: datetime | None, now: datetime) -> None:
    """Keep an account's count of wrong PINs and the end of its wait; a clean count (no
    failures, no wait) removes the row."""
    row = session.get(StaffLockout, staff_id)
    if failures <= 0 and locked_until is None:
        if row is not None:
            session.delete(row)
        return
    if row is None:
        row = StaffLockout(staff_id=staff_id, updated_at=now)
    row.failures, row.locked_until, row.updated_at = failures, locked_until, now
    session.add(row)


def add_audit(session: Session, *, at: datetime, staff_id: str, action: str,
              detail: str = "") -> None:
    session.add(StaffAudit(at=at, staff_id=staff_id[:128], action=action[:32],
                           detail=detail[:64]))


def recent_audit(session: Session, *, limit: int = 50) -> list[StaffAudit]:
    """The newest audit entries first."""
    return list(session.exec(
        select(StaffAudit).order_by(col(StaffAudit.at).desc()).limit(limit)).all())
