"""Signed updates end to end, on a tiny fake kiosk build (a shell script that answers
``self-test`` and records which version ran): a real central server over HTTP publishes it
as a TUF repository, an administrator stages a rollout on the Kioscos page, the kiosk's real
updater (python-tuf through the kiosk's HTTP client) downloads, verifies and stages it, the
attract screen switches it in, and the launcher tests it and keeps it or rolls it back; the
kiosk's report puts each state on the board. Each test that involves a launcher runs twice:
as a Linux kiosk (the real launcher script, symbolic links) and as a Windows kiosk (the
installed program's own launcher, kiosk.sync.launch, pointer files, builds published as
``-windows`` targets), both on this machine."""

import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from central.updates.repository import Repository
from kiosk.sync.updater import Updater
from kiosk.sync.versions import LAUNCHER_ENV, Layout
from kiosk.ui.update_bridge import UpdateBridge
from tests.central.web.conftest import PASSWORD, login
from tests.faults.sync_support import Kiosk, make_kiosk
from tests.support.central import CentralHandle, running_central
from tests.support.updates import (
    ADMIN,
    PLATFORMS,
    TRATO_CENTRAL,
    Platform,
    new_repository,
    node_id,
    publish,
    stage_on_board,
    tamper,
)
from tests.support.updates import board_update_cell as board_cell
from trato.protocol.wire import UpdateState


@pytest.fixture(scope="module")
def central(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CentralHandle]:
    root = tmp_path_factory.mktemp("central")
    with running_central(f"sqlite:///{root / 'central.db'}", root) as handle:
        handle.create_user(ADMIN, role="admin")
        handle.create_user("jefe_bc", role="ooad", scope_code="BC")
        yield handle


@pytest.fixture
def repo(central: CentralHandle, tmp_path: Path) -> Repository:
    """A new repository (new keys) for each test; no rollout staged."""
    return new_repository(central, tmp_path / "offline")


@pytest.fixture(params=sorted(PLATFORMS))
def platform(request: pytest.FixtureRequest) -> Platform:
    """The kiosk's platform: its builds, its pointers and its launcher."""
    return PLATFORMS[request.param]


def install(tmp_path: Path, repository: Repository, platform: Platform) -> Path:
    """The installed program (version 0.1.0), its launcher and the trust anchor the
    installer puts beside it (install-kiosk.sh --update-root, or setup's /UPDATEROOT=)."""
    installed = platform.install(tmp_path / "opt" / "trato-kiosk")
    shutil.copy(repository.metadata_dir / "1.root.json", installed / "update-root.json")
    return installed


def enrolled(central: CentralHandle, tmp_path: Path, module: str = "ASIMS000039") -> Kiosk:
    return make_kiosk(tmp_path / f"kiosk-{module}", central.base_url, central.issue_token(module))


def updater_of(kiosk: Kiosk, installed: Path, platform: Platform,
               running: str = "0.1.0") -> Updater:
    return Updater(kiosk.client(), kiosk.settings.data_dir, installed,
                   str(kiosk.credentials.kiosk_id), running, flavour=platform.flavour)


def run_session(platform: Platform, installed: Path,
                data: Path) -> subprocess.CompletedProcess[str]:
    """The kiosk's session starts it once (the service, or Shell Launcher)."""
    env = dict(os.environ, TD_KIOSK_DATA_DIR=str(data))
    env.pop(LAUNCHER_ENV, None)
    return subprocess.run(platform.command(installed), capture_output=True, text=True,
                          timeout=60, check=False, env=env)


def launch(kiosk: Kiosk, installed: Path,
           platform: Platform) -> subprocess.CompletedProcess[str]:
    return run_session(platform, installed, Path(kiosk.settings.data_dir))


def last_ran(kiosk: Kiosk | Path) -> str:
    data = Path(kiosk.settings.data_dir) if isinstance(kiosk, Kiosk) else kiosk
    return (data / "ran.log").read_text().splitlines()[-1]


def board_update_cell(central: CentralHandle, kiosk: Kiosk) -> str:
    return board_cell(central, kiosk.credentials.kiosk_id)


