"""Suite-wide fixtures: the throwaway PostgreSQL cluster and the Chromium executable, and how
the tests are shared between pytest-xdist workers.

Real components are never skipped in CI (``CI=true``): a missing PostgreSQL or Chromium fails
the test there. On a developer machine without them the test is skipped with the reason.

``scripts/test.sh`` runs the whole suite on two workers with ``--dist loadgroup``. Each test
module is one group, so a module's fixtures are built once, on one worker. The real-session
tests (``tests/installer``, ``tests/xdisplay``) are one group, run first: they share the
built bundle and are the longest stretch, so starting them first keeps both workers busy to
the end.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.postgres import PostgresCluster, PostgresUnavailable, postgres_cluster

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
TESTS = Path(__file__).resolve().parent
#: Folders whose tests run on one worker, one after the other, before everything else.
REAL_SESSION = ("installer", "xdisplay")
#: Modules whose tests are long and share nothing costly: each test is its own group.
ONE_BY_ONE = ("kiosk/ui/test_layout.py",)


def _group(item: pytest.Item) -> str:
    relative = Path(str(item.fspath)).resolve().relative_to(TESTS)
    if relative.parts[0] in REAL_SESSION:
        return "real-session"
    if relative.as_posix() in ONE_BY_ONE:
        return item.nodeid
    return relative.as_posix()


def _first(item: pytest.Item) -> int:
    """The longest stretches start first, so neither worker is left with one at the end."""
    group = _group(item)
    if group == "real-session":
        return 0
    return 1 if group == item.nodeid else 2


def _set_node_id(item: pytest.Item, nodeid: str) -> None:
    """pytest 9 keeps the node id in ``_id`` (a NodeId); pytest-xdist 3.8 still writes
    ``_nodeid`` for ``--dist loadgroup``, which pytest 9 no longer reads."""
    from _pytest.nodeid import coerce_node_id

    item._id = coerce_node_id(nodeid)  # type: ignore[attr-defined]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    grouping = bool(getattr(config.option, "loadgroup", False))  # set on xdist's workers
    for item in items:
        nodeid = item.nodeid
        # Schemathesis names its items "test[GET /path]" but gives them all one node id;
        # xdist tells tests apart by node id.
        if not nodeid.endswith(item.name):
            nodeid = f"{nodeid.rsplit('::', 1)[0]}::{item.name}"
        if grouping:  # what xdist's loadgroup means: "@group" at the end of the node id
            nodeid = f"{nodeid}@{_group(item)}"
        if nodeid != item.nodeid:
            _set_node_id(item, nodeid)
    items.sort(key=_first)  # stable: the order within a rank is kept


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
