"""Signed updates, the part both programs share: the TUF keys (Ed25519 through PyNaCl, so
neither program needs pyca/cryptography), the names of the published bundles, and the
rollout offer a kiosk receives, signed with the repository's targets key.

The central server publishes each kiosk build as a TUF target (python-tuf's metadata API,
:mod:`central.updates`); the kiosk verifies metadata and bytes with python-tuf's client
(:mod:`kiosk.sync.updater`). Which published version a kiosk may install is the rollout the
board stages for a branch; the server hands it over as an :class:`UpdateOffer` signed by the
targets key, which the kiosk checks against the key its trusted TUF root names for the
``targets`` role. An offer nobody signed, or one for another kiosk, is refused.
"""

import json
import re
from typing import Any, get_args

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey
from pydantic import BaseModel, ConfigDict
from securesystemslib.exceptions import UnverifiedSignatureError, VerificationError
from securesystemslib.signer import (
    KEY_FOR_TYPE_AND_SCHEME,
    Key,
    SecretsHandler,
    Signature,
    Signer,
    SSlibKey,
)
from securesystemslib.signer._utils import compute_default_keyid

from trato.protocol.wire import Platform

ED25519 = "ed25519"
#: A published version: what ``kiosk.__version__`` looks like (PEP 440's common subset).
VERSION_RE = re.compile(r"^[0-9]+(\.[0-9]+){1,3}([a-z]+[0-9]+)?$")
TARGET_PREFIX = "trato-kiosk-"
TARGET_SUFFIX = ".tar.gz"
#: The platforms a kiosk build is published for. A Linux build's target keeps the name it
#: had before Windows builds were published (``trato-kiosk-0.2.0.tar.gz``); a Windows build's
#: is ``trato-kiosk-0.2.0-windows.tar.gz``. A kiosk names its platform when it asks for its
#: offer (``?platform=``; none: linux, what kiosks before Windows updates run).
LINUX = "linux"
WINDOWS = "windows"
PLATFORMS: tuple[str, ...] = get_args(Platform)
#: Where the central server serves the TUF repository (metadata/ and targets/ below it).
UPDATES_PATH = "/updates"
OFFER_PATH = "/api/v1/updates/offer"


class NaclKey(SSlibKey):
    """An Ed25519 TUF key verified with PyNaCl (libsodium) instead of pyca/cryptography."""

    def verify_signature(self, signature: Signature, data: bytes) -> None:
        if signature.keyid != self.keyid:
            raise VerificationError(f"signature by {signature.keyid}, not {self.keyid}")
        try:
            VerifyKey(bytes.fromhex(self.keyval["public"])).verify(
                data, bytes.fromhex(signature.signature))
        except BadSignatureError as exc:
            raise UnverifiedSignatureError(f"bad signature by {self.keyid}") from exc
        except (ValueError, TypeError, KeyError) as exc:
            raise VerificationError(f"unusable key or signature {self.keyid}") from exc


def register_keys() -> None:
    """Verify every ed25519 TUF key with :class:`NaclKey` (idempotent; call before parsing)."""
    KEY_FOR_TYPE_AND_SCHEME[(ED25519, ED25519)] = NaclKey


register_keys()


def public_key(verify_key: VerifyKey) -> NaclKey:
    keyval = {"public": bytes(verify_key).hex()}
    keyid = compute_default_keyid(ED25519, ED25519, keyval)
    return NaclKey(keyid, ED25519, ED25519, keyval)


class NaclSigner(Signer):
    """Signs TUF metadata (and offers) with a PyNaCl Ed25519 signing key."""

    def __init__(self, key: SigningKey) -> None:
        self._key = key
        self._public = public_key(key.verify_key)

    @property
    def public_key(self) -> Key:
        return self._public

    def sign(self, payload: bytes) -> Signature:
        return Signature(self._public.keyid, self._key.sign(payload).signature.hex())

    @classmethod
    def from_priv_key_uri(cls, priv_key_uri: str, public_key: Key,
                          secrets_handler: SecretsHandler | None = None) -> "NaclSigner":
        raise NotImplementedError("keys are loaded by central.updates.keys")


def target_name(version: str, platform: str = LINUX) -> str:
    """The published file of ``version``'s build for ``platform``."""
    if platform not in PLATFORMS:
        raise ValueError(f"unknown platform {platform!r}")
    tail = "" if platform == LINUX else f"-{platform}"
    return f"{TARGET_PREFIX}{version}{tail}{TARGET_SUFFIX}"


def version_key(version: str) -> tuple[int, ...]:
    """Order of versions by their numbers (``0.10.0`` after ``0.9.1``)."""
    return tuple(int(part) for part in re.findall(r"[0-9]+", version))


class UpdateOffer(BaseModel):
    """The version a kiosk may install now (``version`` None: stay on what it runs)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kiosk_id: str
    version: str | None
    target: str | None
    keyid: str = ""
    signature: str = ""

    def payload(self) -> bytes:
        body: dict[str, Any] = {"kiosk_id": self.kiosk_id, "version": self.version,
                                "target": self.target}
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sign_offer(signer: NaclSigner, kiosk_id: str, version: str | None,
               platform: str = LINUX) -> UpdateOffer:
    unsigned = UpdateOffer(kiosk_id=kiosk_id, version=version,
                           target=target_name(version, platform) if version else None)
    signature = signer.sign(unsigned.payload())
    return unsigned.model_copy(update={"keyid": signature.keyid,
                                       "signature": signature.signature})


def verify_offer(offer: UpdateOffer, keys: dict[str, Key], kiosk_id: str,
                 platform: str = LINUX) -> bool:
    """The offer names this kiosk, the build for its platform, and carries a good signature
    by one of ``keys`` (the targets role's keys of the trusted root)."""
    key = keys.get(offer.keyid)
    if key is None or offer.kiosk_id != kiosk_id:
        return False
    if offer.version is not None and (
            not VERSION_RE.match(offer.version)
            or offer.target != target_name(offer.version, platform)):
        return False
    try:
        key.verify_signature(Signature(offer.keyid, offer.signature), offer.payload())
    except (UnverifiedSignatureError, VerificationError):
        return False
    return True
