"""The desk form of a queja, sugerencia or reconocimiento on two screens: who files it
(:class:`DeskPersonPage`) and what happened (:class:`DeskEventPage`). Every field of a queja
of the Instructivo, Art. 18 is there; the values go to :mod:`kiosk.flow.desk` by name.

Enter on the first screen goes on (nothing is saved yet); on the second it moves to the next
field, as saving is for "Guardar" alone. Tab goes through the fields in the order shown."""

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from kiosk.flow.desk import PERSON_FIELDS
from kiosk.ui.base import Page, TouchButton, big_button, label
from kiosk.ui.metrics import Metrics
from kiosk.ui.pages.action import main_action
from kiosk.ui.staff.form import FormBody, KeyboardOnTap, tick_box
from kiosk.ui.widgets import TextField
from kiosk.ui.wording import staff as wording
from trato.domain import validators as v
from trato.domain.enums import CaseType

_VALIDATED: dict[str, Callable[[str], v.Check]] = {
    "nss": v.validate_nss, "curp": v.validate_curp, "phone": v.validate_phone,
    "email": v.validate_email, "postal_code": v.validate_postal_code,
}
_LIMITS = {"address": 300}


def _line_field(metrics: Metrics, key: str) -> TextField:
    return TextField(metrics, max_length=_LIMITS.get(key, v.SHORT_TEXT_MAX), counter=False,
                     validator=_VALIDATED.get(key))


class DeskPersonPage(Page):
    """Who files the case and who received the care ("la misma persona" by default), how to
    reach them and identify them. Signals: ``done()`` on "Continuar" or Enter."""

    done = Signal()
    wants_keyboard = True
    in_session = False

    def __init__(self, metrics: Metrics) -> None:
        super().__init__(metrics, "", "")
        self.case_type = CaseType.QUEJA
        self.body = FormBody(self)
        self.fields: dict[str, TextField] = {key: _line_field(metrics, key)
                                             for key in PERSON_FIELDS}
        captions = {
            "filer_name": self.tr("Nombre de quien presenta"),
            "beneficiary_name": self.tr("Nombre de quien recibió la atención"),
            "nss": self.tr("NSS"), "curp": self.tr("CURP"), "phone": self.tr("Teléfono"),
            "email": self.tr("Correo electrónico"), "address": self.tr("Domicilio"),
            "postal_code": self.tr("Código postal"),
            "assigned_clinic": self.tr("UMF de adscripción"),
        }
        self.same_person = tick_box(self.tr("Es la misma persona que recibió la atención"),
                                    metrics)
        self.same_person.setChecked(True)
        self.same_person.toggled.connect(self._update)
        for key in PERSON_FIELDS:
            self.body.row(key, captions[key], self.fields[key])
            if key == "filer_name":
                self.body.widget(self.same_person)
                self.body.order.append(self.same_person)
            self.fields[key].changed.connect(self._update)
            editor = self.fields[key].editor
            if isinstance(editor, QLineEdit):
                editor.returnPressed.connect(self._finish)
        # In the window's action bar, where "Continuar" is on every page.
        self.continue_button = main_action(self, self.tr("Continuar"))
        self.continue_button.clicked.connect(self._finish)
        self.body.finish(self.continue_button)
        self._update()

    def set_type(self, case_type: CaseType) -> None:
        self.case_type = case_type
        label_ = wording.STAFF_TYPE_LABELS[case_type]()
        if case_type == CaseType.QUEJA:
            self.set_question(self.tr("{type}: quién la presenta").format(type=label_),
                              self.tr("El nombre de quien presenta es necesario; lo demás, "
                                      "si la persona lo da."))
        else:
            self.set_question(self.tr("{type}: datos de contacto").format(type=label_),
                              self.tr("Todo es opcional: solo si la persona quiere que le "
                                      "avisen."))
        self._update()

    def _update(self) -> None:
        self.body.show_row("beneficiary_name", not self.same_person.isChecked())
        valid = all(f.is_valid() for f in self.fields.values())
        named = self.case_type != CaseType.QUEJA or bool(self.fields["filer_name"].text().strip())
        self.continue_button.setEnabled(valid and named)

    def _finish(self) -> None:
        if self.continue_button.isEnabled() and self.isVisible():
            self.done.emit()

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {k: f.value().strip() for k, f in self.fields.items()}
        out["same_person"] = self.same_person.isChecked()
        return out

    def set_values(self, values: dict[str, Any]) -> None:
        for key, field in self.fields.items():
            field.set_text(str(values.get(key, "") or ""))
        self.same_person.setChecked(bool(values.get("same_person", True)))

    def has_values(self) -> bool:
        return any(f.text().strip() for f in self.fields.values())

    def first_editor(self) -> QWidget | None:
        return self.fields["filer_name"].editor

    def reset(self) -> None:
        for field in self.fields.values():
            field.clear()
        self.same_person.setChecked(True)
        self._update()


