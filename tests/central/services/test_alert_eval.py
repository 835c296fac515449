"""The alert rules evaluated on a real database (SQLite and PostgreSQL, the module-scoped
world of tests/central/services/conftest.py): records stored by the real ingest, rules of a
branch, :func:`central.web.alert_eval.evaluate` as the monitor calls it. One alert per (rule,
subject) while the condition holds, closed when it clears; the small-number rule; the desks'
pseudo-kiosks never watched; a rule sees only its branch."""

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from central.models import (
    Alert,
    AlertMail,
    AlertRule,
    Case,
    Kiosk,
    KioskStatus,
    OrgLevel,
    OrgNode,
)
from central.services.ingest import ingest
from central.web.alert_eval import evaluate
from tests.central.services.histories import World, empty
from tests.support.central import case_record, survey_record


@pytest.fixture
def w(world: World) -> Iterator[World]:
    yield world
    with world.engine.begin() as conn:
        for table in (AlertMail, Alert, AlertRule):
            conn.execute(sa.delete(table.__table__))
        conn.execute(sa.update(Kiosk.__table__).values(
            status=KioskStatus.ENROLLED.value, last_sync_at=None, clock_offset_seconds=None,
            enrolled_at=datetime.now(UTC)))
    empty(world.engine)


NOW = datetime.now(UTC)


def node(w: World, code: str) -> OrgNode:
    return next(n for n in w.nodes if n.code == code)


def kiosk_of(w: World, clues: str) -> Kiosk:
    unit = node(w, clues)
    return next(k for k in w.kiosks if k.unit_id == unit.id)


def rule(w: World, code: str, kind: str, threshold: float = 0, **extra: Any) -> AlertRule:
    with Session(w.engine, expire_on_commit=False) as s:
        r = AlertRule(node_id=node(w, code).id, kind=kind, threshold=threshold, **extra)
        s.add(r)
        s.commit()
        return r


def push(w: World, clues: str, records: list[dict[str, Any]],
         received: datetime = NOW) -> None:
    kiosk = kiosk_of(w, clues)
    with Session(w.engine) as s:
        ingest(s, s.get(Kiosk, kiosk.id), records, batch_id=uuid.uuid4(), received_at=received)
        s.commit()


def ratings(*values: int) -> list[dict[str, Any]]:
    return [survey_record(1000 + i, rating=v) for i, v in enumerate(values)]


def run(w: World, units: set[uuid.UUID] | None = None, mail_to: str = "") -> Any:
    with Session(w.engine, expire_on_commit=False) as s:
        outcome = evaluate(s, datetime.now(UTC), units=units, mail_to=mail_to)
        s.commit()
    return outcome


def active(w: World) -> list[Alert]:
    with Session(w.engine) as s:
        return list(s.exec(select(Alert).where(Alert.closed_at.is_(None))))


def test_satisfaction_once_while_low_never_under_five_closed_when_it_clears(w: World):
    rule(w, "AGS", "satisfaction", 80, min_responses=5)
    strict = rule(w, "AGS", "satisfaction", 80, min_responses=8)
    other_branch = rule(w, "BC", "satisfaction", 80, min_responses=5)
    push(w, "ASIMS000039", ratings(1, 1, 2, 1))
    assert run(w).opened == []  # four rated responses: the small-number rule
    push(w, "ASIMS000039", [survey_record(2000, rating=2),
                            survey_record(2001, rating=None)])  # unrated: not counted
    first = run(w)
    assert [(a.subject_label, a.figures) for a in first.opened] == [
        ("UMF No. 1 Aguascalientes", {"threshold": 80, "responses": 5})]
    assert "index" not in first.opened[0].figures  # never a figure the board may withhold
    assert run(w).opened == []  # the same condition: no second alert
    unit = node(w, "ASIMS000039").id
    assert run(w, units={unit}).opened == []
    assert {a.rule_id for a in active(w)} - {strict.id, other_branch.id} == {first.opened[0]
                                                                               .rule_id}
    push(w, "ASIMS000039", ratings(*[5] * 30))
    cleared = run(w, units={unit})
    assert [a.id for a in cleared.closed] == [first.opened[0].id]
    assert active(w) == []


def test_overdue_quejas_above_the_count(w: World):
    rule(w, "NC", "overdue", 1)
    kiosk = kiosk_of(w, "ASIMS000076")
    number = w.unit_numbers[kiosk.unit_id]
    old = NOW - timedelta(days=100)  # past its 50 business days
    cases = [case_record(3000 + i, unit_number=number, kiosk_number=kiosk.kiosk_number)
             for i in range(2)]
    push(w, "ASIMS000076", cases[:1], received=old)
    assert run(w).opened == []  # one overdue: not above one
    push(w, "ASIMS000076", cases[1:], received=old)
    push(w, "ASIMS000076", [case_record(3005, unit_number=number,
                                        kiosk_number=kiosk.kiosk_number)])  # not overdue
    opened = run(w).opened
    assert [(a.subject_type, a.figures) for a in opened] == [("unit", {"overdue": 2, "open": 3})]
    with Session(w.engine) as s:
        case = s.get(Case, uuid.UUID(cases[0]["id"]))
        case.stage = "cerrado"
        case.closed_at = NOW
        s.add(case)
        s.commit()
    assert [a.id for a in run(w).closed] == [opened[0].id]


