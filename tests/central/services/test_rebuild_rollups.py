"""``trato-central rebuild-rollups``: drop every rollup row, rebuild from the raw rows, and the
board and the report show exactly what they showed before (SQLite and PostgreSQL)."""

import random
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from central.cli import main
from central.services.rollups import ROLLUP_TABLES
from central.web.board_data import build_board
from central.web.display import today_mx
from central.web.report_data import quarter_months, report_figures
from tests.central.services.board_oracle import figures_of, rollup_differences
from tests.central.services.histories import (
    CASE_TYPES,
    SERVICES,
    STAGES,
    Batch,
    Edit,
    Event,
    NewCase,
    Player,
    Survey,
    World,
    empty,
    views,
)


def _everything(world: World) -> list[Any]:
    today = today_mx()
    months = quarter_months(today.year, (today.month - 1) // 3 + 1)
    out: list[Any] = []
    with Session(world.engine) as s:
        for scope, node in views(world):
            report = report_figures(s, scope, node, months)
            out.append((figures_of(build_board(s, scope, node)), report.by_type,
                        {m: (g.n, g.good, g.total) for m, g in report.months.items()},
                        report.unit_cases))
    return out


def test_rebuild_from_raw_rows_gives_the_same_figures(world: World, tmp_path: Path,
                                                      capsys: Any) -> None:
    empty(world.engine)
    rng = random.Random(11)
    player = Player(world)
    for _ in range(30):
        player.batch(Batch(rng.randint(0, 4), rng.randint(0, 100), rng.randint(0, 1439), [
            Survey(rng.choice([None, 1, 2, 3, 4, 5]), rng.random() < 0.1, rng.choice(SERVICES),
                   1, 0) for _ in range(6)] + [NewCase(rng.choice(CASE_TYPES), None),
                                               Event(rng.randint(0, 99), rng.choice(STAGES))]))
        if rng.random() < 0.3:
            player.edit(Edit(rng.randint(0, 99), "stage", 0))
    before = _everything(world)
    with world.engine.begin() as conn:
        for table in ROLLUP_TABLES:
            conn.execute(sa.delete(table))
    assert _everything(world) != before  # the pages do read the rollups
    url = world.engine.url.render_as_string(hide_password=False)
    assert main(["--database-url", url, "--data-dir", str(tmp_path), "rebuild-rollups"]) == 0
    assert "rollup_survey_module_day" in capsys.readouterr().out
    assert _everything(world) == before
    with Session(world.engine) as s:
        assert rollup_differences(s) == {}
