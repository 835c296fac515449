"""One member of the roster added and edited by the web form's service on real SQLite and
PostgreSQL databases: the import's rules plus an employee number taken in the unit, nothing
written while a problem is left, each save published to the unit's kiosks and audited; and
the board's certified share, which counts a certification valid on the day."""

import uuid
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from central.models import AuditLog, ChangeLog, OrgNode, StaffMember
from central.services.roster_edit import MemberForm, save_member
from central.web.board_data import certification
from central.web.nodes import BoardNode
from central.web.scope import Scope


@pytest.fixture
def engine(org_engine: Engine) -> Engine:
    return org_engine


def _node(engine: Engine, code: str) -> OrgNode:
    with Session(engine) as s:
        return s.exec(select(OrgNode).where(OrgNode.code == code)).one()


def _ags_only(engine: Engine) -> Callable[[OrgNode], bool]:
    ags = _node(engine, "AGS")
    return lambda node: node.ooad_id == ags.id or node.id == ags.id


def _save(engine: Engine, form: MemberForm, member_id: str = "") -> tuple[list[str], str]:
    """Problem codes and the saved member's id."""
    with Session(engine) as s:
        member = s.get(StaffMember, uuid.UUID(member_id)) if member_id else None
        result = save_member(s, form, _ags_only(engine), member=member, by_username="rh")
        return [p.code for p in result.problems], str(result.member.id) if result.member else ""


def _roster(engine: Engine, unit: OrgNode) -> list[dict]:
    with Session(engine) as s:
        last = s.exec(select(ChangeLog).where(ChangeLog.kind == "staff",
                                              ChangeLog.key == str(unit.id))
                      .order_by(ChangeLog.cursor.desc())).first()
        return last.data["staff"] if last else []


def test_add_edit_and_deactivate_reach_the_kiosks_and_the_audit(engine: Engine) -> None:
    unit = _node(engine, "ASIMS000039")
    form = MemberForm(employee_number="E100", name="María López", clues="asims000039",
                      module="ASIMS000039-M1", title="Agente", kiosk_role="administrador",
                      certified_on="2026-01-10", certified_until="2028-01-10")
    problems, member_id = _save(engine, form)
    assert problems == [] and member_id
    entry = next(e for e in _roster(engine, unit) if e["staff_id"] == "E100")
    assert (entry["name"], entry["role"], entry["certified_until"]) == (
        "María López", "administrador", "2028-01-10")
    # Edited: a new number, no certification any more.
    edit = MemberForm(employee_number="E101", name="María López Ruiz", title="Coordinadora",
                      kiosk_role="agente")
    assert _save(engine, edit, member_id)[0] == []
    entry = next(e for e in _roster(engine, unit) if e["staff_id"] == "E101")
    assert entry["certified_on"] is None and entry["title"] == "Coordinadora"
    assert not any(e["staff_id"] == "E100" for e in _roster(engine, unit))
    # Deactivated: stays on the list, leaves the kiosks' roster.
    gone = MemberForm(employee_number="E101", name="María López Ruiz", title="Coordinadora",
                      active=False)
    assert _save(engine, gone, member_id)[0] == []
    assert not any(e["staff_id"] == "E101" for e in _roster(engine, unit))
    with Session(engine) as s:
        assert not s.get(StaffMember, uuid.UUID(member_id)).active
        audit = s.exec(select(AuditLog).where(AuditLog.target_id == member_id)
                       .order_by(AuditLog.at)).all()
    assert [a.action for a in audit] == ["staff_add", "staff_edit", "staff_deactivate"]
    assert {"employee_number", "name", "role", "certified_buen_trato"} <= set(
        audit[1].detail["changed"])
    assert audit[2].detail["changed"] == ["active"] and audit[0].username == "rh"


