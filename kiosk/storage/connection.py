"""Connections to the kiosk's SQLite file, each configured the same way, and the
:class:`Database` that hands out one transaction at a time.

Every connection gets ``journal_mode=WAL``, ``synchronous=FULL``, ``foreign_keys=ON``,
``secure_delete=ON`` and a busy timeout through a pool ``connect`` event. ``secure_delete`` is
set, and checked, on every connection because deleted and overwritten text (a purged
narrative, an old mask) must not stay readable in the file: Debian's SQLite is built with it
on, a SQLite built without SQLITE_SECURE_DELETE is not, and with it off purged narratives
stayed readable in ``kiosk.db`` (tests/faults/test_kiosk_disk_privacy.py). The WAL keeps old
page images until a checkpoint empties it: :meth:`Database.checkpoint` (``TRUNCATE``) runs
after each purge.

Python's ``sqlite3`` driver (3.11) would start transactions lazily and only before DML; we
switch that off (``isolation_level = None``) and emit the ``BEGIN`` ourselves from a ``begin``
event, as SQLAlchemy documents for pysqlite: ``BEGIN IMMEDIATE`` for writes (the write lock is
taken at the start, so a busy database fails before anything is done instead of at commit),
plain ``BEGIN`` for reads (a consistent WAL snapshot).
"""

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from kiosk.storage.errors import known_errors

DEFAULT_BUSY_TIMEOUT_MS = 5000
#: Execution option naming the BEGIN mode ("IMMEDIATE" for writes; "DEFERRED" by default).
BEGIN_MODE = "td_begin"


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
            cursor.execute("PRAGMA secure_delete = ON")
            row = cursor.execute("PRAGMA secure_delete").fetchone()
            if row is None or int(row[0]) != 1:
                raise RuntimeError("this SQLite cannot overwrite deleted content "
                                   "(PRAGMA secure_delete); the kiosk will not store data")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get(BEGIN_MODE, "DEFERRED")
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
        self._write_engine = engine.execution_options(**{BEGIN_MODE: "IMMEDIATE"})

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

    def checkpoint(self) -> bool:
        """Copy the WAL into the main file and truncate it to nothing, so that page images
        from before a purge leave the -wal file too. False when a reader kept it from
        finishing (the next call will)."""
        with known_errors(), self.engine.connect() as conn:
            busy, _log, _done = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
        return int(busy) == 0

    def close(self) -> None:
        """Checkpoint the WAL into the main file when possible and close every connection."""
        with contextlib.suppress(sa_exc.DBAPIError):
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").all()
        self.engine.dispose()
