"""Staff PINs, hashed with argon2id (libsodium through PyNaCl, which both programs have).

The central server hashes an agent's PIN when it is set (``trato-central set-staff-pin``) and
sends only the hash down to the kiosks of the agent's unit in the staff roster; the kiosk
hashes its local administrator's PIN at enrolment. Either side verifies with
:func:`verify_pin`. A hash is libsodium's modular string
(``$argon2id$v=19$m=65536,t=2,p=1$salt$hash``): its cost travels with it, and a kiosk refuses
a cost beyond :data:`MAX_MEMORY_KIB` / :data:`MAX_PASSES` (a roster must not be able to make
a kiosk allocate gigabytes), so a bad hash is a wrong PIN, never a crash.

A PIN of six digits has only a million values: the slow hash makes a stolen list costly to
try (about a day of one core per account at the interactive cost), it does not make it safe.
The kiosk therefore also locks an account after a few misses (``kiosk.flow.pin``) and the
hashes never leave the kiosk's store.
"""

import re

from nacl import pwhash
from nacl.exceptions import CryptoError

PIN_MIN_DIGITS = 6
PIN_MAX_DIGITS = 12
#: libsodium's "interactive" cost: about 0.1-0.3 s and 64 MiB per hash on a kiosk PC.
OPSLIMIT = pwhash.argon2id.OPSLIMIT_INTERACTIVE
MEMLIMIT = pwhash.argon2id.MEMLIMIT_INTERACTIVE
#: The most a kiosk spends on one verification (what a hash may ask for).
MAX_MEMORY_KIB = 256 * 1024
MAX_PASSES = 8
MAX_HASH_LENGTH = 255

_HASH_RE = re.compile(
    r"^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,2}),p=(\d{1,2})\$[A-Za-z0-9+/]{11,64}"
    r"\$[A-Za-z0-9+/]{16,128}$"
)
_dummy: bytes | None = None


def pin_problem(pin: str) -> str | None:
    """Why ``pin`` cannot be a staff PIN (a stable code), or None."""
    if not pin.isascii() or not pin.isdigit():
        return "pin_digits_only"
    if not PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS:
        return "pin_length"
    if len(set(pin)) == 1 or pin in "01234567890" or pin in "09876543210":
        return "pin_too_simple"
    return None


def hash_pin(pin: str) -> str:
    """The argon2id hash of a valid PIN (raises ValueError with the problem's code)."""
    problem = pin_problem(pin)
    if problem is not None:
        raise ValueError(problem)
    return pwhash.argon2id.str(pin.encode("ascii"), opslimit=OPSLIMIT,
                               memlimit=MEMLIMIT).decode("ascii")


def is_pin_hash(encoded: object) -> bool:
    """True when ``encoded`` is an argon2id hash within the costs a kiosk accepts."""
    if not isinstance(encoded, str) or len(encoded) > MAX_HASH_LENGTH:
        return False
    match = _HASH_RE.match(encoded)
    if match is None:
        return False
    memory, passes, lanes = (int(g) for g in match.groups())
    return 8 <= memory <= MAX_MEMORY_KIB and 1 <= passes <= MAX_PASSES and lanes == 1


def verify_pin(pin: str, encoded: str | None) -> bool:
    """True when ``pin`` matches ``encoded``. Never raises. Without a usable hash (an unknown
    account, no PIN set) a dummy hash is checked anyway, so the time taken says nothing of
    whether the account exists."""
    usable = is_pin_hash(encoded)
    target = encoded.encode("ascii") if usable and encoded else _dummy_hash()
    try:
        ok = bool(pwhash.verify(target, pin.encode("utf-8")))
    except (CryptoError, ValueError, TypeError):
        ok = False
    return ok and usable


def _dummy_hash() -> bytes:
    global _dummy
    if _dummy is None:
        _dummy = pwhash.argon2id.str(b"no-account", opslimit=OPSLIMIT, memlimit=MEMLIMIT)
    return _dummy
