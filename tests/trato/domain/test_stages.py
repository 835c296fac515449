"""The stage rules both programs use (trato.domain.stages): one step forward, closed cases
only reopen, a repeat is no move."""

import itertools

import pytest

from trato.domain.enums import CASE_STAGE_ORDER, CaseStage
from trato.domain.stages import (
    REOPEN_STAGE,
    StageProblem,
    allowed_targets,
    next_stage,
    transition_problem,
)

S = CaseStage


def test_every_stage_moves_to_the_next_and_a_closed_case_only_reopens() -> None:
    for current, following in itertools.pairwise(CASE_STAGE_ORDER):
        assert next_stage(current) is following
        assert allowed_targets(current) == (following,)
        assert transition_problem(current, following) is None
    assert next_stage(S.CERRADO) is None
    assert allowed_targets(S.CERRADO) == (REOPEN_STAGE,) == (S.INVESTIGACION,)


@pytest.mark.parametrize("current, target, reopen, problem", [
    (S.RECEPCION, S.DICTAMEN, False, StageProblem.SKIPS),
    (S.RECEPCION, S.CERRADO, False, StageProblem.SKIPS),
    (S.DICTAMEN, S.INTEGRACION, False, StageProblem.BACKWARDS),
    (S.CERRADO, S.ACUERDO, False, StageProblem.CLOSED),
    (S.CERRADO, S.RECEPCION, False, StageProblem.CLOSED),
    (S.ACUERDO, S.INVESTIGACION, True, StageProblem.NOT_CLOSED),
    (S.CERRADO, S.INVESTIGACION, True, None),
    (S.CERRADO, S.INVESTIGACION, False, None),
    (S.INTEGRACION, S.INTEGRACION, False, None),
    (S.NOTIFICACION, S.CERRADO, False, None),
])
def test_refused_changes_say_why(current: CaseStage, target: CaseStage, reopen: bool,
                                 problem: StageProblem | None) -> None:
    assert transition_problem(current, target, reopen=reopen) is problem


def test_every_pair_is_allowed_exactly_when_listed() -> None:
    for current in CaseStage:
        for target in CaseStage:
            allowed = transition_problem(current, target) is None
            assert allowed == (target in allowed_targets(current) or target is current)
