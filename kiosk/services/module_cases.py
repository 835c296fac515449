"""The module's cases, due first: "¿qué vence hoy?" answered from the kiosk's own store.

One list holds the cases filed at this kiosk (by a person alone or registered by an agent at
the desk) and the cases the pull told it about (the central server sends each case status
of the unit: those filed at its other kiosks appear with what the status says, folio, stage
and deadlines). Order: open cases before closed, overdue first, then near their deadline,
then the nearest deadline, then the newest; the clock is :mod:`trato.domain.case_clock`
(business days, Mexican holidays), read against the kiosk's clock in the unit's time zone.

Everything is one SQL statement over ``case_record`` ⟕ ``case_status`` ∪ the statuses of
cases not filed here, sorted and paged by SQLite (the deadlines are stored: revision 0005),
so the list of a module with thousands of cases loads a page at a time.

A stage change still waiting to be sent counts already (the list shows the stage the agent
set); one the server set aside does not. Sensitive cases (harassment, discrimination,
violence), and cases filed elsewhere whose sensitivity this kiosk cannot know, are
``reserved`` for an agent who may not read them: folio, stage and clock only.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from kiosk.clock import Clock
from kiosk.services.lookup import DEFAULT_TIMEZONE, local_time
from kiosk.storage.db import Database
from kiosk.storage.identity import get_identity
from kiosk.storage.models import Case, CaseEvent, CaseStatus, OutboxEntry
from kiosk.storage.outbox import OutboxState
from trato.domain.case_clock import EARLY_STAGES, CaseClock, case_clock, near_limits
from trato.domain.enums import CaseStage, CaseType
from trato.domain.folio import FolioError, normalise, parse_folio

_CASE = Case.__table__
_STATUS = CaseStatus.__table__
_EVENT = CaseEvent.__table__
_OUTBOX = OutboxEntry.__table__
CLOSED = CaseStage.CERRADO.value
#: The page size the list screens ask for.
PAGE_SIZE = 60


def pending_stage(case_id: Any) -> Any:
    """The stage of the newest stage change of ``case_id`` still to be sent (set aside ones
    do not count), as a scalar subquery; NULL when there is none."""
    return (
        sa.select(_EVENT.c.stage)
        .select_from(_EVENT.join(_OUTBOX, _OUTBOX.c.id == _EVENT.c.id))
        .where(_EVENT.c.case_id == case_id, _EVENT.c.stage.is_not(None),
               _EVENT.c.acknowledged_at.is_(None),
               _OUTBOX.c.state != OutboxState.SET_ASIDE.value)
        .order_by(_OUTBOX.c.seq.desc())
        .limit(1)
        .scalar_subquery()
    )


def _registered_by() -> Any:
    """The roster id of the agent who registered a case (the column comes with the staff
    accounts, issue 9 item 1); NULL before it exists."""
    return _CASE.c.registered_by if "registered_by" in _CASE.c else sa.null()


def module_cases() -> Any:
    """Every case of the module, one row each, as a subquery with the same columns for a
    case filed here and one known only from its pulled status."""
    pending = pending_stage(_CASE.c.id)
    here = sa.select(
        _CASE.c.id.label("case_id"), _CASE.c.folio, _CASE.c.case_type, _CASE.c.channel,
        _CASE.c.created_at.label("filed_at"),
        sa.func.coalesce(pending, _STATUS.c.stage, CaseStage.RECEPCION.value).label("stage"),
        pending.is_not(None).label("pending"),
        _CASE.c.sensitive, sa.true().label("filed_here"),
        # The server's deadlines once it sent them (it counts from the day it received the
        # case), else the ones given here at filing.
        sa.case((_STATUS.c.resolution_due.is_not(None), _STATUS.c.completion_due),
                else_=_CASE.c.completion_due).label("completion_due"),
        sa.func.coalesce(_STATUS.c.resolution_due, _CASE.c.resolution_due)
        .label("resolution_due"),
        _CASE.c.masked_personal, _registered_by().label("registered_by"),
    ).select_from(_CASE.outerjoin(_STATUS, _STATUS.c.case_id == _CASE.c.id))
    elsewhere = sa.select(
        _STATUS.c.case_id, _STATUS.c.folio, sa.null(), sa.null(), sa.null(), _STATUS.c.stage,
        sa.false(), sa.null(), sa.false(), _STATUS.c.completion_due, _STATUS.c.resolution_due,
        sa.null(), sa.null(),
    ).where(~sa.exists().where(_CASE.c.id == _STATUS.c.case_id))
    return sa.union_all(here, elsewhere).subquery("module_case")


@dataclass(frozen=True)
class Order:
    """The sort and the clock buckets of the list for one day, as SQL over :func:`module_cases`."""

    rank: Any  # 0 overdue, 1 near, 2 open with a deadline, 3 open without, 4 closed
    due: Any
    overdue: Any
    near: Any
    open: Any

    @classmethod
    def on(cls, m: Any, today: date) -> "Order":
        limits = near_limits(today)
        day, completion_before = today.isoformat(), limits.completion_before.isoformat()
        resolution_before = limits.resolution_before.isoformat()
        open_ = m.c.stage != CLOSED
        on_completion = sa.and_(m.c.stage.in_([s.value for s in EARLY_STAGES]),
                                m.c.completion_due.is_not(None), m.c.completion_due >= day)
        due = sa.case((on_completion, m.c.completion_due), else_=m.c.resolution_due)
        overdue = sa.and_(open_, m.c.resolution_due.is_not(None), m.c.resolution_due < day)
        near = sa.and_(open_, sa.not_(overdue), sa.or_(
            sa.and_(on_completion, m.c.completion_due < completion_before),
            sa.and_(sa.not_(on_completion), m.c.resolution_due >= day,
                    m.c.resolution_due < resolution_before)))
        rank = sa.case((sa.not_(open_), 4), (overdue, 0), (near, 1), (due.is_not(None), 2),
                       else_=3)
        return cls(rank=rank, due=due, overdue=overdue, near=near, open=open_)

    def clauses(self, m: Any) -> list[Any]:
        return [self.rank, sa.case((self.rank <= 2, self.due), else_=None),
                m.c.filed_at.desc(), m.c.folio]


def folio_filter(m: Any, text: str) -> Any:
    """Cases whose folio is ``text`` as people type one (lower case, spaces, hyphens, O for
    0, I/L for 1); a part of a folio finds every folio holding it. None for no filter."""
    compact = normalise(text)
    if not compact:
        return None
    try:
        folio = parse_folio(compact)
    except FolioError:
        return sa.func.replace(m.c.folio, "-", "").contains(compact, autoescape=True)
    return m.c.folio.in_([str(folio), folio.compact])


@dataclass(frozen=True)
class CaseRow:
    """One case as the list shows it. ``reserved``: the agent sees folio, stage and clock
    only. ``filed_at`` is in the unit's time (None for a case filed at another kiosk)."""

    case_id: uuid.UUID
    folio: str
    case_type: CaseType | None
    channel: str | None
    filed_at: datetime | None
    stage: CaseStage
    pending: bool
    filed_here: bool
    sensitive: bool | None  # None: filed elsewhere, not known here
    clock: CaseClock
    reserved: bool
    initials: str  # the filer's initials ("M. G."), never more
    registered_by: str | None

    @property
    def display_folio(self) -> str:
        try:
            return str(parse_folio(self.folio))
        except FolioError:
            return self.folio


