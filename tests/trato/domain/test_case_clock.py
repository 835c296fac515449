"""The business-day clock around weekends and Mexican holidays: a table of known dates,
each checked against the holiday library first, then the clock read on them."""

from datetime import date

import holidays
import pytest

from trato.domain.case_clock import business_days_between, case_clock, near_limits
from trato.domain.deadlines import add_business_days, completion_due, resolution_due
from trato.domain.enums import CaseStage

MX = holidays.country_holidays("MX", years=range(2025, 2028))

#: (date, a holiday in the library?) — what the clock below relies on.
KNOWN_DAYS = [
    (date(2025, 12, 24), False),  # Wednesday: Nochebuena is a working day
    (date(2025, 12, 25), True),  # Navidad
    (date(2026, 1, 1), True),  # Año Nuevo
    (date(2026, 1, 2), False),  # Friday
    (date(2026, 2, 2), True),  # Día de la Constitución (first Monday of February)
    (date(2026, 3, 16), True),  # Natalicio de Benito Juárez (third Monday of March)
    (date(2026, 3, 21), False),  # the date itself is a Saturday, not the holiday
    (date(2026, 5, 1), True),  # Día del Trabajo
    (date(2026, 9, 16), True),  # Independencia
]


@pytest.mark.parametrize("day, holiday", KNOWN_DAYS, ids=[str(d) for d, _ in KNOWN_DAYS])
def test_the_holiday_library_knows_these_days(day: date, holiday: bool) -> None:
    assert (day in MX) is holiday


@pytest.mark.parametrize("received, completion, resolution", [
    # Christmas week: 25 Dec and 1 Jan skipped, and both weekends.
    (date(2025, 12, 23), date(2025, 12, 31), date(2026, 3, 6)),
    (date(2025, 12, 24), date(2026, 1, 2), date(2026, 3, 9)),
    # Friday before the Constitution day long weekend: Mon 2 Feb skipped.
    (date(2026, 1, 30), date(2026, 2, 9), date(2026, 4, 14)),
    # Benito Juárez: Monday 16 March 2026 skipped.
    (date(2026, 3, 12), date(2026, 3, 20), date(2026, 5, 25)),
])
def test_deadlines_skip_weekends_and_holidays(received: date, completion: date,
                                              resolution: date) -> None:
    assert completion_due(received) == completion
    assert resolution_due(received) == resolution
    assert business_days_between(received, completion) == 5


def test_days_left_across_a_long_weekend() -> None:
    # Friday 13 March 2026 to Tuesday 17 March: Sat, Sun and the Monday holiday do not count.
    assert business_days_between(date(2026, 3, 13), date(2026, 3, 17)) == 1
    clock = case_clock(CaseStage.RECEPCION, date(2026, 3, 10), date(2026, 3, 17),
                       date(2026, 5, 22), date(2026, 3, 13))
    assert (clock.due, clock.days_left, clock.near, clock.on_completion) == (
        date(2026, 3, 17), 1, True, True)


def test_a_missed_completion_date_hands_over_to_the_resolution_date() -> None:
    clock = case_clock(CaseStage.INTEGRACION, date(2026, 1, 5), date(2026, 1, 12),
                       date(2026, 3, 18), date(2026, 1, 13))
    assert (clock.due, clock.on_completion, clock.overdue, clock.near) == (
        date(2026, 3, 18), False, False, False)


def test_overdue_only_for_an_open_case_past_resolution() -> None:
    args = (date(2025, 10, 1), date(2025, 10, 8), date(2025, 12, 10), date(2026, 1, 2))
    assert case_clock(CaseStage.DICTAMEN, *args).overdue
    closed = case_clock(CaseStage.CERRADO, *args)
    assert (closed.overdue, closed.days_left, closed.age) == (False, None, 0)


@pytest.mark.parametrize("today", [date(2025, 12, 24), date(2026, 3, 13), date(2026, 1, 30),
                                   date(2026, 3, 14)])
def test_near_limits_agree_with_counting_days(today: date) -> None:
    """The dates a database sorts by say "near" exactly when counting business days does."""
    limits = near_limits(today)
    for offset in range(0, 20):
        due = date.fromordinal(today.toordinal() + offset)
        left = business_days_between(today, due)
        assert (due < limits.resolution_before) == (left <= 5), due
        assert (due < limits.completion_before) == (left <= 2), due
    assert limits.resolution_before == add_business_days(today, 6)
