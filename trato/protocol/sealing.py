"""Sealing personal data at capture (libsodium sealed boxes via PyNaCl).

The kiosk holds only the central server's public key: once sealed, a value cannot be read
back on the kiosk (architecture principle 4). The server opens it with its private key, only
for authorised users, and audits every opening.
"""

import base64
import json
from typing import Any

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox


class SealingError(ValueError):
    """A sealed value that cannot be opened (wrong key or damaged)."""


def seal_json(public_key_b64: str, data: dict[str, Any]) -> str:
    """Seal a JSON object for the holder of the private key; returns base64 text."""
    key = PublicKey(base64.b64decode(public_key_b64, validate=True))
    plaintext = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(SealedBox(key).encrypt(plaintext)).decode("ascii")


def open_json(private_key: PrivateKey, sealed_b64: str) -> dict[str, Any]:
    try:
        plaintext = SealedBox(private_key).decrypt(base64.b64decode(sealed_b64, validate=True))
        value = json.loads(plaintext.decode("utf-8"))
    except (CryptoError, ValueError) as exc:
        raise SealingError("sealed data cannot be opened") from exc
    if not isinstance(value, dict):
        raise SealingError("sealed data is not an object")
    return value


def new_private_key() -> PrivateKey:
    return PrivateKey.generate()


def public_key_b64(private_key: PrivateKey) -> str:
    return base64.b64encode(bytes(private_key.public_key)).decode("ascii")
