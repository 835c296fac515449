"""The kiosk's settings, declared once: typed, defaulted, described, validated, frozen.

Values come from (highest first) the arguments given in code, ``TD_KIOSK_*`` environment
variables, and an optional ``kiosk.env`` file in the data directory (``KEY=value`` lines with
the same ``TD_KIOSK_`` names). Settings that come down from the central server through the
pull cursor live in the database (``KioskSetting``), not here.

Staff sign in with their own PIN (the roster from the central server) or, for the kiosk's
own administrator, the PIN set at enrolment (``trato-kiosk enroll``), both argon2id hashes in
the store. ``TD_KIOSK_STAFF_PIN_HASH`` (a scrypt hash, :func:`hash_pin` / :func:`verify_pin`)
is the administrator's PIN only on a kiosk whose store has no administrator yet (enrolled by
an earlier release); its default is the DEMO PIN ``246810``.

The administrator's settings screen changes a few of these (:data:`EDITABLE`) in
``kiosk.env`` (:func:`save_settings`); they take effect at once.
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

from kiosk.files import write_text_atomically

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
#: What the administrator's settings screen may change (written to ``kiosk.env``).
EDITABLE = ("idle_seconds", "staff_idle_seconds", "screen_dpi", "screen_diagonal_inches",
            "languages", "receipt_printer")
#: What a kiosk panel can be (the same bounds as ``kiosk.ui.metrics``, which needs no settings).
SCREEN_DPI_RANGE = (60.0, 400.0)
SCREEN_DIAGONAL_RANGE_IN = (7.0, 100.0)
#: Quiet seconds allowed before "¿Sigue ahí?" (beneficiary screens, staff mode).
IDLE_SECONDS_RANGE = (10, 900)
STAFF_IDLE_SECONDS_RANGE = (60, 1800)


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
        default=90, ge=IDLE_SECONDS_RANGE[0], le=IDLE_SECONDS_RANGE[1],
        description="Quiet seconds before the '¿Sigue ahí?' panel appears"
    )
    idle_countdown_seconds: int = Field(
        default=30,
        description="Countdown of the '¿Sigue ahí?' panel; at least 20 s (docs/design/ux.md)",
    )
    staff_idle_seconds: int = Field(
        default=180, ge=STAFF_IDLE_SECONDS_RANGE[0], le=STAFF_IDLE_SECONDS_RANGE[1],
        description="Quiet seconds in staff mode before the '¿Sigue ahí?' panel; then the "
        "agent is signed out and the kiosk returns to the attract screen",
    )
    languages: str = Field(
        default="", max_length=200,
        description="Languages offered on the first screen, by code, comma-separated "
        "(e.g. 'es,nah'); empty: every language with a catalogue. Spanish is always offered",
    )
    sync_interval_seconds: int = Field(
        default=60, ge=5, description="Seconds between sync rounds when all is well"
    )
    update_probation_seconds: int = Field(
        default=120, ge=5, le=3600,
        description="Seconds a new version runs before it confirms itself healthy; one that "
        "crashes three times before that is rolled back by the launcher",
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
    screen_dpi: float | None = Field(
        default=None,
        description="Pixels per inch of the kiosk's panel, for one that reports its size "
        "wrongly (touch targets are sized in millimetres from it); e.g. 102.5 for 21.5\" "
        "at 1920x1080. Set this or screen_diagonal_inches, not both",
    )
    screen_diagonal_inches: float | None = Field(
        default=None,
        description="Diagonal of the kiosk's panel in inches (e.g. 21.5); the DPI follows "
        "from the screen's resolution. Set this or screen_dpi, not both",
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

    @field_validator("languages")
    @classmethod
    def _language_codes(cls, value: str) -> str:
        codes = [c.strip() for c in value.split(",") if c.strip()]
        for code in codes:
            if not 2 <= len(code) <= 16 or not code.replace("-", "").replace("_", "").isalnum():
                raise ValueError(f"not a language code: {code!r}")
        return ",".join(dict.fromkeys(codes))

    @field_validator("screen_dpi")
    @classmethod
    def _dpi_plausible(cls, value: float | None) -> float | None:
        if value is not None and not SCREEN_DPI_RANGE[0] <= value <= SCREEN_DPI_RANGE[1]:
            low, high = SCREEN_DPI_RANGE
            raise ValueError(
                f"screen_dpi must be between {low:g} and {high:g} pixels per inch "
                f"(a 21.5-inch 1920x1080 panel has about 102.5); got {value:g}"
            )
        return value

    @field_validator("screen_diagonal_inches")
    @classmethod
    def _diagonal_plausible(cls, value: float | None) -> float | None:
        low, high = SCREEN_DIAGONAL_RANGE_IN
        if value is not None and not low <= value <= high:
            raise ValueError(
                f"screen_diagonal_inches must be between {low:g} and {high:g} inches, "
                f"measured corner to corner of the visible area; got {value:g}"
            )
        return value

    @model_validator(mode="after")
    def _one_screen_size(self) -> "KioskSettings":
        if self.screen_dpi is not None and self.screen_diagonal_inches is not None:
            raise ValueError(
                "set TD_KIOSK_SCREEN_DPI or TD_KIOSK_SCREEN_DIAGONAL_INCHES, not both "
                "(the DPI follows from the diagonal and the resolution)"
            )
        return self

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

    @property
    def offered_languages(self) -> tuple[str, ...]:
        """The language codes to offer ("": every one with a catalogue)."""
        return tuple(c for c in self.languages.split(",") if c)


def _data_dir_from_env() -> Path:
    value = os.environ.get(ENV_PREFIX + "DATA_DIR")
    return Path(value) if value else default_data_dir()


def _env_line(name: str, value: Any) -> str | None:
    if value is None or value == "":
        return None
    return f"{ENV_PREFIX}{name.upper()}={value}"


def save_settings(settings: KioskSettings, changes: dict[str, Any]) -> tuple[KioskSettings,
                                                                             tuple[str, ...]]:
    """Write ``changes`` (names of :data:`EDITABLE`; None or "" removes a line) to
    ``kiosk.env`` in the data dir, after checking them with the other settings; other lines
    are kept. Returns the settings as they are now and the names an environment variable
    overrides (written, but the environment wins at the next start). Raises ``ValueError``
    (pydantic's ValidationError) with nothing written when a value is refused."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    current = {name: getattr(settings, name) for name in EDITABLE}
    merged = {**current, **changes}
    checked = KioskSettings(**{**settings.model_dump(), **merged})  # raises on a bad value
    path = settings.data_dir / SETTINGS_FILE
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    names = {f"{ENV_PREFIX}{n.upper()}" for n in changes}
    kept = [line for line in lines if line.split("=", 1)[0].strip() not in names]
    kept += [x for n in changes if (x := _env_line(n, getattr(checked, n))) is not None]
    write_text_atomically(path, "".join(line + "\n" for line in kept), prefix=".kiosk.env.")
    shadowed = tuple(n for n in changes if f"{ENV_PREFIX}{n.upper()}" in os.environ)
    return checked, shadowed


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
