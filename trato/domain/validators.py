"""Validators for what a person types: NSS, CURP, phone, postal code and free text.

Each validator is pure and returns a :class:`Check`: either ``ok`` or a :class:`Problem` with a
stable ``code`` and parameters. The UI turns a problem into a plain-Spanish sentence through the
translation system (``kiosk.ui.messages``); nothing here is shown to a person verbatim.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

NSS_LENGTH = 11
CURP_LENGTH = 18
PHONE_LENGTH = 10
POSTAL_CODE_LENGTH = 5

#: Default limits for free text (characters as a person counts them: code points).
NARRATIVE_MAX = 4000
SHORT_TEXT_MAX = 200
COMMENT_MAX = 1000

_CURP_RE = re.compile(r"^[A-Z]{4}\d{6}[HMX][A-Z]{2}[B-DF-HJ-NP-TV-Z]{3}[0-9A-Z]\d$")
_CURP_ALPHABET = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ"
CURP_STATES = frozenset(
    "AS BC BS CC CL CM CS CH DF DG GT GR HG JC MC MN MS NT NL OC PL QT QR SP SL SR TC TS TL VZ "
    "YN ZS NE".split()
)
_EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
#: Characters allowed in free text although they are control characters.
_ALLOWED_CONTROLS = frozenset("\n\t")


@dataclass(frozen=True)
class Problem:
    """Why a value was refused; ``code`` is stable, ``params`` fill the message."""

    code: str
    params: dict[str, int | str] = field(default_factory=dict)


@dataclass(frozen=True)
class Check:
    """Result of validating one value. ``value`` is the normalised value when ``ok``."""

    value: str
    problem: Problem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _fail(value: str, code: str, **params: int | str) -> Check:
    return Check(value=value, problem=Problem(code=code, params=params))


def digits_only(text: str) -> str:
    """Keep ASCII digits, dropping spaces and hyphens people type between groups."""
    return "".join(ch for ch in text if ch in "0123456789")


def luhn_check_digit(payload: str) -> int:
    """Luhn check digit for a string of decimal digits."""
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def _strip_separators(text: str) -> str:
    return "".join(ch for ch in text if ch not in " -\u00a0")


def validate_nss(text: str) -> Check:
    """Número de Seguridad Social: 11 digits, the last a Luhn check digit over the first 10."""
    raw = _strip_separators(text)
    if not raw:
        return _fail(raw, "required")
    if not raw.isascii() or not raw.isdigit():
        return _fail(raw, "nss_digits_only")
    if len(raw) < NSS_LENGTH:
        return _fail(raw, "nss_too_short", missing=NSS_LENGTH - len(raw))
    if len(raw) > NSS_LENGTH:
        return _fail(raw, "nss_too_long", extra=len(raw) - NSS_LENGTH)
    if luhn_check_digit(raw[:10]) != int(raw[10]):
        return _fail(raw, "nss_check_digit")
    return Check(value=raw)


def curp_check_digit(first17: str) -> int:
    """RENAPO's check digit over the first 17 characters of a CURP."""
    total = sum(_CURP_ALPHABET.index(ch) * (18 - i) for i, ch in enumerate(first17))
    return (10 - total % 10) % 10


def validate_curp(text: str) -> Check:
    """Clave Única de Registro de Población: pattern, birth date, state and check digit."""
    raw = _strip_separators(text).upper()
    if not raw:
        return _fail(raw, "required")
    if len(raw) < CURP_LENGTH:
        return _fail(raw, "curp_too_short", missing=CURP_LENGTH - len(raw))
    if len(raw) > CURP_LENGTH:
        return _fail(raw, "curp_too_long", extra=len(raw) - CURP_LENGTH)
    if not _CURP_RE.match(raw):
        return _fail(raw, "curp_pattern")
    yy, mm, dd = int(raw[4:6]), int(raw[6:8]), int(raw[8:10])
    # Position 17 is a digit for people born before 2000 and a letter after.
    century = 1900 if raw[16].isdigit() else 2000
    try:
        date(century + yy, mm, dd)
    except ValueError:
        return _fail(raw, "curp_birth_date")
    if raw[11:13] not in CURP_STATES:
        return _fail(raw, "curp_state")
    if curp_check_digit(raw[:17]) != int(raw[17]):
        return _fail(raw, "curp_check_digit")
    return Check(value=raw)


def validate_phone(text: str) -> Check:
    """Mexican phone number: 10 digits (national numbering since 2019), optional +52."""
    raw = _strip_separators(text).replace("(", "").replace(")", "")
    if not raw:
        return _fail(raw, "required")
    if raw.startswith("+52"):
        raw = raw[3:]
    if not raw.isascii() or not raw.isdigit():
        return _fail(raw, "phone_digits_only")
    if len(raw) < PHONE_LENGTH:
        return _fail(raw, "phone_too_short", missing=PHONE_LENGTH - len(raw))
    if len(raw) > PHONE_LENGTH:
        return _fail(raw, "phone_too_long", extra=len(raw) - PHONE_LENGTH)
    return Check(value=raw)


def validate_postal_code(text: str) -> Check:
    """Código postal: 5 digits; Mexican codes run from 01000 to 99999."""
    raw = _strip_separators(text)
    if not raw:
        return _fail(raw, "required")
    if not raw.isascii() or not raw.isdigit():
        return _fail(raw, "postal_code_digits_only")
    if len(raw) != POSTAL_CODE_LENGTH:
        return _fail(raw, "postal_code_length", length=POSTAL_CODE_LENGTH)
    if int(raw) < 1000:
        return _fail(raw, "postal_code_range")
    return Check(value=raw)


