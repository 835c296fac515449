"""Folios: case numbers made on the kiosk, offline, unique without asking the server.

A folio is twelve Crockford base32 characters shown in three groups of four, for example
``3KQ0-1000-04TX``:

* 3 characters: the unit's folio code (assigned by the central server at enrolment);
* 2 characters: the kiosk's number inside its unit;
* 6 characters: the kiosk's sequence number for cases (about a billion per kiosk);
* 1 character: a Luhn mod 32 check character over the eleven before it.

Kiosk number 0 (``00``) of every unit is never given to a kiosk: enrolment numbers a unit's
kiosks from 1. It is the central server's own namespace: a case an agent registers on the web
(the 800 line, a module without a kiosk) gets ``unit code + 00 + the server's sequence for the
unit``, so a server folio can never equal a kiosk's (docs/adr/0006-server-folios.md).

Crockford's alphabet has no I, L, O or U, so nothing looks alike when read aloud or typed;
parsing accepts lower case and maps I/L to 1 and O to 0 as Crockford specifies.
"""

from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_BASE = len(ALPHABET)
UNIT_CODE_LEN = 3
KIOSK_CODE_LEN = 2
SEQUENCE_LEN = 6
FOLIO_LEN = UNIT_CODE_LEN + KIOSK_CODE_LEN + SEQUENCE_LEN + 1
MAX_UNIT_NUMBER = _BASE**UNIT_CODE_LEN - 1
MAX_KIOSK_NUMBER = _BASE**KIOSK_CODE_LEN - 1
MAX_SEQUENCE = _BASE**SEQUENCE_LEN - 1
#: The kiosk number of the central server's own folios in every unit (never enrolled).
SERVER_KIOSK_NUMBER = 0
_ALIASES = {"I": "1", "L": "1", "O": "0"}


class FolioError(ValueError):
    """A folio that cannot be made or read."""


@dataclass(frozen=True)
class Folio:
    unit_number: int
    kiosk_number: int
    sequence: int

    @property
    def compact(self) -> str:
        body = (
            encode(self.unit_number, UNIT_CODE_LEN)
            + encode(self.kiosk_number, KIOSK_CODE_LEN)
            + encode(self.sequence, SEQUENCE_LEN)
        )
        return body + check_character(body)

    def __str__(self) -> str:
        c = self.compact
        return f"{c[0:4]}-{c[4:8]}-{c[8:12]}"


def encode(number: int, width: int) -> str:
    if number < 0 or number >= _BASE**width:
        raise FolioError(f"{number} does not fit in {width} base32 characters")
    chars = []
    for _ in range(width):
        number, rem = divmod(number, _BASE)
        chars.append(ALPHABET[rem])
    return "".join(reversed(chars))


def decode(text: str) -> int:
    value = 0
    for ch in text:
        value = value * _BASE + ALPHABET.index(ch)
    return value


def check_character(body: str) -> str:
    """Luhn mod N (N = 32) check character: catches every single-character error and
    every transposition of adjacent characters except "0Z" <-> "Z0" (Luhn's own blind
    spot, as "09" <-> "90" is for decimal Luhn)."""
    factor = 2
    total = 0
    for ch in reversed(body):
        addend = factor * ALPHABET.index(ch)
        factor = 1 if factor == 2 else 2
        total += addend // _BASE + addend % _BASE
    return ALPHABET[(_BASE - total % _BASE) % _BASE]


def make_folio(*, unit_number: int, kiosk_number: int, sequence: int) -> Folio:
    if not 0 <= unit_number <= MAX_UNIT_NUMBER:
        raise FolioError("unit number out of range")
    if not 0 <= kiosk_number <= MAX_KIOSK_NUMBER:
        raise FolioError("kiosk number out of range")
    if not 0 <= sequence <= MAX_SEQUENCE:
        raise FolioError("sequence out of range")
    return Folio(unit_number=unit_number, kiosk_number=kiosk_number, sequence=sequence)


def normalise(text: str) -> str:
    """Upper-case, drop separators, map Crockford look-alikes; does not validate."""
    out = []
    for ch in text.upper():
        if ch in " -._\u00a0":
            continue
        out.append(_ALIASES.get(ch, ch))
    return "".join(out)


def parse_folio(text: str) -> Folio:
    """Read a folio as a person typed or dictated it; raises :class:`FolioError`."""
    compact = normalise(text)
    if len(compact) != FOLIO_LEN or any(ch not in ALPHABET for ch in compact):
        raise FolioError("not a folio")
    body, check = compact[:-1], compact[-1]
    if check_character(body) != check:
        raise FolioError("check character does not match")
    return Folio(
        unit_number=decode(body[0:3]),
        kiosk_number=decode(body[3:5]),
        sequence=decode(body[5:11]),
    )


def is_server_folio(folio: Folio) -> bool:
    """True for a folio the central server made (web and 800 line), not a kiosk."""
    return folio.kiosk_number == SERVER_KIOSK_NUMBER
