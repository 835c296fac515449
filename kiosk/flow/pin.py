"""The staff PIN lockout: five wrong PINs in a row make PIN entry wait five minutes, and each
further miss doubles the wait, up to an hour. A right PIN clears the count.

Qt-free and on an injected monotonic clock, so tests advance a fixed clock instead of waiting.
Nothing here sees or logs what was typed. Each staff account has its own
(:class:`kiosk.flow.staff.StaffSignIn`), kept in the store between restarts through
:meth:`PinLockout.seconds_left` and :meth:`PinLockout.restore`.
"""

import logging
import math
from typing import Protocol

log = logging.getLogger(__name__)

PIN_MAX_FAILURES = 5
PIN_LOCKOUT_S = 300
PIN_LOCKOUT_MAX_S = 3600


class MonotonicClock(Protocol):
    def monotonic(self) -> float: ...


class PinLockout:
    def __init__(self, clock: MonotonicClock, *, max_failures: int = PIN_MAX_FAILURES,
                 first_wait_s: float = PIN_LOCKOUT_S,
                 max_wait_s: float = PIN_LOCKOUT_MAX_S) -> None:
        self.clock = clock
        self.max_failures = max_failures
        self.first_wait_s = first_wait_s
        self.max_wait_s = max_wait_s
        self.failures = 0
        self._locked_until = 0.0

    def wait_minutes(self) -> int:
        """Whole minutes (at least 1) until PIN entry opens again; 0 when it is open."""
        left = self._locked_until - self.clock.monotonic()
        return max(1, math.ceil(left / 60)) if left > 0 else 0

    def seconds_left(self) -> float:
        """Seconds until PIN entry opens again (0 when open)."""
        return max(0.0, self._locked_until - self.clock.monotonic())

    def restore(self, failures: int, seconds_left: float) -> None:
        """Continue a count kept elsewhere: ``failures`` misses in a row, waiting
        ``seconds_left`` more (at most the longest wait)."""
        self.failures = max(0, failures)
        wait = min(max(0.0, seconds_left), self.max_wait_s)
        self._locked_until = self.clock.monotonic() + wait if wait else 0.0

    def succeeded(self) -> None:
        self.failures = 0
        self._locked_until = 0.0

    def failed(self) -> bool:
        """Count a wrong PIN; True when PIN entry now waits."""
        self.failures += 1
        if self.failures < self.max_failures:
            return False
        wait = min(self.max_wait_s, self.first_wait_s * 2 ** (self.failures - self.max_failures))
        self._locked_until = self.clock.monotonic() + wait
        log.warning("staff PIN wrong %d times in a row; PIN entry locked for %d s",
                    self.failures, wait)
        return True
