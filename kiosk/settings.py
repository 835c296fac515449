"""The kiosk's settings, declared once: typed, defaulted, described, validated, frozen.

Values come from (highest first) the arguments given in code, ``TD_KIOSK_*`` environment
variables, and an optional ``kiosk.env`` file in the data directory (``KEY=value`` lines with
the same ``TD_KIOSK_`` names). Settings that come down from the central server through the
pull cursor live in the database (``KioskSetting``), not here.

The staff PIN is stored only as a scrypt hash (:func:`hash_pin` / :func:`verify_pin`). The
default hash is the DEMO PIN ``246810``; every real installation sets its own with
``TD_KIOSK_STAFF_PIN_HASH`` (``python -c "from kiosk.settings import hash_pin;
print(hash_pin('...'))"``).
"""

import base64
import hashlib
import hmac
import os
from pathlib import Path
from typing import Annotated, Any

import platformdirs
from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

APP_NAME = "trato-digno-kiosk"
SETTINGS_FILE = "kiosk.env"
ENV_PREFIX = "TD_KIOSK_"
#: The PIN the demo and the tests use. Never use it on a real kiosk.
DEMO_STAFF_PIN = "246810"
#: scrypt parameters for the staff PIN (about 30-60 ms on a kiosk PC).
_SCRYPT_N = 2**14
_SCRYPT_R = 8
_SCRYPT_P = 1
_SCRYPT_DKLEN = 32
#: hash_pin(DEMO_STAFF_PIN) computed once, so importing settings does no key stretching.
DEMO_STAFF_PIN_HASH = (
    "scrypt$16384$8$1$dHJhdG8tZGlnbm8tZGVtbw==$aRDacJJFRdUYGyTIcBLXbhPLuLQCd384Khvgj79f85w="
)
MIN_IDLE_COUNTDOWN_SECONDS = 20


