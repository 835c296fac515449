"""Idle detection for the beneficiary session, on an injectable clock.

The monitor keeps the time of the last touch or key press; a coarse Qt timer calls
:meth:`IdleMonitor.check`, which compares against the injected clock, so tests advance a
:class:`kiosk.clock.FixedClock` and call ``check()`` instead of waiting.

Signals: ``warn(int)`` once when the quiet period ends (seconds left in the countdown),
``tick(int)`` every check during the countdown, ``expired()`` when it runs out.
"""

import math
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

ACTIVITY_EVENTS = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.TouchBegin,
        QEvent.Type.KeyPress,
        QEvent.Type.Wheel,
    }
)


class MonotonicClock(Protocol):
    def monotonic(self) -> float: ...


class IdleMonitor(QObject):
    warn = Signal(int)
    tick = Signal(int)
    expired = Signal()

    def __init__(
        self,
        clock: MonotonicClock,
        *,
        idle_seconds: float,
        countdown_seconds: float,
        interval_ms: int = 500,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.clock = clock
        self.base_idle_seconds = idle_seconds
        self.idle_seconds = idle_seconds
        self.countdown_seconds = countdown_seconds
        self.active = False
        self.warning = False
        #: With ``direct`` the countdown is skipped: used on "thank you" pages, where
        #: nothing is left to lose, so the kiosk quietly returns to the attract screen.
        self.direct = False
        self._last = clock.monotonic()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)

    def start(self, *, direct: bool = False, idle_seconds: float | None = None) -> None:
        """Begin watching (a session started); ``idle_seconds`` overrides the quiet period
        until the next ``start``."""
        self.active = True
        self.direct = direct
        self.idle_seconds = self.base_idle_seconds if idle_seconds is None else idle_seconds
        self.warning = False
        self.poke()
        self._timer.start()
        self._watch(True)

    def stop(self) -> None:
        self.active = False
        self.warning = False
        self._timer.stop()
        self._watch(False)

    def _watch(self, on: bool) -> None:
        """Filter the application's events only while a session runs: activity outside one
        changes nothing (``start`` pokes), and the attract screen, above all the first paint,
        then costs no Python call per Qt event."""
        app = QCoreApplication.instance()
        if app is None:
            return
        if on:
            app.installEventFilter(self)  # installing twice moves it to the front, once
        else:
            app.removeEventFilter(self)

    def poke(self) -> None:
        """Someone touched the screen: restart the quiet period (not during the warning;
        only "Sí, continuar" ends it)."""
        if not self.warning:
            self._last = self.clock.monotonic()

    def resume(self) -> None:
        self.warning = False
        self.poke()

    def seconds_left(self) -> int:
        """Whole seconds until the session ends by itself: the quiet period on a receipt
        (``direct``), else the quiet period plus the countdown. What a receipt shows."""
        total = self.idle_seconds if self.direct else self.idle_seconds + self.countdown_seconds
        return max(0, math.ceil(total - (self.clock.monotonic() - self._last)))

    def remaining(self) -> int:
        elapsed = self.clock.monotonic() - self._last
        return max(0, round(self.idle_seconds + self.countdown_seconds - elapsed))

    def check(self) -> None:
        if not self.active:
            return
        elapsed = self.clock.monotonic() - self._last
        if self.direct:
            if elapsed >= self.idle_seconds:
                self.stop()
                self.expired.emit()
            return
        if not self.warning:
            if elapsed >= self.idle_seconds:
                self.warning = True
                self.warn.emit(self.remaining())
            return
        left = self.remaining()
        if left <= 0:
            self.stop()
            self.expired.emit()
        else:
            self.tick.emit(left)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() in ACTIVITY_EVENTS:
            self.poke()
        return False
