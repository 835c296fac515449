"""A reconocimiento linked to a member of its unit's roster, and the Muro's count of
recognitions per person.

On the case page of a reconocimiento, a user who moderates recognitions
(:data:`central.web.auth.MODERATOR_ROLES`) picks the recognised person among the active
members of the case's unit, or unlinks; each change goes on the case's timeline and into the
audit log. The Muro (``/reconocimientos`` and the public ``/muro/<CLUES>``) counts, per
member, the recognitions it shows (consented and approved), and names a linked recognition by
the member's name in the roster. Only staff names appear: never anything of the person who
filed the recognition.
"""

import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from central.models import (
    AuditLog,
    Case,
    CaseEvent,
    CaseEventType,
    OrgNode,
    RecognitionStatus,
    StaffMember,
)
from central.web.auth import MODERATOR_ROLES, Viewer
from central.web.errors import WebError, not_found
from central.web.i18n import t
from trato.domain.enums import CaseType

#: People listed with their count on a Muro.
COUNTS_SHOWN = 12


def _is_recognition(case: Case) -> bool:
    return case.case_type == CaseType.RECONOCIMIENTO.value


def may_link(viewer: Viewer, case: Case) -> bool:
    return _is_recognition(case) and viewer.role in MODERATOR_ROLES


def _active_staff(session: Session, unit_id: uuid.UUID) -> list[StaffMember]:
    return list(session.exec(select(StaffMember).where(
        StaffMember.unit_id == unit_id, StaffMember.active == sa.true())
        .order_by(StaffMember.name)).all())


def link_context(session: Session, viewer: Viewer, case: Case) -> dict[str, Any]:
    """What the case page shows of the link (nothing for other types of case)."""
    if not _is_recognition(case):
        return {"link": None}
    member = session.get(StaffMember, case.recognised_staff_id) \
        if case.recognised_staff_id else None
    choices = [(str(m.id), f"{m.name} ({m.employee_number})" if m.employee_number else m.name)
               for m in _active_staff(session, case.unit_id)] if may_link(viewer, case) else []
    return {"link": {"name": member.name if member else "", "id": str(member.id) if member
                     else "", "can_change": may_link(viewer, case), "choices": choices}}


def link_recognition(session: Session, viewer: Viewer, case: Case, staff_id: str,
                     note: str = "") -> None:
    """Link ``case`` to the active member ``staff_id`` of its unit ('' unlinks), with a
    timeline event and an audit entry (the caller commits)."""
    if not may_link(viewer, case):
        raise not_found()
    member = None
    if staff_id:
        member = next((m for m in _active_staff(session, case.unit_id)
                       if str(m.id) == staff_id), None)
        if member is None:
            raise WebError(400, "error.bad_request.title", "case.link.invalid")
    new_id = member.id if member else None
    if new_id == case.recognised_staff_id:
        return
    case.recognised_staff_id = new_id
    session.add(CaseEvent(case_id=case.id, event_type=CaseEventType.RECOGNITION_LINKED.value,
                          note=note, by_user_id=viewer.id, by_name=viewer.display_name,
                          source="web", detail={"staff": member.name if member else None}))
    session.add(AuditLog(user_id=viewer.id, username=viewer.user.username,
                         action="recognition_link" if member else "recognition_unlink",
                         target_type="case", target_id=str(case.id),
                         detail={"staff_id": str(new_id) if new_id else None,
                                 "employee_number": member.employee_number if member else None}))


def wall_where() -> Any:
    """The recognitions a Muro shows."""
    return sa.and_(Case.case_type == CaseType.RECONOCIMIENTO.value,
                   Case.publish_recognition == sa.true(), Case.consent_given == sa.true(),
                   Case.recognition_status == RecognitionStatus.APPROVED.value)


def counts_by_person(session: Session, where: Any, limit: int = COUNTS_SHOWN
                     ) -> list[dict[str, Any]]:
    """Members with the most recognitions on the Muro among the cases ``where`` selects."""
    n = sa.func.count(Case.id)
    rows = session.exec(
        select(StaffMember.name, OrgNode.name, n)
        .join(Case, Case.recognised_staff_id == StaffMember.id)
        .join(OrgNode, OrgNode.id == StaffMember.unit_id)
        .where(wall_where(), where).group_by(StaffMember.id, StaffMember.name, OrgNode.name)
        .order_by(n.desc(), StaffMember.name).limit(limit)).all()
    return [{"name": name, "unit": unit, "n": int(count), "label": count_label(int(count))}
            for name, unit, count in rows]


def count_label(n: int) -> str:
    return t("wall.count.one") if n == 1 else t("wall.count.many", n=n)


def staff_names(session: Session, ids: set[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    wanted = sorted(i for i in ids if i is not None)
    if not wanted:
        return {}
    return dict(session.exec(select(StaffMember.id, StaffMember.name)
                             .where(StaffMember.id.in_(wanted))).all())
