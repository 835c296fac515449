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


def case_clock(case: Any, today: date) -> dict[str, Any]:
    """Business-day clock of a case: days left to the relevant deadline, overdue, near."""
    received = case.received_at.astimezone(MX).date()
    open_ = case.stage != CaseStage.CERRADO.value
    due = case.resolution_due
    near_days = NEAR_DEADLINE_BUSINESS_DAYS
    if (
        case.stage in (CaseStage.RECEPCION.value, CaseStage.INTEGRACION.value)
        and case.completion_due is not None
        and case.completion_due >= today
    ):
        due = case.completion_due
        near_days = COMPLETION_NEAR_BUSINESS_DAYS
    days_left = business_days_between(today, due) if (due and open_) else None
    return {
        "age": business_days_between(received, today) if open_ else 0,
        "due": due,
        "days_left": days_left,
        "overdue": bool(open_ and case.resolution_due and case.resolution_due < today),
        "near": bool(open_ and days_left is not None and 0 <= days_left <= near_days),
    }


def aging_bucket(age: int) -> int:
    """Which of the aging columns (0-5, 6-20, 21-50, >50 business days) an age falls in."""
    for i, edge in enumerate(AGING_EDGES):
        if age <= edge:
            return i
    return len(AGING_EDGES)
