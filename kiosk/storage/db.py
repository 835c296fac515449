"""Opening the kiosk's SQLite store: the start-up integrity check, quarantine of a damaged
file (then salvage of what it still holds) and the Alembic migrations.

The pieces live next door: :mod:`kiosk.storage.connection` (pragmas on every connection,
``BEGIN IMMEDIATE`` writes, :class:`Database`), :mod:`kiosk.storage.migrate` (Alembic),
:mod:`kiosk.storage.salvage` (rows copied back from a quarantined file) and
:mod:`kiosk.storage.errors` (driver failures as known errors).

Usage::

    result = open_database(settings.db_path)
    if result.quarantined_to:
        notifier.warning("database_quarantined", path=str(result.quarantined_to))
    db = result.database
    with db.write() as session:   # one BEGIN IMMEDIATE ... COMMIT
        session.add(row)
    with db.read() as session:
        rows = session.exec(select(Case)).all()
"""

import logging
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kiosk.storage.connection import DEFAULT_BUSY_TIMEOUT_MS, Database, create_sqlite_engine
from kiosk.storage.errors import SQLITE_CORRUPT, SQLITE_NOTADB, known_errors, sqlite_code
from kiosk.storage.migrate import SCHEMA_HEAD, migrate
from kiosk.storage.salvage import SalvageReport, salvage

__all__ = ["Database", "OpenResult", "open_database"]

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"


class DatabaseDamaged(Exception):  # noqa: N818  (internal signal, never raised to callers)
    """Internal: the file failed its integrity check or is not a database."""


@dataclass(frozen=True)
class OpenResult:
    """What :func:`open_database` found. ``quarantined_to`` is set when a damaged or
    unreadable file was set aside and a fresh database created: tell the staff."""

    database: Database
    quarantined_to: Path | None = None
    revision_before: str | None = None
    revision: str | None = None
    #: After a quarantine: what could be copied from the damaged file.
    salvaged: SalvageReport | None = None


# ---------------------------------------------------------------------------- start-up check


def _quick_check(path: Path) -> str | None:
    """Raise :class:`DatabaseDamaged` unless ``PRAGMA quick_check`` says ok; return the
    schema revision the file is stamped with (``None`` for a file without one).

    The header is checked by hand first: SQLite, handed a file that is not a database, may
    still tidy up (delete) its -wal/-shm on close, and those must be kept for whoever looks
    at the damaged file.
    """
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header and header != SQLITE_HEADER:
        raise DatabaseDamaged("file is not a database (bad header)")
    try:
        conn = sqlite3.connect(str(path), timeout=DEFAULT_BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        if sqlite_code(exc) in (SQLITE_CORRUPT, SQLITE_NOTADB):
            raise DatabaseDamaged(str(exc)) from exc
        raise
    try:
        rows = [row[0] for row in conn.execute("PRAGMA quick_check")]
        if rows != ["ok"]:
            raise DatabaseDamaged("; ".join(rows[:5]))
        try:
            stamped = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        except sqlite3.OperationalError:  # no such table: a new or foreign file
            stamped = []
    except sqlite3.DatabaseError as exc:
        if sqlite_code(exc) in (SQLITE_CORRUPT, SQLITE_NOTADB, None):
            raise DatabaseDamaged(str(exc)) from exc
        raise
    finally:
        conn.close()
    return stamped[0][0] if len(stamped) == 1 else None


def _quarantine(path: Path, now: datetime) -> Path:
    """Rename ``path`` (and its -wal/-shm) aside; never delete. Returns the new main path."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    path.rename(target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    return target


# ---------------------------------------------------------------------------- open


def open_database(
    path: Path | str,
    *,
    migrate_schema: bool = True,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    now: datetime | None = None,
) -> OpenResult:
    """Open (creating if needed) the kiosk store at ``path``.

    1. ``PRAGMA quick_check`` on an existing file; a damaged or unreadable file is renamed to
       ``<name>.damaged-<UTC timestamp>`` with its -wal/-shm (never deleted) and a fresh
       database is created; ``OpenResult.quarantined_to`` says where it went.
       Every row still readable in the damaged file is then copied into the fresh one and
       the folio counters are carried over (:mod:`kiosk.storage.salvage`;
       ``OpenResult.salvaged``), so unsent records and issued folios are not lost.
    2. Alembic migrations up to head (unless ``migrate_schema=False``, e.g. a process that
       knows the schema is current); a database newer than the code raises
       :class:`DatabaseNewerThanCode`.
    Other failures (read-only folder, full disk) raise the matching :class:`KnownError`.
    """
    path = Path(path)
    quarantined: Path | None = None
    with known_errors():
        path.parent.mkdir(parents=True, exist_ok=True)
        stamped: str | None = None
        if path.exists():
            try:
                stamped = _quick_check(path)
            except DatabaseDamaged as exc:
                quarantined = _quarantine(path, now or datetime.now(UTC))
                log.error("damaged database set aside as %s (%s)", quarantined.name, exc)
        before = after = stamped
        if migrate_schema and stamped != SCHEMA_HEAD:
            before, after = migrate(path, busy_timeout_ms=busy_timeout_ms)
        engine = create_sqlite_engine(path, busy_timeout_ms=busy_timeout_ms)
        database = Database(path, engine)
        if before != after:  # a migration may have rewritten text (0003: the masks)
            database.checkpoint()
        salvaged = None
        if quarantined is not None and migrate_schema:
            salvaged = salvage(quarantined, database, now=now or datetime.now(UTC))
    return OpenResult(
        database=database,
        quarantined_to=quarantined,
        revision_before=before,
        revision=after,
        salvaged=salvaged,
    )
