"""Pages that show or take text: a free-text question (:class:`TextPage`), a few validated
fields (:class:`FormPage`), everything about to be sent (:class:`ReviewPage`) and plain
information (:class:`InfoPage`)."""

from collections.abc import Sequence

from PySide6 import QtCore
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from kiosk.ui.base import Page
from kiosk.ui.metrics import Metrics
from kiosk.ui.widgets import TextField, big_button, kinetic_scroll_area, label, set_role


class TextPage(Page):
    """One free-text question with the on-screen keyboard and a visible limit.

    Signals: ``done(str)`` with the accepted text when "Continuar" (or "Enviar") is tapped.
    """

    done = Signal(str)
    wants_keyboard = True

    def __init__(
        self,
        metrics: Metrics,
        question: str,
        *,
        hint: str,
        max_length: int,
        continue_text: str,
        multiline: bool = True,
        required: bool = False,
    ) -> None:
        super().__init__(metrics, question, hint)
        self.required = required
        self.field = TextField(metrics, max_length=max_length, multiline=multiline)
        self.field.changed.connect(self._update)
        self.root.addWidget(self.field, 1 if multiline else 0)
        self.error = label("", "message")
        self.root.addWidget(self.error)
        self.error.hide()
        self.continue_button = big_button(continue_text, metrics, "primary")
        self.continue_button.clicked.connect(self._finish)
        self.root.addWidget(self.continue_button)
        if not multiline:
            self.root.addStretch(1)
        self._update()

    def _update(self) -> None:
        self.continue_button.setEnabled(not self.required or bool(self.field.text().strip()))

    def _finish(self) -> None:
        if self.continue_button.isEnabled() and self.isVisible():
            self.done.emit(self.field.text())

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def first_editor(self) -> QWidget | None:
        return self.field.editor

    def reset(self) -> None:
        self.field.clear()
        self.show_error("")
        self.continue_button.setEnabled(True)
        self._update()


class FormPage(Page):
    """A few related identification fields, validated as typed.

    Signals: ``done(dict)`` with normalised values by field key once every filled field is
    valid.
    """

    done = Signal(dict)
    wants_keyboard = True

    def __init__(
        self,
        metrics: Metrics,
        question: str,
        hint: str,
        fields: Sequence[tuple[str, str, TextField]],
        continue_text: str,
    ) -> None:
        super().__init__(metrics, question, hint)
        self.fields: dict[str, TextField] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(metrics.mm(4))
        grid.setVerticalSpacing(metrics.mm(1))
        for i, (key, caption, field) in enumerate(fields):
            cap = label(caption)
            cap.setAlignment(
                QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter
            )
            grid.addWidget(cap, i, 0, QtCore.Qt.AlignmentFlag.AlignTop)
            grid.addWidget(field, i, 1)
            field.changed.connect(self._update)
            self.fields[key] = field
        grid.setColumnStretch(1, 1)
        self.root.addLayout(grid)
        self.root.addStretch(1)
        self.continue_button = big_button(continue_text, metrics, "primary")
        self.continue_button.clicked.connect(self._finish)
        self.root.addWidget(self.continue_button)
        self._update()

    def _update(self) -> None:
        self.continue_button.setEnabled(all(f.is_valid() for f in self.fields.values()))

    def values(self) -> dict[str, str]:
        return {k: f.value().strip() for k, f in self.fields.items()}

    def _finish(self) -> None:
        if self.continue_button.isEnabled() and self.isVisible():
            self.done.emit(self.values())

    def first_editor(self) -> QWidget | None:
        return next(iter(self.fields.values())).editor if self.fields else None

    def reset(self) -> None:
        for f in self.fields.values():
            f.clear()
        self._update()


class ReviewPage(Page):
    """Everything the person is about to send, and the one "Enviar" button.

    Signals: ``submit_requested()`` once per tap; the window disables the button while it
    saves, so a second tap does nothing.
    """

    submit_requested = Signal()

    def __init__(self, metrics: Metrics, question: str, submit_text: str) -> None:
        super().__init__(metrics, question)
        box = QWidget()
        self.rows = QGridLayout(box)
        self.rows.setHorizontalSpacing(metrics.mm(5))
        self.rows.setVerticalSpacing(metrics.mm(2))
        self.rows.setColumnStretch(1, 1)
        card = QFrame()
        set_role(card, "card")
        inner = QVBoxLayout(card)
        inner.addWidget(kinetic_scroll_area(box))
        self.root.addWidget(card, 1)
        self.error = label("", "message")
        self.error.hide()
        self.root.addWidget(self.error)
        self.submit_button = big_button(submit_text, metrics, "primary")
        self.submit_button.clicked.connect(self._clicked)
        self.root.addWidget(self.submit_button)
        self._labels: list[QLabel] = []

    def set_rows(self, rows: Sequence[tuple[str, str]]) -> None:
        for lab in self._labels:
            self.rows.removeWidget(lab)
            lab.hide()
            lab.deleteLater()
        self.rows.setRowStretch(len(self._labels) // 2, 0)
        self._labels = []
        for i, (caption, value) in enumerate(rows):
            cap = label(caption, "steps")
            cap.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop | QtCore.Qt.AlignmentFlag.AlignLeft)
            val = label(value or "—")
            self.rows.addWidget(cap, i, 0, QtCore.Qt.AlignmentFlag.AlignTop)
            self.rows.addWidget(val, i, 1)
            self._labels += [cap, val]
        self.rows.setRowStretch(len(rows), 1)

    def row_texts(self) -> list[str]:
        return [lab.text() for lab in self._labels]

    def _clicked(self) -> None:
        if self.submit_button.isEnabled() and self.isVisible():
            self.submit_button.setEnabled(False)
            self.submit_requested.emit()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def reset(self) -> None:
        self.set_rows([])
        self.show_error("")
        self.submit_button.setEnabled(True)


class InfoPage(Page):
    """A page of plain information with one "Terminar" button. Signals: ``finished()``."""

    finished = Signal()

    def __init__(self, metrics: Metrics, question: str, text: str, finish_text: str) -> None:
        super().__init__(metrics, question)
        self.root.addWidget(label(text))
        self.root.addStretch(1)
        self.finish_button = big_button(finish_text, metrics, "primary")
        self.finish_button.clicked.connect(self.finished)
        self.root.addWidget(self.finish_button)
