"""Request signing for the kiosk API (Ed25519 via PyNaCl), shared by kiosk and server.

The kiosk signs ``METHOD \\n PATH?QUERY \\n TIMESTAMP \\n NONCE \\n SHA256(body as sent)``.
The timestamp is the kiosk's clock corrected by the offset it learned from the server's
``X-TD-Server-Time`` header, so a kiosk with a clock at 1970 still signs in server time. The
server refuses a timestamp outside its window (expired) and a nonce it has already seen for
that kiosk (replayed).
"""

import base64
import hashlib

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

#: Requests older or newer than this (server time) are refused as expired.
TIMESTAMP_WINDOW_SECONDS = 300


def canonical_request(method: str, path: str, timestamp: int, nonce: str, body: bytes) -> bytes:
    digest = hashlib.sha256(body).hexdigest()
    return f"{method.upper()}\n{path}\n{timestamp}\n{nonce}\n{digest}".encode()


def new_signing_key() -> SigningKey:
    return SigningKey.generate()


def public_key_b64(key: SigningKey) -> str:
    return base64.b64encode(bytes(key.verify_key)).decode("ascii")


def sign(key: SigningKey, message: bytes) -> str:
    return base64.b64encode(key.sign(message).signature).decode("ascii")


def verify(public_key_b64_: str, message: bytes, signature_b64: str) -> bool:
    """True when ``signature_b64`` is a valid signature of ``message``; never raises."""
    try:
        verify_key = VerifyKey(base64.b64decode(public_key_b64_, validate=True))
        verify_key.verify(message, base64.b64decode(signature_b64, validate=True))
    except (BadSignatureError, ValueError, TypeError):
        return False
    return True