@pytest.mark.parametrize(("form", "codes"), [
    (MemberForm(employee_number="E200", name="Otra", clues="ASIMS000039",
                certified_on="2026-05-01", certified_until="2026-04-01"), ["until_before_on"]),
    (MemberForm(employee_number="E201", name="Otra", clues="ASIMS000039",
                certified_on="2026-13-01"), ["bad_date"]),
    (MemberForm(employee_number="E202", name="Otra", clues="ASIMS000039",
                module="BCIMS000039-M1"), ["unknown_module"]),
    (MemberForm(employee_number="E203", name="Otra", clues="BCIMS000039"), ["out_of_scope"]),
    (MemberForm(employee_number="12 34", name="", clues=""),
     ["employee_number", "name_missing", "unit_missing"]),
    (MemberForm(employee_number="E204", name="Otra", clues="ASIMS000039",
                kiosk_role="director"), ["kiosk_role"]),
])
def test_bad_forms_name_the_problem_and_write_nothing(engine: Engine, form: MemberForm,
                                                      codes: list[str]) -> None:
    with Session(engine) as s:
        before = len(s.exec(select(ChangeLog)).all())
    assert _save(engine, form) == (codes, "")
    with Session(engine) as s:
        assert len(s.exec(select(ChangeLog)).all()) == before
        assert s.exec(select(StaffMember).where(
            StaffMember.employee_number == form.employee_number)).first() is None


def test_an_employee_number_is_taken_only_within_its_unit(engine: Engine) -> None:
    first = MemberForm(employee_number="E300", name="Uno", clues="ASIMS000039")
    assert _save(engine, first)[0] == []
    assert _save(engine, MemberForm(employee_number="E300", name="Dos", clues="ASIMS000039")
                 )[0] == ["taken"]
    # The same number in another unit of the branch is another person.
    problems, other_id = _save(engine, MemberForm(employee_number="E300", name="Tres",
                                                  clues="ASIMS000076"))
    assert problems == []
    # Renaming someone to a number taken in their unit is refused too.
    assert _save(engine, MemberForm(employee_number="E301", name="Cuatro", clues="ASIMS000076")
                 )[0] == []
    with Session(engine) as s:
        four = s.exec(select(StaffMember).where(StaffMember.employee_number == "E301")).one()
    assert _save(engine, MemberForm(employee_number="E300", name="Cuatro"), str(four.id)
                 )[0] == ["taken"]
    assert other_id


def test_certified_share_counts_certifications_valid_on_the_day(engine: Engine) -> None:
    unit = _node(engine, "DFIMS000113")  # a unit no other test gives staff to
    with Session(engine) as s:
        for number, on, until, active in (
                ("C1", date(2026, 1, 1), date(2026, 12, 31), True),  # valid the whole year
                ("C2", date(2026, 6, 1), None, True),  # from June, never expires
                ("C3", date(2025, 1, 1), date(2026, 3, 31), True),  # expired at the end of March
                ("C4", None, None, True),  # never certified
                ("C5", date(2026, 1, 1), None, False)):  # certified but no longer on staff
            s.add(StaffMember(unit_id=unit.id, employee_number=number, name=number,
                              certified_buen_trato=on is not None, certified_at=on,
                              certified_until=until, active=active))
        s.commit()
        node = BoardNode(str(unit.id), unit.name, unit.level, unit)
        umae = _node(engine, "UMAE-HE-CMNSXXI")

        def share(day: date, scope: Scope | None = None) -> tuple[int, int] | None:
            rows = certification(s, scope or Scope(None, None), node, day)
            return (rows[0]["certified"], rows[0]["total"]) if rows else None

        assert share(date(2026, 2, 1)) == (2, 4)  # C1, C3
        assert share(date(2026, 3, 31)) == (2, 4)  # the last day of C3 still counts
        assert share(date(2026, 4, 1)) == (1, 4)  # C1
        assert share(date(2026, 6, 1)) == (2, 4)  # C1, C2
        assert share(date(2027, 1, 1)) == (1, 4)  # C2
        assert share(date(2026, 6, 1), Scope("umae_id", umae.id)) == (2, 4)
        assert share(date(2026, 6, 1), Scope("ooad_id", _node(engine, "AGS").id)) is None
