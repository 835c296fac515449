"""The base of the pages shown once a record is saved (the survey's thanks, a case's folio).

A receipt page has no way back; the window's tap guard ignores input on it for a moment after
it appears (``tap_guard_ms``); its buttons are at the top right, never at the bottom where
"Enviar" was; and it shows, in the window's action bar at the bottom (as ``bar_note``, with no
button there), how many seconds are left before the kiosk returns to the attract screen by
itself (the same countdown as the idle monitor's, so nothing ends without saying so).
"""

from collections.abc import Callable
from dataclasses import dataclass

from PySide6 import QtCore
from PySide6.QtCore import QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.base import Page, big_button, label
from kiosk.ui.metrics import Metrics
from kiosk.ui.wording.receipts import countdown_text


@dataclass(frozen=True)
class Receipt:
    """What a case's receipt says, on screen and on paper: never the person's words or data."""

    title: str
    folio: str
    tracking_url: str
    dates: tuple[str, ...]  # received on, and a queja's two deadlines
    follow: str  # how to follow the folio


#: Input ignored after a receipt appears: a double or hurried tap on "Enviar" never dismisses it.
RECEIPT_TAP_GUARD_MS = 1500


class ReceiptPage(Page):
    show_back = False
    tap_guard_ms = RECEIPT_TAP_GUARD_MS

    def __init__(self, metrics: Metrics, title: str) -> None:
        super().__init__(metrics)
        row = QHBoxLayout()
        row.setSpacing(metrics.mm(8))
        from kiosk.ui.scrolling import ScrollPane  # not needed for the first paint

        content = QWidget()  # scrolls where larger text does not fit
        self.body = QVBoxLayout(content)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(metrics.mm(3))
        self.title = label(title, "heading")
        self.body.addWidget(self.title)
        row.addWidget(ScrollPane(content, metrics, cues_on_top=True), 1)
        self.side = QVBoxLayout()
        self.side.setSpacing(metrics.mm(4))
        row.addLayout(self.side)
        self.root.addLayout(row, 1)
        self.countdown = label("", "hint")
        self.countdown.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.countdown.setParent(self)
        self.countdown.hide()
        self.bar_note = self.countdown  # shown in the window's action bar
        #: Seconds until the kiosk returns to the attract screen (set by the flow).
        self.seconds_left: Callable[[], int] | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.refresh_countdown)

    def side_button(self, text: str, role: str = "") -> QPushButton:
        button = big_button(text, self.metrics, role)
        button.setMinimumWidth(self.metrics.mm(60))
        self.side.addWidget(button)
        return button

    def refresh_countdown(self) -> None:
        left = self.seconds_left() if self.seconds_left is not None else 0
        self.countdown.setText(countdown_text(left) if left > 0 else "")

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.refresh_countdown()
        self._timer.start()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt API
        self._timer.stop()
        super().hideEvent(event)
