"""Real-display suite: the installed kiosk on Xvfb, with and without the kiosk session's
window manager, driven by real pointer events.

Every test here carries the ``xdisplay`` marker (``-m xdisplay`` runs only these,
``-m "not xdisplay"`` leaves them out). In CI a missing Xvfb, xdotool, matchbox or xcb
library fails these tests; elsewhere they are skipped with the reason.
"""

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.central import running_central
from tests.support.xdisplay import require_xdisplay
from tests.xdisplay.kiosk_process import TRATO_KIOSK, kiosk_data_dir, unit_umask

HERE = Path(__file__).resolve().parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "xdisplay: runs the kiosk on a real X server (Xvfb, xdotool, matchbox; "
        "never skipped in CI)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.xdisplay)


@pytest.fixture(scope="session")
def xdisplay_available() -> None:
    require_xdisplay()


@pytest.fixture(scope="session")
def kiosk_home(tmp_path_factory: pytest.TempPathFactory,
               xdisplay_available: None) -> Iterator[Path]:
    """The kiosk user's home with an enrolled kiosk in the unit's data folder, and the real
    central server it belongs to running for the whole session (so sync runs as it would)."""
    root = tmp_path_factory.mktemp("xdisplay")
    home = root / "home"
    home.mkdir(mode=0o700)
    with running_central(f"sqlite:///{root / 'central.db'}", root / "central") as central:
        done = subprocess.run(
            [str(TRATO_KIOSK), "enroll", "--server", central.base_url,
             "--token", central.issue_token(), "--data-dir", str(kiosk_data_dir(home))],
            capture_output=True, text=True, timeout=60, check=False, umask=unit_umask())
        assert done.returncode == 0, done.stderr
        yield home
