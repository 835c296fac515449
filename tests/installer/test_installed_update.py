"""A signed update on the real installed kiosk: the real folder build (the session's
``kiosk_bundle``, not built again) installed by the one-file installer into a throwaway root
with the central server's trust anchor, then a copy of it with the next version number
published through the server's TUF repository. The installed kiosk, run as its service runs
it (the launcher, offscreen), fetches and verifies it, switches on its attract screen and
exits; the launcher self-tests the new version and starts it on probation; the new version
reports itself, confirms itself healthy, and refuses a tampered target the server offers next.
"""

import json
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from central.models import Kiosk
from kiosk import SOURCE_VERSION
from kiosk.sync.versions import Layout
from tests.installer.conftest import Installed, run_installer
from tests.support.central import CentralHandle
from tests.support.updates import (
    ADMIN,
    board_update_cell,
    fake_build,
    new_repository,
    publish,
    stage_on_board,
    tamper,
)
from tests.support.xdisplay import stop_process, wait_until


def next_version(version: str, step: int = 1) -> str:
    *head, patch = version.split(".")
    return ".".join([*head, str(int(patch) + step)])


@pytest.fixture(scope="module")
def board(central: CentralHandle) -> CentralHandle:
    central.create_user(ADMIN, role="admin")
    return central


class Service:
    """The installed unit's command, started and stopped as systemd does it (its own process
    group: ``systemctl stop`` signals every process of the unit)."""

    def __init__(self, installed: Installed, log: Path) -> None:
        self.command, unit_env = installed.service_command()
        Path(unit_env["TMPDIR"]).mkdir(parents=True, exist_ok=True)  # the unit's ExecStartPre
        self.env = {**unit_env, "QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin",
                    "HOME": str(installed.data), "LANG": "C.UTF-8",
                    "TD_KIOSK_SYNC_INTERVAL_SECONDS": "5",
                    "TD_KIOSK_UPDATE_PROBATION_SECONDS": "5"}
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> subprocess.Popen[bytes]:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen([*self.command, "--windowed"], env=self.env,
                                         stdout=out, stderr=out, start_new_session=True)
        return self.proc

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def reported(central: CentralHandle, kiosk_id: str) -> tuple[str, str, str, str]:
    """What the server holds of the kiosk: version, update state, version and detail."""
    with central.session() as session:
        k = session.exec(select(Kiosk).where(Kiosk.id == uuid.UUID(kiosk_id))).one()
        return k.app_version, k.update_state, k.update_version, k.update_detail


@pytest.fixture
def service() -> Iterator[list[Service]]:
    """The services a test started, stopped at its end whatever happened."""
    started: list[Service] = []
    yield started
    for each in started:
        if each.proc is not None:
            stop_process(each.proc)


def test_the_installed_kiosk_takes_a_signed_update_and_refuses_a_tampered_one(
        kiosk_bundle: Path, installer_file: Path, board: CentralHandle, tmp_path: Path,
        service: list[Service]) -> None:
    central = board
    v2, v3 = next_version(SOURCE_VERSION), next_version(SOURCE_VERSION, 2)
    repo = new_repository(central, tmp_path / "offline")
    # v2: the real build as a rebuild with the next version number makes it (the spec writes
    # the source's version into _internal/VERSION; nothing else differs).
    build = tmp_path / "v2"
    shutil.copytree(kiosk_bundle, build, symlinks=True)
    (build / "_internal" / "VERSION").write_text(v2 + "\n")
    publish(central, build, v2)
    shutil.rmtree(build)

    installed = Installed(tmp_path / "root")
    done = run_installer(installer_file, "--root", installed.root, "--server", central.base_url,
                         "--token", central.issue_token(), "--update-root",
                         repo.metadata_dir / "1.root.json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (installed.prefix / "update-root.json").is_file()
    kiosk_id = json.loads((installed.data / "credentials" / "kiosk-credentials.json")
                          .read_text())["kiosk_id"]
    layout = Layout(installed.data, installed.prefix)
    stage_on_board(central, "AGS", v2)

    # The installed version checks at start, verifies and unpacks v2, and, its attract screen
    # showing, switches `current` and exits for the service to start it again.
    first = Service(installed, tmp_path / "kiosk-1.log")
    service.append(first)
    proc = first.start()
    assert proc.wait(timeout=120) == 0, first.tail()
    assert layout.running_dir() == layout.version_dir(v2)
    assert layout.pending.read_text().strip() == v2

    # The service starts the launcher again: it self-tests v2 and runs it on probation.
    publish(central, fake_build(tmp_path / "v3", v3), v3)
    tamper(repo, v3)  # one byte changed after signing
    stage_on_board(central, "AGS", v3)
    second = Service(installed, tmp_path / "kiosk-2.log")
    service.append(second)
    proc = second.start()
    wait_until(lambda: reported(central, kiosk_id)[0] == v2 or proc.poll() is not None, 90,
               f"the kiosk to report version {v2}", interval=0.25)
    assert proc.poll() is None, second.tail()
    test_log = (layout.root / "self-test.log").read_text()
    assert f"Trato Digno {v2}" in test_log and "0 falla(s)" in test_log, test_log
    # v2 refuses the tampered v3: nothing unpacked, the refusal on the board.
    wait_until(lambda: reported(central, kiosk_id)[1:] == ("refused", v3, "bad_hash")
               or proc.poll() is not None, 60, "the refusal to be reported", interval=0.25)
    assert proc.poll() is None, second.tail()
    assert not layout.is_staged(v3) and layout.running_dir() == layout.version_dir(v2)
    cell = board_update_cell(central, kiosk_id)
    assert "Rechazada por firma" in cell and "el archivo no coincide con lo firmado" in cell
    wait_until(lambda: not layout.probation.exists(), 30, "v2 to confirm itself healthy")
    assert stop_process(proc) == 0, second.tail()
    assert "crashed" not in second.tail() and not layout.result.exists()
