"""What the first-run screen says when registering the kiosk with a code did not work."""

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

#: Per :attr:`kiosk.sync.enrolment.EnrolmentError.code`.
ENROLMENT_PROBLEMS: dict[str, Callable[[], str]] = {
    "token_expired": lambda: QCoreApplication.translate(
        "Enrolment", "El código ya venció. Pida un código nuevo en el tablero (Kioscos)."),
    "token_used": lambda: QCoreApplication.translate(
        "Enrolment", "Este código ya se usó para registrar otro kiosco. Pida un código nuevo "
        "en el tablero (Kioscos)."),
    "invalid_token": lambda: QCoreApplication.translate(
        "Enrolment", "El código no es correcto. Revise cada letra y número e intente de nuevo."),
    "bad_token": lambda: QCoreApplication.translate(
        "Enrolment", "Escriba el código completo: 8 letras y números, por ejemplo ABCD-2345."),
    "rate_limited": lambda: QCoreApplication.translate(
        "Enrolment", "Hubo demasiados intentos con códigos incorrectos. Espere 15 minutos e "
        "intente de nuevo."),
    "unreachable": lambda: QCoreApplication.translate(
        "Enrolment", "No se pudo contactar al servidor. Revise la dirección y la conexión a "
        "la red e intente de nuevo."),
    "bad_url": lambda: QCoreApplication.translate(
        "Enrolment", "La dirección del servidor debe empezar con https://"),
    "enrolled": lambda: QCoreApplication.translate(
        "Enrolment", "Este kiosco ya está registrado."),
    "local": lambda: QCoreApplication.translate(
        "Enrolment", "El kiosco no pudo guardar su registro en el disco. Avise a soporte "
        "técnico."),
}


def enrolment_problem(code: str) -> str:
    problem = ENROLMENT_PROBLEMS.get(code)
    if problem is not None:
        return problem()
    return QCoreApplication.translate(
        "Enrolment", "El servidor no aceptó el registro (código {code}). Avise a soporte "
        "técnico.").format(code=code)


def enrolled_text() -> str:
    return QCoreApplication.translate(
        "Enrolment", "Kiosco registrado con el servidor central. Ya puede usarse.")
