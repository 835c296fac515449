"""Signed updates end to end, on a tiny fake kiosk build (a shell script that answers
``self-test`` and records which version ran): a real central server over HTTP publishes it
as a TUF repository, an administrator stages a rollout on the Kioscos page, the kiosk's real
updater (python-tuf through the kiosk's HTTP client) downloads, verifies and stages it, the
attract screen switches it in, and the real launcher script tests it and keeps it or rolls
it back; the kiosk's report puts each state on the board."""

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
    LAUNCHER,
    fake_build,
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


def install(tmp_path: Path, repository: Repository) -> Path:
    """The installed program (version 0.1.0), the launcher beside it and the trust anchor
    install-kiosk.sh --update-root puts there."""
    installed = fake_build(tmp_path / "opt" / "trato-kiosk", "0.1.0")
    shutil.copy(LAUNCHER, installed / "trato-kiosk-launch")
    shutil.copy(repository.metadata_dir / "1.root.json", installed / "update-root.json")
    return installed


def enrolled(central: CentralHandle, tmp_path: Path, module: str = "ASIMS000039") -> Kiosk:
    return make_kiosk(tmp_path / f"kiosk-{module}", central.base_url, central.issue_token(module))


def updater_of(kiosk: Kiosk, installed: Path, running: str = "0.1.0") -> Updater:
    return Updater(kiosk.client(), kiosk.settings.data_dir, installed,
                   str(kiosk.credentials.kiosk_id), running)


def launch(kiosk: Kiosk, installed: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, TD_KIOSK_DATA_DIR=str(kiosk.settings.data_dir))
    return subprocess.run([str(installed / "trato-kiosk-launch"), "run"], capture_output=True,
                          text=True, timeout=60, check=False, env=env)


def last_ran(kiosk: Kiosk) -> str:
    return (Path(kiosk.settings.data_dir) / "ran.log").read_text().splitlines()[-1]


def board_update_cell(central: CentralHandle, kiosk: Kiosk) -> str:
    return board_cell(central, kiosk.credentials.kiosk_id)


def test_a_published_version_is_installed_at_the_attract_screen(
        central: CentralHandle, repo: Repository, tmp_path: Path, qtbot: object) -> None:
    installed = install(tmp_path, repo)
    publish(central, fake_build(tmp_path / "v2", "0.2.0"), "0.2.0")
    kiosk = enrolled(central, tmp_path)
    updater = updater_of(kiosk, installed)
    assert updater.check(force=True) is None  # published, but not staged for any branch

    stage_on_board(central, "AGS", "0.2.0")
    status = updater.check(force=True)
    assert status is not None and status.state == UpdateState.READY
    assert updater.layout.is_staged("0.2.0")
    assert launch(kiosk, installed).returncode == 0
    assert last_ran(kiosk) == "0.1.0 run"  # staged beside it; still running the old one

    # The switch waits for the attract screen.
    bridge = UpdateBridge(updater, on_attract=False)
    with qtbot.assertNotEmitted(bridge.restartRequested):  # type: ignore[attr-defined]
        bridge.page_shown("survey")
    assert not updater.layout.current.exists()
    with qtbot.waitSignal(bridge.restartRequested, timeout=2000):  # type: ignore[attr-defined]
        bridge.page_shown("attract")

    # The service starts the launcher again: it tests 0.2.0, keeps it and runs it.
    assert launch(kiosk, installed).returncode == 0
    assert last_ran(kiosk) == "0.2.0 run"
    after = updater_of(kiosk, installed, running="0.2.0")
    status = after.check(force=True)
    assert status is not None and status.state == UpdateState.INSTALLED
    assert kiosk.engine().send_report()
    cell = board_update_cell(central, kiosk)
    assert cell.startswith(' data-update="installed"') and "Instalada" in cell and "0.2.0" in cell
    assert launch(kiosk, installed).returncode == 0 and last_ran(kiosk) == "0.2.0 run"
    kiosk.close()


