"""Plain-Spanish sentences for validation problems (``Problem.code`` -> text).

The domain validators return stable codes; these tables turn them into what a person reads.
Plurals are chosen here because the counts are small: a counted problem has a sentence for
one and one for several (``{n}``).
"""

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from trato.domain.validators import Problem

FIXED: dict[str, Callable[[], str]] = {
    "required": lambda: QCoreApplication.translate("Messages", "Este dato es necesario."),
    "nss_digits_only": lambda: QCoreApplication.translate("Messages", "El NSS lleva solo números."),
    "nss_check_digit": lambda: QCoreApplication.translate(
        "Messages", "Este NSS no es válido. Revise que los números estén bien escritos."),
    "curp_pattern": lambda: QCoreApplication.translate(
        "Messages", "La CURP no tiene la forma correcta. Revise letras y números."),
    "curp_birth_date": lambda: QCoreApplication.translate(
        "Messages", "La fecha de nacimiento dentro de la CURP no es válida."),
    "curp_state": lambda: QCoreApplication.translate(
        "Messages", "El estado de nacimiento dentro de la CURP no es válido."),
    "curp_check_digit": lambda: QCoreApplication.translate(
        "Messages", "Esta CURP no es válida. Revise que esté bien escrita."),
    "phone_digits_only": lambda: QCoreApplication.translate(
        "Messages", "El teléfono lleva solo números."),
    "postal_code_digits_only": lambda: QCoreApplication.translate(
        "Messages", "El código postal lleva solo números."),
    "postal_code_length": lambda: QCoreApplication.translate(
        "Messages", "El código postal tiene 5 números."),
    "postal_code_range": lambda: QCoreApplication.translate(
        "Messages", "Este código postal no existe en México."),
    "email_pattern": lambda: QCoreApplication.translate(
        "Messages", "El correo debe tener la forma nombre@ejemplo.com."),
    "text_invalid_character": lambda: QCoreApplication.translate(
        "Messages", "Quitamos un carácter que no se puede guardar."),
    "text_control_character": lambda: QCoreApplication.translate(
        "Messages", "Quitamos un carácter de control que no se puede guardar."),
    "text_emoji": lambda: QCoreApplication.translate(
        "Messages", "Quitamos los emojis: aquí solo se pueden escribir letras, números y signos."),
    "folio_character": lambda: QCoreApplication.translate(
        "Messages", "El folio lleva solo números y letras (sin la U). Revise lo que escribió."),
    "folio_check": lambda: QCoreApplication.translate(
        "Messages",
        "Este folio tiene un error: algún carácter está mal escrito o cambiado de lugar. "
        "Compárelo con su comprobante."),
    "date_pattern": lambda: QCoreApplication.translate(
        "Messages", "Escriba la fecha con día, mes y año, por ejemplo 02/03/2026."),
    "date_invalid": lambda: QCoreApplication.translate(
        "Messages", "Esa fecha no existe. Revise el día y el mes."),
    "time_pattern": lambda: QCoreApplication.translate(
        "Messages", "Escriba la hora con horas y minutos, por ejemplo 09:30 o 1745."),
    "time_invalid": lambda: QCoreApplication.translate(
        "Messages", "Esa hora no existe: las horas van de 00 a 23 y los minutos de 00 a 59."),
}

#: code -> (the parameter holding the count, sentence for 1, sentence for {n}).
COUNTED: dict[str, tuple[str, Callable[[], str], Callable[[], str]]] = {
    "nss_too_short": (
        "missing",
        lambda: QCoreApplication.translate("Messages", "El NSS tiene 11 números; falta 1."),
        lambda: QCoreApplication.translate("Messages", "El NSS tiene 11 números; faltan {n}."),
    ),
    "nss_too_long": (
        "extra",
        lambda: QCoreApplication.translate("Messages", "El NSS tiene 11 números; sobra 1."),
        lambda: QCoreApplication.translate("Messages", "El NSS tiene 11 números; sobran {n}."),
    ),
    "curp_too_short": (
        "missing",
        lambda: QCoreApplication.translate("Messages", "La CURP tiene 18 caracteres; falta 1."),
        lambda: QCoreApplication.translate(
            "Messages", "La CURP tiene 18 caracteres; faltan {n}."),
    ),
    "curp_too_long": (
        "extra",
        lambda: QCoreApplication.translate("Messages", "La CURP tiene 18 caracteres; sobra 1."),
        lambda: QCoreApplication.translate(
            "Messages", "La CURP tiene 18 caracteres; sobran {n}."),
    ),
    "phone_too_short": (
        "missing",
        lambda: QCoreApplication.translate("Messages", "El teléfono tiene 10 números; falta 1."),
        lambda: QCoreApplication.translate(
            "Messages", "El teléfono tiene 10 números; faltan {n}."),
    ),
    "folio_too_short": (
        "missing",
        lambda: QCoreApplication.translate("Messages", "El folio tiene 12 caracteres; falta 1."),
        lambda: QCoreApplication.translate(
            "Messages", "El folio tiene 12 caracteres; faltan {n}."),
    ),
    "folio_too_long": (
        "extra",
        lambda: QCoreApplication.translate("Messages", "El folio tiene 12 caracteres; sobra 1."),
        lambda: QCoreApplication.translate(
            "Messages", "El folio tiene 12 caracteres; sobran {n}."),
    ),
    "date_too_short": (
        "missing",
        lambda: QCoreApplication.translate(
            "Messages", "Con solo números, la fecha lleva 8 (DDMMAAAA); falta 1."),
        lambda: QCoreApplication.translate(
            "Messages", "Con solo números, la fecha lleva 8 (DDMMAAAA); faltan {n}."),
    ),
    "phone_too_long": (
        "extra",
        lambda: QCoreApplication.translate("Messages", "El teléfono tiene 10 números; sobra 1."),
        lambda: QCoreApplication.translate(
            "Messages", "El teléfono tiene 10 números; sobran {n}."),
    ),
}


def _n(value: int | str | None) -> int:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0


def problem_text(problem: Problem) -> str:
    code = problem.code
    if code in FIXED:
        return FIXED[code]()
    if code in COUNTED:
        param, one, several = COUNTED[code]
        n = _n(problem.params.get(param))
        return one() if n == 1 else several().format(n=n)
    if code == "text_too_long":
        return QCoreApplication.translate(
            "Messages", "Caben hasta {limit} caracteres; el texto se recortó."
        ).format(limit=_n(problem.params.get("limit")))
    return QCoreApplication.translate("Messages", "Revise este dato.")
