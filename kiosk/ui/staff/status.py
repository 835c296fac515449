"""The sync status page of the staff area: the kiosk's identity, the sync state in words, the
records the server set aside, "Sincronizar ahora" and "Reintentar apartados"."""

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.base import LazyModule, Page, big_button, label, set_role
from kiosk.ui.metrics import Metrics

if TYPE_CHECKING:
    from kiosk.ui import widgets
else:
    widgets = LazyModule("kiosk.ui.widgets")


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