def test_a_tampered_target_and_unsigned_metadata_are_refused_and_reported(
        central: CentralHandle, repo: Repository, tmp_path: Path) -> None:
    installed = install(tmp_path, repo)
    publish(central, fake_build(tmp_path / "v2", "0.2.0"), "0.2.0")
    tamper(repo, "0.2.0")  # same length, one byte changed after signing
    stage_on_board(central, "AGS", "0.2.0")
    kiosk = enrolled(central, tmp_path)
    updater = updater_of(kiosk, installed)
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
    publish(central, fake_build(tmp_path / "v3", "0.2.1"), "0.2.1")
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
        central: CentralHandle, repo: Repository, tmp_path: Path) -> None:
    installed = install(tmp_path, repo)
    publish(central, fake_build(tmp_path / "v3", "0.3.0", self_test_exit=3), "0.3.0")
    stage_on_board(central, "ASIMS000039-M1", "0.3.0")  # a module: the narrowest branch
    kiosk = enrolled(central, tmp_path)
    updater = updater_of(kiosk, installed)
    assert updater.check(force=True).state == UpdateState.READY  # type: ignore[union-attr]
    assert updater.apply()
    done = launch(kiosk, installed)
    assert done.returncode == 0 and "rolled back (self_test_failed)" in done.stderr
    assert last_ran(kiosk) == "0.1.0 run"  # the previous version, restored
    assert Layout(kiosk.settings.data_dir, installed).running_dir() == installed
    after = updater_of(kiosk, installed)
    status = after.check(force=True)
    assert status is not None and (status.state, status.detail) == (UpdateState.ROLLED_BACK,
                                                                   "self_test_failed")
    assert after.check(force=True) is None  # not fetched and tried again at once
    assert kiosk.engine().send_report()
    cell = board_update_cell(central, kiosk)
    assert 'data-update="rolled_back"' in cell and "Revertida" in cell
    kiosk.close()


def test_a_version_that_never_finished_starting_is_rolled_back(tmp_path: Path) -> None:
    """The launcher alone: a test left unfinished (power cut, hang killed) at the last start."""
    installed = fake_build(tmp_path / "opt", "0.1.0")
    shutil.copy(LAUNCHER, installed / "trato-kiosk-launch")
    data = tmp_path / "data"
    layout = Layout(data, installed)
    archive_source = fake_build(tmp_path / "v2", "0.2.0")
    shutil.copytree(archive_source, layout.version_dir("0.2.0"))
    layout.save_status(UpdateState.READY, "0.2.0", datetime.now(UTC))
    layout.switch("0.2.0")
    layout.pending.rename(layout.testing)  # as the launcher leaves it while testing
    env = dict(os.environ, TD_KIOSK_DATA_DIR=str(data))
    done = subprocess.run([str(installed / "trato-kiosk-launch"), "run"], capture_output=True,
                          text=True, timeout=30, check=False, env=env)
    assert done.returncode == 0 and "did_not_start" in done.stderr
    assert (data / "ran.log").read_text().split() == ["0.1.0", "run"]
    assert layout.take_result() == ("rolled_back", "0.2.0", "did_not_start")
    assert os.environ.get(LAUNCHER_ENV) is None  # the launcher's variable stays its own


def ends(kiosk: Kiosk | Path, version: str, how: str) -> None:
    """How the fake build of ``version`` ends its next runs (tests.support.updates)."""
    data = Path(kiosk.settings.data_dir) if isinstance(kiosk, Kiosk) else kiosk
    (data / f"ends-{version}").write_text(how)