def validate_email(text: str) -> Check:
    raw = text.strip()
    if not raw:
        return _fail(raw, "required")
    if len(raw) > 254 or not _EMAIL_RE.match(raw):
        return _fail(raw, "email_pattern")
    return Check(value=raw)


#: Code points that are emoji, or only parts of emoji sequences (ranges, inclusive): the
#: pictographic planes, miscellaneous symbols and dingbats, the emoji among technical
#: symbols and arrows, the emoji-presentation selector, the keycap and the tag characters.
EMOJI_RANGES = (
    (0x1F000, 0x1FAFF),
    (0x2600, 0x27BF),
    (0x231A, 0x231B),
    (0x2328, 0x2328),
    (0x23CF, 0x23CF),
    (0x23E9, 0x23F3),
    (0x23F8, 0x23FA),
    (0x2B05, 0x2B07),
    (0x2B1B, 0x2B1C),
    (0x2B50, 0x2B50),
    (0x2B55, 0x2B55),
    (0xFE0F, 0xFE0F),
    (0x20E3, 0x20E3),
    (0xE0020, 0xE007F),
)
_ZWJ = "\u200d"


def is_emoji(ch: str) -> bool:
    """True for a code point that is an emoji or part of an emoji sequence."""
    code = ord(ch)
    return any(low <= code <= high for low, high in EMOJI_RANGES)


def strip_emoji(text: str) -> str:
    """``text`` without emoji, nor the zero-width joiners that tied them together (a joiner
    between letters, as some scripts use it, stays)."""
    out: list[str] = []
    for i, ch in enumerate(text):
        if is_emoji(ch):
            continue
        if ch == _ZWJ and (
            (i > 0 and is_emoji(text[i - 1])) or (i + 1 < len(text) and is_emoji(text[i + 1]))
        ):
            continue
        out.append(ch)
    return "".join(out)


def validate_free_text(
    text: str, *, max_length: int, required: bool = False, allow_emoji: bool = True
) -> Check:
    """Free text: any script, emoji and right-to-left text are fine and stored as typed.

    Refused: control characters other than newline and tab (they corrupt displays and
    exports), lone surrogates, and more than ``max_length`` characters. With
    ``allow_emoji=False`` emoji are refused too (``text_emoji``): the kiosk's bundled font
    cannot draw them, and it will not show a person an empty box for what they typed. The
    central server accepts them (records from any kiosk version stay valid).
    """
    if required and not text.strip():
        return _fail(text, "required")
    length = len(text)
    if length > max_length:
        return _fail(text, "text_too_long", limit=max_length, extra=length - max_length)
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Cs":
            return _fail(text, "text_invalid_character")
        if category == "Cc" and ch not in _ALLOWED_CONTROLS:
            return _fail(text, "text_control_character")
        if not allow_emoji and is_emoji(ch):
            return _fail(text, "text_emoji")
    return Check(value=text)


_DATE_SEPARATORS = re.compile(r"[\s/.\-]+")


def validate_date(text: str) -> Check:
    """A day as people write it in Mexico, day first: ``2/3/2026``, ``02-03-2026``,
    ``02.03.26`` or eight digits ``02032026`` (what a numeric keypad types). The value is the
    ISO date (``2026-03-02``); a two-digit year is 20YY."""
    raw = text.strip()
    if not raw:
        return _fail(raw, "required")
    parts = [p for p in _DATE_SEPARATORS.split(raw) if p]
    if len(parts) == 1 and parts[0].isascii() and parts[0].isdigit():
        digits = parts[0]
        if len(digits) < 8:
            return _fail(raw, "date_too_short", missing=8 - len(digits))
        parts = [digits[:2], digits[2:4], digits[4:]]
    if len(parts) != 3 or not all(p.isascii() and p.isdigit() for p in parts) \
            or len(parts[2]) not in (2, 4) or len(parts[0]) > 2 or len(parts[1]) > 2:
        return _fail(raw, "date_pattern")
    day, month, year = (int(p) for p in parts)
    if year < 100:
        year += 2000
    try:
        value = date(year, month, day)
    except ValueError:
        return _fail(raw, "date_invalid")
    return Check(value=value.isoformat())


def validate_time(text: str) -> Check:
    """A time of day on the 24-hour clock: ``9:30``, ``09.30``, ``0930`` or ``930``. The value
    is ``HH:MM``."""
    raw = text.strip()
    if not raw:
        return _fail(raw, "required")
    parts = [p for p in re.split(r"[\s:.h]+", raw) if p]
    if len(parts) == 1 and parts[0].isascii() and parts[0].isdigit() and len(parts[0]) in (3, 4):
        parts = [parts[0][:-2], parts[0][-2:]]
    elif len(parts) == 1 and parts[0].isascii() and parts[0].isdigit() and len(parts[0]) <= 2:
        parts = [parts[0], "00"]
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() and len(p) <= 2 for p in parts):
        return _fail(raw, "time_pattern")
    hour, minute = int(parts[0]), int(parts[1])
    if hour > 23 or minute > 59:
        return _fail(raw, "time_invalid")
    return Check(value=f"{hour:02d}:{minute:02d}")