def test_high_impact_case_raises_mail_without_personal_data(w: World):
    rule(w, "AGS", "high_impact", notify="comite.ags@imss.gob.mx")
    rule(w, "BC", "high_impact", notify="comite.bc@imss.gob.mx")
    kiosk = kiosk_of(w, "ASIMS000039")
    rec = case_record(4000, unit_number=w.unit_numbers[kiosk.unit_id],
                      kiosk_number=kiosk.kiosk_number, narrative="Texto muy privado")
    push(w, "ASIMS000039", [rec])
    assert run(w).opened == []
    with Session(w.engine) as s:
        case = s.get(Case, uuid.UUID(rec["id"]))
        case.impacto_institucional = True
        s.add(case)
        s.commit()
    opened = run(w, units={kiosk.unit_id}, mail_to="https://tablero.imss.test").opened
    assert [(a.subject_type, str(a.subject_id)) for a in opened] == [("case", rec["id"])]
    with Session(w.engine) as s:
        mails = list(s.exec(select(AlertMail)))
    assert [m.recipients for m in mails] == ["comite.ags@imss.gob.mx"]
    assert f"https://tablero.imss.test/alertas/{opened[0].id}" in mails[0].body
    assert "Texto muy privado" not in mails[0].body + mails[0].subject
    assert opened[0].subject_label in mails[0].body  # the folio, never a name


def test_kiosks_silent_or_off_desks_and_revoked_ones_never(w: World):
    silent = rule(w, "NC", "kiosk_silent", 24)
    clock = rule(w, "UMAE-HE-CMNSXXI", "kiosk_clock", 300)
    long_ago = NOW - timedelta(hours=30)
    ags, ags2, bc, umae = (kiosk_of(w, c) for c in ("ASIMS000039", "ASIMS000076",
                                                     "BCIMS000039", "DFIMS000113"))
    with w.engine.begin() as conn:
        k = Kiosk.__table__
        conn.execute(sa.update(k).values(last_sync_at=NOW))
        conn.execute(sa.update(k).where(k.c.id == ags.id).values(last_sync_at=long_ago))
        conn.execute(sa.update(k).where(k.c.id == ags2.id).values(
            last_sync_at=long_ago, status=KioskStatus.DESK.value))
        conn.execute(sa.update(k).where(k.c.id == bc.id).values(
            last_sync_at=long_ago, status=KioskStatus.REVOKED.value))
        conn.execute(sa.update(k).where(k.c.id == umae.id).values(clock_offset_seconds=-420.4))
    opened = run(w).opened
    assert sorted((a.rule_id == silent.id, str(a.subject_id), a.figures.get("hours"))
                  for a in opened) == sorted([(True, str(ags.id), 30),
                                              (False, str(umae.id), None)])
    assert next(a for a in opened if a.rule_id == clock.id).figures == {"offset_seconds": -420}
    with w.engine.begin() as conn:
        conn.execute(sa.update(Kiosk.__table__).values(last_sync_at=NOW,
                                                       clock_offset_seconds=1.5))
    assert len(run(w).closed) == 2


def test_disabled_rule_closes_its_alerts_and_a_unit_run_stays_in_its_unit(w: World):
    low = rule(w, "NC", "satisfaction", 90, min_responses=5)
    push(w, "ASIMS000039", ratings(1, 1, 1, 1, 1))
    push(w, "BCIMS000039", ratings(1, 1, 1, 1, 1, 1))
    assert len(run(w).opened) == 2
    with Session(w.engine) as s:
        r = s.get(AlertRule, low.id)
        r.active = False
        s.add(r)
        s.commit()
    bc_unit = node(w, "BCIMS000039")
    closed = run(w, units={bc_unit.id}).closed
    assert [a.unit_id for a in closed] == [bc_unit.id]  # the other unit is not touched
    assert [a.unit_id for a in active(w)] == [node(w, "ASIMS000039").id]
    assert len(run(w).closed) == 1 and active(w) == []
    assert node(w, "NC").level == OrgLevel.NIVEL_CENTRAL.value


def test_no_satisfaction_alert_for_an_index_the_board_withholds(w: World):
    """AGS holds a unit of 6 low ratings beside one of 2: the board withholds the first's
    index ("Reservado") so the second's cannot be worked out from the OOAD's; an alert
    saying it is below 80 % would bound it (and rules at several thresholds give it away).
    None is raised until the sibling reaches 5; the mail then states the rule."""
    from central.web.alert_eval import board_node
    from central.web.board_data import build_board
    from central.web.scope import Scope

    rule(w, "AGS", "satisfaction", 80, min_responses=5, notify="comite.ags@imss.gob.mx")
    rule(w, "NC", "satisfaction", 60, min_responses=5)
    push(w, "ASIMS000039", ratings(1, 1, 2, 1, 2, 1))
    push(w, "ASIMS000076", ratings(5, 5))
    low = node(w, "ASIMS000039")
    for scope in (Scope(None, None), Scope("ooad_id", node(w, "AGS").id)):
        with Session(w.engine) as s:
            board = build_board(s, scope, board_node(s.get(OrgNode, node(w, "AGS").id)))
        row = next(c for c in board.children if c["id"] == str(low.id))
        assert row["n"] == 6 and row["suppressed"]  # withheld, though it has 6
    assert run(w).opened == [] and run(w, units={low.id}).opened == []
    push(w, "ASIMS000076", [survey_record(1500 + i, rating=5) for i in range(3)])
    opened = run(w, units={low.id}, mail_to="https://tablero.imss.test").opened
    assert sorted(a.figures["threshold"] for a in opened) == [60, 80]
    assert all(a.figures == {"threshold": a.figures["threshold"], "responses": 6}
               for a in opened)
    with Session(w.engine) as s:
        mail = s.exec(select(AlertMail)).one()
    assert "Regla de números pequeños" in mail.body and "menos de 5" in mail.body
    assert "«Reservado»" in mail.body
