"""Alembic migrations of the central store, for SQLite (batch mode) and PostgreSQL.

:func:`upgrade_to_head` runs at start (app and CLI). Concurrent starts (several uvicorn
workers) are serialised: a PostgreSQL advisory lock, or a lock file beside the SQLite database.
A database stamped with a revision this code does not know (newer) is refused. A revision
that sets ``rebuild_rollups = True`` has the rollups refilled from the raw rows once the
upgrade reaches head (with the code of that head, in the same transaction).
"""

import contextlib
import fcntl
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

log = logging.getLogger(__name__)

_ADVISORY_LOCK_KEY = 0x7D_C3_17  # "TD central migrations"


class SchemaTooNew(RuntimeError):  # noqa: N818 - reads as a sentence
    """The database was migrated by a newer version of the server."""


def alembic_config(engine: Engine | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", "central:migrations")
    if engine is not None:
        cfg.set_main_option(
            "sqlalchemy.url",
            engine.url.render_as_string(hide_password=False).replace("%", "%%"),
        )
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@contextlib.contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _ADVISORY_LOCK_KEY})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _ADVISORY_LOCK_KEY})
                conn.commit()
        return
    database = engine.url.database
    if not database or database == ":memory:":
        yield
        return
    lock_path = Path(database + ".migrate.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _known(script: ScriptDirectory, revision: str) -> bool:
    from alembic.util import CommandError

    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def upgrade_to_head(engine: Engine) -> None:
    with _migration_lock(engine):
        script = ScriptDirectory.from_config(alembic_config())
        current = current_revision(engine)
        if current is not None and not _known(script, current):
            raise SchemaTooNew(f"database revision {current} is newer than this server")
        if current == script.get_current_head():
            return
        cfg = alembic_config(engine)
        rebuild = _rollups_to_rebuild(script, current)
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            if rebuild:
                from central.services.rollups import rebuild_rollups

                rebuild_rollups(conn)
        log.info("database upgraded to %s", script.get_current_head())


def _rollups_to_rebuild(script: ScriptDirectory, current: str | None) -> bool:
    """Whether a revision between ``current`` and head asks for the rollups to be refilled."""
    revisions = script.iterate_revisions("heads", current or "base")
    return any(getattr(rev.module, "rebuild_rollups", False) for rev in revisions)


def schema_differences(engine: Engine) -> list[Any]:
    """Differences between the database and the models (empty when they match)."""
    from alembic.autogenerate import compare_metadata

    from central.migrations.meta import compare_type, include_object, target_metadata

    with engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn,
            opts={"compare_type": compare_type, "include_object": include_object,
                  "render_as_batch": True},
        )
        return list(compare_metadata(ctx, target_metadata()))
