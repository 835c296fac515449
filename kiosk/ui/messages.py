"""Plain-Spanish sentences for validation problems (``Problem.code`` -> text).

The domain validators return stable codes; this table turns them into what a person reads,
through Qt's translation system. Plurals are chosen here because the counts are small.
"""

from PySide6.QtCore import QCoreApplication

from trato.domain.validators import Problem


def _n(value: int | str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def problem_text(problem: Problem) -> str:
    p = problem.params
    code = problem.code
    if code == "required":
        return QCoreApplication.translate("Messages", "Este dato es necesario.")
    if code == "nss_digits_only":
        return QCoreApplication.translate("Messages", "El NSS lleva solo números.")
    if code == "nss_too_short":
        n = _n(p.get("missing"))
        if n == 1:
            return QCoreApplication.translate("Messages", "El NSS tiene 11 números; falta 1.")
        return QCoreApplication.translate(
            "Messages", "El NSS tiene 11 números; faltan {n}."
        ).format(n=n)
    if code == "nss_too_long":
        n = _n(p.get("extra"))
        if n == 1:
            return QCoreApplication.translate("Messages", "El NSS tiene 11 números; sobra 1.")
        return QCoreApplication.translate(
            "Messages", "El NSS tiene 11 números; sobran {n}."
        ).format(n=n)
    if code == "nss_check_digit":
        return QCoreApplication.translate(
            "Messages", "Este NSS no es válido. Revise que los números estén bien escritos."
        )
    if code == "curp_too_short":
        n = _n(p.get("missing"))
        if n == 1:
            return QCoreApplication.translate("Messages", "La CURP tiene 18 caracteres; falta 1.")
        return QCoreApplication.translate(
            "Messages", "La CURP tiene 18 caracteres; faltan {n}."
        ).format(n=n)
    if code == "curp_too_long":
        n = _n(p.get("extra"))
        if n == 1:
            return QCoreApplication.translate("Messages", "La CURP tiene 18 caracteres; sobra 1.")
        return QCoreApplication.translate(
            "Messages", "La CURP tiene 18 caracteres; sobran {n}."
        ).format(n=n)
    if code == "curp_pattern":
        return QCoreApplication.translate(
            "Messages", "La CURP no tiene la forma correcta. Revise letras y números."
        )
    if code == "curp_birth_date":
        return QCoreApplication.translate(
            "Messages", "La fecha de nacimiento dentro de la CURP no es válida."
        )
    if code == "curp_state":
        return QCoreApplication.translate(
            "Messages", "El estado de nacimiento dentro de la CURP no es válido."
        )
    if code == "curp_check_digit":
        return QCoreApplication.translate(
            "Messages", "Esta CURP no es válida. Revise que esté bien escrita."
        )
    if code == "phone_digits_only":
        return QCoreApplication.translate("Messages", "El teléfono lleva solo números.")
    if code == "phone_too_short":
        n = _n(p.get("missing"))
        if n == 1:
            return QCoreApplication.translate("Messages", "El teléfono tiene 10 números; falta 1.")
        return QCoreApplication.translate(
            "Messages", "El teléfono tiene 10 números; faltan {n}."
        ).format(n=n)
    if code == "phone_too_long":
        n = _n(p.get("extra"))
        if n == 1:
            return QCoreApplication.translate("Messages", "El teléfono tiene 10 números; sobra 1.")
        return QCoreApplication.translate(
            "Messages", "El teléfono tiene 10 números; sobran {n}."
        ).format(n=n)
    if code == "postal_code_digits_only":
        return QCoreApplication.translate("Messages", "El código postal lleva solo números.")
    if code == "postal_code_length":
        return QCoreApplication.translate("Messages", "El código postal tiene 5 números.")
    if code == "postal_code_range":
        return QCoreApplication.translate("Messages", "Este código postal no existe en México.")
    if code == "email_pattern":
        return QCoreApplication.translate(
            "Messages", "El correo debe tener la forma nombre@ejemplo.com."
        )
    if code == "text_too_long":
        return QCoreApplication.translate(
            "Messages", "Caben hasta {limit} caracteres; el texto se recortó."
        ).format(limit=_n(p.get("limit")))
    if code == "text_invalid_character":
        return QCoreApplication.translate(
            "Messages", "Quitamos un carácter que no se puede guardar."
        )
    if code == "text_control_character":
        return QCoreApplication.translate(
            "Messages", "Quitamos un carácter de control que no se puede guardar."
        )
    return QCoreApplication.translate("Messages", "Revise este dato.")