@dataclass(frozen=True)
class Summary:
    total: int
    open: int
    overdue: int
    near: int


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


class ModuleCases:
    """The module's case list (read only). ``can_read_sensitive`` is the signed-in agent's."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._db = database
        self._clock = clock
        self._zone: str | None = None

    def timezone(self, session: Session | None = None) -> str:
        if self._zone is None:
            if session is None:
                with self._db.read() as own:
                    return self.timezone(own)
            identity = get_identity(session)
            self._zone = identity.timezone if identity is not None else DEFAULT_TIMEZONE
        return self._zone

    def today(self) -> date:
        """Today in the unit's time zone, by the kiosk's clock."""
        return local_time(self._clock.now(), self.timezone()).date()

    def _where(self, m: Any, search: str) -> list[Any]:
        match = folio_filter(m, search)
        return [] if match is None else [match]

    def count(self, search: str = "") -> int:
        m = module_cases()
        with self._db.read() as session:
            return int(session.execute(
                sa.select(sa.func.count()).select_from(m).where(*self._where(m, search))
            ).scalar_one())

    def summary(self) -> Summary:
        """How many cases, open, overdue and near their deadline (always shown: the module
        must act on them)."""
        today = self.today()
        m = module_cases()
        order = Order.on(m, today)

        def count_of(condition: Any) -> Any:
            return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

        with self._db.read() as session:
            total, open_, overdue, near = session.execute(sa.select(
                sa.func.count(), count_of(order.open), count_of(order.overdue),
                count_of(order.near)).select_from(m)).one()
        return Summary(int(total), int(open_), int(overdue), int(near))

    def page(self, offset: int, limit: int = PAGE_SIZE, *, search: str = "",
             can_read_sensitive: bool = False) -> list[CaseRow]:
        """``limit`` cases from position ``offset`` of the list, due first."""
        today = self.today()
        m = module_cases()
        stmt = (sa.select(m).where(*self._where(m, search))
                .order_by(*Order.on(m, today).clauses(m)).offset(offset).limit(limit))
        with self._db.read() as session:
            zone = self.timezone(session)
            rows = session.execute(stmt).mappings().all()
        return [self._row(r, today, zone, can_read_sensitive) for r in rows]

    def row(self, case_id: uuid.UUID, *, can_read_sensitive: bool = False) -> CaseRow | None:
        today = self.today()
        m = module_cases()
        with self._db.read() as session:
            zone = self.timezone(session)
            found = session.execute(sa.select(m).where(m.c.case_id == case_id)
                                    ).mappings().first()
        return None if found is None else self._row(found, today, zone, can_read_sensitive)

    @staticmethod
    def _row(r: Any, today: date, zone: str, can_read_sensitive: bool) -> CaseRow:
        filed = local_time(r["filed_at"], zone) if r["filed_at"] is not None else None
        stage = CaseStage(r["stage"])
        sensitive = None if r["sensitive"] is None else bool(r["sensitive"])
        reserved = sensitive is not False and not can_read_sensitive
        # A reserved case says nothing of itself beyond folio, stage and clock.
        masks = {} if reserved else (r["masked_personal"] or {})
        return CaseRow(
            case_id=r["case_id"], folio=r["folio"],
            case_type=CaseType(r["case_type"]) if r["case_type"] and not reserved else None,
            channel=None if reserved else r["channel"], filed_at=filed, stage=stage,
            pending=bool(r["pending"]),
            filed_here=bool(r["filed_here"]), sensitive=sensitive,
            clock=case_clock(stage, filed.date() if filed else None,
                             _date(r["completion_due"]), _date(r["resolution_due"]), today),
            reserved=reserved,
            initials=str(masks.get("filer_name", "")),
            registered_by=r["registered_by"] or None,
        )