def test_a_published_version_is_installed_at_the_attract_screen(
        central: CentralHandle, repo: Repository, platform: Platform, tmp_path: Path,
        qtbot: object) -> None:
    installed = install(tmp_path, repo, platform)
    publish(central, platform.build(tmp_path / "v2", "0.2.0"), "0.2.0")
    kiosk = enrolled(central, tmp_path)
    updater = updater_of(kiosk, installed, platform)
    assert updater.check(force=True) is None  # published, but not staged for any branch

    stage_on_board(central, "AGS", "0.2.0")
    status = updater.check(force=True)
    assert status is not None and status.state == UpdateState.READY
    assert updater.layout.is_staged("0.2.0")
    assert launch(kiosk, installed, platform).returncode == 0
    assert last_ran(kiosk) == "0.1.0 run"  # staged beside it; still running the old one

    # The switch waits for the attract screen.
    bridge = UpdateBridge(updater, on_attract=False)
    with qtbot.assertNotEmitted(bridge.restartRequested):  # type: ignore[attr-defined]
        bridge.page_shown("survey")
    assert not updater.layout.current.exists()
    with qtbot.waitSignal(bridge.restartRequested, timeout=2000):  # type: ignore[attr-defined]
        bridge.page_shown("attract")

    # The service starts the launcher again: it tests 0.2.0, keeps it and runs it.
    assert launch(kiosk, installed, platform).returncode == 0
    assert last_ran(kiosk) == "0.2.0 run"
    after = updater_of(kiosk, installed, platform, running="0.2.0")
    status = after.check(force=True)
    assert status is not None and status.state == UpdateState.INSTALLED
    assert kiosk.engine().send_report()
    cell = board_update_cell(central, kiosk)
    assert cell.startswith(' data-update="installed"') and "Instalada" in cell and "0.2.0" in cell
    assert launch(kiosk, installed, platform).returncode == 0 and last_ran(kiosk) == "0.2.0 run"
    kiosk.close()


def test_a_tampered_target_and_unsigned_metadata_are_refused_and_reported(
        central: CentralHandle, repo: Repository, platform: Platform,
        tmp_path: Path) -> None:
    installed = install(tmp_path, repo, platform)
    publish(central, platform.build(tmp_path / "v2", "0.2.0"), "0.2.0")
    tamper(repo, "0.2.0", platform.name)  # same length, one byte changed after signing
    stage_on_board(central, "AGS", "0.2.0")
    kiosk = enrolled(central, tmp_path)
    updater = updater_of(kiosk, installed, platform)
    status = updater.check(force=True)
    assert status is not None and (status.state, status.detail) == (UpdateState.REFUSED,
                                                                   "bad_hash")
    assert not updater.layout.is_staged("0.2.0")
    assert not any(updater.layout.downloads.glob("*"))  # kept out: nothing on disk
    assert updater.ready_version() is None and not updater.apply()
    assert kiosk.engine().send_report()
    cell = board_update_cell(central, kiosk)
    assert 'data-update="refused"' in cell and "Rechazada por firma" in cell
    assert "el archivo no coincide con lo firmado" in cell

    # Metadata changed without the key: the timestamp says there is a newer snapshot.
    publish(central, platform.build(tmp_path / "v3", "0.2.1"), "0.2.1")
    stage_on_board(central, "AGS", "0.2.1")
    stamp_path = repo.metadata_dir / "timestamp.json"
    stamp = json.loads(stamp_path.read_text())
    stamp["signed"]["version"] += 1
    stamp_path.write_text(json.dumps(stamp))
    status = updater.check(force=True)
    assert status is not None and (status.state, status.detail) == (UpdateState.REFUSED,
                                                                   "bad_signature")
    assert not updater.layout.is_staged("0.2.1")
    assert kiosk.engine().send_report()
    assert "la firma de los metadatos no es válida" in board_update_cell(central, kiosk)
    kiosk.close()


