"""The store's schema: the Alembic migrations under ``migrations/``, run programmatically.

:func:`migrate` upgrades a file in one ``BEGIN IMMEDIATE`` transaction and refuses a database
newer than the code. Alembic is imported only when a migration runs: a database already at
:data:`SCHEMA_HEAD` opens without it (:func:`kiosk.storage.db.open_database`).
"""

import logging
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from kiosk.storage.connection import BEGIN_MODE, DEFAULT_BUSY_TIMEOUT_MS, create_sqlite_engine
from kiosk.storage.errors import DatabaseNewerThanCode, StorageError

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
#: The newest revision under migrations/versions (a test keeps the two equal). A database
#: already stamped with it opens without importing Alembic, which saves a quarter of a second
#: of kiosk start-up.
SCHEMA_HEAD = "0004"


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
        with engine.connect().execution_options(**{BEGIN_MODE: "IMMEDIATE"}) as conn:
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
