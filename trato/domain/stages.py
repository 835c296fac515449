"""Which stage changes a case allows, defined once for the kiosk and the central server.

A case moves one stage at a time along :data:`~trato.domain.enums.CASE_STAGE_ORDER`
(recepción → integración → investigación → dictamen → acuerdo → notificación → cerrado); a
closed case can only be reopened, which takes it back to :data:`REOPEN_STAGE`. Asking for
the stage a case is already in changes nothing (a repeat, harmless).

:func:`transition_problem` answers a stable code for a change the rules do not allow; the
kiosk words it for the agent before anything is queued, the central server refuses a kiosk
event with it and the board's case page answers 400 with it.
"""

from enum import StrEnum

from trato.domain.enums import CASE_STAGE_ORDER, CaseStage

#: Where a reopened case goes back to.
REOPEN_STAGE = CaseStage.INVESTIGACION


class StageEvent(StrEnum):
    """``event_type`` of a kiosk case event (``CaseEventBody.event_type``)."""

    STAGE = "stage"  # a move to the next stage (or closing the case)
    REOPEN = "reopen"  # a closed case taken back to REOPEN_STAGE
    NOTE = "note"  # a note, no stage


class StageProblem(StrEnum):
    """Why a stage change is not allowed."""

    CLOSED = "stage_closed"  # the case is closed: only reopening moves it
    SKIPS = "stage_skips"  # it jumps over the stages in between
    BACKWARDS = "stage_backwards"  # back to an earlier stage (only a reopen goes back)
    NOT_CLOSED = "stage_not_closed"  # a reopen of a case that is not closed


def next_stage(stage: CaseStage) -> CaseStage | None:
    """The stage after ``stage``; None for a closed case."""
    index = CASE_STAGE_ORDER.index(CaseStage(stage))
    return CASE_STAGE_ORDER[index + 1] if index + 1 < len(CASE_STAGE_ORDER) else None


def allowed_targets(stage: CaseStage) -> tuple[CaseStage, ...]:
    """The stages a case in ``stage`` may move to now (the next one, or the reopen)."""
    if CaseStage(stage) is CaseStage.CERRADO:
        return (REOPEN_STAGE,)
    following = next_stage(stage)
    return (following,) if following is not None else ()


def is_reopen(current: CaseStage, target: CaseStage) -> bool:
    return CaseStage(current) is CaseStage.CERRADO and CaseStage(target) is REOPEN_STAGE


def transition_problem(current: CaseStage, target: CaseStage, *,
                       reopen: bool = False) -> StageProblem | None:
    """None when a case in ``current`` may move to ``target``, else why not. ``reopen``:
    the change was asked for as a reopen (it must start from a closed case). The same stage
    again is no move and no problem."""
    current, target = CaseStage(current), CaseStage(target)
    if reopen and current is not CaseStage.CERRADO:
        return StageProblem.NOT_CLOSED
    if current is target:
        return None
    if current is CaseStage.CERRADO:
        return None if target is REOPEN_STAGE else StageProblem.CLOSED
    step = CASE_STAGE_ORDER.index(target) - CASE_STAGE_ORDER.index(current)
    if step < 0:
        return StageProblem.BACKWARDS
    return None if step == 1 else StageProblem.SKIPS
