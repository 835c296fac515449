"""A case's business-day clock, as the module and the committees read it: the deadline that
counts now, the business days left, overdue or near, and how old an open case is.

One definition for the kiosk's case list and the central server's board, case list and
reports. While a case is still being received and completed (:data:`EARLY_STAGES`) its
5-day completion deadline counts, until that day has passed; then the 50-day resolution
deadline. *Overdue* is a missed resolution deadline; *near* is a deadline with
:data:`NEAR_DEADLINE_BUSINESS_DAYS` or fewer business days left (the completion period is 5
days in all: near in its last :data:`COMPLETION_NEAR_BUSINESS_DAYS`).

:func:`near_limits` turns "near" into dates, so a database can sort and filter by it.
"""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from trato.domain import deadlines
from trato.domain.deadlines import NEAR_DEADLINE_BUSINESS_DAYS, add_business_days
from trato.domain.enums import CaseStage

#: The completion period is 5 business days in all: warn in its last 2.
COMPLETION_NEAR_BUSINESS_DAYS = 2
#: Stages in which the completion deadline still counts.
EARLY_STAGES = (CaseStage.RECEPCION, CaseStage.INTEGRACION)


@lru_cache(maxsize=8192)
def business_days_between(start: date, end: date) -> int:
    """:func:`trato.domain.deadlines.business_days_between`, cached: many cases share their
    received date and their deadline."""
    return deadlines.business_days_between(start, end)


@dataclass(frozen=True)
class CaseClock:
    due: date | None  # the deadline that counts now
    days_left: int | None  # business days to it (negative: missed by that many); None closed
    overdue: bool
    near: bool
    age: int  # business days since it was received (0 once closed)
    on_completion: bool = False  # ``due`` is the completion deadline


def case_clock(stage: CaseStage | str, received: date | None, completion_due: date | None,
               resolution_due: date | None, today: date) -> CaseClock:
    """The clock of a case in ``stage`` received on ``received`` (None: not known here)."""
    stage = CaseStage(stage)
    open_ = stage is not CaseStage.CERRADO
    due, near_days, on_completion = resolution_due, NEAR_DEADLINE_BUSINESS_DAYS, False
    if stage in EARLY_STAGES and completion_due is not None and completion_due >= today:
        due, near_days, on_completion = completion_due, COMPLETION_NEAR_BUSINESS_DAYS, True
    days_left = business_days_between(today, due) if (due and open_) else None
    return CaseClock(
        due=due,
        days_left=days_left,
        overdue=bool(open_ and resolution_due and resolution_due < today),
        near=bool(open_ and days_left is not None and 0 <= days_left <= near_days),
        age=business_days_between(received, today) if (open_ and received) else 0,
        on_completion=on_completion,
    )


@dataclass(frozen=True)
class NearLimits:
    """A deadline on or after ``today`` and before these dates is *near*."""

    today: date
    completion_before: date
    resolution_before: date


def near_limits(today: date) -> NearLimits:
    """0..N business days left means due before the (N+1)th business day after ``today``
    (a deadline on a weekend or holiday counts as the business day before it)."""
    return NearLimits(
        today=today,
        completion_before=add_business_days(today, COMPLETION_NEAR_BUSINESS_DAYS + 1),
        resolution_before=add_business_days(today, NEAR_DEADLINE_BUSINESS_DAYS + 1),
    )