def default_data_dir() -> Path:
    """Where a kiosk keeps its writable data (never inside the PyInstaller bundle)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    """Hash a staff PIN with scrypt: ``scrypt$N$r$p$salt_b64$hash_b64``."""
    if not pin:
        raise ValueError("PIN must not be empty")
    salt = os.urandom(16) if salt is None else salt
    digest = hashlib.scrypt(
        pin.encode("utf-8"),
        salt=salt,
        n=_SCRYPT_N,
        r=_SCRYPT_R,
        p=_SCRYPT_P,
        dklen=_SCRYPT_DKLEN,
    )
    return "$".join(
        (
            "scrypt",
            str(_SCRYPT_N),
            str(_SCRYPT_R),
            str(_SCRYPT_P),
            base64.b64encode(salt).decode("ascii"),
            base64.b64encode(digest).decode("ascii"),
        )
    )


def _parse_pin_hash(encoded: str) -> tuple[int, int, int, bytes, bytes]:
    parts = encoded.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        raise ValueError("not a scrypt PIN hash (scrypt$N$r$p$salt$hash)")
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt = base64.b64decode(parts[4], validate=True)
        digest = base64.b64decode(parts[5], validate=True)
    except ValueError as exc:
        raise ValueError("malformed scrypt PIN hash") from exc
    if n < 2 or n & (n - 1) or r < 1 or p < 1 or not salt or not digest:
        raise ValueError("malformed scrypt PIN hash")
    return n, r, p, salt, digest


def verify_pin(pin: str, encoded: str) -> bool:
    """True when ``pin`` matches the scrypt hash ``encoded``; constant-time, never raises."""
    try:
        n, r, p, salt, expected = _parse_pin_hash(encoded)
        actual = hashlib.scrypt(
            pin.encode("utf-8"),
            salt=salt,
            n=n,
            r=r,
            p=p,
            dklen=len(expected),
            maxmem=256 * 1024 * 1024,
        )
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(actual, expected)


class KioskSettings(BaseSettings):
    """Everything the kiosk reads at start. Immutable; built by :func:`load_settings` in the
    composition root (``kiosk.app``) and injected, never read from a global."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        frozen=True,
        extra="ignore",
        env_file_encoding="utf-8",
        validate_default=True,
    )

    data_dir: Annotated[Path, Field(description="Folder for the database, logs, credentials")] = (
        Field(default_factory=default_data_dir)
    )
    database_path: Path | None = Field(
        default=None, description="SQLite file of the local store (default: data_dir/kiosk.db)"
    )
    credentials_dir: Path | None = Field(
        default=None,
        description="Folder of the kiosk's signing key, outside the database "
        "(default: data_dir/credentials)",
    )
    log_dir: Path | None = Field(default=None, description="Rotating logs (default: data_dir/logs)")
    idle_seconds: int = Field(
        default=90, ge=10, description="Quiet seconds before the '¿Sigue ahí?' panel appears"
    )
    idle_countdown_seconds: int = Field(
        default=30,
        description="Countdown of the '¿Sigue ahí?' panel; at least 20 s (docs/design/ux.md)",
    )
    sync_interval_seconds: int = Field(
        default=60, ge=5, description="Seconds between sync rounds when all is well"
    )
    retention_days: int = Field(
        default=30,
        ge=1,
        description="Days after the server's acknowledgement before case text is purged",
    )
    privacy_notice_version: str = Field(
        default="2025-12",
        min_length=1,
        max_length=32,
        description="Version of the privacy notice shown; stored with every record",
    )
    privacy_notice_url: str = Field(
        default="https://www.imss.gob.mx/privacidad",
        description="Full privacy notice (aviso integral); the kiosk shows it as a QR",
    )
    staff_pin_hash: str = Field(
        default=DEMO_STAFF_PIN_HASH,
        description="scrypt hash of the staff PIN (see hash_pin); the default is the demo PIN",
    )
    language: str = Field(
        default="es",
        min_length=2,
        max_length=16,
        description="Default language of the beneficiary screens",
    )
    ca_bundle: Path | None = Field(
        default=None, description="CA bundle for a hospital's private certificate authority"
    )
    server_url: str | None = Field(
        default=None, description="Central server URL (normally learned at enrolment)"
    )
    receipt_printer: str = Field(
        default="",
        max_length=127,
        description="CUPS queue of an 80 mm receipt printer: the confirmation then offers "
        "'Imprimir comprobante' (empty: no printer, no button)",
    )

    @field_validator("idle_countdown_seconds")
    @classmethod
    def _countdown_long_enough(cls, value: int) -> int:
        if value < MIN_IDLE_COUNTDOWN_SECONDS:
            raise ValueError(
                f"idle_countdown_seconds must be at least {MIN_IDLE_COUNTDOWN_SECONDS} s "
                "(docs/design/ux.md)"
            )
        return value

    @field_validator("staff_pin_hash")
    @classmethod
    def _pin_hash_well_formed(cls, value: str) -> str:
        _parse_pin_hash(value)
        return value

    @field_validator("server_url")
    @classmethod
    def _server_url_http(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("server_url must start with https:// or http://")
        return value

    @model_validator(mode="before")
    @classmethod
    def _derived_paths(cls, values: Any) -> Any:
        if not isinstance(values, dict):
            return values
        data_dir = values.get("data_dir")
        base = Path(data_dir) if data_dir else default_data_dir()
        values = dict(values)
        values["data_dir"] = base
        for name, default in (
            ("database_path", base / "kiosk.db"),
            ("credentials_dir", base / "credentials"),
            ("log_dir", base / "logs"),
        ):
            if not values.get(name):
                values[name] = default
        return values

    # Typed accessors: after validation the derived paths are never None.
    @property
    def db_path(self) -> Path:
        assert self.database_path is not None
        return self.database_path

    def verify_staff_pin(self, pin: str) -> bool:
        """True when ``pin`` is the staff PIN."""
        return verify_pin(pin, self.staff_pin_hash)


def _data_dir_from_env() -> Path:
    value = os.environ.get(ENV_PREFIX + "DATA_DIR")
    return Path(value) if value else default_data_dir()


def load_settings(data_dir: Path | str | None = None, **overrides: Any) -> KioskSettings:
    """Build the settings: ``overrides`` > environment > ``<data_dir>/kiosk.env`` > defaults.

    ``data_dir`` (e.g. from ``--data-dir``) wins over ``TD_KIOSK_DATA_DIR``.
    """
    base = Path(data_dir) if data_dir is not None else _data_dir_from_env()
    env_file = base / SETTINGS_FILE
    return KioskSettings(
        _env_file=env_file if env_file.is_file() else None,  # type: ignore[call-arg]
        data_dir=base,
        **overrides,
    )
