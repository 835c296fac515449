"""The staff sign-in page: the employee number and the PIN on the numeric keyboard (or the
kiosk's administrator and its PIN), the message line, nothing remembered.

Why a number and not a list of names to tap: see :mod:`kiosk.flow.staff`."""

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from kiosk.ui.base import LazyModule, Page, big_button, label
from kiosk.ui.metrics import Metrics

if TYPE_CHECKING:
    from kiosk.ui import widgets
    from kiosk.ui.staff import form
else:
    widgets = LazyModule("kiosk.ui.widgets")
    form = LazyModule("kiosk.ui.staff.form")

#: What the sign-in hands over for the kiosk's own administrator (it has no number).
ADMIN = "admin-local"


class PinPage(Page):
    """Staff sign-in. Signals: ``sign_in_requested(str, str)`` with the employee number (or
    ``"admin-local"``) and the PIN, on "Entrar" or Enter in the PIN field."""

    sign_in_requested = Signal(str, str)
    wants_keyboard = True
    in_session = False
    reset_on_show = True

    def __init__(self, metrics: Metrics) -> None:
        super().__init__(metrics, self.tr("Acceso del personal"),
                         self.tr("Escriba su número de empleado y su PIN."))
        self.body = form.FormBody(self)
        self.number = widgets.TextField(metrics, max_length=64, keyboard_layer="numeric",
                                        counter=False)
        self.field = widgets.TextField(metrics, max_length=12, keyboard_layer="numeric",
                                       counter=False, password=True)
        self.body.row("number", self.tr("Número de empleado"), self.number)
        self.body.row("pin", self.tr("PIN"), self.field)
        self.admin_button = form.tick_box(self.tr("Soy el administrador de este kiosco"),
                                          metrics)
        self.admin_button.toggled.connect(self._admin_toggled)
        self.body.widget(self.admin_button)
        self.error = label("", "message")
        self.body.widget(self.error)
        self.enter_button = big_button(self.tr("Entrar"), metrics, "primary")
        self.enter_button.clicked.connect(self._submit)
        self.root.addWidget(self.enter_button)
        self.body.finish(self.admin_button, self.enter_button)
        self.number.editor.returnPressed.connect(self.field.editor.setFocus)  # type: ignore[union-attr]
        self.field.editor.returnPressed.connect(self._submit)  # type: ignore[union-attr]

    def _admin_toggled(self, on: bool) -> None:
        self.body.show_row("number", not on)
        self.number.clear()
        self.field.editor.setFocus()

    def _submit(self) -> None:
        if not self.enter_button.isEnabled() or not self.isVisible():
            return
        number = ADMIN if self.admin_button.isChecked() else self.number.text()
        self.sign_in_requested.emit(number, self.field.text())

    def set_busy(self, busy: bool, text: str = "") -> None:
        """While the PIN is checked: "Entrar" waits and the message says so."""
        self.enter_button.setEnabled(not busy)
        if busy:
            self.show_error(text)

    def show_error(self, text: str) -> None:
        self.error.setText(text)

    def first_editor(self) -> QWidget | None:
        return self.field.editor if self.admin_button.isChecked() else self.number.editor

    def reset(self) -> None:
        self.admin_button.setChecked(False)
        self.number.clear()
        self.field.clear()
        self.error.setText("")
        self.enter_button.setEnabled(True)