def test_a_version_that_crashes_on_probation_is_rolled_back(
        central: CentralHandle, repo: Repository, tmp_path: Path) -> None:
    """It passes its self-test, then dies (an exit status, a signal) before it confirmed itself
    healthy: the third crash brings the previous version back and the board says why."""
    installed = install(tmp_path, repo)
    publish(central, fake_build(tmp_path / "v4", "0.4.0"), "0.4.0")
    stage_on_board(central, "AGS", "0.4.0")
    kiosk = enrolled(central, tmp_path)
    updater = updater_of(kiosk, installed)
    assert updater.check(force=True).state == UpdateState.READY  # type: ignore[union-attr]
    assert updater.apply()
    layout = updater.layout

    ends(kiosk, "0.4.0", "1")  # an uncaught exception
    done = launch(kiosk, installed)
    assert done.returncode == 1, done.stderr  # the service starts the launcher again
    assert "crashed (status 1, 1 of 3 on probation)" in done.stderr
    assert layout.probation.read_text().split() == ["0.4.0", "1"]
    ends(kiosk, "0.4.0", "75")  # "Salir del modo quiosco": not a crash
    assert launch(kiosk, installed).returncode == 75
    ends(kiosk, "0.4.0", "KILL")  # a crash by a signal
    done = launch(kiosk, installed)
    assert done.returncode == 128 + signal.SIGKILL and "2 of 3" in done.stderr
    assert last_ran(kiosk) == "0.4.0 run" and layout.running_dir() == layout.version_dir("0.4.0")

    done = launch(kiosk, installed)  # the third: rolled back, the previous version started
    assert done.returncode == 0, done.stderr
    assert "version 0.4.0 rolled back (crashed)" in done.stderr
    assert last_ran(kiosk) == "0.1.0 run"
    assert layout.running_dir() == installed and not layout.probation.exists()
    after = updater_of(kiosk, installed)
    status = after.check(force=True)
    assert status is not None and (status.state, status.detail) == (UpdateState.ROLLED_BACK,
                                                                   "crashed")
    assert after.check(force=True) is None  # not fetched and tried again
    assert launch(kiosk, installed).returncode == 0 and last_ran(kiosk) == "0.1.0 run"
    assert kiosk.engine().send_report()
    cell = board_update_cell(central, kiosk)
    assert 'data-update="rolled_back"' in cell and "Revertida" in cell
    assert "se cerró por una falla tres veces antes de confirmar que funciona" in cell
    kiosk.close()


def test_a_stop_or_a_crash_after_the_probation_is_not_counted(tmp_path: Path) -> None:
    """The launcher alone: the service stopping the kiosk (its signal reaches the whole group)
    is no crash, and once the kiosk confirmed itself healthy a crash is only restarted."""
    installed = fake_build(tmp_path / "opt", "0.1.0")
    shutil.copy(LAUNCHER, installed / "trato-kiosk-launch")
    data = tmp_path / "data"
    layout = Layout(data, installed)
    shutil.copytree(fake_build(tmp_path / "v2", "0.2.0"), layout.version_dir("0.2.0"))
    layout.switch("0.2.0")
    env = dict(os.environ, TD_KIOSK_DATA_DIR=str(data))
    command = [str(installed / "trato-kiosk-launch"), "run"]
    ends(data, "0.2.0", "wait")
    service = subprocess.Popen(command, env=env, start_new_session=True,
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

    assert Updater(None, data, installed, "k", "0.2.0").confirm_healthy()  # type: ignore[arg-type]
    assert not layout.probation.exists()
    for _ in range(3):
        ends(data, "0.2.0", "1")
        done = subprocess.run(command, capture_output=True, text=True, timeout=30,
                              check=False, env=env)
        assert done.returncode == 1 and "rolled back" not in done.stderr
    assert layout.running_dir() == layout.version_dir("0.2.0") and layout.take_result() is None


def test_a_kiosk_outside_the_staged_branch_is_not_offered_it(
        central: CentralHandle, repo: Repository, tmp_path: Path) -> None:
    installed = install(tmp_path, repo)
    publish(central, fake_build(tmp_path / "v2", "0.2.0"), "0.2.0")
    stage_on_board(central, "AGS", "0.2.0")
    inside, outside = enrolled(central, tmp_path), enrolled(central, tmp_path, "BCIMS000039")
    assert inside.client().update_offer().version == "0.2.0"
    assert outside.client().update_offer().version is None
    updater = updater_of(outside, installed)
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
    assert outside.client().update_offer().version is None
    inside.close()
    outside.close()
