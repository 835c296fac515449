"""The clocks everything is given: the machine's, and a fixed one for tests and screenshots."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from kiosk.clock import FixedClock, SystemClock
from tests.kiosk.storage.factories import START


def test_system_clock_is_aware_utc_and_monotonic() -> None:
    clock = SystemClock()
    now = clock.now()
    assert now.tzinfo == UTC
    assert abs(now - datetime.now(UTC)) < timedelta(seconds=5)
    a = clock.monotonic()
    assert clock.monotonic() >= a


def test_fixed_clock_moves_only_when_told() -> None:
    clock = FixedClock(START)
    assert clock.now() == START and clock.now() == START
    m = clock.monotonic()
    assert clock.advance(90) == START + timedelta(seconds=90)
    assert clock.advance(minutes=1) == START + timedelta(seconds=150)
    assert clock.monotonic() == m + 150
    clock.set(START - timedelta(days=365))  # a kiosk clock corrected backwards
    assert clock.now() == START - timedelta(days=365) and clock.monotonic() == m + 150
    with pytest.raises(ValueError):
        clock.advance(-1)
    with pytest.raises(ValueError):
        clock.set(datetime(2026, 1, 1))
    with pytest.raises(ValueError):
        FixedClock(datetime(2026, 1, 1))
    other = FixedClock(datetime(2026, 1, 1, 12, tzinfo=timezone(timedelta(hours=-6))))
    assert other.now().tzinfo == UTC and other.now().hour == 18
    assert FixedClock().now().tzinfo == UTC
