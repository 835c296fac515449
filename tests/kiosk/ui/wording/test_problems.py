"""Every validation problem code has its own plain-Spanish sentence."""

from kiosk.ui.wording.problems import problem_text
from trato.domain.validators import Problem


def test_every_problem_code_has_a_plain_spanish_message() -> None:
    codes = [
        "required",
        "nss_digits_only",
        "nss_too_short",
        "nss_too_long",
        "nss_check_digit",
        "curp_too_short",
        "curp_too_long",
        "curp_pattern",
        "curp_birth_date",
        "curp_state",
        "curp_check_digit",
        "phone_digits_only",
        "phone_too_short",
        "phone_too_long",
        "postal_code_digits_only",
        "postal_code_length",
        "postal_code_range",
        "email_pattern",
        "text_too_long",
        "text_invalid_character",
        "text_control_character",
        "folio_character",
        "folio_too_short",
        "folio_too_long",
        "folio_check",
    ]
    generic = problem_text(Problem("no_such_code"))
    for code in codes:
        text = problem_text(Problem(code, {"missing": 2, "extra": 2, "limit": 10}))
        assert text and text != generic, code
    assert problem_text(Problem("curp_too_short", {"missing": 2})).endswith("faltan 2.")
    assert problem_text(Problem("folio_too_short", {"missing": 1})).endswith("falta 1.")
