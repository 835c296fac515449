"""The staff area: five taps on the logo, the PIN (with its lockout), and the staff page
with the sync state, the records the server set aside, "Sincronizar ahora" and
"Reintentar apartados"."""

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from kiosk.flow.pin import PinLockout
from kiosk.ui.base import LazyModule, Page, big_button, label, set_role
from kiosk.ui.flow import Flow, Host
from kiosk.ui.metrics import Metrics
from kiosk.ui.wording import notices

if TYPE_CHECKING:
    from kiosk.ui import widgets
    from kiosk.ui.wording import sync as sync_wording
else:
    widgets = LazyModule("kiosk.ui.widgets")
    sync_wording = LazyModule("kiosk.ui.wording.sync")

log = logging.getLogger(__name__)


class PinPage(Page):
    """Staff PIN entry. Signals: ``pin_entered(str)``; ``cancelled()``."""

    pin_entered = Signal(str)
    cancelled = Signal()
    wants_keyboard = True
    in_session = False
    reset_on_show = True

    def __init__(self, metrics: Metrics) -> None:
        super().__init__(metrics, self.tr("Acceso del personal"), self.tr("Escriba su PIN"))
        self.field = widgets.TextField(
            metrics, max_length=12, keyboard_layer="numeric", counter=False, password=True
        )
        self.root.addWidget(self.field)
        self.error = label("", "message")
        self.root.addWidget(self.error)
        self.root.addStretch(1)
        self.enter_button = big_button(self.tr("Entrar"), metrics, "primary")
        self.enter_button.clicked.connect(lambda: self.pin_entered.emit(self.field.text()))
        self.root.addWidget(self.enter_button)

    def show_error(self, text: str) -> None:
        self.error.setText(text)

    def first_editor(self) -> QWidget | None:
        return self.field.editor

    def reset(self) -> None:
        self.field.clear()
        self.error.setText("")