def test_a_version_that_fails_its_self_test_is_rolled_back(
        central: CentralHandle, repo: Repository, platform: Platform,
        tmp_path: Path) -> None:
    installed = install(tmp_path, repo, platform)
    publish(central, platform.build(tmp_path / "v3", "0.3.0", self_test_exit=3), "0.3.0")
    stage_on_board(central, "ASIMS000039-M1", "0.3.0")  # a module: the narrowest branch
    kiosk = enrolled(central, tmp_path)
    updater = updater_of(kiosk, installed, platform)
    assert updater.check(force=True).state == UpdateState.READY  # type: ignore[union-attr]
    assert updater.apply()
    done = launch(kiosk, installed, platform)
    assert done.returncode == 0 and "rolled back (self_test_failed)" in done.stderr
    assert last_ran(kiosk) == "0.1.0 run"  # the previous version, restored
    assert Layout(kiosk.settings.data_dir, installed, platform.flavour).running_dir() == installed
    after = updater_of(kiosk, installed, platform)
    status = after.check(force=True)
    assert status is not None and (status.state, status.detail) == (UpdateState.ROLLED_BACK,
                                                                   "self_test_failed")
    assert after.check(force=True) is None  # not fetched and tried again at once
    assert kiosk.engine().send_report()
    cell = board_update_cell(central, kiosk)
    assert 'data-update="rolled_back"' in cell and "Revertida" in cell
    kiosk.close()


def test_a_version_that_never_finished_starting_is_rolled_back(
        platform: Platform, tmp_path: Path) -> None:
    """The launcher alone: a test left unfinished (power cut, hang killed) at the last start."""
    installed = platform.install(tmp_path / "opt")
    data = tmp_path / "data"
    layout = Layout(data, installed, platform.flavour)
    shutil.copytree(platform.build(tmp_path / "v2", "0.2.0"), layout.version_dir("0.2.0"))
    layout.save_status(UpdateState.READY, "0.2.0", datetime.now(UTC))
    layout.switch("0.2.0")
    layout.pending.rename(layout.testing)  # as the launcher leaves it while testing
    done = run_session(platform, installed, data)
    assert done.returncode == 0 and "did_not_start" in done.stderr
    assert (data / "ran.log").read_text().split() == ["0.1.0", "run"]
    assert layout.take_result() == ("rolled_back", "0.2.0", "did_not_start")
    assert layout.running_dir() == installed
    assert os.environ.get(LAUNCHER_ENV) is None  # the launcher's variable stays its own


def ends(kiosk: Kiosk | Path, version: str, how: str) -> None:
    """How the fake build of ``version`` ends its next runs (tests.support.updates)."""
    data = Path(kiosk.settings.data_dir) if isinstance(kiosk, Kiosk) else kiosk
    (data / f"ends-{version}").write_text(how)


