"""``trato-kiosk self-test`` on real kiosk data folders (real SQLite files, a real central
server, a real X screen): each fault gives its exit code and the line a technician reads."""

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.selftest import EXIT_FAILED, EXIT_OK, EXIT_WARNINGS, OK, WARN, fonts_check
from kiosk.storage.db import open_database
from kiosk.sync.credentials import load_credentials
from tests.support.assets import copy_of_assets
from tests.support.central import CentralHandle, running_central
from tests.support.xdisplay import XDisplay, require_xdisplay, xdisplay

TRATO_KIOSK = Path(sys.executable).parent / "trato-kiosk"


@pytest.fixture(scope="module")
def screen() -> Iterator[XDisplay]:
    require_xdisplay()
    with xdisplay(1920, 1080) as x:
        yield x


def self_test(data: Path, x: XDisplay, *args: str) -> subprocess.CompletedProcess[str]:
    env = x.env({"QT_QPA_PLATFORM": "xcb"})
    env.pop("TD_KIOSK_DATA_DIR", None)
    return subprocess.run([str(TRATO_KIOSK), "self-test", "--data-dir", str(data), *args],
                          capture_output=True, text=True, timeout=90, check=False, env=env)


def enrol(central: CentralHandle, data: Path) -> None:
    done = subprocess.run([str(TRATO_KIOSK), "enroll", "--server", central.base_url,
                           "--token", central.issue_token(), "--data-dir", str(data)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr


@pytest.fixture
def healthy(central: CentralHandle, tmp_path: Path) -> Path:
    """An enrolled kiosk whose database exists and is at the newest schema."""
    data = tmp_path / "data"
    enrol(central, data)
    open_database(data / "kiosk.db").database.close()
    return data


def line(done: subprocess.CompletedProcess[str], title: str) -> str:
    [found] = [row for row in done.stdout.splitlines() if f"] {title}:" in row]
    return found


def test_a_healthy_kiosk_is_exit_0(healthy: Path, screen: XDisplay) -> None:
    done = self_test(healthy, screen)
    assert done.returncode == EXIT_OK, done.stdout + done.stderr
    assert line(done, "Base de datos").startswith("[ OK  ]")
    assert "íntegra" in line(done, "Base de datos")
    assert "1920x1080" in line(done, "Pantalla")
    assert "registrado y vigente" in line(done, "Servidor y registro")
    assert "Noto Sans" in line(done, "Tipografías")
    assert done.stdout.rstrip().endswith("código 0)")


def test_the_json_report_names_every_check(healthy: Path, screen: XDisplay) -> None:
    done = self_test(healthy, screen, "--json")
    report = json.loads(done.stdout)
    assert report["exit_code"] == done.returncode == EXIT_OK
    assert {c["name"] for c in report["checks"]} == {
        "assets", "qt", "screen", "fonts", "translations", "database", "disk", "clock",
        "server"}


def test_a_corrupt_database_is_a_failure(healthy: Path, screen: XDisplay) -> None:
    db = healthy / "kiosk.db"
    raw = bytearray(db.read_bytes())
    raw[4096:8192] = b"\xa5" * 4096  # the second page: a table's b-tree, overwritten
    db.write_bytes(bytes(raw))
    done = self_test(healthy, screen)
    assert done.returncode == EXIT_FAILED, done.stdout
    assert line(done, "Base de datos").startswith("[FALLA]")
    assert "dañada" in line(done, "Base de datos")
    assert db.read_bytes() == bytes(raw)  # the self-test never repairs or moves it


def test_an_unreachable_server_is_a_warning(tmp_path: Path, screen: XDisplay) -> None:
    data = tmp_path / "data"
    with running_central(f"sqlite:///{tmp_path / 'gone.db'}", tmp_path / "gone") as gone:
        enrol(gone, data)
        server = gone.base_url
    open_database(data / "kiosk.db").database.close()
    done = self_test(data, screen)
    assert done.returncode == EXIT_WARNINGS, done.stdout
    assert line(done, "Servidor y registro") == (
        f"[AVISO] Servidor y registro: {server} no responde (network); el kiosco guarda los "
        "registros y los enviará cuando haya red")


def test_a_revoked_kiosk_is_a_failure(healthy: Path, central: CentralHandle,
                                      screen: XDisplay) -> None:
    creds = load_credentials(healthy / "credentials")
    assert creds is not None
    central.revoke(creds.kiosk_id)
    done = self_test(healthy, screen)
    assert done.returncode == EXIT_FAILED, done.stdout
    assert "rechazó al kiosco (revoked)" in line(done, "Servidor y registro")


def test_an_older_schema_is_a_warning_and_left_alone(tmp_path: Path, screen: XDisplay) -> None:
    from kiosk.storage.migrate import migrate

    data = tmp_path / "data"
    data.mkdir()
    migrate(data / "kiosk.db", target="0002")
    done = self_test(data, screen)
    assert done.returncode == EXIT_WARNINGS, done.stdout
    assert "versión 0002; se actualizará a" in line(done, "Base de datos")
    assert "no está registrado" in line(done, "Servidor y registro")


@pytest.mark.parametrize("listed", [True, False], ids=["fontconfig-lists-them", "it-does-not"])
def test_the_fonts_check_says_whether_fontconfig_lists_the_bundled_fonts(
        tmp_path: Path, listed: bool) -> None:
    """The Qt probe (offscreen) on the assets as shipped, and on assets whose fonts.conf names
    no font folder: the kiosk still draws with its fonts, later, and the check says so."""
    import os

    assets = copy_of_assets(tmp_path, fontconfig_lists_fonts=listed)
    probe_code = ("import json, sys; from pathlib import Path; from kiosk.selftest import "
                  "qt_probe; print(json.dumps(qt_probe(Path(sys.argv[1]), None, None)))")
    env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    done = subprocess.run([sys.executable, "-c", probe_code, str(assets)], capture_output=True,
                          text=True, timeout=60, check=False,
                          env=dict(env, QT_QPA_PLATFORM="offscreen", XDG_CACHE_HOME=str(tmp_path)))
    assert done.returncode == 0, done.stderr
    probe = json.loads(done.stdout.splitlines()[-1])
    assert probe["fontconfig_lists_fonts"] is listed
    check = fonts_check(probe)
    assert check.status == (OK if listed else WARN)
    assert "Noto Sans" in check.message
    assert ("fontconfig no las encuentra" in check.message) is not listed
