"""The due-first list of cases as SQL that stays fast with the whole history (case list page
and its CSV export).

The order is: open cases before closed ones, overdue first, then the nearest deadline, then
the newest. It is read in two segments that together give exactly that order:

* the **open** cases (bounded by the follow-up, not by history), ordered by the full due-first
  expression through the partial covering index ``ix_case_open``;
* the **closed** cases (the history), whose due-first order is simply the resolution deadline
  (nulls last), newest first, which the partial covering index ``ix_case_closed_due`` holds in
  that order: a page or the CSV reads it in index order, never sorting the history.

Only the columns a row shows are read (no case text, no sealed data).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from central.db import local_day
from central.models import Case
from central.web.case_clock import COMPLETION_NEAR_BUSINESS_DAYS, deadline_clock
from central.web.display import display_folio, service_name
from central.web.nodes import node_names
from trato.domain.deadlines import NEAR_DEADLINE_BUSINESS_DAYS, add_business_days
from trato.domain.enums import CaseStage

EARLY_STAGES = (CaseStage.RECEPCION.value, CaseStage.INTEGRACION.value)
CLOSED = CaseStage.CERRADO.value
LIST_COLUMNS = (Case.id, Case.folio, Case.case_type, Case.stage, Case.unit_id,
                Case.service_code, Case.received_at, Case.completion_due, Case.resolution_due,
                Case.sensitive, Case.impacto_institucional)
CHUNK = 1000


@dataclass
class Clock:
    """The SQL of the case clock on ``today`` (as :func:`central.web.case_clock.case_clock`)."""

    today: date

    @property
    def open(self) -> Any:
        return Case.stage != CLOSED

    @property
    def on_completion(self) -> Any:
        """The 5-day completion deadline counts while the case is received and completed."""
        return sa.and_(Case.stage.in_(EARLY_STAGES), Case.completion_due.is_not(None),
                       Case.completion_due >= self.today)

    @property
    def due(self) -> Any:
        return sa.case((self.on_completion, Case.completion_due), else_=Case.resolution_due)

    @property
    def overdue(self) -> Any:
        return sa.and_(self.open, Case.resolution_due.is_not(None),
                       Case.resolution_due < self.today)

    @property
    def near(self) -> Any:
        """0..N business days left: due before the (N+1)th business day from today."""
        today = self.today
        return sa.and_(self.open, sa.not_(self.overdue), sa.or_(
            sa.and_(self.on_completion, Case.completion_due
                    < add_business_days(today, COMPLETION_NEAR_BUSINESS_DAYS + 1)),
            sa.and_(sa.not_(self.on_completion), Case.resolution_due.is_not(None),
                    Case.resolution_due >= today,
                    Case.resolution_due < add_business_days(
                        today, NEAR_DEADLINE_BUSINESS_DAYS + 1)),
        ))


@dataclass
class CaseQuery:
    """The cases in scope that match some conditions, in due-first order."""

    where: list[Any]
    clock: Clock
    open_only: bool = False
    closed_only: bool = False

    def segments(self) -> list[Any]:
        """SELECTs of the open and the closed cases, each in its due-first order."""
        out = []
        if not self.closed_only:
            c = self.clock
            out.append(sa.select(*LIST_COLUMNS).where(*self.where, c.open).order_by(
                sa.case((c.overdue, 0), else_=1), c.due.is_(None), c.due,
                Case.received_at.desc(), Case.id))
        if not self.open_only:
            out.append(sa.select(*LIST_COLUMNS).where(*self.where, Case.stage == CLOSED)
                       .order_by(Case.resolution_due.asc().nulls_last(),
                                 Case.received_at.desc(), Case.id))
        return out

    def counts(self, session: Session) -> list[int]:
        return [int(session.execute(sa.select(sa.func.count()).select_from(
            s.order_by(None).subquery())).scalar_one()) for s in self.segments()]

    def page(self, session: Session, offset: int, limit: int) -> tuple[list[Any], int]:
        """Rows ``offset`` .. ``offset + limit`` of the whole list, and its length."""
        counts = self.counts(session)
        rows: list[Any] = []
        for segment, count in zip(self.segments(), counts, strict=True):
            if offset >= count:
                offset -= count
                continue
            rows += session.execute(segment.offset(offset).limit(limit - len(rows))).all()
            offset = 0
            if len(rows) >= limit:
                break
        return rows, sum(counts)

    def stream(self, session: Session) -> Iterator[list[Any]]:
        """Every row, in chunks, read while it is sent (a server-side cursor on PostgreSQL;
        plain Core rows, no ORM bookkeeping per row)."""
        conn = session.connection().execution_options(yield_per=CHUNK)
        for segment in self.segments():
            yield from conn.execute(segment).partitions()


@lru_cache(maxsize=4096)
def date_text(d: date) -> str:
    return d.strftime("%d/%m/%Y")


@lru_cache(maxsize=512)
def service_text(code: str) -> str:
    return service_name(code)


class RowMaker:
    """List rows from query rows (:data:`LIST_COLUMNS`): the dicts the page shows, or the
    values a CSV line holds; unit names are read once per unit."""

    def __init__(self, session: Session, today: date) -> None:
        self.session = session
        self.today = today
        self.names: dict[Any, str] = {}

    def _names_of(self, chunk: list[Any]) -> None:
        missing = {c.unit_id for c in chunk} - self.names.keys()
        if missing:
            self.names.update(node_names(self.session, missing))

    def rows(self, chunk: list[Any]) -> list[dict[str, Any]]:
        self._names_of(chunk)
        return [self.row(c) for c in chunk]

    def row(self, c: Any) -> dict[str, Any]:
        (case_id, folio, case_type, stage, unit, service, received_at, completion, resolution,
         sensitive, impacto) = c
        due, days_left, overdue, near = deadline_clock(stage, completion, resolution,
                                                       self.today)
        return {
            "id": str(case_id), "folio": display_folio(folio), "type": case_type,
            "stage": stage, "unit": self.names.get(unit, "—"),
            "service": service_text(service or ""),
            "received": date_text(local_day(received_at)),
            "due": date_text(due) if due else "—", "days_left": days_left,
            "overdue": overdue, "near": near, "sensitive": sensitive, "impacto": impacto,
            "open": stage != CLOSED,
        }

    def csv_lines(self, chunk: list[Any], labels: dict[str, str], yes: str, no: str
                  ) -> Iterator[list[Any]]:
        """The CSV lines of ``chunk``: folio, type, stage, unit, service, received, due, days
        left, overdue, impacto, sensitive (``labels``: type and stage names)."""
        self._names_of(chunk)
        names, today = self.names, self.today
        for (_id, folio, case_type, stage, unit, service, received_at, completion, resolution,
             sensitive, impacto) in chunk:
            due, days_left, overdue, _near = deadline_clock(stage, completion, resolution,
                                                            today)
            yield [display_folio(folio), labels.get(case_type, case_type),
                   labels.get(stage, stage), names.get(unit, "—"), service_text(service or ""),
                   date_text(local_day(received_at)), date_text(due) if due else "—",
                   days_left, yes if overdue else no, yes if impacto else no,
                   yes if sensitive else no]