def test_a_version_that_crashes_on_probation_is_rolled_back(
        central: CentralHandle, repo: Repository, platform: Platform,
        tmp_path: Path) -> None:
    """It passes its self-test, then dies (an exit status, a signal) before it confirmed itself
    healthy: the third crash brings the previous version back and the board says why."""
    installed = install(tmp_path, repo, platform)
    publish(central, platform.build(tmp_path / "v4", "0.4.0"), "0.4.0")
    stage_on_board(central, "AGS", "0.4.0")
    kiosk = enrolled(central, tmp_path)
    updater = updater_of(kiosk, installed, platform)
    assert updater.check(force=True).state == UpdateState.READY  # type: ignore[union-attr]
    assert updater.apply()
    layout = updater.layout

    ends(kiosk, "0.4.0", "1")  # an uncaught exception
    done = launch(kiosk, installed, platform)
    assert done.returncode == 1, done.stderr  # the service starts the launcher again
    assert "crashed (status 1, 1 of 3 on probation)" in done.stderr
    assert layout.probation.read_text().split() == ["0.4.0", "1"]
    ends(kiosk, "0.4.0", "75")  # "Salir del modo quiosco": not a crash
    assert launch(kiosk, installed, platform).returncode == 75
    # A crash by a signal (Linux); on Windows a process killed ends with a status.
    ends(kiosk, "0.4.0", "KILL" if platform.name == "linux" else "2")
    done = launch(kiosk, installed, platform)
    assert done.returncode == (128 + signal.SIGKILL if platform.name == "linux" else 2)
    assert "2 of 3" in done.stderr
    assert last_ran(kiosk) == "0.4.0 run" and layout.running_dir() == layout.version_dir("0.4.0")

    # The third: rolled back, the previous version started.
    done = launch(kiosk, installed, platform)
    assert done.returncode == 0, done.stderr
    assert "version 0.4.0 rolled back (crashed)" in done.stderr
    if platform.name == "windows":  # its windowed shell has no standard error: a log file
        logged = (layout.root / "launch.log").read_text().splitlines()
        assert [line.split(": ", 1)[1] for line in logged] == [
            "version 0.4.0 crashed (status 1, 1 of 3 on probation)",
            "version 0.4.0 crashed (status 2, 2 of 3 on probation)",
            "version 0.4.0 crashed (status 2, 3 of 3 on probation)",
            "version 0.4.0 rolled back (crashed)"]
    assert last_ran(kiosk) == "0.1.0 run"
    assert layout.running_dir() == installed and not layout.probation.exists()
    after = updater_of(kiosk, installed, platform)
    status = after.check(force=True)
    assert status is not None and (status.state, status.detail) == (UpdateState.ROLLED_BACK,
                                                                   "crashed")
    assert after.check(force=True) is None  # not fetched and tried again
    assert launch(kiosk, installed, platform).returncode == 0 and last_ran(kiosk) == "0.1.0 run"
    assert kiosk.engine().send_report()
    cell = board_update_cell(central, kiosk)
    assert 'data-update="rolled_back"' in cell and "Revertida" in cell
    assert "se cerró por una falla tres veces antes de confirmar que funciona" in cell
    kiosk.close()