class DeskEventPage(Page):
    """What happened: the unit and the service, the categories, a queja's date and time of
    the event, the narrative, the staff involved and the request (a reconocimiento: whom it
    recognises and whether it may be published), "no sabe o no puede firmar" with the
    agent's confirmation, and the agent's record that the privacy notice was read and
    accepted. The page opens on its choices with the keyboard down (at 1366x768 it would
    leave two rows of the form); it comes up when a text field is tapped (``keys.wanted``).
    Signals: ``save_requested()`` on "Guardar"."""

    save_requested = Signal()
    in_session = False

    def __init__(self, metrics: Metrics) -> None:
        super().__init__(metrics, "", "")
        self.case_type = CaseType.QUEJA
        self.today = date.today()
        body = self.body = FormBody(self)
        self.event_unit = TextField(metrics, max_length=200, counter=False)
        body.row("event_unit", self.tr("Unidad donde ocurrió"), self.event_unit)
        self.service_heading = body.heading(self.tr("Servicio"))
        self._service_slot = body.slot()
        self.services = self._service_slot.choices
        self.category_heading = body.heading(self.tr("¿De qué se trata?"))
        self._category_slot = body.slot()
        self.categories = self._category_slot.choices
        self.event_date = TextField(metrics, max_length=10, keyboard_layer="numeric",
                                    counter=False, validator=v.validate_date)
        self.today_button = big_button(self.tr("Hoy"), metrics)
        self.yesterday_button = big_button(self.tr("Ayer"), metrics)
        for button in (self.today_button, self.yesterday_button):
            button.setSizePolicy(button.sizePolicy().horizontalPolicy().Preferred,
                                 button.sizePolicy().verticalPolicy())
        self.today_button.clicked.connect(lambda: self._set_day(0))
        self.yesterday_button.clicked.connect(lambda: self._set_day(1))
        body.row("event_date", self.tr("Fecha del hecho"), self.event_date, self.today_button,
                 self.yesterday_button)
        self.event_time = TextField(metrics, max_length=5, keyboard_layer="numeric",
                                    counter=False, validator=v.validate_time)
        body.row("event_time", self.tr("Hora del hecho"), self.event_time)
        self.narrative = TextField(metrics, max_length=v.NARRATIVE_MAX, multiline=True)
        body.row("narrative", self.tr("Relato en orden: qué pasó, cuándo, dónde, quiénes"),
                 self.narrative)
        self.staff_involved = TextField(metrics, max_length=500, counter=False)
        body.row("staff_involved", self.tr("Personal involucrado"), self.staff_involved)
        self.request = TextField(metrics, max_length=1000, counter=False)
        body.row("request", self.tr("Qué pide la persona"), self.request)
        self.recognised = TextField(metrics, max_length=v.SHORT_TEXT_MAX, counter=False)
        body.row("recognised_person", self.tr("A quién reconoce"), self.recognised)
        self.publish = tick_box(self.tr("La persona acepta que se publique en el Muro del Trato "
                                   "Digno"), metrics)
        self.cannot_sign = tick_box(self.tr("La persona no sabe o no puede firmar"), metrics)
        self.confirm_cannot_sign = tick_box(
            self.tr("Confirmo, como agente, que la persona no sabe o no puede firmar"), metrics)
        self.consent = tick_box(self.tr("Le leí el aviso de privacidad y la persona aceptó"),
                                metrics)
        self.error = label("", "message")
        self.error.hide()
        for widget in (self.publish, self.cannot_sign, self.confirm_cannot_sign, self.consent,
                       self.error):
            body.widget(widget)
        self.cannot_sign.toggled.connect(self._update)
        for item in (self.narrative, self.recognised, self.event_date, self.event_time):
            item.changed.connect(self._update)
        for item in (self.publish, self.confirm_cannot_sign, self.consent):
            item.toggled.connect(self._update)
        for field in (self.event_unit, self.event_date, self.event_time, self.staff_involved,
                      self.request, self.recognised):
            field.editor.returnPressed.connect(self.focusNextChild)  # type: ignore[union-attr]
        self.save_button = big_button(self.tr("Guardar"), metrics, "primary")
        self.save_button.clicked.connect(self._save)
        self.root.addWidget(self.save_button)
        self._extra = [self.publish, self.cannot_sign, self.confirm_cannot_sign, self.consent,
                       self.save_button]
        self.keys = KeyboardOnTap(self, [f.editor for f in (
            self.event_unit, self.event_date, self.event_time, self.narrative,
            self.staff_involved, self.request, self.recognised)])
        self._update()

    # ------------------------------------------------------------------ the type's fields
    def set_type(self, case_type: CaseType, *, services: Sequence[tuple[str, str]],
                 categories: Sequence[tuple[str, str]], limit: int, unit_name: str,
                 today: date) -> None:
        self.case_type, self.today = case_type, today
        queja = case_type == CaseType.QUEJA
        recognition = case_type == CaseType.RECONOCIMIENTO
        self.set_question(self.tr("{type}: qué pasó").format(
            type=wording.STAFF_TYPE_LABELS[case_type]()) if queja else
            wording.STAFF_TYPE_LABELS[case_type](), "")
        self.services = self._service_slot.replace(services, columns=3)
        self.categories = self._category_slot.replace(categories, columns=3, exclusive=False,
                                                      limit=limit)
        for row in (self.services, self.categories):
            row.changed.connect(self._update)
        self.event_unit.editor.setPlaceholderText(unit_name)  # type: ignore[union-attr]
        for key in ("event_unit", "event_date", "event_time", "staff_involved", "request"):
            self.body.show_row(key, queja)
        self.body.show_row("recognised_person", recognition)
        self.publish.setVisible(recognition)
        self.body.finish(*self.services.focus_order(), *self.categories.focus_order(),
                         *self._extra)
        self._update()

    def _set_day(self, days_ago: int) -> None:
        day = self.today - timedelta(days=days_ago)
        self.event_date.set_text(day.strftime("%d/%m/%Y"))
        self.event_time.editor.setFocus()

    def _update(self) -> None:
        self.confirm_cannot_sign.setVisible(self.cannot_sign.isChecked())
        if not self.cannot_sign.isChecked():
            self.confirm_cannot_sign.setChecked(False)
        filled = {
            CaseType.QUEJA: bool(self.narrative.text().strip()),
            CaseType.SUGERENCIA: bool(self.narrative.text().strip()),
            CaseType.RECONOCIMIENTO: bool(self.recognised.text().strip()),
        }.get(self.case_type, True)
        confirmed = not self.cannot_sign.isChecked() or self.confirm_cannot_sign.isChecked()
        valid = self.event_date.is_valid() and self.event_time.is_valid()
        self.save_button.setEnabled(filled and confirmed and valid)

    def _save(self) -> None:
        if self.save_button.isEnabled() and self.isVisible():
            self.save_requested.emit()

    # ------------------------------------------------------------------ values
    def values(self) -> dict[str, Any]:
        return {
            "event_unit": self.event_unit.text().strip(),
            "service_code": self.services.value(), "categories": self.categories.chosen(),
            "event_date": self.event_date.value() if self.event_date.text().strip() else "",
            "event_time": self.event_time.value() if self.event_time.text().strip() else "",
            "narrative": self.narrative.text(), "staff_involved": self.staff_involved.text(),
            "request": self.request.text(), "recognised_person": self.recognised.text(),
            "publish": self.publish.isChecked(), "cannot_sign": self.cannot_sign.isChecked(),
            "cannot_sign_confirmed": self.confirm_cannot_sign.isChecked(),
            "consent": self.consent.isChecked(),
        }

    def set_values(self, values: dict[str, Any]) -> None:
        for key, field in (("event_unit", self.event_unit), ("narrative", self.narrative),
                           ("staff_involved", self.staff_involved), ("request", self.request),
                           ("recognised_person", self.recognised)):
            field.set_text(str(values.get(key, "") or ""))
        day = str(values.get("event_date") or "")
        self.event_date.set_text(date.fromisoformat(day).strftime("%d/%m/%Y") if day else "")
        self.event_time.set_text(str(values.get("event_time") or ""))
        self.services.set_chosen([values["service_code"]] if values.get("service_code") else [])
        self.categories.set_chosen(list(values.get("categories") or []))
        boxes: tuple[tuple[str, TouchButton], ...] = (
            ("publish", self.publish), ("cannot_sign", self.cannot_sign),
            ("cannot_sign_confirmed", self.confirm_cannot_sign), ("consent", self.consent))
        for key, box in boxes:
            box.setChecked(bool(values.get(key)))

    def has_values(self) -> bool:
        return bool(self.narrative.text().strip() or self.event_date.text().strip()
                    or self.staff_involved.text().strip() or self.request.text().strip()
                    or self.recognised.text().strip())

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
        if text:
            self.body.pane.ensure_visible(self.error)

    def first_editor(self) -> QWidget | None:
        return self.keys.editor

    def reset(self) -> None:
        self.keys.down()
        self.set_values({})
        self.show_error("")
        self._update()
