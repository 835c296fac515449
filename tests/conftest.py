"""Suite-wide fixtures: the throwaway PostgreSQL cluster and the Chromium executable.

Real components are never skipped in CI (``CI=true``): a missing PostgreSQL or Chromium fails
the test there. On a developer machine without them the test is skipped with the reason.
"""

import os
import shutil
from collections.abc import Iterator

import pytest

from tests.support.postgres import PostgresCluster, PostgresUnavailable, postgres_cluster

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PostgresCluster]:
    try:
        with postgres_cluster() as cluster:
            yield cluster
    except PostgresUnavailable as exc:
        _unavailable(str(exc))


@pytest.fixture
def pg_url(pg_cluster: PostgresCluster) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test."""
    url = pg_cluster.create_database()
    yield url
    pg_cluster.drop_database(url)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("TD_CHROMIUM") or shutil.which("chromium")
    if not path:
        _unavailable("Debian's chromium is not installed")
    return str(path)
