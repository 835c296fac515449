"""Enrolment: ``trato-kiosk enroll --server URL --token TOKEN`` (or ``--file provisioning.json``).

Silent and scriptable for IT: no prompts, nothing printed on success, one line on stderr on
failure, and an exit code a script can test. Nothing personal is printed (there is none).

1. generate the kiosk's Ed25519 signing key;
2. call the server's enrolment endpoint with the one-time token and the public key;
3. store the credentials (kiosk id, private key, server URL, CA bundle) in
   ``settings.credentials_dir`` (0700 / 0600), outside the synced database;
4. save the kiosk's identity (the server's sealing public key, the unit's configuration) in
   the local store through the store's ``save_identity``.

The provisioning file is JSON: ``{"server": "...", "token": "...", "ca_bundle": "..."}``
(``ca_bundle`` optional; a relative path is relative to the file).
"""

import json
import logging
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk import __version__
from kiosk.sync.client import AuthError, CentralClient, PermanentError, SyncError, TransientError
from kiosk.sync.credentials import KioskCredentials, load_credentials, save_credentials
from trato.protocol import signing
from trato.protocol.wire import SCHEMA_VERSION, EnrolmentRequest, EnrolmentResponse

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_USAGE = 2  # missing or malformed arguments / provisioning file
EXIT_ALREADY_ENROLLED = 3  # credentials exist; pass --force to enrol again
EXIT_REFUSED = 4  # the server refused the token (used, expired, unknown)
EXIT_UNREACHABLE = 5  # network, TLS or server error: try again
EXIT_LOCAL = 6  # the credentials or the local store could not be written


class EnrolmentError(RuntimeError):
    """``exit_code`` for scripts; ``code`` what went wrong, for the first-run screen's
    wording: the server's error code (``token_expired``, ``token_used``, ``invalid_token``,
    ``rate_limited``...), ``unreachable``, ``bad_url``, ``bad_token``, ``enrolled`` or
    ``local``."""

    def __init__(self, exit_code: int, message: str, code: str = "") -> None:
        super().__init__(message)
        self.exit_code = exit_code
        self.code = code


@dataclass(frozen=True)
class Provisioning:
    server: str
    token: str
    ca_bundle: str | None = None


def read_provisioning(path: Path | str) -> Provisioning:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EnrolmentError(EXIT_USAGE, f"archivo de aprovisionamiento ilegible: "
                                         f"{type(exc).__name__}") from None
    if not isinstance(data, dict) or not isinstance(data.get("server"), str) \
            or not isinstance(data.get("token"), str):
        raise EnrolmentError(EXIT_USAGE, "el archivo debe tener 'server' y 'token'")
    ca = data.get("ca_bundle")
    if ca is not None and not isinstance(ca, str):
        raise EnrolmentError(EXIT_USAGE, "'ca_bundle' debe ser una ruta")
    if ca and not Path(ca).is_absolute():
        ca = str((path.parent / ca).resolve())
    return Provisioning(server=data["server"].strip(), token=data["token"].strip(),
                        ca_bundle=ca or None)


def _save_identity(settings: Any, response: EnrolmentResponse, server_url: str) -> None:
    """Store the sealing key and unit configuration in the kiosk's database."""
    from kiosk.storage.db import open_database
    from kiosk.storage.identity import save_identity

    database = open_database(settings.db_path).database
    try:
        with database.write() as session:
            save_identity(session, enrolment=response, server_url=server_url)
    finally:
        database.close()


def enroll(
    settings: Any,
    server_url: str,
    token: str,
    *,
    ca_bundle: str | None = None,
    force: bool = False,
    connect_timeout: float = 10.0,
    read_timeout: float = 30.0,
) -> KioskCredentials:
    """Enrol this kiosk; returns the stored credentials. Raises :class:`EnrolmentError`."""
    server_url = server_url.strip().rstrip("/")
    if not server_url.startswith(("https://", "http://")):
        raise EnrolmentError(EXIT_USAGE, "la dirección del servidor debe empezar con https://",
                             "bad_url")
    if len(token.strip()) < 8:
        raise EnrolmentError(EXIT_USAGE, "el token de registro no es válido", "bad_token")
    if ca_bundle and not Path(ca_bundle).is_file():
        raise EnrolmentError(EXIT_USAGE, "no se encontró el archivo de certificados (CA)")
    credentials_dir = Path(settings.credentials_dir)
    try:
        existing = load_credentials(credentials_dir)
    except Exception:  # a damaged file: enrolling again replaces it
        existing = None
    if existing is not None and not force:
        raise EnrolmentError(
            EXIT_ALREADY_ENROLLED,
            "este kiosco ya está registrado (use --force para registrarlo otra vez)", "enrolled")
    key = signing.new_signing_key()
    request = EnrolmentRequest(
        schema_version=SCHEMA_VERSION,
        token=token.strip(),
        signing_public_key=signing.public_key_b64(key),
        hostname=socket.gethostname()[:128],
        app_version=__version__,
    )
    client = CentralClient(server_url, ca_bundle=ca_bundle, connect_timeout=connect_timeout,
                           read_timeout=read_timeout)
    try:
        response = client.enrol(request)
    except (AuthError, PermanentError) as exc:
        raise EnrolmentError(EXIT_REFUSED,
                             f"el servidor rechazó el registro ({exc.code})", exc.code) from None
    except TransientError as exc:
        code = "rate_limited" if exc.code == "rate_limited" else "unreachable"
        raise EnrolmentError(EXIT_UNREACHABLE,
                             f"no se pudo contactar al servidor ({exc.code})", code) from None
    except SyncError as exc:  # pragma: no cover - every SyncError is one of the above
        raise EnrolmentError(EXIT_UNREACHABLE, f"error de registro ({exc.code})",
                             "unreachable") from None
    finally:
        client.close()
    credentials = KioskCredentials(kiosk_id=response.kiosk_id, signing_key=key,
                                   server_url=server_url, ca_bundle=ca_bundle)
    try:
        save_credentials(credentials_dir, credentials)
        _save_identity(settings, response, server_url)
    except OSError as exc:
        raise EnrolmentError(EXIT_LOCAL, f"no se pudieron guardar las credenciales "
                                         f"({type(exc).__name__})", "local") from None
    log.info("kiosk enrolled as %s", response.kiosk_id)
    return credentials
