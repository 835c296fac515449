"""No tap is lost or misread across a change of screen, for every screen at once.

The window calls :meth:`TapGuard.screen_changed` each time it shows another page (and when
the "¿Sigue ahí?" panel comes or goes). From then on, for a short quiet period, presses on
the window are dropped: the second half of a double tap, or a tap meant for the screen that
just left, never acts on the new one (the bug was a double tap on "Enviar" landing on
"Terminar" and hiding the folio). A release whose press began on another screen is dropped
too, whenever it comes, and a button left pressed by it is released without a click.

Pages may ask for a longer quiet period with a ``tap_guard_ms`` attribute (the receipts do).
The filter sits on the application (mouse events go to the widget under the finger, not to
the window), is installed with the first session and looks only at presses and releases
inside the window. A touch screen's taps reach it as the mouse events Qt makes from them.
"""

import time
from typing import Protocol

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from shiboken6 import isValid

#: Default quiet period after a change of screen: longer than a double tap (about 500 ms
#: between taps), shorter than anyone reads a new question.
TAP_GUARD_MS = 600

_PRESSES = (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick)
_RELEASE = QEvent.Type.MouseButtonRelease


class MonotonicClock(Protocol):
    def monotonic(self) -> float: ...


class TapGuard(QObject):
    def __init__(self, root: QWidget, *, quiet_ms: int = TAP_GUARD_MS,
                 clock: MonotonicClock = time) -> None:  # type: ignore[assignment]
        super().__init__(root)
        self.root = root
        self.quiet_ms = quiet_ms
        self.clock = clock
        self.dropped = 0  # presses and releases dropped so far (tests, diagnostics)
        self._screen = 0  # which screen is shown: bumped at every change
        self._quiet_until = 0.0
        self._pressed_on: int | None = None  # the screen the last accepted press began on
        self._pressed: QWidget | None = None  # and the widget it began on
        self._installed = False

    def install(self) -> None:
        """Start filtering (the window calls it when a session starts)."""
        app = QApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True

    def uninstall(self) -> None:
        app = QApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
            self._installed = False

    def screen_changed(self, quiet_ms: int | None = None) -> None:
        self._screen += 1
        wait = self.quiet_ms if quiet_ms is None else quiet_ms
        self._quiet_until = self.clock.monotonic() + wait / 1000

    def quiet_left(self) -> float:
        """Seconds until presses are taken again (0 when they are)."""
        if not self._installed:
            return 0.0
        return max(0.0, self._quiet_until - self.clock.monotonic())

    def is_open(self) -> bool:
        """Whether a press now would be taken."""
        return not self._installed or self.clock.monotonic() >= self._quiet_until

    def _inside(self, watched: QObject) -> bool:
        return isinstance(watched, QWidget) and (
            watched is self.root or self.root.isAncestorOf(watched))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if kind in _PRESSES:
            if not self._inside(watched):
                return False
            if not self.is_open():
                self._pressed_on = None
                self.dropped += 1
                return True
            self._pressed_on, self._pressed = self._screen, watched  # type: ignore[assignment]
            return False
        if kind == _RELEASE and self._inside(watched) and self._pressed_on != self._screen:
            for widget in (watched, self._pressed):  # pressed on the old screen: up, no click
                if isinstance(widget, QAbstractButton) and isValid(widget) and widget.isDown():
                    widget.setDown(False)
            self._pressed = None
            self.dropped += 1
            return True
        return False
