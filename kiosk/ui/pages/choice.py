"""Pages that ask for a choice: one tap (:class:`SingleChoicePage`) or several, then
"Continuar" (:class:`MultiChoicePage`)."""

from collections.abc import Sequence

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

from kiosk.ui.base import Page
from kiosk.ui.metrics import Metrics
from kiosk.ui.widgets import big_button, kinetic_scroll_area

CHECK_MARK = "✓ "


class SingleChoicePage(Page):
    """One question, one tap: the answer is marked for a moment, then the flow moves on.

    Signals: ``chosen(str)`` with the choice code, ``confirm_ms`` after the tap.
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
    ) -> None:
        super().__init__(metrics, question, hint)
        self.confirm_ms = confirm_ms
        self.buttons: dict[str, QPushButton] = {}
        self._labels: dict[str, str] = {}
        self._pending: str | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._emit)
        box = QWidget()
        self.grid = QGridLayout(box)
        self.grid.setContentsMargins(0, 0, metrics.mm(2), 0)
        self.grid.setSpacing(metrics.gap * 2)
        for i, (code, text) in enumerate(choices):
            button = big_button(text, metrics, "choice", checkable=True)
            if button_mm:
                button.setMinimumHeight(metrics.mm(button_mm))
            button.clicked.connect(lambda _=False, c=code: self.choose(c))
            self.buttons[code] = button
            self._labels[code] = text
            self.grid.addWidget(button, i // columns, i % columns)
        self.grid.setRowStretch(len(choices) // columns + 1, 1)
        self.root.addWidget(kinetic_scroll_area(box), 1)

    def choose(self, code: str) -> None:
        if self._pending is not None or code not in self.buttons or not self.isVisible():
            return
        self._pending = code
        self.mark(code)
        self._timer.start(self.confirm_ms)

    def mark(self, code: str | None) -> None:
        for c, button in self.buttons.items():
            selected = c == code
            button.setChecked(selected)
            button.setText(CHECK_MARK + self._labels[c] if selected else self._labels[c])

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
        self._labels: dict[str, str] = {}
        box = QWidget()
        self.grid = QGridLayout(box)
        self.grid.setContentsMargins(0, 0, metrics.mm(2), 0)
        self.grid.setSpacing(metrics.gap * 2)
        self.root.addWidget(kinetic_scroll_area(box), 1)
        self.continue_button = big_button(continue_text, metrics, "primary")
        self.continue_button.clicked.connect(self._finish)
        self.root.addWidget(self.continue_button)

    def set_choices(
        self, question: str, choices: Sequence[tuple[str, str]], max_choices: int, hint: str = ""
    ) -> None:
        self.set_question(question, hint)
        for button in self.buttons.values():
            self.grid.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.buttons = {}
        self._labels = {}
        self.max_choices = max_choices
        for i, (code, text) in enumerate(choices):
            button = big_button(text, self.metrics, "choice", checkable=True)
            self._labels[code] = text
            button.toggled.connect(self._update)
            self.buttons[code] = button
            self.grid.addWidget(button, i // self.columns, i % self.columns)
        self._update()

    def selected(self) -> tuple[str, ...]:
        return tuple(c for c, b in self.buttons.items() if b.isChecked())

    def set_selected(self, codes: Sequence[str]) -> None:
        for c, b in self.buttons.items():
            b.setChecked(c in codes)

    def _update(self) -> None:
        chosen = self.selected()
        full = len(chosen) >= self.max_choices
        for code, b in self.buttons.items():
            b.setEnabled(b.isChecked() or not full)
            b.setText((CHECK_MARK if b.isChecked() else "") + self._labels[code])
        self.continue_button.setEnabled(self.allow_empty or bool(chosen))

    def _finish(self) -> None:
        if self.continue_button.isEnabled() and self.isVisible():
            self.done.emit(self.selected())

    def reset(self) -> None:
        for b in self.buttons.values():
            b.setChecked(False)
        self._update()
