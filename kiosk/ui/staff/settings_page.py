""""Ajustes del kiosco" (the kiosk's administrator only): where the kiosk is enrolled (read
only), the idle waits, the screen size, the languages offered, the receipt printer, and
"Salir del modo quiosco" for IT (asked twice, audited).

"Guardar" checks every value first and says in plain Spanish what is wrong, with nothing
saved; a save is audited and applied by the editor
(:class:`kiosk.services.kiosk_settings.KioskSettingsEditor`)."""

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from kiosk.flow.staff import Agent
from kiosk.services.kiosk_settings import KioskSettingsEditor, SettingsRefused
from kiosk.settings import IDLE_SECONDS_RANGE, STAFF_IDLE_SECONDS_RANGE
from kiosk.ui.base import Page, big_button, label
from kiosk.ui.metrics import Metrics
from kiosk.ui.staff.form import ChoiceRow, FormBody, KeyboardOnTap, button_row, say
from kiosk.ui.widgets import TextField

# Panel diagonals offered (inches); "auto" trusts what the screen reports.
DIAGONALS = (15.6, 18.5, 21.5, 23.8, 27.0, 32.0)
AUTO = "auto"
NONE = ""


def range_text(caption: str, low: int, high: int) -> str:
    return (QCoreApplication.translate(
        "StaffSettings", "%1: escriba un número de segundos entre %2 y %3.")
        .replace("%1", caption).replace("%2", str(low)).replace("%3", str(high)))


