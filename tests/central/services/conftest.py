"""Fixtures of the service tests: a database with the small organisation and five kiosks,
on SQLite and on PostgreSQL (module-scoped; each test empties the records it needs gone)."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.central.services.histories import World, make_world


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[World]:
    if request.param == "sqlite":
        folder: Path = tmp_path_factory.mktemp("rollups")
        w = make_world(f"sqlite:///{folder / 'central.db'}")
        yield w
        w.engine.dispose()
        return
    cluster = request.getfixturevalue("pg_cluster")
    url = cluster.create_database(prefix="rollups")
    w = make_world(url)
    yield w
    w.engine.dispose()
    cluster.drop_database(url)
