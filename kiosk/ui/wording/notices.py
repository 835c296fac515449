"""What the kiosk tells the staff in the banner, what a person reads when a record could not
be saved, and the staff PIN messages. Never personal data."""

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

#: Staff banner per condition code (``KnownError.code``, notifier codes, start-up states).
STAFF_NOTICES: dict[str, Callable[[], str]] = {
    "storage_full": lambda: QCoreApplication.translate(
        "StaffNotices",
        "Personal: el disco del kiosco está lleno; no se pueden guardar registros."),
    "storage_read_only": lambda: QCoreApplication.translate(
        "StaffNotices", "Personal: la carpeta de datos del kiosco es de solo lectura."),
    "storage_busy": lambda: QCoreApplication.translate(
        "StaffNotices", "Personal: la base de datos del kiosco está ocupada."),
    "not_enrolled": lambda: QCoreApplication.translate(
        "StaffNotices", "Personal: este kiosco no está dado de alta (trato-kiosk enroll)."),
    "startup_failed": lambda: QCoreApplication.translate(
        "StaffNotices",
        "Personal: el kiosco no terminó de iniciar; revise la configuración y el registro."),
    "database_quarantined": lambda: QCoreApplication.translate(
        "StaffNotices",
        "Personal: la base de datos estaba dañada. Se apartó sin borrarla y el kiosco "
        "empezó con una nueva. Avise a soporte técnico."),
}


def staff_notice(code: str, *, recovered: int = 0) -> str:
    """The banner for ``code``; ``recovered`` counts records copied out of a damaged store."""
    notice = STAFF_NOTICES.get(code)
    text = notice() if notice else QCoreApplication.translate(
        "StaffNotices", "Personal: falla del kiosco (código {code}).").format(code=code)
    if code == "database_quarantined" and recovered:
        text += " " + QCoreApplication.translate(
            "StaffNotices", "Se recuperaron {n} registros del archivo dañado.").format(n=recovered)
    return text


def save_failed_text() -> str:
    """What a person reads when a record could not be saved (nothing was)."""
    return QCoreApplication.translate(
        "StaffNotices",
        "No pudimos guardar su respuesta. No se registró nada. "
        "Por favor avise al personal del módulo.")


def pin_wrong_text() -> str:
    return QCoreApplication.translate("StaffNotices", "PIN incorrecto. Intente de nuevo.")


def pin_wait_text(minutes: int) -> str:
    if minutes == 1:
        return QCoreApplication.translate(
            "StaffNotices",
            "Demasiados intentos con un PIN incorrecto. Espere 1 minuto e intente de nuevo.")
    return QCoreApplication.translate(
        "StaffNotices",
        "Demasiados intentos con un PIN incorrecto. Espere {n} minutos e intente de nuevo.",
    ).format(n=minutes)


def sync_unavailable_text() -> str:
    return QCoreApplication.translate(
        "StaffNotices", "Sincronización no disponible: el kiosco no está dado de alta.")
