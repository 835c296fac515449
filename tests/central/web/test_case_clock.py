"""A case's business-day clock: which deadline counts, days left, overdue, near, aging."""

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from central.web.case_clock import aging_bucket, case_clock

TODAY = date(2026, 3, 11)  # a Wednesday


def _case(stage: str, completion: date | None, resolution: date | None) -> SimpleNamespace:
    return SimpleNamespace(stage=stage, completion_due=completion, resolution_due=resolution,
                           received_at=datetime(2026, 3, 2, 18, tzinfo=UTC))


def test_aging_columns() -> None:
    assert [aging_bucket(d) for d in (0, 5, 6, 20, 21, 50, 51)] == [0, 0, 1, 1, 2, 2, 3]


def test_the_completion_deadline_counts_while_the_case_is_being_completed() -> None:
    clock = case_clock(_case("recepcion", date(2026, 3, 12), date(2026, 5, 11)), TODAY)
    assert (clock["due"], clock["days_left"], clock["near"], clock["overdue"]) == (
        date(2026, 3, 12), 1, True, False)
    assert clock["age"] == 7  # business days since it arrived (Monday 2 March, local time)


@pytest.mark.parametrize("stage, completion", [("investigacion", date(2026, 3, 12)),
                                               ("recepcion", date(2026, 3, 10))])
def test_then_the_resolution_deadline(stage: str, completion: date) -> None:
    clock = case_clock(_case(stage, completion, date(2026, 5, 11)), TODAY)
    assert clock["due"] == date(2026, 5, 11) and not clock["near"] and not clock["overdue"]


def test_an_open_case_past_its_resolution_date_is_overdue_and_a_closed_one_never() -> None:
    assert case_clock(_case("dictamen", None, date(2026, 3, 10)), TODAY)["overdue"]
    closed = case_clock(_case("cerrado", None, date(2026, 3, 10)), TODAY)
    assert (closed["overdue"], closed["days_left"], closed["age"]) == (False, None, 0)
