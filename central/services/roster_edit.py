"""One member of the roster added or edited on the web (``/personal``), by the rules of the
CSV import (:mod:`central.services.roster_import`): the same checks of the employee number,
the name, the job title, the dates and the module, plus an employee number already taken in
the unit and the kiosk role. Nothing is written while a problem is left; a saved change
publishes the unit's roster to its kiosks (:func:`central.services.changes.publish_staff`) and
writes one audit entry, in one transaction.

Deactivating is an edit with ``active`` false: the member stays on the list (and on the
recognitions linked to them) but leaves the roster the kiosks receive.
"""

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from central.models import AuditLog, OrgNode, StaffMember
from central.services.changes import lock_change_log, publish_staff
from central.services.roster_import import (
    InScope,
    Problem,
    RosterRow,
    apply_row,
    check_fields,
    resolve_rows,
)
from trato.domain.enums import StaffRole

_APPLIED = ["title", "module", "certified_on", "certified_until", "active"]
#: What an audit entry names when it changed (never the PIN hash).
_AUDITED = ("employee_number", "name", "module_id", "role", "kiosk_role", "certified_buen_trato",
            "certified_at", "certified_until", "active")


@dataclass
class MemberForm:
    """What the person typed; ``clues`` only matters for a new member."""

    employee_number: str = ""
    name: str = ""
    clues: str = ""
    module: str = ""
    title: str = ""
    kiosk_role: str = StaffRole.AGENT.value
    certified_on: str = ""
    certified_until: str = ""
    active: bool = True

    @classmethod
    def of(cls, member: StaffMember, unit: OrgNode, module: OrgNode | None) -> "MemberForm":
        def day(value: Any) -> str:
            return value.strftime("%d/%m/%Y") if value else ""

        certified = member.certified_buen_trato
        return cls(employee_number=member.employee_number or "", name=member.name,
                   clues=unit.clues or "", module=module.code if module else "",
                   title=member.role, kiosk_role=member.kiosk_role,
                   certified_on=day(member.certified_at) if certified else "",
                   certified_until=day(member.certified_until) if certified else "",
                   active=member.active)


@dataclass
class SaveResult:
    member: StaffMember | None = None
    unit: OrgNode | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _row(form: MemberForm) -> RosterRow:
    values = {"employee_number": form.employee_number.strip(), "name": form.name.strip(),
              "clues": form.clues.strip().upper(), "module": form.module.strip(),
              "title": form.title.strip(), "certified_on": form.certified_on.strip(),
              "certified_until": form.certified_until.strip(),
              "active": "sí" if form.active else "no"}
    return RosterRow(0, values)


def _snapshot(member: StaffMember) -> dict[str, Any]:
    return {name: getattr(member, name) for name in _AUDITED}


def save_member(session: Session, form: MemberForm, in_scope: InScope, *,
                member: StaffMember | None = None, by_user_id: uuid.UUID | None = None,
                by_username: str = "") -> SaveResult:
    """Add a member (``member`` None: to the unit of ``form.clues``) or change ``member``
    (its unit stays); commits when there is no problem."""
    unit = session.get(OrgNode, member.unit_id) if member is not None else None
    if unit is not None:
        form.clues = unit.clues or ""
    row = _row(form)
    check_fields(row)
    if not row.values["clues"]:
        del row.values["clues"]  # nothing to look up
        row.problems.append(Problem("unit_missing"))
    resolve_rows(session, [row], in_scope)
    if form.kiosk_role not in {r.value for r in StaffRole}:
        row.problems.append(Problem("kiosk_role"))
    number = row.values["employee_number"]
    if row.unit is not None and number:
        taken = session.execute(select(StaffMember.id).where(
            StaffMember.unit_id == row.unit.id, StaffMember.employee_number == number)
        ).scalar_one_or_none()
        if taken is not None and (member is None or taken != member.id):
            row.problems.append(Problem("taken", {"value": number, "unit": form.clues}))
    if row.problems or row.unit is None:
        return SaveResult(problems=row.problems)
    lock_change_log(session)
    before = _snapshot(member) if member is not None else {}
    if member is None:
        member = StaffMember(unit_id=row.unit.id, employee_number=number, name=row.values["name"])
    member.employee_number = number
    apply_row(member, row, ["name", *_APPLIED])
    member.kiosk_role = form.kiosk_role
    session.add(member)
    session.flush()
    publish_staff(session, row.unit.id)
    after = _snapshot(member)
    changed = [name for name in _AUDITED if before.get(name, None) != after[name]]
    action = ("staff_add" if not before else
              "staff_deactivate" if before["active"] and not member.active else "staff_edit")
    session.add(AuditLog(user_id=by_user_id, username=by_username, action=action,
                         target_type="staff", target_id=str(member.id),
                         detail={"unit": row.unit.clues, "employee_number": number,
                                 "changed": changed}))
    session.commit()
    session.refresh(member)
    return SaveResult(member=member, unit=row.unit)
