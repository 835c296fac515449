"""What the board and the report read from the rollups (:mod:`central.models.rollups`): rated
responses summed per group and period, and the open quejas counted by age. Every query is
narrowed by the viewer's :class:`~central.web.scope.Scope` and the node on screen.

Nivel Central reads ``rollup_survey_branch_day`` (60 rows a day), an OOAD or a UMAE
``rollup_survey_unit_day`` (a row per unit and day), a unit or a module
``rollup_survey_module_day``: whatever the number of responses. Cases are read from
``rollup_case_day``; the open quejas through its partial indexes, so their cost follows the
open complaints, not the closed history. Survey figures count the responses of one instrument
fingerprint (:func:`central.web.instrument_versions.board_fingerprint`): never versions whose
headline questions differ.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from central.models import CaseDay, OrgLevel, SurveyBranchDay, SurveyModuleDay, SurveyUnitDay
from central.models.rollups import NO_NODE
from central.web.case_clock import AGING_EDGES, business_days_between
from central.web.instrument_versions import comparable
from central.web.nodes import LEVEL_COLUMN, BoardNode, node_filter
from central.web.scope import Scope
from trato.domain.enums import CaseStage, CaseType
from trato.domain.satisfaction import INDEX_DAYS, TREND_WEEKS, RatingGroup
from trato.domain.satisfaction import MIN_GROUP as MIN_GROUP

#: A period: from this day, up to (not including) that day.
Period = tuple[date, date]
#: The board's period of the index window's days before the trend's first week.
EARLY = "early"


def survey_periods(today: date) -> dict[str, Period]:
    """The trend's weeks (ISO weeks, Monday first) and, before them, the days of the index
    window the weeks do not cover (``EARLY``), as local days: periods that do not overlap."""
    week0 = today - timedelta(days=today.weekday()) - timedelta(weeks=TREND_WEEKS - 1)
    window_start = today - timedelta(days=INDEX_DAYS - 1)
    periods = {EARLY: (window_start, week0)} if window_start < week0 else {}
    for i in range(TREND_WEEKS):
        start = week0 + timedelta(weeks=i)
        periods[start.isoformat()] = (max(start, window_start), start + timedelta(weeks=1))
    return periods


_UNIT_AND_BELOW = (OrgLevel.UNIT.value, OrgLevel.MODULE.value)


@dataclass
class Group(RatingGroup):
    """Rated responses (misuse left out), as :class:`trato.domain.satisfaction.RatingGroup`
    (the index and the small-number rule the kiosk's board uses too), summed over rollups.
    ``withheld``: hidden although it has enough responses, so that no hidden figure can be
    worked out from the shown ones (:mod:`central.web.suppression`)."""

    withheld: bool = False

    @property
    def suppressed(self) -> bool:
        return self.withheld or self.n < MIN_GROUP

    def merge(self, other: RatingGroup) -> None:
        self.n += other.n
        self.good += other.good
        self.total += other.total


def survey_model(node: BoardNode, keys: Sequence[str] = ()) -> Any:
    """The coarsest survey rollup that answers a page on ``node`` grouped by ``keys``."""
    if node.kind in _UNIT_AND_BELOW or "module_id" in keys:
        return SurveyModuleDay
    if node.kind == OrgLevel.NIVEL_CENTRAL.value and "unit_id" not in keys:
        return SurveyBranchDay
    return SurveyUnitDay


def _narrowed(model: Any, scope: Scope, node: BoardNode) -> Any:
    """The rows of ``model`` inside the scope and under the node."""
    column = LEVEL_COLUMN.get(node.kind)
    assert column is None or hasattr(model, column), (model.__name__, node.kind)
    return sa.and_(scope.where(model), node_filter(model, node))


def rated_groups(session: Session, scope: Scope, node: BoardNode, keys: Sequence[str],
                 periods: Mapping[str, Period]) -> dict[tuple[Any, ...], dict[str, Group]]:
    """Rated responses under ``node`` for each group of ``keys`` (branch columns) and each
    named period (periods must not overlap), in one pass over the rollup rows of the
    periods: the rows are grouped by the keys and the period each day falls in."""
    model = survey_model(node, keys)
    t = model.__table__.c
    names = list(periods)
    bucket, in_range = _buckets(t.day, periods)
    good = t.rating_4 + t.rating_5
    total = t.rating_1 + 2 * t.rating_2 + 3 * t.rating_3 + 4 * t.rating_4 + 5 * t.rating_5
    key_columns = [t[k] for k in keys]
    stmt = (sa.select(*key_columns, bucket, sa.func.sum(_rated(t)), sa.func.sum(good),
                      sa.func.sum(total))
            .where(_narrowed(model, scope, node), *in_range, *comparable(session, t))
            .group_by(*key_columns, bucket))
    out: dict[tuple[Any, ...], dict[str, Group]] = {}
    width = len(keys)
    for row in session.execute(stmt):
        index = row[width]
        if index < 0:
            continue
        groups = out.get(tuple(row[:width]))
        if groups is None:
            groups = out[tuple(row[:width])] = {name: Group() for name in names}
        groups[names[index]] = Group(*(int(v or 0) for v in row[width + 1:]))
    return out


def _rated(t: Any) -> Any:
    return t.rating_1 + t.rating_2 + t.rating_3 + t.rating_4 + t.rating_5


def _buckets(day: Any, periods: Mapping[str, Period]) -> tuple[Any, list[Any]]:
    """The index of the period each day falls in (-1: none), and the days' range."""
    bucket = sa.case(*((sa.and_(day >= start, day < end), i)
                       for i, (start, end) in enumerate(periods.values())), else_=-1)
    first = min(p[0] for p in periods.values())
    last = max(p[1] for p in periods.values())
    return bucket, [day >= first, day < last]


#: Rated responses per child node id and period name.
Sizes = dict[Any, dict[str, int]]


def rated_sizes(session: Session, scope: Scope, tables: Sequence[tuple[BoardNode, Sequence[str]]],
                periods: Mapping[str, Period]) -> list[Sizes]:
    """For each (node, keys) of ``tables``, the rated responses under the node per child (the
    node ids in the branch columns ``keys``; a row keyed by OOAD and UMAE counts for the one
    that is set) and per named period: one query for every table (``UNION ALL``), the
    numbers of responses only."""
    names = list(periods)
    selects = []
    for i, (node, keys) in enumerate(tables):
        model = survey_model(node, keys)
        t = model.__table__.c
        bucket, in_range = _buckets(t.day, periods)
        key_columns = [t[k] for k in keys]
        padding = [sa.literal(NO_NODE, t[keys[0]].type)] * (2 - len(keys))
        selects.append(
            sa.select(sa.literal(i).label("level"), *key_columns, *padding,
                      bucket.label("bucket"), sa.func.sum(_rated(t)).label("n"))
            .where(_narrowed(model, scope, node), *in_range, *comparable(session, t))
            .group_by(*key_columns, bucket))
    out: list[Sizes] = [{} for _ in tables]
    if not selects:
        return out
    stmt = selects[0] if len(selects) == 1 else sa.union_all(*selects)
    for level, first, second, index, n in session.execute(stmt):
        if index < 0:
            continue
        for node_id in (first, second):
            if node_id != NO_NODE:
                row = out[level].setdefault(node_id, {})
                if n:
                    row[names[index]] = row.get(names[index], 0) + int(n)
    return out


def fold(groups: Mapping[tuple[Any, ...], Mapping[str, Group]]) -> dict[str, Group]:
    """The groups of every key summed, per period."""
    out: dict[str, Group] = {}
    for periods in groups.values():
        for name, g in periods.items():
            out.setdefault(name, Group()).merge(g)
    return out


def by_node(groups: Mapping[tuple[Any, ...], Mapping[str, Group]]) -> dict[Any, Group]:
    """Every period summed, keyed by node id, from groups keyed by one or more branch columns
    (a row keyed by OOAD and UMAE counts for the one that is set)."""
    out: dict[Any, Group] = {}
    for key, periods in groups.items():
        for node_id in key:
            if node_id != NO_NODE:
                g = out.setdefault(node_id, Group())
                for period in periods.values():
                    g.merge(period)
    return out


# ---------------------------------------------------------------------------- open quejas


@lru_cache(maxsize=64)
def aging_starts(today: date) -> tuple[date, ...]:
    """For each aging column, the first local day of receipt whose open queja is at most that
    many business days old today (a case's age only grows with time, so each column is a
    range of days)."""
    starts = []
    day = today
    for edge in AGING_EDGES:
        while business_days_between(day - timedelta(days=1), today) <= edge:
            day -= timedelta(days=1)
        starts.append(day)
    return tuple(starts)


@dataclass
class ComplaintCount:
    """Open quejas of one module (or of one service): how many, overdue, and by age."""

    ooad_id: Any
    umae_id: Any
    unit_id: Any
    module_id: Any
    open: int
    overdue: int
    aging: list[int]


@dataclass
class OpenComplaints:
    rows: list[ComplaintCount]
    #: (service code, open, overdue), most open first.
    by_service: list[tuple[str, int, int]] = field(default_factory=list)
    by_branch: dict[tuple[str, Any], list[ComplaintCount]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for r in self.rows:
            for column in ("ooad_id", "umae_id", "unit_id", "module_id"):
                self.by_branch.setdefault((column, getattr(r, column)), []).append(r)

    def under(self, column: str, node_id: Any) -> list[ComplaintCount]:
        return self.by_branch.get((column, node_id), [])

    @staticmethod
    def count(rows: list[ComplaintCount]) -> tuple[int, int]:
        """(open, overdue) of ``rows``."""
        return sum(r.open for r in rows), sum(r.overdue for r in rows)

    @property
    def totals(self) -> tuple[int, int]:
        return self.count(self.rows)


def _aging_sums(t: Any, today: date) -> list[Any]:
    """SUMs of the open quejas in each aging column (ranges of the local day of receipt)."""
    starts = aging_starts(today)
    sums = []
    for i in range(len(AGING_EDGES) + 1):
        newer = starts[i - 1] if i else None
        older = starts[i] if i < len(starts) else None
        parts = [c for c in (t.day < newer if newer is not None else None,
                             t.day >= older if older is not None else None) if c is not None]
        sums.append(sa.func.sum(sa.case((sa.and_(*parts), t.cases), else_=0)))
    return sums


def open_complaints(session: Session, scope: Scope, node: BoardNode, today: date
                    ) -> OpenComplaints:
    """The open quejas under ``node`` per module, by age (business days since the local day
    of receipt) and overdue (resolution deadline before today), and per service: one pass
    over the open rows on PostgreSQL (``GROUPING SETS``), two on SQLite."""
    t = CaseDay.__table__.c
    where = sa.and_(_narrowed(CaseDay, scope, node), t.case_type == CaseType.QUEJA.value,
                    t.stage != CaseStage.CERRADO.value)
    keys = [t.ooad_id, t.umae_id, t.unit_id, t.module_id]
    sums = [sa.func.sum(t.cases),
            sa.func.sum(sa.case((t.resolution_due < today, t.cases), else_=0)),
            *_aging_sums(t, today)]
    if session.get_bind().dialect.name == "postgresql":
        stmt = (sa.select(*keys, t.service_code, sa.func.grouping(t.service_code), *sums)
                .where(where)
                .group_by(sa.func.grouping_sets(sa.tuple_(*keys), sa.tuple_(t.service_code))))
        result = session.execute(stmt).all()
        modules = [(*r[:4], *r[6:]) for r in result if r[5]]
        services = [(r[4], *r[6:]) for r in result if not r[5]]
    else:
        modules = session.execute(sa.select(*keys, *sums).where(where).group_by(*keys)).all()
        services = session.execute(sa.select(t.service_code, *sums).where(where)
                                   .group_by(t.service_code)).all()
    rows = [ComplaintCount(*r[:4], int(r[4]), int(r[5] or 0), [int(v or 0) for v in r[6:]])
            for r in modules]
    return OpenComplaints([r for r in rows if r.open],
                          [(r[0], int(r[1]), int(r[2] or 0)) for r in services if r[1]])


# ---------------------------------------------------------------------------- cases received


def cases_received(session: Session, scope: Scope, node: BoardNode, period: Period,
                   keys: Sequence[str]) -> list[tuple[Any, ...]]:
    """Cases received under ``node`` in ``period`` by ``keys`` (case columns of the rollup,
    e.g. ``case_type``): rows of the key values, the count and how many are closed now."""
    t = CaseDay.__table__.c
    key_columns = [t[k] for k in keys]
    closed = sa.func.sum(sa.case((t.stage == CaseStage.CERRADO.value, t.cases), else_=0))
    stmt = (sa.select(*key_columns, sa.func.sum(t.cases), closed)
            .where(_narrowed(CaseDay, scope, node), t.day >= period[0], t.day < period[1]))
    if key_columns:
        stmt = stmt.group_by(*key_columns)
    return [(*r[:-2], int(r[-2] or 0), int(r[-1] or 0)) for r in session.execute(stmt)]
