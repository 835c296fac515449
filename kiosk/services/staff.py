"""Staff accounts: who may sign in at this kiosk and with which PIN, each account's lockout
kept in the store, and the audit of sign-ins and sign-outs.

The accounts are the unit's roster pulled from the central server (argon2id PIN hashes,
:mod:`trato.protocol.pins`) and the kiosk's own administrator made at enrolment
(:data:`LOCAL_ADMIN_ID`), who can sign in before any roster arrived. A kiosk enrolled by an
earlier release has no administrator in its store yet: then the administrator's PIN is the
scrypt hash of the settings (``TD_KIOSK_STAFF_PIN_HASH``, the demo PIN by default), until
``trato-kiosk set-admin-pin`` or a new enrolment sets one.

Nothing here logs or stores a PIN, nor what was typed for an account that does not exist
(someone may type a PIN in the number field): the audit says "unknown".
"""

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from kiosk.clock import Clock
from kiosk.services.staff_terms import (
    LOCAL_ADMIN_ID,
    UNKNOWN_ACCOUNT,
    AccountFields,
    AuditAction,
    KioskPlace,
)
from kiosk.storage import staff as store
from kiosk.storage.db import Database
from kiosk.storage.identity import get_identity
from trato.domain.enums import StaffRole
from trato.protocol import pins

__all__ = ["LOCAL_ADMIN_ID", "UNKNOWN_ACCOUNT", "AccountFields", "AuditAction", "KioskPlace",
           "StaffAccounts"]

log = logging.getLogger(__name__)

class StaffAccounts:
    """The accounts of this kiosk, their lockout rows and the audit (a use case per
    method; every method may run off the GUI thread)."""

    def __init__(self, database: Database, clock: Clock, *,
                 legacy_admin_check: Callable[[str], bool] | None = None) -> None:
        self._db = database
        self._clock = clock
        self._legacy_admin_check = legacy_admin_check

    def exists(self, staff_id: str) -> bool:
        """An account that can sign in here (an active roster member, or the
        administrator)."""
        if staff_id == LOCAL_ADMIN_ID:
            return True
        with self._db.read() as session:
            member = store.get_member(session, staff_id)
            return member is not None and member.active

    def verify(self, staff_id: str, pin: str) -> AccountFields | None:
        """The account when ``pin`` is its PIN, else None (an unknown or inactive account,
        one without a PIN, a wrong PIN). Slow on purpose (argon2id), about as slow whatever
        the outcome."""
        if staff_id == LOCAL_ADMIN_ID:
            return self._verify_admin(pin)
        with self._db.read() as session:
            member = store.get_member(session, staff_id)
            usable = member is not None and member.active
            pin_hash = member.pin_hash if member is not None and usable else None
        if not pins.verify_pin(pin, pin_hash) or member is None:
            return None
        return AccountFields(
            staff_id=member.id, name=member.display_name or member.id,
            role=StaffRole(member.role) if member.role in set(StaffRole) else StaffRole.AGENT,
            can_read_sensitive=member.can_read_sensitive,
            certified_on=member.certified_on, certified_until=member.certified_until)

    def _verify_admin(self, pin: str) -> AccountFields | None:
        with self._db.read() as session:
            admin = store.get_local_admin(session)
            pin_hash = admin.pin_hash if admin is not None else None
        if pin_hash is not None:
            ok = pins.verify_pin(pin, pin_hash)
        else:
            ok = self._legacy_admin_check is not None and self._legacy_admin_check(pin)
        if not ok:
            return None
        return AccountFields(staff_id=LOCAL_ADMIN_ID, name="", role=StaffRole.ADMIN,
                             can_read_sensitive=False, certified_on=None,
                             certified_until=None)

    # ------------------------------------------------------------------ lockouts
    def lockout(self, staff_id: str) -> tuple[int, datetime | None]:
        """The stored wrong PINs in a row and the end of the wait (wall clock)."""
        with self._db.read() as session:
            row = store.get_lockout(session, staff_id)
            return (row.failures, row.locked_until) if row is not None else (0, None)

    def keep_lockout(self, staff_id: str, *, failures: int,
                     locked_until: datetime | None) -> None:
        with self._db.write() as session:
            store.put_lockout(session, staff_id=staff_id, failures=failures,
                              locked_until=locked_until, now=self._clock.now())

    # ------------------------------------------------------------------ audit
    def audit(self, staff_id: str, action: AuditAction, detail: str = "") -> None:
        """One audit row, logged too (the staff id, never a PIN)."""
        log.info("staff %s: %s%s", action.value, staff_id, f" ({detail})" if detail else "")
        try:
            with self._db.write() as session:
                store.add_audit(session, at=self._clock.now(), staff_id=staff_id,
                                action=action.value, detail=detail)
        except Exception:  # the audit must never stop a sign-out
            log.exception("staff audit not written")

    def recent_audit(self, limit: int = 50) -> list[dict[str, Any]]:
        with self._db.read() as session:
            return [{"at": r.at, "staff_id": r.staff_id, "action": r.action,
                     "detail": r.detail} for r in store.recent_audit(session, limit=limit)]

    # ------------------------------------------------------------------ administrator
    def set_admin_pin(self, pin: str) -> None:
        """Give the kiosk's administrator this PIN (raises ValueError with the problem's
        code for a PIN that is too short or too simple)."""
        pin_hash = pins.hash_pin(pin)
        with self._db.write() as session:
            store.set_local_admin(session, pin_hash=pin_hash, now=self._clock.now())
        log.info("local administrator PIN set")

    def has_admin(self) -> bool:
        with self._db.read() as session:
            return store.get_local_admin(session) is not None

    def where(self) -> KioskPlace:
        """This kiosk's unit, CLUES, module and time zone, as enrolled."""
        with self._db.read() as session:
            identity = get_identity(session)
            if identity is None:
                return KioskPlace()
            return KioskPlace(identity.unit_name, identity.clues, identity.module_name,
                              identity.timezone)
