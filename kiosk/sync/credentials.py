"""The kiosk's credentials: its id, its Ed25519 signing key and the server it belongs to.

They live in a small JSON file in ``settings.credentials_dir``, OUTSIDE the database the kiosk
syncs (a copied database does not carry the key), in a folder readable only by the kiosk's own
user (0700) and a file with mode 0600. The file is replaced atomically.
"""

import base64
import contextlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from nacl.signing import SigningKey

CREDENTIALS_FILE = "kiosk-credentials.json"
FORMAT_VERSION = 1


class CredentialsError(RuntimeError):
    """The credentials file exists but cannot be read."""


@dataclass(frozen=True)
class KioskCredentials:
    kiosk_id: UUID
    signing_key: SigningKey
    server_url: str
    ca_bundle: str | None = None

    def __repr__(self) -> str:  # never print the key
        return f"KioskCredentials(kiosk_id={self.kiosk_id}, server_url={self.server_url!r})"


def credentials_path(directory: Path | str) -> Path:
    return Path(directory) / CREDENTIALS_FILE


def _secure_dir(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):  # e.g. a filesystem without modes
        os.chmod(directory, 0o700)


def save_credentials(directory: Path | str, credentials: KioskCredentials) -> Path:
    directory = Path(directory)
    _secure_dir(directory)
    payload = {
        "format": FORMAT_VERSION,
        "kiosk_id": str(credentials.kiosk_id),
        "signing_key": base64.b64encode(bytes(credentials.signing_key)).decode("ascii"),
        "server_url": credentials.server_url,
        "ca_bundle": credentials.ca_bundle,
    }
    target = credentials_path(directory)
    fd, tmp = tempfile.mkstemp(prefix=".cred-", dir=directory)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    return target


def load_credentials(directory: Path | str) -> KioskCredentials | None:
    """The stored credentials, or None when the kiosk is not enrolled."""
    path = credentials_path(directory)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CredentialsError(f"cannot read {path.name}: {type(exc).__name__}") from None
    try:
        data = json.loads(raw)
        return KioskCredentials(
            kiosk_id=UUID(data["kiosk_id"]),
            signing_key=SigningKey(base64.b64decode(data["signing_key"], validate=True)),
            server_url=str(data["server_url"]),
            ca_bundle=data.get("ca_bundle") or None,
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise CredentialsError(f"{path.name} is damaged: {type(exc).__name__}") from None
