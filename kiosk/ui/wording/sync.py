"""The sync status in plain Spanish for the staff screen: one summary line, a table of
details and one line per record the server set aside. Never personal data.

Counts go through a plain name: ``lupdate`` skips a ``translate()`` whose count is an
expression. ``%1``-style placeholders keep each sentence whole for the translator.
"""

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QCoreApplication

from kiosk.sync.status import SyncStatus
from trato.domain.campaigns import OUTSIDE_WINDOW

#: Sync error code (``SyncStatus.last_error``) -> what went wrong, in a few words.
ERRORS: dict[str, Callable[[], str]] = {
    "network": lambda: QCoreApplication.translate(
        "SyncStatus", "sin conexión con el servidor central"),
    "timeout": lambda: QCoreApplication.translate(
        "SyncStatus", "el servidor central tardó demasiado en responder"),
    "tls": lambda: QCoreApplication.translate(
        "SyncStatus", "no se pudo verificar el certificado del servidor central"),
    "server_error": lambda: QCoreApplication.translate(
        "SyncStatus", "el servidor central tiene un problema"),
    "rate_limited": lambda: QCoreApplication.translate(
        "SyncStatus", "el servidor central pidió esperar"),
    "bad_response": lambda: QCoreApplication.translate(
        "SyncStatus", "respuesta inesperada del servidor central"),
    "expired": lambda: QCoreApplication.translate(
        "SyncStatus", "la hora de este kiosco no coincide con la del servidor"),
    "bad_signature": lambda: QCoreApplication.translate(
        "SyncStatus", "el servidor no reconoce la firma de este kiosco"),
    "unknown_kiosk": lambda: QCoreApplication.translate(
        "SyncStatus", "el servidor no reconoce este kiosco"),
    "internal": lambda: QCoreApplication.translate(
        "SyncStatus", "error interno de sincronización"),
}

#: Record kind of a set-aside record -> what staff call it.
RECORD_KINDS: dict[str, Callable[[], str]] = {
    "survey_response": lambda: QCoreApplication.translate("SyncStatus", "Encuesta"),
    "case": lambda: QCoreApplication.translate("SyncStatus", "Caso"),
    "case_event": lambda: QCoreApplication.translate("SyncStatus", "Seguimiento de caso"),
}

#: Why the server set a record aside.
SET_ASIDE_REASONS: dict[str, Callable[[], str]] = {
    "rejected": lambda: QCoreApplication.translate("SyncStatus", "el servidor lo rechazó"),
    "conflict": lambda: QCoreApplication.translate(
        "SyncStatus", "choca con otro registro ya guardado en el servidor"),
}

#: A rejection's reason code (``SetAsideItem.reason_code``) -> why, in staff's words (the
#: server's detail is still shown for support).
REJECTION_REASONS: dict[str, Callable[[], str]] = {
    OUTSIDE_WINDOW: lambda: QCoreApplication.translate(
        "SyncStatus", "la campaña no estaba abierta el día en que se respondió"),
}


def error_text(code: str) -> str:
    words = ERRORS.get(code)
    return words() if words else QCoreApplication.translate("SyncStatus",
                                                            "error de sincronización")