def _clear(layout: QGridLayout | QVBoxLayout) -> None:
    """Remove every item of ``layout`` now (widgets are deleted at the next event loop)."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.setParent(None)  # type: ignore[call-overload]
            widget.deleteLater()


class StaffPage(Page):
    """Staff mode: the kiosk's sync state in plain Spanish, the records the server set aside
    and why, "Sincronizar ahora", "Reintentar apartados" and "Salir".

    Signals: ``exit()``, ``sync_requested()``, ``retry_requested()``. The wording comes from
    :mod:`kiosk.ui.wording.sync`; this page only lays it out."""

    exit = Signal()
    sync_requested = Signal()
    retry_requested = Signal()
    show_back = False
    in_session = False

    def __init__(self, metrics: Metrics) -> None:
        super().__init__(metrics, self.tr("Modo del personal"))
        # Everything but the buttons scrolls, so large text never pushes them off the screen.
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(metrics.mm(4))
        self.status = label("")
        self.status.setObjectName("StaffSummary")
        column.addWidget(self.status)
        self.messages = label("", "message")
        self.messages.hide()
        column.addWidget(self.messages)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: a round has no known length
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName(self.tr("Enviando registros"))
        self.progress.hide()
        column.addWidget(self.progress)

        self.details = QFrame()
        set_role(self.details, "card")
        self._grid = QGridLayout(self.details)
        pad = metrics.mm(5)
        self._grid.setContentsMargins(pad, pad, pad, pad)
        self._grid.setHorizontalSpacing(metrics.mm(6))
        self._grid.setVerticalSpacing(metrics.mm(2))
        self._grid.setColumnStretch(1, 1)
        column.addWidget(self.details)

        self.aside_title = label(self.tr("Registros apartados por el servidor"), "heading")
        column.addWidget(self.aside_title)
        self.aside_hint = label(
            self.tr("Se conservan en el kiosco. Si soporte técnico corrigió la causa, "
                    "use «Reintentar apartados»."), "hint")
        column.addWidget(self.aside_hint)
        self.aside_box = QWidget()
        self._aside = QVBoxLayout(self.aside_box)
        self._aside.setContentsMargins(0, 0, 0, 0)
        self._aside.setSpacing(metrics.mm(3))
        column.addWidget(self.aside_box)
        column.addStretch(1)
        self.root.addWidget(widgets.kinetic_scroll_area(body), 1)

        row = QHBoxLayout()
        row.setSpacing(metrics.mm(4))
        self.sync_button = big_button(self.tr("Sincronizar ahora"), metrics)
        self.sync_button.clicked.connect(self.sync_requested)
        row.addWidget(self.sync_button)
        self.retry_button = big_button(self.tr("Reintentar apartados"), metrics)
        self.retry_button.clicked.connect(self.retry_requested)
        row.addWidget(self.retry_button)
        self.exit_button = big_button(self.tr("Salir"), metrics, "primary")
        self.exit_button.clicked.connect(self.exit)
        row.addWidget(self.exit_button)
        self.root.addLayout(row)
        self.set_status("")

    def set_status(self, summary: str, rows: Sequence[tuple[str, str]] = (),
                   set_aside: Sequence[str] = (), *, can_sync: bool = False,
                   syncing: bool = False) -> None:
        """Show the summary line, the table of details and the set-aside records."""
        self.status.setText(summary)
        self.progress.setVisible(syncing)
        _clear(self._grid)
        for n, (name, value) in enumerate(rows):
            self._grid.addWidget(label(name, "hint", wrap=False), n, 0,
                                 QtCore.Qt.AlignmentFlag.AlignTop)
            self._grid.addWidget(label(value), n, 1)
        self.details.setVisible(bool(rows))
        _clear(self._aside)
        for line in set_aside:
            self._aside.addWidget(label(line))
        for widget in (self.aside_title, self.aside_hint, self.aside_box):
            widget.setVisible(bool(set_aside))
        self.sync_button.setVisible(can_sync)
        self.sync_button.setEnabled(not syncing)
        self.retry_button.setVisible(can_sync and bool(set_aside))
        self.retry_button.setEnabled(not syncing)

    def shown_rows(self) -> list[tuple[str, str]]:
        """The table as shown (for tests and screen readers)."""
        out = []
        for n in range(self._grid.rowCount()):
            name, value = self._grid.itemAtPosition(n, 0), self._grid.itemAtPosition(n, 1)
            if name is not None and value is not None:
                out.append((name.widget().text(), value.widget().text()))  # type: ignore[attr-defined]
        return out

    def shown_set_aside(self) -> list[str]:
        return [w.text() for w in self.aside_box.findChildren(QLabel)]


class StaffArea(Flow):
    """The staff pages and the gesture that opens them. ``bridge`` is the sync bridge (None
    on a kiosk that is not enrolled); ``verify_pin`` checks a PIN against the settings."""

    def __init__(self, host: Host, parent: QObject | None = None) -> None:
        super().__init__(host, parent)
        self.bridge: Any = None
        self.verify_pin: Callable[[str], bool] = lambda _pin: False
        self.lockout = PinLockout(host.clock)
        self._taps: list[float] = []

    def builders(self) -> dict[str, Callable[[], Page]]:
        return {"pin": self._pin_page, "staff": self._staff_page}

    def _pin_page(self) -> Page:
        page = PinPage(self.host.metrics)
        page.pin_entered.connect(self._pin_entered)
        return page

    def _staff_page(self) -> Page:
        page = StaffPage(self.host.metrics)
        page.exit.connect(self.finished)
        page.sync_requested.connect(self.sync_now)
        page.retry_requested.connect(self.retry_set_aside)
        return page

    def prepare(self, name: str, page: Page) -> None:
        if isinstance(page, StaffPage):
            self._show_status(page)

    def logo_tapped(self) -> None:
        """Five taps within a few seconds open the PIN page."""
        now = self.host.clock.monotonic()
        window = self.host.config.staff_tap_window_s
        self._taps = [t for t in self._taps if now - t <= window] + [now]
        if len(self._taps) >= self.host.config.staff_taps:
            self._taps = []
            self.host.idle.start()
            self.host.go("pin")

    def _pin_entered(self, pin: str) -> None:
        page = self.host.page("pin")
        assert isinstance(page, PinPage)
        page.reset()
        if self.lockout.wait_minutes():
            page.show_error(notices.pin_wait_text(self.lockout.wait_minutes()))
            return
        if pin and self.verify_pin(pin):
            log.info("staff mode entered")
            self.lockout.succeeded()
            self.host.restart_at("staff")
            return
        if self.lockout.failed():  # too many in a row: wait (never logs what was typed)
            page.show_error(notices.pin_wait_text(self.lockout.wait_minutes()))
        else:
            page.show_error(notices.pin_wrong_text())

    def refresh_status(self, *_args: object) -> None:
        """Slot for the sync bridge's ``statusChanged``: refresh the staff page if built."""
        page = self.host.built("staff")
        if isinstance(page, StaffPage):
            self._show_status(page)

    def _show_status(self, page: StaffPage) -> None:
        if self.bridge is None:
            page.set_status(notices.sync_unavailable_text())
            return
        status = self.bridge.status()
        now = self.host.clock.now()
        page.set_status(sync_wording.describe_status(status, now),
                        sync_wording.status_rows(status, now),
                        sync_wording.set_aside_lines(status),
                        can_sync=status.enrolled and not status.revoked,
                        syncing=status.syncing)

    def sync_now(self) -> None:
        if self.bridge is not None:
            log.info("staff asked for a sync round")
            self.bridge.sync_now()

    def retry_set_aside(self) -> None:
        if self.bridge is not None:
            log.info("staff asked to retry the set-aside records")
            self.bridge.retry_set_aside()
