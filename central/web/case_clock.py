"""A case's business-day clock as committees read it (board, case list, reports): the rule
is :mod:`trato.domain.case_clock`, shared with the kiosk's case list; this adds the aging
columns and reads a central :class:`~central.models.Case`."""

from datetime import date
from typing import Any

from central.web.display import MX
from trato.domain import case_clock as clock_rule
from trato.domain.case_clock import COMPLETION_NEAR_BUSINESS_DAYS as COMPLETION_NEAR_BUSINESS_DAYS
from trato.domain.case_clock import business_days_between as business_days_between

AGING_EDGES = (5, 20, 50)  # business days: 0-5, 6-20, 21-50, >50


def deadline_clock(stage: str, completion_due: date | None, resolution_due: date | None,
                   today: date) -> tuple[date | None, int | None, bool, bool]:
    """(the deadline that counts now, business days left to it, overdue, near) of a case."""
    clock = clock_rule.case_clock(stage, None, completion_due, resolution_due, today)
    return clock.due, clock.days_left, clock.overdue, clock.near


def case_clock(case: Any, today: date) -> dict[str, Any]:
    """Business-day clock of a case: days left to the relevant deadline, overdue, near, and
    its age while open."""
    clock = clock_rule.case_clock(case.stage, case.received_at.astimezone(MX).date(),
                                  case.completion_due, case.resolution_due, today)
    return {"age": clock.age, "due": clock.due, "days_left": clock.days_left,
            "overdue": clock.overdue, "near": clock.near}


def aging_bucket(age: int) -> int:
    """Which of the aging columns (0-5, 6-20, 21-50, >50 business days) an age falls in."""
    for i, edge in enumerate(AGING_EDGES):
        if age <= edge:
            return i
    return len(AGING_EDGES)
