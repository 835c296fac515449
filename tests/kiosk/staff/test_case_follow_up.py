"""Following a case at the module: detail, timeline of stages, stage changes the stages allow
queued as case events, refused ones with nothing queued; notes; reserved cases."""

import uuid
from datetime import date

import pytest
from sqlmodel import select

from kiosk.services.case_follow_up import NotFollowedHere, StageRefused
from kiosk.services.errors import InvalidDraft
from kiosk.storage.models import CaseEvent, OutboxEntry
from kiosk.storage.outbox import OutboxState
from tests.kiosk.staff.support import AGENT, SUPERVISOR, Module
from trato.domain.enums import CaseStage, RecordKind


def _events(module: Module) -> list[CaseEvent]:
    with module.database.read() as session:
        return list(session.exec(select(CaseEvent)).all())


def test_an_allowed_change_is_queued_and_counts_at_once(module: Module) -> None:
    case_id = module.file(date(2026, 3, 10))
    detail = module.follow_up.detail(case_id, can_read_sensitive=False)
    assert detail.followed_here and detail.targets == (CaseStage.INTEGRACION,)
    assert [e.kind for e in detail.timeline] == ["filed"]
    module.clock.advance(minutes=5)
    module.follow_up.change_stage(case_id, CaseStage.INTEGRACION, agent=AGENT.name,
                                  can_read_sensitive=False, note="Faltaba el NSS")
    (event,) = _events(module)
    assert (event.event_type, event.stage, event.agent) == ("stage", "integracion",
                                                           "Lupita Reyes")
    with module.database.read() as session:
        entry = session.get(OutboxEntry, event.id)
    assert entry.kind == RecordKind.CASE_EVENT and entry.state == OutboxState.WAITING.value
    row = module.cases.row(case_id)
    assert row.stage is CaseStage.INTEGRACION and row.pending
    detail = module.follow_up.detail(case_id, can_read_sensitive=False)
    assert detail.targets == (CaseStage.INVESTIGACION,)
    last = detail.timeline[-1]
    assert (last.kind, last.stage, last.state, last.note) == ("change", CaseStage.INTEGRACION,
                                                              "pending", "Faltaba el NSS")


@pytest.mark.parametrize(("target", "problem"), [
    (CaseStage.DICTAMEN, "stage_skips"),
    (CaseStage.CERRADO, "stage_skips"),
    (CaseStage.RECEPCION, "stage_same"),
])
def test_a_change_the_stages_do_not_allow_is_refused_with_nothing_queued(
        module: Module, target: CaseStage, problem: str) -> None:
    case_id = module.file(date(2026, 3, 10))
    with pytest.raises(StageRefused) as info:
        module.follow_up.change_stage(case_id, target, agent=AGENT.name,
                                      can_read_sensitive=False)
    assert (info.value.problem, info.value.current, info.value.target) == (
        problem, CaseStage.RECEPCION, target)
    assert _events(module) == []


def test_backwards_and_closed_cases(module: Module) -> None:
    case_id = module.file(date(2026, 3, 10))
    module.status(case_id, "x", "investigacion", version=2)
    with pytest.raises(StageRefused) as info:
        module.follow_up.change_stage(case_id, CaseStage.INTEGRACION, agent=AGENT.name,
                                      can_read_sensitive=False)
    assert info.value.problem == "stage_backwards"
    module.clock.advance(days=1)
    module.status(case_id, "x", "cerrado", version=3)
    detail = module.follow_up.detail(case_id, can_read_sensitive=False)
    assert detail.targets == (CaseStage.INVESTIGACION,)
    assert [e.stage for e in detail.timeline if e.kind == "stage"] == [
        CaseStage.INVESTIGACION, CaseStage.CERRADO]
    with pytest.raises(StageRefused) as info:
        module.follow_up.change_stage(case_id, CaseStage.DICTAMEN, agent=AGENT.name,
                                      can_read_sensitive=False)
    assert info.value.problem == "stage_closed"
    module.follow_up.change_stage(case_id, CaseStage.INVESTIGACION, agent=AGENT.name,
                                  can_read_sensitive=False)
    (event,) = _events(module)
    assert (event.event_type, event.stage) == ("reopen", "investigacion")
    with pytest.raises(StageRefused) as info:
        module.follow_up.reopen(case_id, agent=AGENT.name, can_read_sensitive=False)
    assert info.value.problem == "stage_not_closed"


def test_a_note_is_queued_and_an_empty_one_refused(module: Module) -> None:
    case_id = module.file(date(2026, 3, 10))
    with pytest.raises(InvalidDraft):
        module.follow_up.add_note(case_id, "   ", agent=AGENT.name, can_read_sensitive=False)
    module.follow_up.add_note(case_id, " Se llamó a la derechohabiente ", agent=AGENT.name,
                              can_read_sensitive=False)
    (event,) = _events(module)
    assert (event.event_type, event.stage, event.note) == ("note", None,
                                                          "Se llamó a la derechohabiente")
    detail = module.follow_up.detail(case_id, can_read_sensitive=False)
    assert detail.timeline[-1].kind == "note" and detail.row.stage is CaseStage.RECEPCION


def test_a_change_the_server_set_aside_shows_why_and_no_longer_counts(module: Module) -> None:
    case_id = module.file(date(2026, 3, 10))
    module.follow_up.change_stage(case_id, CaseStage.INTEGRACION, agent=AGENT.name,
                                  can_read_sensitive=False)
    (event,) = _events(module)
    with module.database.write() as session:
        entry = session.get(OutboxEntry, event.id)
        entry.state = OutboxState.SET_ASIDE.value
        entry.set_aside_reason = "rejected: body.stage: stage_skips (cerrado -> integracion)"
        session.add(entry)
    detail = module.follow_up.detail(case_id, can_read_sensitive=False)
    assert detail.row.stage is CaseStage.RECEPCION and not detail.row.pending
    last = detail.timeline[-1]
    assert (last.state, last.problem) == ("set_aside", "stage_skips")


def test_reserved_and_foreign_cases_are_not_followed_here(module: Module) -> None:
    sensitive = module.file(date(2026, 3, 10), categories=("acoso",))
    foreign = uuid.uuid4()
    module.status(foreign, "1234-02-000009", "integracion")
    detail = module.follow_up.detail(sensitive, can_read_sensitive=False)
    assert detail.row.reserved and detail.narrative == "" and detail.masks == {}
    with pytest.raises(NotFollowedHere):
        module.follow_up.add_note(sensitive, "x", agent=AGENT.name, can_read_sensitive=False)
    allowed = module.follow_up.detail(sensitive, can_read_sensitive=SUPERVISOR.can_read_sensitive)
    assert allowed.narrative.startswith("El 2 de marzo") and allowed.masks["filer_name"] == "M. G."
    assert "nss" in allowed.masks and "12345678903" not in str(allowed.masks)
    with pytest.raises(NotFollowedHere):
        module.follow_up.change_stage(foreign, CaseStage.INVESTIGACION, agent=AGENT.name,
                                      can_read_sensitive=True)
    assert module.follow_up.detail(foreign, can_read_sensitive=True).targets == ()
    assert module.follow_up.detail(uuid.uuid4(), can_read_sensitive=True) is None
    assert _events(module) == []
