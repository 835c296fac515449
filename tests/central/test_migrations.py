"""Alembic migrations on both engines match the models."""

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from central.db import make_engine
from central.migrations import (
    SchemaTooNew,
    current_revision,
    head_revision,
    schema_differences,
    upgrade_to_head,
)
from central.migrations.meta import target_metadata


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'm.db'}"
    return str(request.getfixturevalue("pg_url"))


def test_upgrade_to_head_creates_exactly_the_models_schema(empty_url: str):
    engine = make_engine(empty_url)
    try:
        upgrade_to_head(engine)
        assert current_revision(engine) == head_revision()
        assert schema_differences(engine) == []
        tables = set(inspect(engine).get_table_names())
        assert set(target_metadata().tables) <= tables
        upgrade_to_head(engine)  # idempotent
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_a_database_from_a_newer_server_is_refused(empty_url: str):
    engine = make_engine(empty_url)
    try:
        upgrade_to_head(engine)
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = 'ffffffffffff'"))
        with pytest.raises(SchemaTooNew):
            upgrade_to_head(engine)
    finally:
        engine.dispose()


def test_sqlite_connections_are_set_up(tmp_path: Path):
    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30000
    finally:
        engine.dispose()
