"""The board's and the report's figures computed the slow, obvious way: straight from the raw
survey and case rows, in Python, with none of the rollups. The rollup tests compare every
panel against these."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, select

from central.db import local_day
from central.models import Case, CaseDay, SurveyBranchDay, SurveyModuleDay, SurveyUnitDay
from central.models import SurveyResponse as Response
from central.models.rollups import key_columns, measure_columns
from central.services.rollups import case_select, survey_module_select, survey_summed_select
from central.web.board_data import CHILD_KEYS, CHILD_LEVEL, Board, survey_periods
from central.web.case_clock import aging_bucket, case_clock
from central.web.nodes import BoardNode, node_filter
from central.web.scope import Scope
from central.web.tallies import Group


@dataclass
class Figures:
    """What a board shows, as plain values that compare with ``==``."""

    satisfaction: tuple[int, int, int]
    trend: list[tuple[str, int, int, int]]
    #: id -> (n, open, overdue); which figures are withheld is tests/central/web/
    #: test_suppression.py's and test_small_numbers_http.py's to check.
    children: dict[str, tuple[int, int, int]]
    totals: tuple[int, int]
    by_unit: dict[str, tuple[list[int], int, int]]  # unit id -> (aging, open, overdue)
    by_service: dict[str, tuple[int, int]]
    high_impact: list[str]  # the first ten
    high_impact_total: int


def _g(g: Group) -> tuple[int, int, int]:
    return (g.n, g.good, g.total)


def figures_of(board: Board) -> Figures:
    return Figures(
        satisfaction=_g(board.satisfaction),
        trend=[(label, *_g(g)) for label, g in board.trend],
        children={c["id"]: (c["n"], c["open"], c["overdue"])
                  for c in board.children if c["n"] or c["open"]},
        totals=(board.totals["open"], board.totals["overdue"]),
        by_unit={r["id"]: (r["aging"], r["open"], r["overdue"])
                 for r in board.complaints_unit},
        by_service={r["code"]: (r["open"], r["overdue"]) for r in board.complaints_service},
        high_impact=[r["id"] for r in board.high_impact],
        high_impact_total=board.high_impact_total,
    )


def expected_figures(session: Session, scope: Scope, node: BoardNode, today: date
                     ) -> Figures:
    """The board of ``node`` for ``scope``, from the raw rows."""
    periods = survey_periods(today)
    first = min(p[0] for p in periods.values())
    window, weeks = Group(), {name: Group() for name in periods if name != "early"}
    children: dict[str, Group] = {}
    keys = CHILD_KEYS.get(CHILD_LEVEL.get(node.kind) or "", ())
    responses = session.exec(select(Response).where(scope.where(Response),
                                                    node_filter(Response, node))).all()
    for r in responses:
        day = local_day(r.received_at)
        if r.rating is None or r.probable_misuse or not first <= day <= today:
            continue
        window.add(r.rating)
        for name, (start, end) in periods.items():
            if name in weeks and start <= day < end:
                weeks[name].add(r.rating)
        for key in keys:
            if getattr(r, key):
                children.setdefault(str(getattr(r, key)), Group()).add(r.rating)
    cases = session.exec(select(Case).where(
        scope.where(Case), node_filter(Case, node), Case.case_type == "queja",
        Case.stage != "cerrado")).all()
    child_cases: dict[str, list[int]] = {}
    by_unit: dict[str, tuple[list[int], int, int]] = {}
    by_service: dict[str, tuple[int, int]] = {}
    for c in cases:
        clock = case_clock(c, today)
        late = 1 if clock["overdue"] else 0
        aging, n, overdue = by_unit.get(str(c.unit_id), ([0, 0, 0, 0], 0, 0))
        aging = list(aging)
        aging[aging_bucket(clock["age"])] += 1
        by_unit[str(c.unit_id)] = (aging, n + 1, overdue + late)
        n, overdue = by_service.get(c.service_code or "", (0, 0))
        by_service[c.service_code or ""] = (n + 1, overdue + late)
        for key in keys:
            if getattr(c, key):
                counts = child_cases.setdefault(str(getattr(c, key)), [0, 0])
                counts[0] += 1
                counts[1] += late
    child_ids = set(children) | set(child_cases)
    high = sorted((c for c in cases if c.impacto_institucional),
                  key=lambda c: (c.resolution_due or date.max, c.folio))
    return Figures(
        satisfaction=_g(window),
        trend=[(date.fromisoformat(n).strftime("%d/%m"), *_g(g)) for n, g in weeks.items()],
        children={i: (children.get(i, Group()).n, *child_cases.get(i, [0, 0]))
                  for i in child_ids},
        totals=(len(cases), sum(1 for c in cases if case_clock(c, today)["overdue"])),
        by_unit=by_unit, by_service=by_service,
        high_impact=[str(c.id) for c in high][:10], high_impact_total=len(high),
    )


def expected_report(session: Session, scope: Scope, node: BoardNode, months: list[date],
                    end: date) -> dict[str, Any]:
    """The quarterly report's survey and case figures, from the raw rows."""
    month_groups = {m: Group() for m in months}
    units: dict[str, Group] = {}
    for r in session.exec(select(Response).where(scope.where(Response),
                                                 node_filter(Response, node))).all():
        day = local_day(r.received_at)
        if r.rating is None or r.probable_misuse or not months[0] <= day < end:
            continue
        month_groups[day.replace(day=1)].add(r.rating)
        units.setdefault(str(r.unit_id), Group()).add(r.rating)
    received: dict[str, list[int]] = {}
    by_type: dict[str, int] = {}
    for c in session.exec(select(Case).where(scope.where(Case), node_filter(Case, node))).all():
        if not months[0] <= local_day(c.received_at) < end:
            continue
        by_type[c.case_type] = by_type.get(c.case_type, 0) + 1
        if c.case_type == "queja":
            counts = received.setdefault(str(c.unit_id), [0, 0])
            counts[0] += 1
            counts[1] += 1 if c.stage == "cerrado" else 0
    return {"months": [_g(month_groups[m]) for m in months],
            "units": {u: _g(g) for u, g in units.items()}, "received": received,
            "by_type": by_type}


