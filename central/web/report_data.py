"""Figures of the quarterly report for one node inside a viewer's scope, from the rollups
(:mod:`central.web.tallies`): satisfaction per month and per unit, quejas received and closed
per unit, cases by type. The open and overdue complaints are the board's."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from central.models import OrgLevel
from central.models.rollups import NO_NODE
from central.web.decisions import DecisionCache
from central.web.nodes import BoardNode, crumbs_for
from central.web.protection import children_rows, node_row, withhold
from central.web.scope import Scope
from central.web.suppression import WINDOW
from central.web.tallies import Group, Period, cases_received, rated_groups
from trato.domain.enums import CaseType


def quarter_months(year: int, quarter: int) -> list[date]:
    first_month = 3 * (quarter - 1) + 1
    return [date(year, first_month + i, 1) for i in range(3)]


def month_end(month: date) -> date:
    return date(month.year + 1, 1, 1) if month.month == 12 else \
        date(month.year, month.month + 1, 1)


@dataclass
class ReportFigures:
    months: dict[date, Group]
    total: Group
    #: Units with rated responses in the quarter.
    units: dict[Any, Group]
    #: Per unit: [quejas received in the quarter, of them closed now].
    unit_cases: dict[Any, list[int]]
    by_type: dict[str, int]

    @property
    def received(self) -> int:
        return sum(v[0] for v in self.unit_cases.values())

    @property
    def closed(self) -> int:
        return sum(v[1] for v in self.unit_cases.values())


def report_figures(session: Session, scope: Scope, node: BoardNode, months: list[date],
                   crumbs: list[BoardNode] | None = None,
                   decisions: DecisionCache | None = None) -> ReportFigures:
    """The quarter's figures of ``node`` (``crumbs``: its ancestors in the scope, from the
    top), the small-number rule applied (central.web.protection; ``decisions``: the hub's
    small-number tables)."""
    stamp = decisions.stamp(node) if decisions else -1  # before the node's grid is read
    if crumbs is None:
        crumbs = crumbs_for(session, node, scope)
    quarter = (months[0], month_end(months[-1]))
    periods = {m.isoformat(): (m, month_end(m)) for m in months}
    month_groups = {m: Group() for m in months}
    total = Group()
    units: dict[Any, Group] = {}
    grid: dict[Any, dict[str, int]] = {}
    branch_of: dict[Any, Any] = {}
    national = node.kind == OrgLevel.NIVEL_CENTRAL.value  # lists units of every branch
    keys = ("ooad_id", "umae_id", "unit_id") if national else ("unit_id",)
    for key, groups in rated_groups(session, scope, node, keys, periods).items():
        unit_id = key[-1]
        unit = units.setdefault(unit_id, Group())
        for m in months:
            month_groups[m].merge(groups[m.isoformat()])
            unit.merge(groups[m.isoformat()])
        grid[unit_id] = {name: g.n for name, g in groups.items() if g.n}
        if national:
            branch_of[unit_id] = key[0] if key[0] != NO_NODE else key[1]
    for g in month_groups.values():
        total.merge(g)
    units = {u: g for u, g in units.items() if g.n}
    # Small numbers: the node's quarter and months as its parent's table decided them, then
    # its units' quarters under them (central.web.protection).
    row = node_row(session, scope, node, crumbs, periods, (),
                   {m.isoformat(): g.n for m, g in month_groups.items()}, decisions)
    total.withheld = WINDOW in row
    withhold(month_groups, [m for m in months if m.isoformat() in row])
    if node.kind in (OrgLevel.OOAD.value, OrgLevel.UMAE.value):
        hidden = {u: WINDOW in r for u, r in children_rows(
            row, grid, periods, cache=decisions, scope=scope, node=node, stamp=stamp).items()}
    elif national:
        hidden = _units_hidden(scope, node, row, grid, branch_of, periods, decisions, stamp)
    else:
        hidden = {u: WINDOW in row for u in grid}
    withhold(units, [u for u in units if hidden.get(u, True)])
    unit_cases: dict[Any, list[int]] = {}
    by_type: dict[str, int] = {}
    for unit_id, case_type, n, closed in cases_received(session, scope, node, quarter,
                                                        ("unit_id", "case_type")):
        by_type[case_type] = by_type.get(case_type, 0) + n
        if case_type == CaseType.QUEJA.value:
            unit_cases[unit_id] = [n, closed]
    return ReportFigures(month_groups, total, units, unit_cases, by_type)


def _units_hidden(scope: Scope, node: BoardNode, row: frozenset[str],
                  grid: dict[Any, dict[str, int]], branch_of: dict[Any, Any],
                  periods: Mapping[str, Period], cache: DecisionCache | None, stamp: int
                  ) -> dict[Any, bool]:
    """Whether each unit's quarter is hidden, as the reports of its OOAD or UMAE decide it
    (Nivel Central lists every unit: each branch's decision first, then its units')."""
    branches: dict[Any, dict[str, int]] = {}
    mine: dict[Any, dict[Any, dict[str, int]]] = {}
    for u, sizes in grid.items():
        b = branches.setdefault(branch_of[u], {})
        mine.setdefault(branch_of[u], {})[u] = sizes
        for p, n in sizes.items():
            b[p] = b.get(p, 0) + n
    nodes = {b: BoardNode(str(b), "", OrgLevel.OOAD.value) for b in branches}  # by id
    stamps = {b: cache.stamp(n) for b, n in nodes.items()} if cache else {}
    if cache is not None and cache.stamp(node) != stamp:
        cache = None  # a batch landed while the grid was read: the stamps may be newer
    out: dict[Any, bool] = {}
    for b, b_row in children_rows(row, branches, periods, cache=cache, scope=scope, node=node,
                                  stamp=stamp).items():
        out.update({u: WINDOW in r for u, r in children_rows(
            b_row, mine.get(b, {}), periods, cache=cache, scope=scope, node=nodes[b],
            stamp=stamps.get(b, -1)).items()})
    return out
