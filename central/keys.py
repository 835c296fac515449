"""The server's sealing key pair (X25519, libsodium sealed boxes).

Kiosks seal personal data at capture with the public key they receive at enrolment; only this
server can open it. The private key comes from settings (``TD_CENTRAL_SEALING_PRIVATE_KEY``,
base64) or from ``<data_dir>/keys/sealing.key`` (created once, mode 0600, never logged).
"""

import base64
import logging
import os
from pathlib import Path

from nacl.public import PrivateKey

from central.settings import CentralSettings
from trato.protocol.sealing import new_private_key, public_key_b64

log = logging.getLogger(__name__)

KEY_FILE = Path("keys") / "sealing.key"


def key_path(settings: CentralSettings) -> Path:
    return Path(settings.data_dir) / KEY_FILE


def _decode(text: str) -> PrivateKey:
    raw = base64.b64decode(text.strip(), validate=True)
    if len(raw) != 32:
        raise ValueError("the sealing private key must be 32 bytes (base64)")
    return PrivateKey(raw)


def load_or_create_sealing_key(settings: CentralSettings) -> PrivateKey:
    """The private sealing key; created in the data dir on first use (race-safe)."""
    if settings.sealing_private_key:
        return _decode(settings.sealing_private_key)
    path = key_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        key = new_private_key()
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(base64.b64encode(bytes(key)).decode("ascii") + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)  # fails if another process created it first
            log.info("created a new sealing key pair in %s", path.parent)
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
    os.chmod(path, 0o600)
    return _decode(path.read_text(encoding="ascii"))


def sealing_public_key_b64(key: PrivateKey) -> str:
    return public_key_b64(key)