class SettingsPage(Page):
    """``printers()`` lists the printer queues Qt sees now; ``languages`` are (code, name)
    of every catalogue shipped. ``exit_button`` ("Volver") is wired by the caller, and
    ``keys.wanted`` (a wait field tapped: the keyboard, digits only, then comes up)."""

    show_back = False
    in_session = False

    def __init__(self, metrics: Metrics, editor: KioskSettingsEditor, agent: Agent | None,
                 printers: Callable[[], Sequence[str]],
                 languages: Sequence[tuple[str, str]]) -> None:
        super().__init__(metrics, self.tr("Ajustes del kiosco"),
                         self.tr("Solo el administrador del kiosco ve esta pantalla. Los "
                                 "cambios se guardan al tocar «Guardar»."))
        self._editor = editor
        self._printers = printers
        self.agent = agent
        self.body = body = FormBody(self)
        body.heading(self.tr("Dónde está este kiosco"))
        self.unit = label("")
        self.module = label("")
        body.row("unit", self.tr("Unidad"), self.unit)
        body.row("module", self.tr("Módulo"), self.module)
        body.heading(self.tr("Tiempo sin uso antes de «¿Sigue ahí?»"))
        self.idle = TextField(metrics, max_length=4, keyboard_layer="numeric", counter=False)
        self.staff_idle = TextField(metrics, max_length=4, keyboard_layer="numeric",
                                    counter=False)
        body.row("idle_seconds", self.idle_caption(), self.idle)
        body.row("staff_idle_seconds", self.staff_idle_caption(), self.staff_idle)
        self.keys = KeyboardOnTap(self, [self.idle.editor, self.staff_idle.editor])
        body.heading(self.tr("Tamaño de la pantalla"))
        body.widget(label(self.tr("Elija la diagonal del panel si los botones no miden lo "
                                  "que deben. Se aplica al cerrar la sesión del personal."),
                          "hint"))
        self.screen = ChoiceRow(metrics, [(AUTO, self.tr("Automático"))] + [
            (f"{d:g}", self.tr("%1 pulgadas").replace("%1", f"{d:g}")) for d in DIAGONALS],
            columns=4)
        body.widget(self.screen)
        body.heading(self.tr("Idiomas que se ofrecen"))
        self.languages = ChoiceRow(metrics, languages, exclusive=False)
        self.languages.changed.connect(self._keep_spanish)
        body.widget(self.languages)
        body.heading(self.tr("Impresora de comprobantes"))
        self.printer_slot = body.slot()
        body.heading(self.tr("Para el personal de informática"))
        body.widget(label(self.tr("«Salir del modo quiosco» cierra el programa y deja el "
                                  "equipo sin kiosco hasta que se reinicie. Queda registrado."),
                          "hint"))
        self.leave_button = big_button(self.tr("Salir del modo quiosco"), metrics)
        self.leave_button.clicked.connect(self._ask_leave)
        self.confirm_leave_button = big_button(self.tr("Sí, salir del modo quiosco"), metrics)
        self.confirm_leave_button.clicked.connect(self._leave)
        body.widget(self.leave_button)
        body.widget(self.confirm_leave_button)
        self.message = label("", "message")
        self.root.addWidget(self.message)
        self.exit_button = big_button(self.tr("Volver"), metrics)
        self.save_button = big_button(self.tr("Guardar"), metrics, "primary")
        self.save_button.clicked.connect(self.save)
        button_row(self, self.exit_button, self.save_button)
        body.finish(self.save_button)
        self.forget()

    def _keep_spanish(self) -> None:
        """Spanish is always offered: a tap on it leaves it ticked."""
        spanish = self.languages.buttons["es"]
        if not spanish.isChecked():
            spanish.blockSignals(True)
            spanish.setChecked(True)
            spanish.blockSignals(False)

    def first_editor(self) -> QWidget | None:
        return self.keys.editor

    @staticmethod
    def idle_caption() -> str:
        return QCoreApplication.translate("StaffSettings", "Pantallas de la persona (segundos)")

    @staticmethod
    def staff_idle_caption() -> str:
        return QCoreApplication.translate("StaffSettings", "Modo del personal (segundos)")

    # ------------------------------------------------------------------ shown, left
    def for_agent(self, agent: Agent) -> None:
        self.agent = agent
        self.keys.down()
        allowed = agent.is_admin
        self.save_button.setEnabled(allowed)
        self.leave_button.setEnabled(allowed)
        self._say("")
        self.confirm_leave_button.hide()
        place = self._editor.where()
        self.unit.setText(" · ".join(x for x in (place.unit_name, place.clues) if x)
                          or self.tr("Sin inscribir"))
        self.module.setText(place.module_name or self.tr("Sin inscribir"))
        self._show(self._editor.values())

    def forget(self) -> None:
        self.agent = None
        self.keys.down()
        for text_field in (self.idle, self.staff_idle):
            text_field.clear()
        self.unit.setText("")
        self.module.setText("")
        self.confirm_leave_button.hide()
        self._say("")

    def _show(self, values: dict[str, Any]) -> None:
        self.idle.set_text(str(values["idle_seconds"]))
        self.staff_idle.set_text(str(values["staff_idle_seconds"]))
        diagonal = values["screen_diagonal_inches"]
        self.screen.set_chosen([f"{diagonal:g}" if diagonal else AUTO])
        offered = [c for c in str(values["languages"]).split(",") if c]
        self.languages.set_chosen(offered or list(self.languages.buttons))  # Spanish kept
        current = str(values["receipt_printer"])
        queues = list(dict.fromkeys([*self._printers(), *([current] if current else [])]))
        self.printers = self.printer_slot.replace(
            [(NONE, self.tr("Ninguna"))] + [(q, q) for q in queues], columns=2)
        self.printers.set_chosen([current])

    # ------------------------------------------------------------------ save
    def changes(self) -> dict[str, Any] | str:
        """The values on screen, or the message saying what is wrong."""
        checked: dict[str, Any] = {}
        for name, text_field, caption, (low, high) in (
                ("idle_seconds", self.idle, self.idle_caption(), IDLE_SECONDS_RANGE),
                ("staff_idle_seconds", self.staff_idle, self.staff_idle_caption(),
                 STAFF_IDLE_SECONDS_RANGE)):
            text = text_field.text().strip()
            if not text.isdigit() or not low <= int(text) <= high:
                return range_text(caption, low, high)
            checked[name] = int(text)
        screen = self.screen.value() or AUTO
        checked["screen_diagonal_inches"] = None if screen == AUTO else float(screen)
        if screen != AUTO:
            checked["screen_dpi"] = None  # one or the other, never both
        languages = self.languages.chosen()
        everyone = len(languages) == len(self.languages.buttons)
        checked["languages"] = "" if everyone else ",".join(languages)
        checked["receipt_printer"] = self.printers.value()
        return checked

    def save(self) -> None:
        if self.agent is None or not self.agent.is_admin:
            return
        changes = self.changes()
        if isinstance(changes, str):
            self._say(changes, tone="error")
            return
        try:
            saved = self._editor.change(self.agent.staff_id, changes)
        except SettingsRefused as refused:
            self._say(self.refused_text(refused), tone="error")
            return
        if not saved.changed:
            self._say(self.tr("No hubo cambios."), tone="info")
        elif saved.shadowed:
            self._say(self.tr("Guardado. Algunos valores los fija el sistema del equipo y "
                              "volverán a los de antes al reiniciar."), tone="info")
        else:
            self._say(self.tr("Guardado. Los cambios ya están en uso."), tone="info")

    def refused_text(self, refused: SettingsRefused) -> str:
        if refused.code == "settings_not_written":
            return self.tr("No se pudo guardar en el disco del kiosco. No se cambió nada.")
        if "idle_seconds" in refused.fields:
            return range_text(self.idle_caption(), *IDLE_SECONDS_RANGE)
        if "staff_idle_seconds" in refused.fields:
            return range_text(self.staff_idle_caption(), *STAFF_IDLE_SECONDS_RANGE)
        return self.tr("Un valor no es válido. No se cambió nada.")

    # ------------------------------------------------------------------ leave kiosk mode
    def _ask_leave(self) -> None:
        self.confirm_leave_button.show()
        self.body.pane.ensure_visible(self.confirm_leave_button)
        self._say(self.tr("¿Seguro? Toque «Sí, salir del modo quiosco» para confirmar."),
                  tone="error")

    def _leave(self) -> None:
        if self.agent is not None and self.agent.is_admin:
            self._editor.leave_kiosk_mode(self.agent.staff_id)

    def _say(self, text: str, *, tone: str = "info") -> None:
        say(self.message, text, tone)
