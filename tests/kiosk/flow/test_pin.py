"""The staff PIN lockout on a fixed clock: five misses wait 5 minutes, each further miss
doubles the wait up to an hour, a success clears the count."""

from datetime import UTC, datetime

from kiosk.clock import FixedClock
from kiosk.flow.pin import PinLockout


def test_five_misses_wait_five_minutes_then_the_wait_doubles_up_to_an_hour() -> None:
    clock = FixedClock(datetime(2026, 3, 2, 15, 30, tzinfo=UTC))
    lockout = PinLockout(clock)
    for _ in range(4):
        assert lockout.failed() is False
        assert lockout.wait_minutes() == 0
    assert lockout.failed() is True
    assert lockout.wait_minutes() == 5
    clock.advance(150)
    assert lockout.wait_minutes() == 3  # rounded up
    clock.advance(151)
    assert lockout.wait_minutes() == 0
    waits = []
    for _ in range(6):
        assert lockout.failed() is True
        waits.append(lockout.wait_minutes())
        clock.advance(3601)
    assert waits == [10, 20, 40, 60, 60, 60]


def test_a_success_clears_the_count() -> None:
    clock = FixedClock(datetime(2026, 3, 2, 15, 30, tzinfo=UTC))
    lockout = PinLockout(clock)
    for _ in range(4):
        lockout.failed()
    lockout.succeeded()
    for _ in range(4):
        assert lockout.failed() is False
    assert lockout.failed() is True
    assert lockout.wait_minutes() == 5


def test_the_last_seconds_of_a_wait_still_say_one_minute() -> None:
    clock = FixedClock(datetime(2026, 3, 2, 15, 30, tzinfo=UTC))
    lockout = PinLockout(clock, max_failures=1, first_wait_s=61)
    lockout.failed()
    clock.advance(60.5)
    assert lockout.wait_minutes() == 1
