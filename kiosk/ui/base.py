"""What the attract screen is made of, kept apart so the first paint imports nothing else.

``kiosk.ui.widgets`` and ``kiosk.ui.pages`` re-export these names. The window and the flow
modules load those two, and their Qt classes, only once the attract screen is on screen
(see ``kiosk.app.load_after_first_paint``): they reach them through :class:`LazyModule`.

Enum values that only the property system sees are written as plain ints: passing any
``Qt.<Enum>`` member makes PySide build its whole ``Qt`` namespace, about a hundred Python
enums (20-40 ms), which the first paint does not need.
"""

import importlib
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.ui.metrics import Metrics

#: ``Qt::PlainText`` and ``Qt::NoFocus`` as plain ints, for :meth:`QObject.setProperty`.
PLAIN_TEXT = 0
NO_FOCUS = 0


def set_role(widget: QWidget, role: str) -> None:
    widget.setProperty("role", role)


def label(text: str, role: str = "", *, wrap: bool = True) -> QLabel:
    lab = QLabel(text)
    if role:
        set_role(lab, role)
    lab.setWordWrap(wrap)
    lab.setProperty("textFormat", PLAIN_TEXT)  # = setTextFormat(Qt.TextFormat.PlainText)
    return lab


def big_button(
    text: str, metrics: Metrics, role: str = "", *, checkable: bool = False
) -> QPushButton:
    button = QPushButton(text)
    if role:
        set_role(button, role)
    button.setCheckable(checkable)
    button.setMinimumHeight(metrics.primary)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    button.setAutoDefault(False)
    return button


class Page(QWidget):
    """Base of every screen. ``wants_keyboard`` shows the on-screen keyboard below it."""

    wants_keyboard = False
    show_back = True
    in_session = True
    reset_on_show = False  # forget the last choice each time the page appears

    def __init__(self, metrics: Metrics, question: str = "", hint: str = "") -> None:
        super().__init__()
        self.metrics = metrics
        self.root = QVBoxLayout(self)
        m = metrics.mm(8)
        self.root.setContentsMargins(m, metrics.mm(4), m, metrics.mm(3))
        self.root.setSpacing(metrics.mm(4))
        self.question = label(question, "heading")
        self.root.addWidget(self.question)
        self.question.setVisible(bool(question))
        self.hint = label(hint, "hint")
        self.root.addWidget(self.hint)
        self.hint.setVisible(bool(hint))

    def set_question(self, text: str, hint: str | None = None) -> None:
        self.question.setText(text)
        self.question.setVisible(bool(text))
        if hint is not None:
            self.hint.setText(hint)
            self.hint.setVisible(bool(hint))

    def reset(self) -> None:
        """Forget everything shown or typed on this page."""

    def first_editor(self) -> QWidget | None:
        return None

    def apply_palette(self, palette: dict[str, str]) -> None:
        """Recolour what the stylesheet cannot reach (drawn pictograms)."""


class AttractPage(Page):
    """Signals: ``started()`` when someone touches the screen."""

    started = Signal()
    show_back = False
    in_session = False

    def __init__(self, metrics: Metrics) -> None:
        super().__init__(metrics)
        self.root.setContentsMargins(0, 0, 0, 0)
        self.button = QPushButton(
            self.tr("Su opinión nos ayuda a mejorar\n\nToque la pantalla para comenzar")
        )
        set_role(self.button, "attract")
        self.button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.button.clicked.connect(self.started)
        self.root.addWidget(self.button, 1)


class LazyModule:
    """A module imported on its first attribute access (the window's page classes, which
    the attract screen does not need). Type checkers see the real module instead."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(importlib.import_module(self._name), attribute)
