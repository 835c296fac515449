"""Fixtures of the service tests: a database with the small organisation and five kiosks
(``world``), or with the small organisation alone (``org_engine``), on SQLite and on
PostgreSQL (module-scoped; each test empties the records it needs gone)."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from central.db import make_engine
from central.migrations import upgrade_to_head
from tests.central.services.histories import World, make_world
from tests.support.central import seed_small_org


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


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def org_engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
               ) -> Iterator[Engine]:
    """A migrated database with the small organisation and nothing else."""
    if request.param == "sqlite":
        folder: Path = tmp_path_factory.mktemp("org")
        url = f"sqlite:///{folder / 'central.db'}"
    else:
        url = request.getfixturevalue("pg_cluster").create_database(prefix="org")
    engine = make_engine(url)
    upgrade_to_head(engine)
    seed_small_org(engine)
    yield engine
    engine.dispose()
    if request.param == "postgres":
        request.getfixturevalue("pg_cluster").drop_database(url)
