"""The module staff's kiosk accounts: an agent's PIN, role and certification set at the
central server and published to the kiosks of the agent's unit with the roster.

Names, job titles and certification come in bulk from Human Resources' CSV
(:mod:`central.services.roster_import`, the ``/personal`` page); the PIN and the kiosk role
only through ``trato-central set-staff-pin``. The PIN itself is never stored: only its argon2id hash
(:mod:`trato.protocol.pins`), which is what the kiosks receive.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from central.db import utcnow
from central.models import StaffMember
from central.services.changes import lock_change_log, publish_staff
from central.services.enrolment import find_unit
from trato.domain.enums import StaffRole
from trato.protocol import pins
from trato.protocol.wire import StaffEntry


class StaffError(ValueError):
    """Bad input for a staff account (the message says what to fix)."""


@dataclass(frozen=True)
class StaffAccount:
    """What to set on one account; ``None`` keeps what is stored."""

    unit_clues: str
    employee_number: str
    pin: str | None = None
    name: str | None = None
    role: StaffRole | None = None
    title: str | None = None
    can_read_sensitive: bool | None = None
    certified_on: date | None = None
    certified_until: date | None = None
    active: bool | None = None


def _checked_number(number: str) -> str:
    number = number.strip()
    try:
        StaffEntry(staff_id=number)
    except ValueError:
        raise StaffError("employee number: 1-64 letters, digits, '.', '_' or '-'") from None
    return number


def set_staff_account(session: Session, account: StaffAccount) -> StaffMember:
    """Create or update the member ``employee_number`` of the unit ``unit_clues`` and publish
    the unit's roster; commits. Raises :class:`StaffError`."""
    unit = find_unit(session, account.unit_clues)
    if unit is None:
        raise StaffError(f"no unit with CLUES {account.unit_clues!r}")
    number = _checked_number(account.employee_number)
    pin_hash = None
    if account.pin is not None:
        problem = pins.pin_problem(account.pin)
        if problem is not None:
            raise StaffError({
                "pin_digits_only": "the PIN must be digits only",
                "pin_length": f"the PIN must have {pins.PIN_MIN_DIGITS} to "
                              f"{pins.PIN_MAX_DIGITS} digits",
            }.get(problem, "the PIN is too easy to guess (all the same, or in a row)"))
        pin_hash = pins.hash_pin(account.pin)
    if account.certified_on and account.certified_until \
            and account.certified_until < account.certified_on:
        raise StaffError("the certification cannot end before it starts")
    lock_change_log(session)
    member = session.execute(
        select(StaffMember).where(StaffMember.unit_id == unit.id,
                                  StaffMember.employee_number == number)
    ).scalar_one_or_none()
    if member is None:
        if not account.name:
            raise StaffError("a new member needs a name (--name)")
        member = StaffMember(unit_id=unit.id, employee_number=number, name=account.name)
    _apply(member, account, pin_hash)
    session.add(member)
    session.flush()
    publish_staff(session, unit.id)
    session.commit()
    session.refresh(member)
    return member


def _apply(member: StaffMember, account: StaffAccount, pin_hash: str | None) -> None:
    if pin_hash is not None:
        member.pin_hash = pin_hash
    if account.name:
        member.name = account.name
    if account.role is not None:
        member.kiosk_role = account.role.value
    if account.title is not None:
        member.role = account.title
    if account.can_read_sensitive is not None:
        member.can_read_sensitive = account.can_read_sensitive
    if account.certified_on is not None:
        member.certified_buen_trato, member.certified_at = True, account.certified_on
    if account.certified_until is not None:
        member.certified_until = account.certified_until
    if account.active is not None:
        member.active = account.active
    member.updated_at = utcnow()
