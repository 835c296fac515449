"""Signed updates end to end, on a tiny fake kiosk build (a shell script that answers
``self-test`` and records which version ran): a real central server over HTTP publishes it
as a TUF repository, an administrator stages a rollout on the Kioscos page, the kiosk's real
updater (python-tuf through the kiosk's HTTP client) downloads, verifies and stages it, the
attract screen switches it in, and the real launcher script tests it and keeps it or rolls
it back; the kiosk's report puts each state on the board."""

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlmodel import delete, select

from central.models import OrgNode, UpdateRollout
from central.updates.repository import Repository
from kiosk.sync.updater import Updater
from kiosk.sync.versions import LAUNCHER_ENV, Layout
from kiosk.ui.update_bridge import UpdateBridge
from tests.central.web.conftest import PASSWORD, login
from tests.faults.sync_support import Kiosk, make_kiosk
from tests.support.central import CentralHandle, running_central
from trato.protocol.wire import UpdateState

ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = ROOT / "installer" / "linux" / "trato-kiosk-launch"
TRATO_CENTRAL = Path(sys.executable).parent / "trato-central"


@pytest.fixture(scope="module")
def central(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CentralHandle]:
    root = tmp_path_factory.mktemp("central")
    with running_central(f"sqlite:///{root / 'central.db'}", root) as handle:
        handle.create_user("admin_upd", role="admin")
        handle.create_user("jefe_bc", role="ooad", scope_code="BC")
        yield handle


@pytest.fixture
def repo(central: CentralHandle, tmp_path: Path) -> Repository:
    """A new repository (new keys) for each test; no rollout staged."""
    repository = Repository(central.data_dir)
    shutil.rmtree(repository.base, ignore_errors=True)
    repository.init(tmp_path / "offline")
    with central.session() as session:
        session.exec(delete(UpdateRollout))  # type: ignore[call-overload]
        session.commit()
    return repository


def fake_build(where: Path, version: str, self_test_exit: int = 0) -> Path:
    where.mkdir(parents=True)
    program = where / "trato-kiosk"
    program.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = self-test ]; then exit {self_test_exit}; fi\n'
        f'echo "{version} $*" >>"$TD_KIOSK_DATA_DIR/ran.log"\n', encoding="utf-8")
    program.chmod(0o755)
    (where / "_internal").mkdir()
    (where / "_internal" / "VERSION").write_text(version)
    return where


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


def publish(central: CentralHandle, build: Path, version: str) -> None:
    """The operator's command, as documented."""
    done = subprocess.run([str(TRATO_CENTRAL), "--data-dir", str(central.data_dir),
                           "--database-url", central.database_url, "updates", "publish",
                           str(build), "--version", version],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def node_id(central: CentralHandle, code: str) -> str:
    with central.session() as session:
        return str(session.exec(select(OrgNode.id).where(OrgNode.code == code)).one())


def stage_on_board(central: CentralHandle, code: str, version: str) -> None:
    """An administrator stages ``version`` for the branch ``code`` on the Kioscos page."""
    with httpx.Client(base_url=central.base_url, timeout=30) as web:
        assert login(web, "admin_upd", PASSWORD).status_code in (302, 303)
        page = web.get("/kioscos", params={"nodo": node_id(central, code)}).text
        assert f'<option value="{version}"' in page  # the published versions to choose
        token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        answer = web.post("/kioscos/actualizacion", data={
            "csrf_token": token, "nodo": node_id(central, code), "version": version})
        assert answer.status_code == 303, answer.text


def board_update_cell(central: CentralHandle, kiosk: Kiosk) -> str:
    with httpx.Client(base_url=central.base_url, timeout=30) as web:
        login(web, "admin_upd", PASSWORD)
        page = web.get("/kioscos").text
    row = page.split(f'data-kiosk="{kiosk.credentials.kiosk_id}"', 1)[1].split("</tr>", 1)[0]
    return row.split('<td class="update"', 1)[1]


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
    target = repo.targets_dir / "trato-kiosk-0.2.0.tar.gz"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same length, one byte changed after signing
    target.write_bytes(bytes(data))
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
