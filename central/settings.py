"""Settings of the central server, declared once (pydantic-settings).

Every field can be set in the environment with the ``TD_CENTRAL_`` prefix (for example
``TD_CENTRAL_DATABASE_URL``) or in an env file passed to :func:`load_settings` (or named by
``TD_CENTRAL_ENV_FILE``). The database URL selects the engine: a SQLite file in the data
directory is the embedded default; ``postgresql+psycopg://...`` is the production engine.
"""

import ipaddress
import os
from pathlib import Path
from typing import Annotated, Any

import platformdirs
from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from trato.protocol.signing import TIMESTAMP_WINDOW_SECONDS
from trato.protocol.wire import MAX_BODY_BYTES

ENV_PREFIX = "TD_CENTRAL_"


def default_data_dir() -> Path:
    return platformdirs.user_data_path("trato-digno-central", appauthor=False)


class CentralSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, frozen=True, extra="ignore", env_file_encoding="utf-8"
    )

    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="Writable folder: the SQLite database, the sealing key, logs.",
    )
    database_url: str = Field(
        default="",
        description="SQLAlchemy URL; empty means a SQLite file central.db in data_dir.",
    )
    export_database_url: str = Field(
        default="",
        description="SQLAlchemy URL of a streaming replica the analysts' export (CSV, Parquet, "
        "OData) reads from, read-only; empty means the primary (database_url).",
    )
    public_base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Public address of this server; the kiosk's QR points to its folio page.",
    )
    session_secret: str = Field(default="", description="Secret for web session signing.")
    sealing_private_key: str = Field(
        default="",
        description="Base64 X25519 private key; empty means load or create data_dir/keys/.",
    )
    admin_token: str = Field(
        default="",
        description="Bearer token for administrative API calls (kiosk revocation); empty = off.",
    )
    max_body_bytes: int = Field(default=MAX_BODY_BYTES, ge=1024)
    timestamp_window_seconds: int = Field(default=TIMESTAMP_WINDOW_SECONDS, ge=1)
    enrolment_token_hours: int = Field(default=72, ge=1)
    changes_page_max: int = Field(default=1000, ge=1)
    db_pool_size: int = Field(default=10, ge=1)
    db_max_overflow: int = Field(default=20, ge=0)
    auto_migrate: bool = Field(default=True, description="Upgrade the schema at start.")
    pg_notify_channel: str = Field(default="td_events", pattern=r"^[a-z_][a-z0-9_]{0,62}$")
    timezone: str = "America/Mexico_City"
    privacy_notice_version: str = Field(
        default="2025-12", min_length=1, max_length=32,
        description="Version of the privacy notice agents read to callers; stored with every "
        "case registered on the web (as the kiosks store theirs).")
    log_level: str = "INFO"
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Addresses or networks (CIDR) of the reverse proxies whose "
        "X-Forwarded-For/-Proto are believed, comma-separated; empty = none (the peer "
        "address is the client's).",
    )
    login_max_failures_per_account: int = Field(
        default=5, ge=1,
        description="Failed sign-ins of one username (from any address) before it waits.",
    )
    login_max_failures_per_address: int = Field(
        default=20, ge=1,
        description="Failed sign-ins from one address (any username) before it waits.",
    )
    login_window_minutes: float = Field(default=15.0, gt=0)
    password_hash_threads: int = Field(
        default=2, ge=1,
        description="Sign-ins hashing at once per process; more wait their turn in a thread, "
        "never on the event loop and never taking the threads other requests need.",
    )

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_proxies(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        for item in value or []:
            try:
                ipaddress.ip_network(str(item), strict=False)
            except ValueError:
                raise ValueError(f"not an IP address or network: {item!r}") from None
        return value
    # --- the live board and the ingest under load (docs/scaling.md)
    board_tick_seconds: float = Field(
        default=1.0, gt=0, le=10,
        description="Live boards get at most one update per node this often.")
    board_cache_seconds: float = Field(
        default=30.0, ge=0,
        description="A board is rebuilt after this long even when nothing landed under it.")
    decision_cache_seconds: float = Field(
        default=300.0, ge=0,
        description="The small-number tables of a node's ancestors are kept this long while "
                    "nothing lands under them (0: read and decided again on every page).")
    ingest_max_inflight: int = Field(
        default=64, ge=1,
        description="Pushes one process admits at once; more are answered 429 at once.")
    ingest_max_transactions: int = Field(
        default=4, ge=1, description="Pushes one process stores at the same time.")
    ingest_queue_seconds: float = Field(
        default=10.0, gt=0,
        description="How long an admitted push waits to be stored before it gets 429.")
    ingest_retry_after_seconds: float = Field(
        default=5.0, gt=0,
        description="A 429's Retry-After is drawn between this and three times this.")
    # --- /metrics of each process (central/metrics.py, docs/operations.md)
    metrics_networks: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["127.0.0.1/32", "::1/128"],
        description="Networks (CIDR, comma-separated) whose peers may read /metrics; the "
        "Prometheus host scrapes each process on its own port.")
    metrics_token: str = Field(
        default="", description="Bearer token that also opens /metrics; empty = networks only.")

    @field_validator("metrics_networks", mode="before")
    @classmethod
    def _split_metrics_networks(cls, value: Any) -> Any:
        return cls._split_proxies(value)

    # --- alerts and their mails (central/web/alert_monitor.py, docs/operations.md "Alertas")
    alerts_interval_seconds: float = Field(
        default=300.0, ge=1,
        description="The time-based alert rules (silent kiosks, overdue cases) and the "
                    "clearing of the others are checked this often; arriving data is "
                    "checked at once.")
    smtp_host: str = Field(default="", description="SMTP server for alert mails; empty = none.")
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = Field(default=False, description="STARTTLS after connecting.")
    smtp_ssl: bool = Field(default=False, description="TLS from the start (port 465).")
    smtp_sender: str = Field(default="trato-digno@localhost", max_length=200)
    smtp_timeout_seconds: float = Field(default=10.0, gt=0, le=120)

    @model_validator(mode="after")
    def _defaults(self) -> "CentralSettings":
        if not self.database_url:
            object.__setattr__(
                self, "database_url", f"sqlite:///{Path(self.data_dir) / 'central.db'}"
            )
        object.__setattr__(self, "public_base_url", self.public_base_url.rstrip("/"))
        return self


def load_settings(env_file: str | Path | None = None, **overrides: Any) -> CentralSettings:
    """Settings from the environment, an optional env file and explicit overrides."""
    env_file = env_file or os.environ.get(f"{ENV_PREFIX}ENV_FILE") or None
    return CentralSettings(_env_file=env_file, **overrides)  # type: ignore[call-arg]
