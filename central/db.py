"""Database engine and sessions. The URL selects the engine.

* SQLite (embedded default): every connection is set up explicitly (WAL, ``synchronous=FULL``,
  foreign keys, busy timeout). Transactions begin ``DEFERRED``; a write path that must not
  deadlock on lock upgrade opens its session with :func:`write_session` (``BEGIN IMMEDIATE``).
* PostgreSQL (production) through psycopg 3 with a connection pool.

Timestamps are stored and returned timezone-aware in UTC (:class:`UtcDateTime`), also on SQLite
which keeps no time zone. The board counts by *local day* (:func:`local_day`, Mexico City time);
SQL gets the same day from :func:`local_day_sql` (PostgreSQL's ``timezone()``, or the
``td_local_day`` function this module gives every SQLite connection).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy import DateTime, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session

SQLITE_BUSY_TIMEOUT_MS = 30_000
#: The board's time: local days, weeks and months are Mexico City's.
LOCAL_TIMEZONE = "America/Mexico_City"
LOCAL_ZONE = ZoneInfo(LOCAL_TIMEZONE)


def utcnow() -> datetime:
    return datetime.now(UTC)


def server_now(state: Any) -> datetime:
    """The server's clock of an app (``app.state``): ``state.clock`` when set (a callable
    answering an aware datetime: tests and demos move it), else :func:`utcnow`."""
    return (getattr(state, "clock", None) or utcnow)()


def local_day(moment: datetime) -> date:
    """The local day of a moment (a naive one is taken as UTC, as the database keeps it)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_ZONE).date()


def _sqlite_local_day(value: str | None) -> str | None:
    """``td_local_day(ts)`` on SQLite: the local day of a stored UTC timestamp, ISO text."""
    if value is None:
        return None
    return local_day(datetime.fromisoformat(value)).isoformat()


def local_day_sql(column: Any, dialect_name: str) -> Any:
    """SQL for the local day of a timestamp column (what :func:`local_day` gives in Python)."""
    if dialect_name == "postgresql":
        return sa.cast(sa.func.timezone(LOCAL_TIMEZONE, column), sa.Date)
    return sa.func.td_local_day(column)


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every engine (naive values are taken as UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def is_sqlite_url(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str, *, pool_size: int = 10, max_overflow: int = 20, echo: bool = False,
                connect_args: dict[str, Any] | None = None) -> Engine:
    """An engine for ``url`` set up for this project (see the module docstring);
    ``connect_args``: passed to the PostgreSQL driver (timeouts, session options)."""
    if is_sqlite_url(url):
        engine = create_engine(
            url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30}
        )
        _setup_sqlite(engine)
        return engine
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return create_engine(
        url, echo=echo, pool_size=pool_size, max_overflow=max_overflow, pool_pre_ping=True,
        pool_recycle=1800, connect_args=connect_args or {},
    )


def _setup_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own is unreliable).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()
        dbapi_connection.create_function("td_local_day", 1, _sqlite_local_day,
                                         deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get("td_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session whose transaction takes the write lock at once on SQLite (no upgrade
    deadlock between concurrent writers); an ordinary session on PostgreSQL. Commit is the
    caller's; the session is closed (and rolled back if uncommitted) on exit."""
    with Session(engine, expire_on_commit=False) as session:
        session.connection(execution_options={"td_write": True})
        yield session
