"""Validators fuzzed with hypothesis: they never crash, accept exactly the valid values and
report a stable problem code for the rest."""

import string
from datetime import date

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from trato.domain import validators as v

DIGITS = "0123456789"


def _with_separators(text: str, seps: list[str]) -> str:
    out = []
    for i, ch in enumerate(text):
        out.append(ch)
        if i < len(seps):
            out.append(seps[i])
    return "".join(out)


# ---------------------------------------------------------------------------- NSS


@st.composite
def valid_nss(draw: st.DrawFn) -> str:
    payload = draw(st.text(DIGITS, min_size=10, max_size=10))
    return payload + str(v.luhn_check_digit(payload))


@given(valid_nss(), st.lists(st.sampled_from(["", " ", "-", "\u00a0"]), max_size=11))
def test_valid_nss_is_accepted_with_any_separators(nss: str, seps: list[str]) -> None:
    check = v.validate_nss(_with_separators(nss, seps))
    assert check.ok and check.value == nss


@given(valid_nss(), st.integers(0, 10), st.integers(1, 9))
def test_any_single_digit_error_in_an_nss_is_caught(nss: str, pos: int, delta: int) -> None:
    wrong = nss[:pos] + str((int(nss[pos]) + delta) % 10) + nss[pos + 1 :]
    check = v.validate_nss(wrong)
    assert not check.ok and check.problem is not None
    assert check.problem.code == "nss_check_digit"


@given(st.text(DIGITS, min_size=1, max_size=10))
def test_short_nss_says_how_many_digits_are_missing(digits: str) -> None:
    check = v.validate_nss(digits)
    assert check.problem == v.Problem("nss_too_short", {"missing": 11 - len(digits)})


@given(st.text(DIGITS, min_size=12, max_size=30))
def test_long_nss_says_how_many_are_extra(digits: str) -> None:
    check = v.validate_nss(digits)
    assert check.problem == v.Problem("nss_too_long", {"extra": len(digits) - 11})


@given(st.text(max_size=40))
@example("")
@example("١٢٣٤٥٦٧٨٩٠٣")  # Arabic-Indic digits are not NSS digits
@example("1234567890３")  # a full-width digit neither
def test_nss_validator_never_crashes(text: str) -> None:
    check = v.validate_nss(text)
    if check.ok:
        assert len(check.value) == 11 and check.value.isascii() and check.value.isdigit()
        assert v.luhn_check_digit(check.value[:10]) == int(check.value[10])
    else:
        assert check.problem is not None and check.problem.code in {
            "required",
            "nss_digits_only",
            "nss_too_short",
            "nss_too_long",
            "nss_check_digit",
        }


# ---------------------------------------------------------------------------- CURP

CONSONANTS = "BCDFGHJKLMNPQRSTVWXYZ"
UPPER = string.ascii_uppercase


@st.composite
def valid_curp(draw: st.DrawFn) -> str:
    born = draw(st.dates(min_value=date(1930, 1, 1), max_value=date(2029, 12, 31)))
    homoclave = draw(st.sampled_from(DIGITS if born.year < 2000 else UPPER))
    first17 = (
        draw(st.text(UPPER, min_size=4, max_size=4))
        + born.strftime("%y%m%d")
        + draw(st.sampled_from("HMX"))
        + draw(st.sampled_from(sorted(v.CURP_STATES)))
        + draw(st.text(CONSONANTS, min_size=3, max_size=3))
        + homoclave
    )
    return first17 + str(v.curp_check_digit(first17))


@given(valid_curp(), st.booleans())
def test_valid_curp_is_accepted_in_any_case(curp: str, lower: bool) -> None:
    check = v.validate_curp(curp.lower() if lower else curp)
    assert check.ok and check.value == curp


@given(valid_curp())
def test_a_wrong_check_digit_is_caught(curp: str) -> None:
    wrong = curp[:17] + str((int(curp[17]) + 1) % 10)
    assert v.validate_curp(wrong).problem == v.Problem("curp_check_digit")


@given(valid_curp(), st.sampled_from(["AA", "XX", "ZZ"]))
def test_an_unknown_state_is_caught(curp: str, state: str) -> None:
    first17 = curp[:11] + state + curp[13:17]
    assert v.validate_curp(first17 + str(v.curp_check_digit(first17))).problem == v.Problem(
        "curp_state"
    )


def test_impossible_birth_dates_are_caught() -> None:
    first17 = "GOMA" + "800231" + "MDFRRR0"  # 31 February
    assert v.validate_curp(first17 + str(v.curp_check_digit(first17))).problem == v.Problem(
        "curp_birth_date"
    )


@given(st.text(max_size=30))
@example("GOMA800101MDFRRR0")
@example("GOMA800101MDFRRR000")
@example("ÑOMA800101MDFRRR00")
def test_curp_validator_never_crashes(text: str) -> None:
    check = v.validate_curp(text)
    if check.ok:
        assert len(check.value) == 18
        assert v.curp_check_digit(check.value[:17]) == int(check.value[17])
    else:
        assert check.problem is not None and check.problem.code.startswith(("curp_", "required"))