def _ago(then: datetime, now: datetime) -> str:
    # Counts go through a plain name: lupdate skips a translate() whose count is an expression.
    seconds = max(0.0, (now - then).total_seconds())
    if seconds < 60:
        return QCoreApplication.translate("SyncStatus", "hace un momento")
    minutes = int(seconds // 60)
    if minutes < 60:
        return QCoreApplication.translate("SyncStatus", "hace %n min", None, minutes)
    hours = minutes // 60
    if hours < 48:
        return QCoreApplication.translate("SyncStatus", "hace %n h", None, hours)
    days = hours // 24
    return QCoreApplication.translate("SyncStatus", "hace %n días", None, days)


def _fill(text: str, *values: str) -> str:
    """Fill a translated sentence's ``%1``, ``%2``...: it stays whole for the translator."""
    for n, value in reversed(list(enumerate(values, 1))):
        text = text.replace(f"%{n}", value)
    return text


def _stamp(moment: datetime, status: SyncStatus) -> str:
    return _local(moment, status).strftime("%d/%m/%Y %H:%M")


def describe_status(status: SyncStatus, now: datetime) -> str:
    """One plain-Spanish line for the staff screen (never personal data)."""
    if status.revoked:
        return QCoreApplication.translate(
            "SyncStatus",
            "Este kiosco fue dado de baja por el servidor central y ya no envía "
            "registros. Los registros se conservan en el kiosco. Avise a soporte "
            "técnico para registrarlo de nuevo.",
        )
    if not status.enrolled:
        return QCoreApplication.translate(
            "SyncStatus", "Este kiosco no está registrado con el servidor central."
        )
    parts: list[str] = []
    if status.syncing:
        parts.append(QCoreApplication.translate("SyncStatus", "Enviando registros…"))
    elif status.waiting == 0 and status.last_error is None and status.last_success_at:
        parts.append(_fill(QCoreApplication.translate("SyncStatus", "Todo enviado %1"),
                           _ago(status.last_success_at, now)))
    elif status.waiting == 0 and status.last_error is None:
        parts.append(
            QCoreApplication.translate(
                "SyncStatus", "Aún no se ha sincronizado con el servidor central."
            )
        )
    elif status.last_error in ("network", "timeout", "tls"):
        waiting = status.waiting
        if waiting == 1:
            parts.append(QCoreApplication.translate("SyncStatus", "1 registro esperando red"))
        elif status.waiting > 1:
            text = QCoreApplication.translate("SyncStatus", "%n registros esperando red", None,
                                              waiting)
            parts.append(text)
        else:
            parts.append(QCoreApplication.translate("SyncStatus", "Sin red"))
    elif status.waiting:
        waiting = status.waiting
        if waiting == 1:
            parts.append(QCoreApplication.translate("SyncStatus", "1 registro por enviar"))
        else:
            parts.append(
                QCoreApplication.translate("SyncStatus", "%n registros por enviar", None, waiting)
            )
    if status.last_error and not status.syncing:
        if status.last_error not in ("network", "timeout", "tls") or status.waiting == 0:
            parts.append(error_text(status.last_error).capitalize())
        if status.last_success_at:
            parts.append(_fill(QCoreApplication.translate("SyncStatus", "último envío correcto %1"),
                               _ago(status.last_success_at, now)))
    if status.set_aside == 1:
        parts.append(
            QCoreApplication.translate(
                "SyncStatus", "1 registro apartado por el servidor; revíselo con soporte"
            )
        )
    elif status.set_aside > 1:
        set_aside = status.set_aside
        parts.append(
            QCoreApplication.translate(
                "SyncStatus",
                "%n registros apartados por el servidor; revíselos con soporte",
                None,
                set_aside,
            )
        )
    return " · ".join(parts)


# ---------------------------------------------------------------------------- staff details


def _local(moment: datetime, status: SyncStatus) -> datetime:
    """A moment in the unit's time zone (from the enrolment), else the PC's."""
    if status.timezone:
        try:
            return moment.astimezone(ZoneInfo(status.timezone))
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return moment.astimezone()


def _when(moment: datetime, status: SyncStatus, now: datetime) -> str:
    return _fill(QCoreApplication.translate("SyncStatus", "%1 (%2)"), _stamp(moment, status),
                 _ago(moment, now))


def _offset_text(seconds: float) -> str:
    sign = "+" if seconds >= 0 else "−"
    size = abs(seconds)
    if size < 120:
        amount = _fill(QCoreApplication.translate("SyncStatus", "%1 s"), f"{size:.0f}")
    elif size < 2 * 3600:
        amount = _fill(QCoreApplication.translate("SyncStatus", "%1 min"), f"{size / 60:.0f}")
    elif size < 2 * 86400:
        amount = _fill(QCoreApplication.translate("SyncStatus", "%1 h"), f"{size / 3600:.0f}")
    else:
        amount = _fill(QCoreApplication.translate("SyncStatus", "%1 días"),
                       f"{size / 86400:,.0f}")
    return sign + amount


def describe_kiosk(status: SyncStatus) -> str:
    """Which kiosk this is: unit, module, number and version (for staff calling support)."""
    if not status.unit_name:
        return _fill(QCoreApplication.translate("SyncStatus", "Versión %1"), status.version)
    return _fill(QCoreApplication.translate("SyncStatus", "%1 (%2) · %3 · kiosco %4 · versión %5"),
                 status.unit_name, status.clues or "", status.module_name or "",
                 str(status.kiosk_number or ""), status.version)


def status_rows(status: SyncStatus, now: datetime) -> list[tuple[str, str]]:
    """The staff screen's table: what, and its value, in plain Spanish."""
    rows = [(QCoreApplication.translate("SyncStatus", "Kiosco"), describe_kiosk(status))]
    if not status.enrolled:
        return rows
    rows.append((
        QCoreApplication.translate("SyncStatus", "Último envío correcto"),
        _when(status.last_success_at, status, now) if status.last_success_at
        else QCoreApplication.translate("SyncStatus", "Todavía ninguno"),
    ))
    waiting = str(status.waiting)
    if status.waiting and status.oldest_waiting_at:
        waiting = _fill(QCoreApplication.translate("SyncStatus", "%1; el más antiguo es del %2"),
                        waiting, _stamp(status.oldest_waiting_at, status))
    rows.append((QCoreApplication.translate("SyncStatus", "Registros por enviar"), waiting))
    rows.append((QCoreApplication.translate("SyncStatus", "Registros apartados por el servidor"),
                 str(status.set_aside)))
    rows.append((
        QCoreApplication.translate("SyncStatus", "Último problema"),
        error_text(status.last_error).capitalize() if status.last_error
        else QCoreApplication.translate("SyncStatus", "Ninguno"),
    ))
    rows.append((
        QCoreApplication.translate("SyncStatus", "Diferencia con la hora del servidor"),
        _offset_text(status.clock_offset_seconds) if status.clock_offset_seconds is not None
        else QCoreApplication.translate("SyncStatus", "Sin dato todavía"),
    ))
    if status.next_attempt_at and not status.revoked and not status.syncing:
        rows.append((QCoreApplication.translate("SyncStatus", "Próximo intento"),
                     _local(status.next_attempt_at, status).strftime("%H:%M")))
    return rows


def set_aside_lines(status: SyncStatus) -> list[str]:
    """One line per listed set-aside record: what it is, when, why (no personal data)."""
    lines = []
    for item in status.set_aside_items:
        kind = RECORD_KINDS.get(item.kind)
        what = kind() if kind else item.kind
        if item.folio:
            what = f"{what} {item.folio}"
        why = REJECTION_REASONS.get(item.reason_code) if item.status == "rejected" else None
        why = why or SET_ASIDE_REASONS.get(item.status, SET_ASIDE_REASONS["rejected"])
        text = _fill(QCoreApplication.translate("SyncStatus", "%1 · %2 · %3"),
                     what, _stamp(item.created_at, status), why())
        if item.detail:
            text += "\n" + _fill(
                QCoreApplication.translate("SyncStatus", "Detalle para soporte: %1"), item.detail)
        lines.append(text)
    more = status.set_aside - len(status.set_aside_items)
    if more > 0:
        lines.append(QCoreApplication.translate("SyncStatus", "y %n más", None, more))
    return lines
