"""What a receipt says, on the confirmation screen, on paper and in "Consultar un folio":
dates in Spanish, the deadlines of a queja, how to follow a folio, the "as of" of what the
kiosk knows, and the countdown back to the attract screen.

Dates are written with Qt's Mexican Spanish locale ("lunes 4 de enero de 2027"), the
kiosk's language for every catalogue shipped today.
"""

from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QDate, QLocale, QTime

from kiosk.ui.wording.cases import stage_text

if TYPE_CHECKING:  # the store's modules load after the first paint
    from kiosk.services.lookup import FolioLookup

_LOCALE = QLocale(QLocale.Language.Spanish, QLocale.Country.Mexico)


def long_date(day: date) -> str:
    return _LOCALE.toString(QDate(day.year, day.month, day.day), "dddd d 'de' MMMM 'de' yyyy")


def moment(when: datetime) -> str:
    """ "3 de diciembre de 2026, 10:40" (``when`` already in the unit's time zone)."""
    day = _LOCALE.toString(QDate(when.year, when.month, when.day), "d 'de' MMMM 'de' yyyy")
    return f"{day}, {_LOCALE.toString(QTime(when.hour, when.minute), 'HH:mm')}"


def received_line(day: date) -> str:
    return QCoreApplication.translate("Receipts", "Fecha de registro: {date}.").format(
        date=long_date(day))


def completion_line(day: date) -> str:
    return QCoreApplication.translate(
        "Receipts",
        "Si falta información, se le pedirá a más tardar el {date} (5 días hábiles)."
    ).format(date=long_date(day))


def resolution_line(day: date) -> str:
    return QCoreApplication.translate(
        "Receipts", "Recibirá respuesta a más tardar el {date} (50 días hábiles)."
    ).format(date=long_date(day))


def deadline_lines(received: date | None, completion: date | None,
                   resolution: date | None) -> list[str]:
    lines = [received_line(received)] if received else []
    if completion:
        lines.append(completion_line(completion))
    if resolution:
        lines.append(resolution_line(resolution))
    return lines


def follow_text() -> str:
    return QCoreApplication.translate(
        "Receipts",
        "Para saber cómo va: escanee el código con su teléfono, toque «Consultar un folio» "
        "en este kiosco o pregunte en el módulo de Trato Digno con su folio.")


def countdown_text(seconds: int) -> str:
    if seconds == 1:
        return QCoreApplication.translate(
            "Receipts", "Esta pantalla vuelve al inicio en 1 segundo.")
    return QCoreApplication.translate(
        "Receipts", "Esta pantalla vuelve al inicio en {n} segundos.").format(n=seconds)


def lookup_lines(found: "FolioLookup") -> list[str]:
    """What "Consultar un folio" says about a folio; never text or personal data."""
    if not found.known:
        return [QCoreApplication.translate(
            "Receipts",
            "No encontramos este folio en este kiosco. Si lo registró en otro lugar o hace "
            "poco, pregunte en el módulo de Trato Digno.")]
    lines: list[str] = []
    if found.stage is not None:
        lines.append(QCoreApplication.translate("Receipts", "Etapa: {stage}.").format(
            stage=stage_text(found.stage)))
    elif found.filed_here and not found.sent:
        lines.append(QCoreApplication.translate(
            "Receipts", "Recibido en este kiosco; se enviará cuando haya red."))
    else:
        lines.append(QCoreApplication.translate(
            "Receipts", "Enviado al IMSS; su avance aparecerá aquí cuando este kiosco lo "
            "reciba."))
    if found.only_stage:
        lines.append(QCoreApplication.translate(
            "Receipts", "Para más detalle, pregunte en el módulo de Trato Digno."))
    else:
        lines += deadline_lines(found.received_on, found.completion_due, found.resolution_due)
        if found.status_updated_at is not None:
            lines.append(QCoreApplication.translate(
                "Receipts", "Último cambio: {when}.").format(
                    when=moment(found.status_updated_at)))
    if found.as_of is not None:  # the last time this kiosk heard from the central server
        lines.append(QCoreApplication.translate("Receipts", "Información al {when}.").format(
            when=moment(found.as_of)))
    return lines
