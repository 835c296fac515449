"""What the staff forms are made of: a grid of captioned fields, a row of touch choices, a
tick box, and a page whose body scrolls above its buttons.

Agents are not beneficiaries: a form shows many fields at once (few screens, not one question
per screen), the Tab key goes through them in the order they are shown, and the on-screen
keyboard or a physical one type into them alike."""

import itertools
from collections.abc import Sequence

from PySide6 import QtCore
from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.base import Page, TouchButton, big_button, label
from kiosk.ui.metrics import Metrics
from kiosk.ui.widgets import ScrollPane, TextField, restyle


class ChoiceRow(QWidget):
    """Touch choices in a grid: one at most (``exclusive``), or up to ``limit`` marked.

    Signals: ``changed()`` after every tap."""

    changed = Signal()

    def __init__(self, metrics: Metrics, choices: Sequence[tuple[str, str]], *,
                 columns: int = 3, exclusive: bool = True, limit: int = 0) -> None:
        super().__init__()
        self.exclusive = exclusive
        self.limit = limit
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(metrics.gap)
        columns = 1 if metrics.portrait and columns > 2 else columns
        self.buttons: dict[str, TouchButton] = {}
        for i, (code, text) in enumerate(choices):
            button = big_button(text, metrics, "choice", checkable=True,
                                mark="check" if exclusive else "box")
            button.setMinimumHeight(metrics.touch)
            button.toggled.connect(lambda on, c=code: self._toggled(c, on))
            self.buttons[code] = button
            grid.addWidget(button, i // columns, i % columns)
        for column in range(columns):
            grid.setColumnStretch(column, 1)

    def _toggled(self, code: str, on: bool) -> None:
        if on and self.exclusive:
            for other, button in self.buttons.items():
                if other != code and button.isChecked():
                    button.blockSignals(True)
                    button.setChecked(False)
                    button.blockSignals(False)
        if on and self.limit and len(self.chosen()) > self.limit:
            button = self.buttons[code]
            button.blockSignals(True)
            button.setChecked(False)
            button.blockSignals(False)
        self.changed.emit()

    def chosen(self) -> list[str]:
        return [code for code, b in self.buttons.items() if b.isChecked()]

    def value(self) -> str:
        chosen = self.chosen()
        return chosen[0] if chosen else ""

    def set_chosen(self, codes: Sequence[str]) -> None:
        for code, button in self.buttons.items():
            button.blockSignals(True)
            button.setChecked(code in codes)
            button.blockSignals(False)
        self.changed.emit()

    def focus_order(self) -> list[QWidget]:
        return list(self.buttons.values())


def tick_box(text: str, metrics: Metrics) -> TouchButton:
    """A yes/no the agent marks (a box, ticked when checked)."""
    box = big_button(text, metrics, "choice", checkable=True, mark="box")
    box.setMinimumHeight(metrics.touch)
    return box


def button_row(page: Page, *buttons: TouchButton) -> None:
    """``buttons`` side by side at the bottom of ``page`` ("Volver" first, the main one last)."""
    row = QHBoxLayout()
    row.setSpacing(page.metrics.spacing)
    for button in buttons:
        row.addWidget(button)
    page.root.addLayout(row)


def say(message: QLabel, text: str, tone: str = "info") -> None:
    """Show ``text`` on a page's message line (hidden when empty); ``tone`` "error" is red."""
    message.setText(text)
    message.setVisible(bool(text))
    if message.property("tone") != tone:
        message.setProperty("tone", tone)
        restyle(message)


class FormBody:
    """The scrolling body of a form page: captioned rows (caption beside the field on a
    landscape screen, above it on a portrait one) and headings between groups."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.metrics = page.metrics
        body = QWidget()
        self.column = QVBoxLayout(body)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.setSpacing(page.metrics.spacing)
        page.root.removeWidget(page.hint)
        self.column.addWidget(page.hint)
        self.pane = ScrollPane(body, page.metrics)
        page.root.addWidget(self.pane, 1)
        self.captions: dict[str, QLabel] = {}
        self.rows: dict[str, list[QWidget]] = {}
        self.order: list[QWidget] = []
        self._grid: QGridLayout | None = None
        self._row = 0
        self._finished = False

    def heading(self, text: str) -> QLabel:
        head = label(text, "heading")
        self.column.addWidget(head)
        self._grid = None
        return head

    def widget(self, widget: QWidget) -> None:
        self.column.addWidget(widget)
        self._grid = None

    def _grid_now(self) -> QGridLayout:
        if self._grid is None:
            self._grid = QGridLayout()
            self._grid.setHorizontalSpacing(self.metrics.mm(4))
            self._grid.setVerticalSpacing(self.metrics.spacing)
            self._grid.setColumnStretch(0 if self.metrics.portrait else 1, 1)
            self.column.addLayout(self._grid)
            self._row = 0
        return self._grid

    def row(self, key: str, caption: str, widget: QWidget, *extra: QWidget) -> None:
        """A captioned row; ``extra`` widgets (e.g. "Hoy", "Ayer") beside the field."""
        grid = self._grid_now()
        align = QtCore.Qt.AlignmentFlag
        cap = label(caption)
        holder: QWidget = widget
        if extra:
            holder = QWidget()
            line = QHBoxLayout(holder)
            line.setContentsMargins(0, 0, 0, 0)
            line.setSpacing(self.metrics.gap)
            line.addWidget(widget, 1)
            for item in extra:
                line.addWidget(item)
        if self.metrics.portrait:
            cap.setAlignment(align.AlignLeft | align.AlignBottom)
            grid.addWidget(cap, self._row, 0)
            grid.addWidget(holder, self._row + 1, 0)
            self._row += 2
        else:
            cap.setAlignment(align.AlignRight | align.AlignVCenter)
            if isinstance(widget, TextField):
                cap.setMinimumHeight(widget.editor.minimumHeight())
            grid.addWidget(cap, self._row, 0, align.AlignTop)
            grid.addWidget(holder, self._row, 1)
            self._row += 1
        self.captions[key] = cap
        self.rows[key] = [cap, holder]
        self.order += [widget.editor if isinstance(widget, TextField) else widget, *extra]
        if isinstance(widget, TextField):
            widget.activated.connect(lambda _e, w=widget: QTimer.singleShot(
                0, self.pane, lambda: self.pane.ensure_visible(w)))

    def show_row(self, key: str, shown: bool) -> None:
        for widget in self.rows.get(key, ()):
            widget.setVisible(shown)

    def slot(self) -> "ChoiceSlot":
        """A place in the body for choices that change with the case type."""
        holder = ChoiceSlot(self.metrics)
        self.widget(holder)
        return holder

    def finish(self, *after: QWidget) -> None:
        """Close the body (once) and chain the Tab order through every field, then
        ``after`` (again after the fields change)."""
        if not self._finished:
            self.column.addStretch(1)
            self._finished = True
        chain = [w for w in [*self.order, *after] if w is not None]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)


class ChoiceSlot(QWidget):
    """Holds one :class:`ChoiceRow`, replaced when the choices change."""

    def __init__(self, metrics: Metrics) -> None:
        super().__init__()
        self.metrics = metrics
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.choices = ChoiceRow(metrics, [])
        self._layout.addWidget(self.choices)

    def replace(self, choices: Sequence[tuple[str, str]], **options: object) -> ChoiceRow:
        old = self.choices
        self._layout.removeWidget(old)
        old.setParent(None)  # type: ignore[call-overload]
        old.deleteLater()
        self.choices = ChoiceRow(self.metrics, choices, **options)  # type: ignore[arg-type]
        self._layout.addWidget(self.choices)
        return self.choices


class KeyboardOnTap(QObject):
    """Keeps ``page``'s on-screen keyboard down until one of ``editors`` is tapped: on a
    page that is mostly read or tapped (the case list, a case, the settings) the keyboard
    would take half a 768-pixel screen for nothing. Then ``page.wants_keyboard`` is set and
    ``wanted`` emitted, for whoever holds the keyboard to show it (:meth:`down` again each
    time the page is shown); :attr:`editor` is the one tapped (the page's first editor).

    Signals: ``wanted()``."""

    wanted = Signal()

    def __init__(self, page: Page, editors: Sequence[QWidget]) -> None:
        super().__init__(page)
        self.page = page
        self.editor: QWidget | None = None
        self._targets: dict[QObject, QWidget] = {}
        for editor in editors:
            target = editor.viewport() if isinstance(editor, QAbstractScrollArea) else editor
            self._targets[target] = editor
            target.installEventFilter(self)
        self.down()

    def down(self) -> None:
        self.page.wants_keyboard = False
        self.editor = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.MouseButtonPress and not self.page.wants_keyboard:
            self.editor = self._targets.get(watched)
            self.page.wants_keyboard = True
            QTimer.singleShot(0, self, self.wanted.emit)
        return False
