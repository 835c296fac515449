"""Time, injected: the UI, services, sync and tests never call ``datetime.now()`` directly.

``now()`` is timezone-aware UTC wall time (what records keep); ``monotonic()`` is for
durations and idle timers (never jumps when the wall clock is corrected).

``datetime`` is imported where a wall time is made, not here: the kiosk's window takes a
:class:`SystemClock` before its first paint, which reads only the monotonic clock.
"""

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from datetime import datetime


class Clock(Protocol):
    def now(self) -> "datetime":
        """Current wall time, timezone-aware UTC."""
        ...

    def monotonic(self) -> float:
        """Seconds from an arbitrary start; only differences mean something."""
        ...


class SystemClock:
    """The machine's clocks."""

    def now(self) -> "datetime":
        from datetime import UTC, datetime

        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()


class FixedClock:
    """A clock that moves only when told to (tests, screenshots, demos). Thread-safe."""

    def __init__(self, start: "datetime | None" = None, *, monotonic_start: float = 1000.0
                 ) -> None:
        from datetime import UTC, datetime

        start = start or datetime(2026, 1, 15, 16, 0, tzinfo=UTC)
        if start.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware start")
        self._now = start.astimezone(UTC)
        self._mono = monotonic_start
        self._lock = threading.Lock()

    def now(self) -> "datetime":
        with self._lock:
            return self._now

    def monotonic(self) -> float:
        with self._lock:
            return self._mono

    def advance(self, seconds: float = 0.0, **delta: float) -> "datetime":
        """Move both clocks forward by ``seconds`` (plus ``timedelta`` keywords)."""
        from datetime import timedelta

        step = timedelta(seconds=seconds, **delta)
        if step < timedelta(0):
            raise ValueError("use set() to move the wall clock backwards")
        with self._lock:
            self._now += step
            self._mono += step.total_seconds()
            return self._now

    def set(self, when: "datetime") -> None:
        """Set the wall clock (may go backwards, like a corrected kiosk clock); the
        monotonic clock is unaffected."""
        from datetime import UTC

        if when.tzinfo is None:
            raise ValueError("aware datetimes only")
        with self._lock:
            self._now = when.astimezone(UTC)


def now_callable(clock: "Clock | Callable[[], datetime] | None") -> "Callable[[], datetime]":
    """A function returning the current aware time from a :class:`Clock`, a bare callable or
    ``None`` (the system clock) — what the sync client and engine accept as ``clock``."""
    if clock is None:
        return SystemClock().now
    if hasattr(clock, "now"):
        return clock.now  # type: ignore[union-attr]
    return clock
