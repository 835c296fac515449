"""The staff PIN page: digits on the numeric keyboard, the error line, nothing remembered."""

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QWidget,
)

from kiosk.ui.base import LazyModule, Page, big_button, label
from kiosk.ui.metrics import Metrics

if TYPE_CHECKING:
    from kiosk.ui import widgets
else:
    widgets = LazyModule("kiosk.ui.widgets")


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
