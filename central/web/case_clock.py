"""A case's business-day clock as committees read it: the deadline that counts now, the days
left, overdue or near, and how old an open case is (board, case list, reports)."""

from datetime import date
from functools import lru_cache
from typing import Any

from central.web.display import MX
from trato.domain.deadlines import NEAR_DEADLINE_BUSINESS_DAYS
from trato.domain.deadlines import business_days_between as _business_days_between
from trato.domain.enums import CaseStage

#: The whole completion period is 5 business days: warn in its last 2.
COMPLETION_NEAR_BUSINESS_DAYS = 2
AGING_EDGES = (5, 20, 50)  # business days: 0-5, 6-20, 21-50, >50


@lru_cache(maxsize=8192)
def business_days_between(start: date, end: date) -> int:
    """Cached: many cases share their received date and deadline."""
    return _business_days_between(start, end)


_EARLY = (CaseStage.RECEPCION.value, CaseStage.INTEGRACION.value)
_CLOSED = CaseStage.CERRADO.value


def deadline_clock(stage: str, completion_due: date | None, resolution_due: date | None,
                   today: date) -> tuple[date | None, int | None, bool, bool]:
    """(the deadline that counts now, business days left to it, overdue, near) of a case."""
    open_ = stage != _CLOSED
    due = resolution_due
    near_days = NEAR_DEADLINE_BUSINESS_DAYS
    if stage in _EARLY and completion_due is not None and completion_due >= today:
        due = completion_due
        near_days = COMPLETION_NEAR_BUSINESS_DAYS
    days_left = business_days_between(today, due) if (due and open_) else None
    overdue = bool(open_ and resolution_due and resolution_due < today)
    near = bool(open_ and days_left is not None and 0 <= days_left <= near_days)
    return due, days_left, overdue, near


def case_clock(case: Any, today: date) -> dict[str, Any]:
    """Business-day clock of a case: days left to the relevant deadline, overdue, near, and
    its age while open."""
    due, days_left, overdue, near = deadline_clock(case.stage, case.completion_due,
                                                   case.resolution_due, today)
    open_ = case.stage != _CLOSED
    received = case.received_at.astimezone(MX).date()
    return {
        "age": business_days_between(received, today) if open_ else 0,
        "due": due, "days_left": days_left, "overdue": overdue, "near": near,
    }


def aging_bucket(age: int) -> int:
    """Which of the aging columns (0-5, 6-20, 21-50, >50 business days) an age falls in."""
    for i, edge in enumerate(AGING_EDGES):
        if age <= edge:
            return i
    return len(AGING_EDGES)
