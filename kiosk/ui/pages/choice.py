"""Pages that ask for a choice: one tap (:class:`SingleChoicePage`) or several, then
"Continuar" (:class:`MultiChoicePage`). The answers sit in a :class:`ChoiceGrid`, which picks
its number of columns for the space it gets, inside a :class:`~kiosk.ui.widgets.ScrollPane`."""

import math
from collections.abc import Mapping, Sequence

from PySide6.QtCore import QSize, QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

from kiosk.ui.base import Page, TouchButton
from kiosk.ui.metrics import Metrics
from kiosk.ui.pages.action import main_action
from kiosk.ui.widgets import ScrollPane, big_button

#: Kept for pages that prefixed it to a checked answer: the mark is now drawn by the button.
CHECK_MARK = ""
#: A label wrapped to more lines than this reads badly: try another number of columns.
MAX_LINES = 2


class ChoiceGrid(QWidget):
    """Answer buttons in rows of ``columns``. Portrait screens prefer one column, landscape
    ones up to ``max_columns``; when the preferred count would need scrolling (or wrap labels
    to more than two lines) another count that avoids it is taken, and when none does, the
    most columns, in a scroll pane with its cue.

    ``ordered`` answers (a scale: "Muy mal" .. "Muy bien", "No aplica") prefer one column on
    every screen and take more only when one would need scrolling; they fill each column from
    the top before the next, so the scale still reads in its order, worst on the left."""

    def __init__(self, metrics: Metrics, max_columns: int, *, ordered: bool = False) -> None:
        super().__init__()
        self.metrics = metrics
        self.max_columns = max(1, max_columns)
        self.ordered = ordered
        self.columns = 1
        self.buttons: list[QPushButton] = []
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(metrics.gap * 2)
        self._view = QSize()

    def set_buttons(self, buttons: Sequence[QPushButton]) -> None:
        for old in self.buttons:
            self.grid.removeWidget(old)
        self.buttons = list(buttons)
        if not self.metrics.portrait and not self.ordered:
            self.columns = max(1, min(self.max_columns, len(self.buttons)))
        self._place()

    def rows(self, columns: int) -> list[list[QPushButton]]:
        """The buttons row by row with ``columns`` columns (down each column when
        ``ordered``, else along each row)."""
        if not self.ordered:
            return [self.buttons[i:i + columns] for i in range(0, len(self.buttons), columns)]
        count = math.ceil(len(self.buttons) / columns)
        return [self.buttons[r::count] for r in range(count)]

    def _place(self) -> None:
        for button in self.buttons:
            self.grid.removeWidget(button)
        for row in range(self.grid.rowCount()):
            self.grid.setRowStretch(row, 0)
        for column in range(self.grid.columnCount()):
            self.grid.setColumnStretch(column, 0)
        rows = self.rows(self.columns)
        for r, row in enumerate(rows):
            for c, button in enumerate(row):
                self.grid.addWidget(button, r, c)
        for column in range(self.columns):
            self.grid.setColumnStretch(column, 1)
        self.grid.setRowStretch(len(rows), 1)

    def _height(self, columns: int, width: int) -> tuple[int, int]:
        """(total height, most lines of a label) with ``columns`` in ``width`` pixels."""
        spacing = self.grid.spacing()
        column_width = (width - (columns - 1) * spacing) // columns
        total, lines = 0, 0
        for row in self.rows(columns):
            total += max(b.heightForWidth(column_width) for b in row) + spacing
            for b in row:
                if isinstance(b, TouchButton):
                    lines = max(lines, len(b.lines(column_width)))
                if b.minimumSizeHint().width() > column_width:
                    lines = 99  # a word would not fit: never this many columns
        return total - spacing, lines

    def fit(self, view: QSize) -> None:
        """Choose the columns for a view of ``view`` (the scroll pane's visible area)."""
        if not self.buttons or view.width() <= 0 or view.height() <= 0:
            return
        self._view = QSize(view)
        most = max(1, min(self.max_columns, len(self.buttons)))
        preferred = 1 if self.metrics.portrait or self.ordered else most
        order = [preferred] + [c for c in range(1, most + 1) if c != preferred]
        best, best_height = self.columns, None
        for columns in order:
            height, lines = self._height(columns, view.width())
            if lines == 99:
                continue
            if height <= view.height() and lines <= MAX_LINES:
                best = columns
                break
            if best_height is None or height < best_height:
                best, best_height = columns, height
        if best != self.columns:
            self.columns = best
            self._place()

    def refit(self) -> None:
        if self._view.isValid():
            self.fit(self._view)


