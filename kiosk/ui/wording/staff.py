"""What the staff screens say: the signed-in agent and their certification, the sign-in
messages, the five case types, the channels, how a quick log ended, the desk form's checks
and the settings screen's answers. Never personal data."""

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QCoreApplication, QDate

from kiosk.ui.wording.cases import TYPE_LABELS
from kiosk.ui.wording.receipts import _LOCALE, moment
from trato.domain.enums import CaseType, Channel, QuickOutcome

STAFF_TYPE_LABELS: dict[CaseType, Callable[[], str]] = {
    **TYPE_LABELS,
    CaseType.ORIENTACION: lambda: QCoreApplication.translate("StaffWording", "Orientación"),
    CaseType.GESTION: lambda: QCoreApplication.translate("StaffWording", "Gestión"),
}

#: The order the register page offers the types in (the commonest first).
STAFF_TYPE_ORDER = (CaseType.ORIENTACION, CaseType.GESTION, CaseType.QUEJA,
                    CaseType.SUGERENCIA, CaseType.RECONOCIMIENTO)

CHANNEL_LABELS: dict[Channel, Callable[[], str]] = {
    Channel.DESK: lambda: QCoreApplication.translate("StaffWording", "Módulo"),
    Channel.PHONE: lambda: QCoreApplication.translate("StaffWording", "Teléfono 800"),
    Channel.KIOSK_ASSISTED: lambda: QCoreApplication.translate(
        "StaffWording", "Kiosco con ayuda"),
    Channel.OTHER: lambda: QCoreApplication.translate("StaffWording", "Otro"),
}

OUTCOME_LABELS: dict[QuickOutcome, Callable[[], str]] = {
    QuickOutcome.RESOLVED: lambda: QCoreApplication.translate(
        "StaffWording", "Resuelta en el módulo"),
    QuickOutcome.REFERRED: lambda: QCoreApplication.translate(
        "StaffWording", "Canalizada a otra área"),
    QuickOutcome.FOLLOW_UP: lambda: QCoreApplication.translate(
        "StaffWording", "Requiere seguimiento"),
}


def day_text(day: date) -> str:
    """ "3 de marzo de 2026"."""
    return _LOCALE.toString(QDate(day.year, day.month, day.day), "d 'de' MMMM 'de' yyyy")


def greeting(name: str, *, local_admin: bool) -> str:
    if local_admin:
        return QCoreApplication.translate("StaffWording", "Administrador del kiosco")
    return QCoreApplication.translate("StaffWording", "Hola, {name}").format(name=name)


def certification_text(certified_on: date | None, certified_until: date | None,
                       today: date) -> str:
    """The Buen Trato certification of the agent signed in, as their profile states it."""
    current = certified_on is not None and certified_on <= today and (
        certified_until is None or today <= certified_until)
    if not current or certified_on is None:
        return QCoreApplication.translate("StaffWording", "Sin certificación vigente en Buen Trato")
    if certified_until is None:
        return QCoreApplication.translate(
            "StaffWording", "Certificación en Buen Trato desde el {since}").format(
            since=day_text(certified_on))
    return QCoreApplication.translate(
        "StaffWording", "Certificación en Buen Trato desde el {since}, vigente hasta el {until}"
    ).format(since=day_text(certified_on), until=day_text(certified_until))


def sign_in_wrong_text() -> str:
    return QCoreApplication.translate(
        "StaffWording", "Número de empleado o PIN incorrecto. Intente de nuevo.")


def sign_in_missing_text() -> str:
    return QCoreApplication.translate(
        "StaffWording", "Escriba su número de empleado y su PIN.")


def checking_text() -> str:
    return QCoreApplication.translate("StaffWording", "Revisando…")


def event_problem_text(code: str, now_local: datetime) -> str:
    if code == "date_missing":
        return QCoreApplication.translate(
            "StaffWording", "Falta la fecha del hecho: con la hora sola no se sabe cuándo fue.")
    return QCoreApplication.translate(
        "StaffWording",
        "La fecha y la hora del hecho no pueden ser posteriores a este momento "
        "(en este kiosco: {now}). Revise lo que escribió.").format(now=moment(now_local))


def registered_title(case_type: CaseType) -> str:
    return QCoreApplication.translate("StaffWording", "{type} registrada").format(
        type=STAFF_TYPE_LABELS[case_type]()) if case_type != CaseType.RECONOCIMIENTO else \
        QCoreApplication.translate("StaffWording", "Reconocimiento registrado")


def registered_hint(phone: bool) -> str:
    if phone:
        return QCoreApplication.translate(
            "StaffWording", "Dícteselo a la persona por teléfono, en grupos de cuatro.")
    return QCoreApplication.translate(
        "StaffWording", "Entréguele el folio a la persona; con él puede consultar su caso.")


def settings_saved_text(shadowed: tuple[str, ...]) -> str:
    if shadowed:
        return QCoreApplication.translate(
            "StaffWording",
            "Ajustes guardados y aplicados. Aviso para soporte técnico: una variable de "
            "entorno fija {names}; al reiniciar, el kiosco usará la variable.").format(
            names=", ".join(shadowed))
    return QCoreApplication.translate("StaffWording", "Ajustes guardados y aplicados.")


def settings_refused_text() -> str:
    return QCoreApplication.translate(
        "StaffWording",
        "No se guardó nada: revise los valores marcados (por ejemplo, la pantalla va de 7 a "
        "100 pulgadas, o de 60 a 400 puntos por pulgada; no ambos).")


def settings_failed_text() -> str:
    return QCoreApplication.translate(
        "StaffWording", "No se pudieron guardar los ajustes en el disco del kiosco. "
        "Avise a soporte técnico.")
