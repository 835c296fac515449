"""Opening the kiosk's SQLite store: pragmas on every connection, explicit transactions,
the start-up integrity check, quarantine of a damaged file and the Alembic migrations.

Every connection gets ``journal_mode=WAL``, ``synchronous=FULL``, ``foreign_keys=ON`` and a
busy timeout through a pool ``connect`` event. Python's ``sqlite3`` driver (3.11) would start
transactions lazily and only before DML; we switch that off (``isolation_level = None``) and
emit the ``BEGIN`` ourselves from a ``begin`` event, as SQLAlchemy documents for pysqlite:
``BEGIN IMMEDIATE`` for writes (the write lock is taken at the start, so a busy database
fails before anything is done instead of at commit), plain ``BEGIN`` for reads (a consistent
WAL snapshot).

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

import contextlib
import errno
import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from kiosk.storage.errors import (
    DatabaseNewerThanCode,
    KnownError,
    StorageBusy,
    StorageError,
    StorageFull,
    StorageReadOnly,
)

if TYPE_CHECKING:
    from kiosk.storage.salvage import SalvageReport

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
#: The newest revision under migrations/versions (a test keeps the two equal). A database
#: already stamped with it opens without importing Alembic, which saves a quarter of a second
#: of kiosk start-up.
SCHEMA_HEAD = "0002"
DEFAULT_BUSY_TIMEOUT_MS = 5000
SQLITE_HEADER = b"SQLite format 3\x00"
_EXEC_OPTION = "td_begin"

# SQLite primary result codes (the low byte of extended codes).
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26


class DatabaseDamaged(Exception):  # noqa: N818  (internal signal, never raised to callers)
    """Internal: the file failed its integrity check or is not a database."""


# ---------------------------------------------------------------------------- errors


def _sqlite_code(exc: BaseException) -> int | None:
    orig = getattr(exc, "orig", exc)
    code = getattr(orig, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


def translate_error(exc: BaseException) -> KnownError | None:
    """Map a driver or OS error to the known error the kiosk reports, or ``None`` (a bug)."""
    if isinstance(exc, KnownError):
        return exc
    if isinstance(exc, OSError):
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return StorageFull(str(exc))
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return StorageReadOnly(str(exc))
        return None
    code = _sqlite_code(exc)
    message = str(getattr(exc, "orig", exc)).lower()
    if code == SQLITE_FULL or "database or disk is full" in message:
        return StorageFull(message)
    if code == SQLITE_READONLY or "readonly database" in message:
        return StorageReadOnly(message)
    if code == SQLITE_CANTOPEN:
        # The folder refuses to create the -wal/-shm or journal files.
        return StorageReadOnly(message)
    if code in (SQLITE_BUSY, SQLITE_LOCKED) or "database is locked" in message:
        return StorageBusy(message)
    if code == SQLITE_IOERR:
        # A failing disk (write or fsync error): a known condition, not a bug.
        return StorageError(message)
    return None


@contextlib.contextmanager
def known_errors() -> Iterator[None]:
    """Re-raise storage failures as :class:`KnownError` subclasses (others pass through)."""
    try:
        yield
    except KnownError:
        raise
    except (sa_exc.DBAPIError, sqlite3.Error, OSError) as exc:
        known = translate_error(exc)
        if known is None:
            raise
        log.warning("storage error: %s", known.code)
        raise known from exc


# ---------------------------------------------------------------------------- engine


def _configure_engine(engine: Engine, *, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # We emit BEGIN ourselves (see module docstring).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get(_EXEC_OPTION, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def create_sqlite_engine(
    path: Path, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS, pooled: bool = True
) -> Engine:
    """An engine on ``path`` whose every connection is configured for the kiosk."""
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
        **({} if pooled else {"poolclass": NullPool}),
    )
    _configure_engine(engine, busy_timeout_ms=busy_timeout_ms)
    return engine


class Database:
    """The kiosk's store: a configured engine plus transaction helpers.

    Thread-safe in the way SQLite is: each ``write()``/``read()`` takes its own pooled
    connection, so the UI thread and the sync worker can share one ``Database``.
    """

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = Path(path)
        self.engine = engine
        self._write_engine = engine.execution_options(**{_EXEC_OPTION: "IMMEDIATE"})

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``), yielding a Session.

        Everything done with the session commits together when the block ends, or not at
        all: an exception rolls the whole transaction back. Storage failures come out as
        :class:`StorageFull`, :class:`StorageReadOnly` or :class:`StorageBusy`.
        Objects stay readable after the block (``expire_on_commit=False``).
        """
        with known_errors():
            session = Session(self._write_engine, expire_on_commit=False)
            try:
                with session.begin():
                    session.connection()  # BEGIN IMMEDIATE now: the write lock is ours
                    yield session
            finally:
                session.close()

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A read snapshot (deferred ``BEGIN``), ended (rolled back) when the block ends.

        Objects read stay usable after the block, detached. Do not write with it: changes
        are discarded.
        """
        with known_errors():
            session = Session(self.engine, expire_on_commit=False, autoflush=False)
            try:
                yield session
            finally:
                # close() ends the transaction without expiring what was loaded.
                session.close()

    def pragma(self, name: str) -> Any:
        """The value of ``PRAGMA name`` on a pooled connection (for tests and diagnostics)."""
        if not name.replace("_", "").isalnum():
            raise ValueError("not a pragma name")
        with self.engine.connect() as conn:
            return conn.exec_driver_sql(f"PRAGMA {name}").scalar()

    def integrity_check(self) -> list[str]:
        """``PRAGMA integrity_check`` rows; ``["ok"]`` when the file is sound."""
        with self.engine.connect() as conn:
            return [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check")]

    def close(self) -> None:
        """Checkpoint the WAL into the main file when possible and close every connection."""
        with contextlib.suppress(sa_exc.DBAPIError):
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").all()
        self.engine.dispose()


@dataclass(frozen=True)
class OpenResult:
    """What :func:`open_database` found. ``quarantined_to`` is set when a damaged or
    unreadable file was set aside and a fresh database created: tell the staff."""

    database: Database
    quarantined_to: Path | None = None
    revision_before: str | None = None
    revision: str | None = None
    #: After a quarantine: what could be copied from the damaged file.
    salvaged: "SalvageReport | None" = None


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
        if _sqlite_code(exc) in (SQLITE_CORRUPT, SQLITE_NOTADB):
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
        if _sqlite_code(exc) in (SQLITE_CORRUPT, SQLITE_NOTADB, None):
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


# ---------------------------------------------------------------------------- migrations


def _alembic_config() -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    return config


def head_revision() -> str:
    """The newest schema revision this code knows."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(
    path: Path, *, target: str = "head", busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS
) -> tuple[str | None, str | None]:
    """Upgrade the database at ``path`` to ``target``; returns (revision before, after).

    Refuses (:class:`DatabaseNewerThanCode`) a database stamped with a revision this code
    does not know. Runs in one ``BEGIN IMMEDIATE`` transaction with foreign keys off (batch
    migrations copy tables), then checks ``PRAGMA foreign_key_check``.
    """
    from alembic import command
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    config = _alembic_config()
    script = ScriptDirectory.from_config(config)
    engine = create_sqlite_engine(path, busy_timeout_ms=busy_timeout_ms, pooled=False)
    try:
        with engine.connect().execution_options(**{_EXEC_OPTION: "IMMEDIATE"}) as conn:
            # Before any statement, hence outside a transaction, where it takes effect.
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
            from alembic.runtime.migration import MigrationContext

            before = MigrationContext.configure(conn).get_current_revision()
            if before is not None:
                try:
                    known = script.get_revision(before)
                except CommandError:
                    known = None
                if known is None:
                    conn.rollback()
                    raise DatabaseNewerThanCode(
                        f"database revision {before} is newer than this kiosk "
                        f"(knows up to {script.get_current_head()})"
                    )
            config.attributes["connection"] = conn
            command.upgrade(config, target)
            problems = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
            if problems:
                conn.rollback()
                raise StorageError(f"foreign key check failed after migration: {problems[:3]}")
            after = MigrationContext.configure(conn).get_current_revision()
            conn.commit()
    finally:
        engine.dispose()
    if before != after:
        log.info("database migrated from %s to %s", before, after)
    return before, after


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
        salvaged = None
        if quarantined is not None and migrate_schema:
            from kiosk.storage.salvage import salvage

            salvaged = salvage(quarantined, database, now=now or datetime.now(UTC))
    return OpenResult(
        database=database,
        quarantined_to=quarantined,
        revision_before=before,
        revision=after,
        salvaged=salvaged,
    )
