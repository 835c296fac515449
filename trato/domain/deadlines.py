"""Business-day deadlines of the Instructivo (Art. 19), with Mexico's official holidays.

Business days exclude Saturdays, Sundays and the holidays of the ``holidays`` library's
Mexican calendar (a maintained calendar, not a hand-written list).
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays

#: Days to complete missing information.
COMPLETION_BUSINESS_DAYS = 5
#: Days to resolve a queja.
RESOLUTION_BUSINESS_DAYS = 50
#: A case is "near its deadline" with this many business days left or fewer.
NEAR_DEADLINE_BUSINESS_DAYS = 5


@lru_cache(maxsize=64)
def _mexican_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("MX", years=year).keys())


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _mexican_holidays(day.year)


def add_business_days(start: date, days: int) -> date:
    """The date ``days`` business days after ``start`` (``start`` itself is not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_business_day(current):
            remaining -= 1
    return current


def business_days_between(start: date, end: date) -> int:
    """Business days after ``start`` up to and including ``end``; negative if ``end`` is
    before ``start`` (a deadline already missed by that many business days)."""
    if end == start:
        return 0
    sign = 1
    if end < start:
        start, end, sign = end, start, -1
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_business_day(current):
            count += 1
    return sign * count


def completion_due(received: date) -> date:
    return add_business_days(received, COMPLETION_BUSINESS_DAYS)


def resolution_due(received: date) -> date:
    return add_business_days(received, RESOLUTION_BUSINESS_DAYS)
