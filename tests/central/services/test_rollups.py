"""The rollups agree with the raw rows, whatever arrives and however cases move.

Hypothesis draws sequences of batches (survey responses rated or not, flagged as probable
misuse or not, cases of every type, kiosk case events that move a case, resends of records
already stored) landing at any moment of the last months in any order, from kiosks whose
clocks may be a year off, mixed with follow-up done on the web (stage changes, reopening,
deadlines set by hand). After each sequence every rollup table must equal what a rebuild from
the raw rows would hold, and every board panel and the quarterly report, at every level and
in every scope, must equal the figures computed straight from the raw rows
(tests/central/services/board_oracle.py). SQLite and PostgreSQL.
"""

import random
from typing import Any

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from sqlmodel import Session

from central.web.board_data import build_board
from central.web.display import today_mx
from central.web.report_data import quarter_months, report_figures
from tests.central.services.board_oracle import (
    expected_figures,
    expected_report,
    figures_of,
    rollup_differences,
)
from tests.central.services.histories import (
    CASE_TYPES,
    SERVICES,
    STAGES,
    Batch,
    Edit,
    Event,
    NewCase,
    Player,
    Resend,
    Survey,
    World,
    empty,
    histories,
    views,
)


def _check(world: World) -> None:
    today = today_mx()
    this_quarter = (today.month - 1) // 3 + 1
    last = (today.year, this_quarter - 1) if this_quarter > 1 else (today.year - 1, 4)
    with Session(world.engine) as s:
        assert rollup_differences(s) == {}
        for scope, node in views(world):
            assert figures_of(build_board(s, scope, node)) == \
                expected_figures(s, scope, node, today), (scope, node.kind, node.name)
            for year, quarter in ((today.year, this_quarter), last):
                months = quarter_months(year, quarter)
                end = quarter_months(year + quarter // 4, quarter % 4 + 1)[0]
                got = report_figures(s, scope, node, months)
                assert {
                    "months": [(g.n, g.good, g.total) for g in got.months.values()],
                    "units": {str(u): (g.n, g.good, g.total) for u, g in got.units.items()},
                    "received": {str(u): v for u, v in got.unit_cases.items()},
                    "by_type": got.by_type,
                } == expected_report(s, scope, node, months, end), (scope, node.name, quarter)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=histories)
def test_every_panel_built_from_rollups_equals_the_raw_rows(world: World, history: list[Any]
                                                            ) -> None:
    empty(world.engine)
    player = Player(world)
    for step in history:
        if isinstance(step, Batch):
            player.batch(step)
        else:
            player.edit(step)
    _check(world)


def test_a_record_sent_again_and_a_case_moved_twice_count_once(world: World) -> None:
    """The cases the property above must find, spelled out: a duplicate, a late record on a
    day already rolled up, a case closed then reopened, a record from a kiosk a year off."""
    empty(world.engine)
    player = Player(world)
    history = [
        Batch(0, 3, 10, [Survey(5, False, "urgencias", 1, 0), NewCase("queja", "farmacia")]),
        Batch(0, 3, 20, [Survey(2, False, "urgencias", 1, -365), Resend(0)]),
        Batch(1, 40, 0, [Survey(4, True, None, 2, 365), NewCase("queja", None)]),
        Batch(0, 0, 0, [Event(0, "cerrado"), Event(0, "investigacion")]),
        Edit(0, "deadline", -30),
    ]
    for step in history:
        player.batch(step) if isinstance(step, Batch) else player.edit(step)
    with Session(world.engine) as s:
        rows = s.execute(sa.text("SELECT sum(responses), sum(misuse) FROM "
                                 "rollup_survey_module_day")).one()
        assert tuple(rows) == (3, 1)  # the resend was a duplicate
        open_quejas = s.execute(sa.text(
            "SELECT sum(cases) FROM rollup_case_day WHERE case_type = 'queja' "
            "AND stage <> 'cerrado'")).scalar_one()
        assert open_quejas == 2  # closed, then reopened by the second event
    _check(world)


def test_a_random_history_is_reproducible_here(world: World) -> None:
    """A longer, seeded history than hypothesis draws (many batches on the same days)."""
    rng = random.Random(2026)
    empty(world.engine)
    player = Player(world)
    for _ in range(40):
        if rng.random() < 0.8:
            specs: list[Any] = [Survey(rng.choice([None, 1, 2, 3, 4, 5]), rng.random() < 0.1,
                                       rng.choice(SERVICES), rng.randint(1, 2),
                                       rng.randint(-30, 30)) for _ in range(rng.randint(1, 8))]
            specs += [NewCase(rng.choice(CASE_TYPES), rng.choice(SERVICES))
                      for _ in range(rng.randint(0, 2))]
            specs += [Event(rng.randint(0, 999), rng.choice(STAGES)), Resend(rng.randint(0, 99))]
            player.batch(Batch(rng.randint(0, 4), rng.randint(0, 20), rng.randint(0, 1439),
                               specs))
        else:
            player.edit(Edit(rng.randint(0, 999), rng.choice(["stage", "close", "deadline"]),
                             rng.randint(-40, 40)))
    _check(world)
