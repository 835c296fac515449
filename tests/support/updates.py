"""Test support for signed updates, shared by tests/integration/test_signed_updates.py (fake
builds) and tests/installer/test_installed_update.py (the real bundle): a fresh TUF
repository on a running central server, a tiny fake kiosk build for Linux or for Windows,
each platform's launcher, the operator's publish command, the administrator's rollout on the
Kioscos page and the update cell it shows."""

import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import httpx
from sqlmodel import delete, select

from central.models import OrgNode, UpdateRollout
from central.updates.repository import Repository
from kiosk.sync.launch import LINUX, WINDOWS, Flavour
from tests.central.web.conftest import PASSWORD, login
from tests.support.central import CentralHandle
from trato.protocol.updates import target_name

ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = ROOT / "installer" / "linux" / "trato-kiosk-launch"
#: What Shell Launcher starts on a Windows kiosk (installer/windows/kiosk-shell.ps1).
WINDOWS_SHELL = "trato-kiosk-shell.exe"
TRATO_CENTRAL = Path(sys.executable).parent / "trato-central"
#: The administrator who stages rollouts (:func:`stage_on_board`); create it on the server.
ADMIN = "admin_upd"


def new_repository(central: CentralHandle, offline: Path) -> Repository:
    """A new repository (new keys) on the server's data folder; no rollout staged."""
    repository = Repository(central.data_dir)
    shutil.rmtree(repository.base, ignore_errors=True)
    repository.init(offline)
    with central.session() as session:
        session.exec(delete(UpdateRollout))  # type: ignore[call-overload]
        session.commit()
    return repository


def fake_build(where: Path, version: str, self_test_exit: int = 0,
               flavour: Flavour = LINUX) -> Path:
    """A kiosk build in a few bytes: ``self-test`` exits ``self_test_exit``; any other command
    appends "<version> <args>" to ``$TD_KIOSK_DATA_DIR/ran.log`` and ends as the file
    ``$TD_KIOSK_DATA_DIR/ends-<version>`` says: an exit status (0 without the file), a signal
    name (``KILL``: a crash by a signal) or ``wait`` (runs until it is stopped). A Windows
    build has the same script as ``trato-kiosk.exe`` and ``trato-kiosk-shell.exe`` (run here
    as scripts: the Windows launcher's decisions are the same on this machine)."""
    where.mkdir(parents=True)
    script = (
        "#!/bin/sh\n"
        f'if [ "$1" = self-test ]; then exit {self_test_exit}; fi\n'
        f'echo "{version} $*" >>"$TD_KIOSK_DATA_DIR/ran.log"\n'
        f'ends="$(cat "$TD_KIOSK_DATA_DIR/ends-{version}" 2>/dev/null || echo 0)"\n'
        'case "$ends" in\n'
        '    wait) sleep 60 & wait ;;\n'
        '    [0-9]*) exit "$ends" ;;\n'
        '    *) kill -"$ends" $$ ;;\n'
        "esac\n")
    programs = [flavour.program] + ([WINDOWS_SHELL] if flavour == WINDOWS else [])
    for name in programs:
        program = where / name
        program.write_text(script, encoding="utf-8")
        program.chmod(0o755)
    (where / "_internal").mkdir()
    (where / "_internal" / "VERSION").write_text(version)
    return where


class Platform(NamedTuple):
    """One platform's kiosk as its session starts it: the installed fake build and the
    launcher (Linux: the real launcher script; Windows: the installed program's own launcher,
    kiosk.sync.launch, through tests/support/windows_shell.py)."""

    flavour: Flavour

    @property
    def name(self) -> str:
        return self.flavour.platform

    def build(self, where: Path, version: str, self_test_exit: int = 0) -> Path:
        return fake_build(where, version, self_test_exit, self.flavour)

    def install(self, where: Path, version: str = "0.1.0") -> Path:
        installed = self.build(where, version)
        if self.flavour == LINUX:
            shutil.copy(LAUNCHER, installed / "trato-kiosk-launch")
        return installed

    def command(self, installed: Path) -> list[str]:
        """What the kiosk's session runs: ``trato-kiosk-launch run`` on Linux,
        ``trato-kiosk-shell.exe run`` (Shell Launcher) on Windows."""
        if self.flavour == LINUX:
            return [str(installed / "trato-kiosk-launch"), "run"]
        return [sys.executable, str(Path(__file__).with_name("windows_shell.py")),
                str(installed / WINDOWS_SHELL), "run"]

    def target(self, version: str) -> str:
        return target_name(version, self.name)


PLATFORMS = {"linux": Platform(LINUX), "windows": Platform(WINDOWS)}


def publish(central: CentralHandle, build: Path, version: str) -> None:
    """The operator's command, as documented."""
    done = subprocess.run([str(TRATO_CENTRAL), "--data-dir", str(central.data_dir),
                           "--database-url", central.database_url, "updates", "publish",
                           str(build), "--version", version],
                          capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def tamper(repository: Repository, version: str, platform: str = "linux") -> None:
    """One byte of a published target changed after signing (same length)."""
    target = repository.targets_dir / target_name(version, platform)
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))


def node_id(central: CentralHandle, code: str) -> str:
    with central.session() as session:
        return str(session.exec(select(OrgNode.id).where(OrgNode.code == code)).one())


def stage_on_board(central: CentralHandle, code: str, version: str) -> None:
    """An administrator stages ``version`` for the branch ``code`` on the Kioscos page."""
    with httpx.Client(base_url=central.base_url, timeout=30) as web:
        assert login(web, ADMIN, PASSWORD).status_code in (302, 303)
        page = web.get("/kioscos", params={"nodo": node_id(central, code)}).text
        assert f'<option value="{version}"' in page  # the published versions to choose
        token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        answer = web.post("/kioscos/actualizacion", data={
            "csrf_token": token, "nodo": node_id(central, code), "version": version})
        assert answer.status_code == 303, answer.text


def board_update_cell(central: CentralHandle, kiosk_id: object) -> str:
    """The Actualización cell of the kiosk's row on the Kioscos page (from ``data-update``)."""
    with httpx.Client(base_url=central.base_url, timeout=30) as web:
        login(web, ADMIN, PASSWORD)
        page = web.get("/kioscos").text
    row = page.split(f'data-kiosk="{kiosk_id}"', 1)[1].split("</tr>", 1)[0]
    return row.split('<td class="update"', 1)[1]
