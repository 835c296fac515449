"""The words of staff accounts that the screens need before the store is open: the
administrator's id, the audit's actions, an account's fields and the kiosk's place.

Kept apart from :mod:`kiosk.services.staff` (which needs SQLAlchemy) so the window can be
built, and the attract screen painted, before the store and its libraries are loaded
(:mod:`kiosk.app`).
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypedDict

from trato.domain.enums import StaffRole

#: The staff id of the kiosk's own administrator.
LOCAL_ADMIN_ID = "admin-local"
#: What the audit names an account that does not exist.
UNKNOWN_ACCOUNT = "unknown"


class AuditAction(StrEnum):
    SIGN_IN = "sign_in"
    SIGN_IN_REFUSED = "sign_in_refused"  # a wrong PIN, an unknown or inactive account
    LOCKED_OUT = "locked_out"  # that miss made the account wait
    SIGN_OUT = "sign_out"  # detail: "staff" (asked), "idle", "ended"
    SETTINGS_CHANGED = "settings_changed"  # detail: the names changed
    LEFT_KIOSK_MODE = "left_kiosk_mode"


class AccountFields(TypedDict):
    """An account that signed in, as :class:`kiosk.flow.staff.Agent` holds it."""

    staff_id: str
    name: str
    role: StaffRole
    can_read_sensitive: bool
    certified_on: date | None
    certified_until: date | None


@dataclass(frozen=True)
class KioskPlace:
    """Where this kiosk is, as enrolled (empty before enrolment)."""

    unit_name: str = ""
    clues: str = ""
    module_name: str = ""
    timezone: str = "America/Mexico_City"