class SingleChoicePage(Page):
    """One question, one tap: the answer is marked for a moment, then the flow moves on.

    ``pictograms`` (choice code -> name in :mod:`kiosk.ui.pictograms`) draws one beside an
    answer; ``ordered`` answers are a scale (see :class:`ChoiceGrid`). Signals:
    ``chosen(str)`` with the choice code, ``confirm_ms`` after the tap.
    """

    chosen = Signal(str)
    reset_on_show = True

    def __init__(
        self,
        metrics: Metrics,
        question: str,
        choices: Sequence[tuple[str, str]],
        *,
        hint: str = "",
        columns: int = 1,
        confirm_ms: int = 350,
        button_mm: float = 0.0,
        pictograms: Mapping[str, str] | None = None,
        ordered: bool = False,
    ) -> None:
        super().__init__(metrics, question, hint)
        self.confirm_ms = confirm_ms
        self.buttons: dict[str, QPushButton] = {}
        self._pending: str | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._emit)
        pictograms = pictograms or {}
        self.choices = ChoiceGrid(metrics, columns, ordered=ordered)
        for code, text in choices:
            button = big_button(text, metrics, "choice", checkable=True,
                                pictogram=pictograms.get(code, ""),
                                pictogram_px=metrics.mm(9) if pictograms else 0,
                                mark="" if pictograms else "check")
            if button_mm:  # that tall on a roomy screen, a primary target's height on a small one
                tall = button_mm * metrics.fit + metrics.primary_mm * (1 - metrics.fit)
                button.setMinimumHeight(max(metrics.primary, metrics.mm(tall)))
            button.clicked.connect(lambda _=False, c=code: self.choose(c))
            self.buttons[code] = button
        self.choices.set_buttons(list(self.buttons.values()))
        self.pane = ScrollPane(self.choices, metrics)
        self.pane.viewport_resized.connect(self.choices.fit)
        self.root.addWidget(self.pane, 1)

    def choose(self, code: str) -> None:
        if self._pending is not None or code not in self.buttons or not self.isVisible():
            return
        self._pending = code
        self.mark(code)
        self._timer.start(self.confirm_ms)

    def mark(self, code: str | None) -> None:
        for c, button in self.buttons.items():
            button.setChecked(c == code)

    def _emit(self) -> None:
        code, self._pending = self._pending, None
        if code is not None and self.isVisible():  # not if "Atrás" came first
            self.chosen.emit(code)

    def reset(self) -> None:
        self._timer.stop()
        self._pending = None
        self.mark(None)


class MultiChoicePage(Page):
    """Several answers may be marked (up to ``max_choices``), then "Continuar".

    Signals: ``done(tuple)`` with the marked codes in catalogue order.
    """

    done = Signal(tuple)

    def __init__(
        self,
        metrics: Metrics,
        continue_text: str,
        *,
        allow_empty: bool,
        columns: int = 2,
    ) -> None:
        super().__init__(metrics)
        self.allow_empty = allow_empty
        self.columns = columns
        self.max_choices = 6
        self.buttons: dict[str, QPushButton] = {}
        self.choices = ChoiceGrid(metrics, columns)
        self.pane = ScrollPane(self.choices, metrics)
        self.pane.viewport_resized.connect(self.choices.fit)
        self.root.addWidget(self.pane, 1)
        self.continue_button = main_action(self, continue_text)
        self.continue_button.clicked.connect(self._finish)

    def set_choices(
        self, question: str, choices: Sequence[tuple[str, str]], max_choices: int, hint: str = ""
    ) -> None:
        self.set_question(question, hint)
        for button in self.buttons.values():
            button.hide()
            button.deleteLater()
        self.buttons = {}
        self.max_choices = max_choices
        for code, text in choices:
            button = big_button(text, self.metrics, "choice", checkable=True)
            button.toggled.connect(self._update)
            self.buttons[code] = button
        self.choices.set_buttons(list(self.buttons.values()))
        self.choices.refit()
        self._update()

    def selected(self) -> tuple[str, ...]:
        return tuple(c for c, b in self.buttons.items() if b.isChecked())

    def set_selected(self, codes: Sequence[str]) -> None:
        for c, b in self.buttons.items():
            b.setChecked(c in codes)

    def _update(self) -> None:
        chosen = self.selected()
        full = len(chosen) >= self.max_choices
        for b in self.buttons.values():
            b.setEnabled(b.isChecked() or not full)
        self.continue_button.setEnabled(self.allow_empty or bool(chosen))

    def _finish(self) -> None:
        if self.continue_button.isEnabled() and self.isVisible():
            self.done.emit(self.selected())

    def reset(self) -> None:
        for b in self.buttons.values():
            b.setChecked(False)
        self._update()