# ---------------------------------------------------------------------------- phone, postal code


@given(st.text(DIGITS, min_size=10, max_size=10), st.booleans(), st.booleans())
def test_phone_accepts_ten_digits_with_or_without_country_code(
    number: str, plus52: bool, spaced: bool
) -> None:
    text = number if not spaced else f"({number[:2]}) {number[2:6]}-{number[6:]}"
    if plus52:
        text = "+52 " + text
    check = v.validate_phone(text)
    assert check.ok and check.value == number


@given(st.text(max_size=30))
def test_phone_validator_never_crashes(text: str) -> None:
    check = v.validate_phone(text)
    if check.ok:
        assert len(check.value) == 10 and check.value.isascii() and check.value.isdigit()
    else:
        assert check.problem is not None and check.problem.code.startswith(("phone_", "required"))


@given(st.integers(1000, 99999))
def test_postal_codes_in_range_are_accepted(number: int) -> None:
    code = f"{number:05d}"
    assert v.validate_postal_code(code).value == code and v.validate_postal_code(code).ok


@given(st.integers(0, 999))
def test_postal_codes_below_01000_are_refused(number: int) -> None:
    assert v.validate_postal_code(f"{number:05d}").problem == v.Problem("postal_code_range")


@given(st.text(max_size=12))
def test_postal_code_validator_never_crashes(text: str) -> None:
    check = v.validate_postal_code(text)
    assert check.ok == (check.problem is None)
    if check.ok:
        assert len(check.value) == 5 and 1000 <= int(check.value) <= 99999


# ---------------------------------------------------------------------------- free text

PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs"))


@given(st.text(PRINTABLE, max_size=300) | st.text(alphabet=st.sampled_from("\n\t"), max_size=5))
@example("😡 مرحبا עולם ꞌ ñ ¿¡")
@example("\u202eRTL override\u202c")  # format characters are text, kept as typed
def test_free_text_within_the_limit_is_kept_exactly(text: str) -> None:
    check = v.validate_free_text(text, max_length=300)
    assert check.ok and check.value == text


@given(st.text(PRINTABLE, min_size=1, max_size=50), st.integers(0, 49))
def test_free_text_over_the_limit_says_by_how_much(text: str, limit: int) -> None:
    assume(len(text) > limit)
    check = v.validate_free_text(text, max_length=limit)
    assert check.problem == v.Problem("text_too_long", {"limit": limit, "extra": len(text) - limit})


@settings(max_examples=50)
@given(st.integers(v.NARRATIVE_MAX + 1, 10_000))
def test_pasting_thousands_of_characters_is_refused_not_truncated(n: int) -> None:
    text = "á" * n
    check = v.validate_free_text(text, max_length=v.NARRATIVE_MAX)
    assert not check.ok and check.value == text
    assert check.problem is not None and check.problem.params["extra"] == n - v.NARRATIVE_MAX


@given(
    st.text(PRINTABLE, max_size=20),
    st.characters(whitelist_categories=("Cc",)),
    st.text(PRINTABLE, max_size=20),
)
def test_control_characters_other_than_newline_and_tab_are_refused(
    before: str, control: str, after: str
) -> None:
    check = v.validate_free_text(before + control + after, max_length=100)
    if control in "\n\t":
        assert check.ok
    else:
        assert check.problem == v.Problem("text_control_character")


@given(st.text(PRINTABLE, max_size=10))
def test_lone_surrogates_are_refused(text: str) -> None:
    check = v.validate_free_text(text + "\ud800", max_length=100)
    assert check.problem == v.Problem("text_invalid_character")


@given(st.text(st.sampled_from(" \n\t"), max_size=10))
def test_required_text_must_have_something_besides_spaces(blank: str) -> None:
    assert v.validate_free_text(blank, max_length=10, required=True).problem == v.Problem(
        "required"
    )


# ---------------------------------------------------------------------------- emoji


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Muy bien 👍🏽", "Muy bien "),
        ("Familia 👨\u200d👩\u200d👧 feliz", "Familia  feliz"),
        ("Te quiero ❤\ufe0f", "Te quiero "),
        ("México 🇲🇽", "México "),
        ("1\ufe0f\u20e3 uno", "1 uno"),
        ("Bien ☺ ✓", "Bien  "),
        ("ꞌñáü ¿¡ क्\u200dष", "ꞌñáü ¿¡ क्\u200dष"),  # a joiner inside a word of a script stays
    ],
)
def test_emoji_are_recognised_and_stripped(typed: str, kept: str) -> None:
    assert v.strip_emoji(typed) == kept
    assert v.validate_free_text(kept, max_length=100, allow_emoji=False).ok


def test_emoji_are_refused_only_where_asked() -> None:
    check = v.validate_free_text("Gracias 🙏", max_length=100, allow_emoji=False)
    assert check.problem == v.Problem("text_emoji")
    # The central server (and any other caller) still accepts them as typed.
    assert v.validate_free_text("Gracias 🙏", max_length=100).ok
