"""Figures of the quarterly report for one node inside a viewer's scope, from the rollups
(:mod:`central.web.tallies`): satisfaction per month and per unit, quejas received and closed
per unit, cases by type. The open and overdue complaints are the board's."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from central.web.nodes import BoardNode
from central.web.scope import Scope
from central.web.tallies import Group, cases_received, rated_groups
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


def report_figures(session: Session, scope: Scope, node: BoardNode, months: list[date]
                   ) -> ReportFigures:
    quarter = (months[0], month_end(months[-1]))
    periods = {m.isoformat(): (m, month_end(m)) for m in months}
    month_groups = {m: Group() for m in months}
    total = Group()
    units: dict[Any, Group] = {}
    for (unit_id,), groups in rated_groups(session, scope, node, ("unit_id",), periods).items():
        unit = Group()
        for m in months:
            month_groups[m].merge(groups[m.isoformat()])
            unit.merge(groups[m.isoformat()])
        total.merge(unit)
        if unit.n:
            units[unit_id] = unit
    unit_cases: dict[Any, list[int]] = {}
    by_type: dict[str, int] = {}
    for unit_id, case_type, n, closed in cases_received(session, scope, node, quarter,
                                                        ("unit_id", "case_type")):
        by_type[case_type] = by_type.get(case_type, 0) + n
        if case_type == CaseType.QUEJA.value:
            unit_cases[unit_id] = [n, closed]
    return ReportFigures(month_groups, total, units, unit_cases, by_type)