def _normal(value: Any) -> Any:
    """SQLite hands a computed day back as text; compare it as a date."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        return date.fromisoformat(value)
    return value


def _rows(conn: Any, statement: Any) -> list[tuple[Any, ...]]:
    return sorted((tuple(_normal(v) for v in row) for row in conn.execute(statement)),
                  key=lambda row: tuple(str(v) for v in row))


def _kept(table: Any) -> Any:
    """A rollup table's rows, key columns first (the order a rebuild's SELECT gives)."""
    return select(*(table.c[c] for c in (*key_columns(table), *measure_columns(table))))


def rollup_differences(session: Session) -> dict[str, tuple[int, int]]:
    """Rollup tables that differ from what a rebuild from the raw rows would hold: name ->
    (rows kept, rows expected). Empty when every rollup row is right."""
    conn = session.connection()
    dialect = conn.dialect.name
    module = SurveyModuleDay.__table__
    checks = {
        module.name: (module, survey_module_select(dialect)),
        CaseDay.__table__.name: (CaseDay.__table__, case_select(dialect)),
    }
    out = {}
    for name, (table, statement) in checks.items():
        kept, expected = _rows(conn, _kept(table)), _rows(conn, statement)
        if kept != expected:
            out[name] = (len(kept), len(expected))
    for table in (SurveyUnitDay.__table__, SurveyBranchDay.__table__):
        kept, expected = _rows(conn, _kept(table)), _rows(conn, survey_summed_select(table))
        if kept != expected:
            out[table.name] = (len(kept), len(expected))
    return out
