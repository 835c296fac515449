"""Where the analysts' export reads: the primary database, or a streaming replica when
``TD_CENTRAL_EXPORT_DATABASE_URL`` names one.

A year of responses streamed as CSV, Parquet or OData reads millions of rows; on a replica
that read leaves the primary to the kiosks' batches and the board. The replica is asked, each
time, whether it answers and how far it has replayed the primary's WAL: the export page and
the audit entry say so ("datos hasta …" when it is behind). A replica that does not answer
is not an outage: the export reads the primary and says so (and the log warns). Everything
the export writes (its audit entry) goes to the primary; the replica's connections are
read-only (``default_transaction_read_only``) whatever the address points to.

The board never reads the replica: it is rebuilt when the primary's NOTIFY arrives, before
an asynchronous replica may have the batch (docs/operations.md, section 8).
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from central.db import is_sqlite_url, make_engine, utcnow
from central.web.display import MX
from central.web.i18n import t

log = logging.getLogger(__name__)

PRIMARY, REPLICA, REPLICA_DOWN = "principal", "replica", "replica_sin_respuesta"
#: Seconds a replica has to answer before the export reads the primary instead.
CONNECT_TIMEOUT_SECONDS = 3


@dataclass(frozen=True)
class Source:
    engine: Any
    kind: str  # PRIMARY, REPLICA or REPLICA_DOWN
    #: A replica behind the primary: the moment of the last transaction it replayed (it holds
    #: everything committed up to then); None when it is caught up or not a replica.
    as_of: datetime | None = None

    @property
    def lag_seconds(self) -> float:
        return max(0.0, (utcnow() - self.as_of).total_seconds()) if self.as_of else 0.0

    def describe(self) -> str:
        """One sentence for the export page (Spanish)."""
        if self.kind == PRIMARY:
            return t("export.source.primary")
        if self.kind == REPLICA_DOWN:
            return t("export.source.replica_down")
        if self.as_of is None:
            return t("export.source.replica")
        return t("export.source.replica_behind",
                 when=self.as_of.astimezone(MX).strftime("%d/%m/%Y %H:%M:%S"),
                 seconds=f"{self.lag_seconds:,.0f}")

    def audit_detail(self) -> dict[str, Any]:
        detail: dict[str, Any] = {"fuente": self.kind}
        if self.as_of is not None:
            detail["datos_hasta"] = self.as_of.isoformat()
        return detail


def replica_engine(url: str) -> Any:
    """The engine of the export's replica: a small pool, read-only sessions, a short connect
    timeout (a replica that is down must not hold an export for long)."""
    if is_sqlite_url(url):
        return make_engine(url)
    return make_engine(url, pool_size=2, max_overflow=4, connect_args={
        "connect_timeout": CONNECT_TIMEOUT_SECONDS,
        "options": "-c default_transaction_read_only=on"})


_REPLAY = sa.text("SELECT pg_is_in_recovery(), CAST(pg_last_wal_replay_lsn() AS text), "
                  "pg_last_xact_replay_timestamp()")
_BEHIND = sa.text("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), CAST(:lsn AS pg_lsn))")


def export_source(app: Any) -> Source:
    """Where this export reads, decided now (see the module)."""
    primary = app.state.engine
    replica = getattr(app.state, "export_engine", None)
    if replica is None:
        return Source(primary, PRIMARY)
    if replica.dialect.name != "postgresql":
        return Source(replica, REPLICA)
    try:
        with replica.connect() as conn:
            recovering, replayed, replayed_at = conn.execute(_REPLAY).one()
        as_of = None
        if recovering and replayed is not None:
            with primary.connect() as conn:
                behind = conn.execute(_BEHIND, {"lsn": replayed}).scalar_one()
            as_of = replayed_at if behind and behind > 0 else None
    except SQLAlchemyError as exc:
        log.warning("export replica did not answer (%s); the export reads the primary",
                    type(exc).__name__)
        return Source(primary, REPLICA_DOWN)
    return Source(replica, REPLICA, as_of)