def test_a_service_stop_is_not_counted_as_a_crash(tmp_path: Path) -> None:
    """The Linux launcher alone: the service stopping the kiosk (its signal reaches the whole
    control group) while the version is on probation is no crash."""
    platform = PLATFORMS["linux"]
    installed = platform.install(tmp_path / "opt")
    data = tmp_path / "data"
    layout = Layout(data, installed, platform.flavour)
    shutil.copytree(platform.build(tmp_path / "v2", "0.2.0"), layout.version_dir("0.2.0"))
    layout.switch("0.2.0")
    env = dict(os.environ, TD_KIOSK_DATA_DIR=str(data))
    ends(data, "0.2.0", "wait")
    service = subprocess.Popen(platform.command(installed), env=env, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while not (data / "ran.log").is_file() and time.monotonic() < deadline:
            time.sleep(0.05)
        os.killpg(service.pid, signal.SIGTERM)  # systemctl stop: the unit's control group
        _, stderr = service.communicate(timeout=20)
    finally:
        if service.poll() is None:
            os.killpg(service.pid, signal.SIGKILL)
            service.wait()
    assert service.returncode == 128 + signal.SIGTERM and "crashed" not in stderr
    assert layout.probation.read_text().split() == ["0.2.0", "0"]
    assert layout.take_result() == ("installed", "0.2.0", "")


def test_a_crash_after_the_probation_is_only_restarted(platform: Platform,
                                                       tmp_path: Path) -> None:
    """The launcher alone: once the kiosk confirmed itself healthy a crash is not counted."""
    installed = platform.install(tmp_path / "opt")
    data = tmp_path / "data"
    layout = Layout(data, installed, platform.flavour)
    shutil.copytree(platform.build(tmp_path / "v2", "0.2.0"), layout.version_dir("0.2.0"))
    layout.switch("0.2.0")
    assert run_session(platform, installed, data).returncode == 0  # tested, on probation
    assert layout.probation.read_text().split() == ["0.2.0", "0"]
    assert last_ran(data) == "0.2.0 run"
    updater = Updater(None, data, installed, "k", "0.2.0",  # type: ignore[arg-type]
                      flavour=platform.flavour)
    assert updater.confirm_healthy()
    assert not layout.probation.exists()
    for _ in range(3):
        ends(data, "0.2.0", "1")
        done = run_session(platform, installed, data)
        assert done.returncode == 1 and "rolled back" not in done.stderr
        assert last_ran(data) == "0.2.0 run"
    assert layout.running_dir() == layout.version_dir("0.2.0")
    assert layout.take_result() == ("installed", "0.2.0", "")


def test_a_kiosk_outside_the_staged_branch_is_not_offered_it(
        central: CentralHandle, repo: Repository, platform: Platform,
        tmp_path: Path) -> None:
    installed = install(tmp_path, repo, platform)
    publish(central, platform.build(tmp_path / "v2", "0.2.0"), "0.2.0")
    stage_on_board(central, "AGS", "0.2.0")
    inside, outside = enrolled(central, tmp_path), enrolled(central, tmp_path, "BCIMS000039")
    assert inside.client().update_offer(platform.name).version == "0.2.0"
    assert outside.client().update_offer(platform.name).version is None
    updater = updater_of(outside, installed, platform)
    assert updater.check(force=True) is None
    assert not updater.layout.versions.exists() and updater.status is None
    # Nor may another OOAD's user stage one, or see the rollout of a branch not theirs.
    with httpx.Client(base_url=central.base_url, timeout=30) as web:
        assert login(web, "jefe_bc", PASSWORD).status_code in (302, 303)
        page = web.get("/kioscos").text
        assert "stage-rollout" not in page and "versión 0.2.0" not in page
        token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        answer = web.post("/kioscos/actualizacion", data={
            "csrf_token": token, "nodo": node_id(central, "BC"), "version": "0.2.0"})
        assert answer.status_code == 404
    assert outside.client().update_offer(platform.name).version is None
    inside.close()
    outside.close()


def test_a_version_is_offered_only_to_the_platforms_it_was_built_for(
        central: CentralHandle, repo: Repository, tmp_path: Path) -> None:
    """0.5.0 published for Linux only: a Windows kiosk in the staged branch stays as it is
    until its build is published too; the Kioscos page says which platforms each has."""
    linux, windows = PLATFORMS["linux"], PLATFORMS["windows"]
    publish(central, linux.build(tmp_path / "l5", "0.5.0"), "0.5.0")
    stage_on_board(central, "AGS", "0.5.0")
    kiosk = enrolled(central, tmp_path)
    on_windows = updater_of(kiosk, install(tmp_path / "w", repo, windows), windows)
    assert on_windows.check(force=True) is None and on_windows.status is None
    assert not on_windows.layout.versions.exists()
    with httpx.Client(base_url=central.base_url, timeout=30) as web:
        login(web, ADMIN, PASSWORD)
        page = web.get("/kioscos", params={"nodo": node_id(central, "AGS")}).text
    assert '<option value="0.5.0" selected>0.5.0 (kioscos Linux)</option>' in page

    publish(central, windows.build(tmp_path / "w5", "0.5.0"), "0.5.0")
    listed = subprocess.run([str(TRATO_CENTRAL), "--data-dir", str(central.data_dir),
                             "--database-url", central.database_url, "updates", "list"],
                            capture_output=True, text=True, timeout=120, check=True).stdout
    assert [line.split("\t")[:3] for line in listed.splitlines()] == [
        ["0.5.0", "linux", "trato-kiosk-0.5.0.tar.gz"],
        ["0.5.0", "windows", "trato-kiosk-0.5.0-windows.tar.gz"]]
    status = on_windows.check(force=True)
    assert status is not None and status.state == UpdateState.READY
    assert on_windows.layout.is_staged("0.5.0")
    assert (on_windows.layout.version_dir("0.5.0") / "trato-kiosk-shell.exe").is_file()
    with httpx.Client(base_url=central.base_url, timeout=30) as web:
        login(web, ADMIN, PASSWORD)
        page = web.get("/kioscos", params={"nodo": node_id(central, "AGS")}).text
    assert page.count('<option value="0.5.0"') == 1
    assert ">0.5.0 (kioscos Linux y Windows)</option>" in page
    kiosk.close()
