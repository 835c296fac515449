"""Pages that show or take text: a free-text question (:class:`TextPage`), a few validated
fields (:class:`FormPage`), everything about to be sent (:class:`ReviewPage`) and plain
information (:class:`InfoPage`)."""

from collections.abc import Sequence

from PySide6 import QtCore
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from kiosk.ui.base import Page
from kiosk.ui.metrics import Metrics
from kiosk.ui.pages.action import main_action
from kiosk.ui.widgets import ScrollPane, TextField, label, set_role


def scrolling_body(page: Page) -> tuple[ScrollPane, QVBoxLayout]:
    """Move ``page``'s hint into a scroll pane that takes the page's free height, and return
    it with the layout to add the rest of the body to. The question above it is always on
    screen (and the page's main action in the window's action bar); with the keyboard up, the
    body scrolls so the field being typed in stays in view."""
    body = QWidget()
    column = QVBoxLayout(body)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(page.metrics.spacing)
    page.root.removeWidget(page.hint)
    column.addWidget(page.hint)
    pane = ScrollPane(body, page.metrics)
    page.root.addWidget(pane, 1)
    return pane, column


def keep_in_view(pane: ScrollPane, field: TextField) -> None:
    """Scroll ``field`` into view whenever the person starts typing in it."""
    field.activated.connect(
        lambda _editor: QTimer.singleShot(0, pane, lambda: pane.ensure_visible(field)))


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
        self.pane, body = scrolling_body(self)
        self.field = TextField(metrics, max_length=max_length, multiline=multiline)
        self.field.changed.connect(self._update)
        body.addWidget(self.field, 1 if multiline else 0)
        keep_in_view(self.pane, self.field)
        self.error = label("", "message")
        body.addWidget(self.error)
        self.error.hide()
        if not multiline:
            body.addStretch(1)
        self.continue_button = main_action(self, continue_text)
        self.continue_button.clicked.connect(self._finish)
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
        self.captions: dict[str, QLabel] = {}
        self.pane, body = scrolling_body(self)
        grid = QGridLayout()
        grid.setHorizontalSpacing(metrics.mm(4))
        grid.setVerticalSpacing(metrics.spacing)
        align = QtCore.Qt.AlignmentFlag
        # Captions beside the fields on a landscape screen, above them on a portrait one.
        above = metrics.portrait
        for i, (key, caption, field) in enumerate(fields):
            cap = label(caption)
            if above:
                cap.setAlignment(align.AlignLeft | align.AlignBottom)
                grid.addWidget(cap, 2 * i, 0)
                grid.addWidget(field, 2 * i + 1, 0)
            else:
                cap.setAlignment(align.AlignRight | align.AlignVCenter)
                cap.setMinimumHeight(field.editor.minimumHeight())
                grid.addWidget(cap, i, 0, align.AlignTop)
                grid.addWidget(field, i, 1)
            field.changed.connect(self._update)
            keep_in_view(self.pane, field)
            self.fields[key] = field
            self.captions[key] = cap
        grid.setColumnStretch(0 if above else 1, 1)
        body.addLayout(grid)
        body.addStretch(1)
        self.continue_button = main_action(self, continue_text)
        self.continue_button.clicked.connect(self._finish)
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
        self.pane = ScrollPane(box, metrics)
        inner.addWidget(self.pane)
        self.root.addWidget(card, 1)
        self.error = label("", "message")
        self.error.hide()
        self.root.addWidget(self.error)
        self.submit_button = main_action(self, submit_text)
        self.submit_button.clicked.connect(self._clicked)
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
            # The value wraps in what the caption leaves: never wider than the view.
            val.setMinimumWidth(self.metrics.mm(20))
            val.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
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
        self.pane, body = scrolling_body(self)
        body.addWidget(label(text))
        body.addStretch(1)
        self.finish_button = main_action(self, finish_text)
        self.finish_button.clicked.connect(self.finished)
