"""The board's, the report's and the case list's queries use the rollups and the indexes meant
for them, on PostgreSQL with three years of a (thinned) national history: every statement a
page runs is captured and EXPLAINed.

* no page reads the raw survey responses or the idempotency ledger;
* no page scans a table whose size grows with history (cases, their timeline, the change
  feed, the case and module/unit survey rollups) from end to end; the only sequential scans
  allowed are of the organisation's own tables and of ``rollup_survey_branch_day``, which
  holds sixty rows a day;
* the open quejas are read through the partial indexes of ``rollup_case_day``, the case list
  through ``ix_case_open`` and ``ix_case_closed_due``, the wall through ``ix_case_wall``.
"""

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from central.db import make_engine
from central.migrations import upgrade_to_head
from central.models import OrgNode
from central.web.board_data import build_board
from central.web.case_list import CaseFilters, list_cases
from central.web.display import today_mx
from central.web.nodes import BoardNode, root_node
from central.web.report_data import quarter_months, report_figures
from central.web.scope import Scope
from tests.support.national import generate

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

RAW = {"survey_response", "ingested_record"}
GROWING = {"case", "case_event", "change_log", "rollup_case_day", "rollup_survey_module_day",
           "rollup_survey_unit_day", *RAW}
NATIONAL = Scope(None, None)


@pytest.fixture(scope="module")
def engine(pg_cluster: Any) -> Iterator[Any]:
    url = pg_cluster.create_database(prefix="plans")
    e = make_engine(url)
    upgrade_to_head(e)
    generate(url, responses=150_000, cases=20_000, days=3 * 365, say=lambda _text: None)
    yield e
    e.dispose()
    pg_cluster.drop_database(url)


def _nodes(engine: Any) -> dict[str, BoardNode]:
    with Session(engine) as s:
        by_code = {n.code: n for n in s.exec(select(OrgNode)).all()}
        out = {"Nivel Central": root_node(s, NATIONAL)}
    for level, code in (("OOAD", "O07"), ("UMAE", "UMAE-03"), ("unit", "BN000000800"),
                        ("module", "BN000000800-M1")):
        n = by_code[code]
        out[level] = BoardNode(str(n.id), n.name, n.level, n)
    return out


def _statements(engine: Any, work: Any) -> list[tuple[str, Any]]:
    seen: list[tuple[str, Any]] = []

    def grab(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any,
             _many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", grab)
    try:
        with Session(engine) as session:
            work(session)
    finally:
        sa.event.remove(engine, "before_cursor_execute", grab)
    return seen


def _scans(plan: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(node type, relation, index) of every scan in a JSON plan (a bitmap index scan names
    its index only; the bitmap heap scan above it, the relation)."""
    if "Relation Name" in plan or "Index Name" in plan:
        yield plan["Node Type"], plan.get("Relation Name", ""), plan.get("Index Name", "")
    for child in plan.get("Plans", []):
        yield from _scans(child)


def _plans(engine: Any, statements: list[tuple[str, Any]]) -> list[tuple[str, list[Any]]]:
    out = []
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        for statement, parameters in statements:
            with raw.cursor() as cur:
                cur.execute("EXPLAIN (FORMAT JSON) " + statement, parameters)
                plan = cur.fetchone()[0][0]["Plan"]
            out.append((statement, list(_scans(plan))))
    return out


def _check(plans: list[tuple[str, list[Any]]]) -> set[str]:
    """Assert the rules above; answers the indexes used."""
    used = set()
    for statement, scans in plans:
        for kind, relation, index in scans:
            assert relation not in RAW, f"reads {relation}: {statement[:200]}"
            assert not (kind == "Seq Scan" and relation in GROWING), \
                f"scans all of {relation}: {statement[-400:]}"
            used.add(index)
    return used


def test_every_board_page_reads_rollups_through_their_indexes(engine: Any) -> None:
    today = today_mx()
    months = quarter_months(today.year, (today.month - 1) // 3 + 1)
    used: set[str] = set()
    for level, node in _nodes(engine).items():
        statements = _statements(engine, lambda s, node=node: (
            build_board(s, NATIONAL, node), report_figures(s, NATIONAL, node, months)))
        assert statements, level
        used |= _check(_plans(engine, statements))
    assert {"ix_rollup_case_day_open_ooad", "ix_rollup_case_day_open_umae",
            "ix_rollup_case_day_open_unit"} & used  # the open quejas by partial index
    assert "ix_rollup_survey_unit_day_ooad" in used  # an OOAD's units
    assert {"ix_rollup_survey_module_day_unit", "ix_rollup_survey_module_day_module"} & used
    assert {"ix_case_open_impact", "ix_case_wall"} <= used


def test_the_case_list_reads_its_covering_indexes(engine: Any) -> None:
    used: set[str] = set()
    # (A page deep into the closed history reads past its offset, as any OFFSET does; the
    # planner may then rather sort than walk the index, and rightly so.)
    for filters, page in (({}, 1), ({"etapa": "abiertos"}, 1), ({"vencidos": "1"}, 1),
                          ({"etapa": "cerrado"}, 1), ({"etapa": "cerrado"}, 3)):
        f = CaseFilters.from_query(filters)
        statements = _statements(engine, lambda s, f=f, page=page: list_cases(
            s, NATIONAL, f, page))
        used |= _check(_plans(engine, statements))
    assert {"ix_case_open", "ix_case_closed_due"} <= used
