"""The Linux one-file installer, built and installed for real: PyInstaller builds the folder
build once per test run (``kiosk_bundle``), makeself packs it with installer/linux
(``installer_file``), and the tests install it into throwaway roots (``--root``), run what
was installed, upgrade it and remove it.

Never skipped in CI: a missing PyInstaller or makeself fails these tests there.
"""

import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.central import CentralHandle, running_central

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "installer" / "trato-kiosk.spec"
BUILD_INSTALLER = ROOT / "installer" / "build-linux-installer.sh"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PYINSTALLER = Path(sys.executable).parent / "pyinstaller"


def _require(what: str, present: bool) -> None:
    if present:
        return
    reason = f"the installer tests need {what} (./dev setup installs it)"
    if IN_CI:
        pytest.fail(f"{reason}; required in CI", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def kiosk_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``dist/trato-kiosk`` built from the spec into a temporary folder (once per run)."""
    _require("PyInstaller", PYINSTALLER.is_file())
    work = tmp_path_factory.mktemp("pyinstaller")
    done = subprocess.run(
        [str(PYINSTALLER), "--noconfirm", "--log-level", "WARN", "--distpath",
         str(work / "dist"), "--workpath", str(work / "build"), str(SPEC)],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-4000:]
    bundle = work / "dist" / "trato-kiosk"
    assert (bundle / "trato-kiosk").is_file()
    return bundle


@pytest.fixture(scope="session")
def installer_file(kiosk_bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The makeself installer of :func:`kiosk_bundle` (fast compression: tests only)."""
    _require("makeself", shutil.which("makeself") is not None)
    out = tmp_path_factory.mktemp("installer") / "trato-kiosk-linux.run"
    done = subprocess.run(["bash", str(BUILD_INSTALLER), str(kiosk_bundle), str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
                          env=dict(os.environ, COMPLEVEL="1"))
    assert done.returncode == 0, done.stderr[-4000:]
    return out


@pytest.fixture(scope="module")
def central(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CentralHandle]:
    root = tmp_path_factory.mktemp("central")
    with running_central(f"sqlite:///{root / 'central.db'}", root) as handle:
        yield handle


def run_installer(installer: Path, *args: str | Path, timeout: float = 180
                  ) -> subprocess.CompletedProcess[str]:
    """Run the one-file installer as IT would, with ``args`` passed as given."""
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    return subprocess.run([str(installer), *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, check=False, env=env)


class Installed:
    """Paths of a kiosk installed into the throwaway root ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.prefix = root / "opt" / "trato-kiosk"
        self.exe = self.prefix / "trato-kiosk"
        self.data = root / "var" / "lib" / "trato-kiosk"
        self.unit = root / "etc" / "systemd" / "user" / "trato-kiosk.service"
        self.xsession = root / "usr" / "share" / "xsessions" / "trato-kiosk.desktop"
        self.lightdm = root / "etc" / "lightdm" / "lightdm.conf.d" / "50-trato-kiosk.conf"
        self.lockdown = (root / "etc" / "X11" / "xorg.conf.d" / "50-trato-kiosk-lockdown.conf",
                         root / "etc" / "sysctl.d" / "50-trato-kiosk-lockdown.conf")

    def unit_values(self, key: str) -> list[str]:
        return [line.split("=", 1)[1].strip() for line in
                self.unit.read_text(encoding="utf-8").splitlines() if line.startswith(f"{key}=")]

    def service_command(self) -> tuple[list[str], dict[str, str]]:
        """``ExecStart=`` of the installed unit (paths under the root) and its environment
        (``%h``: the account's home, the data folder)."""
        (exec_start,) = self.unit_values("ExecStart")
        program, *args = shlex.split(exec_start)
        env = {}
        for value in self.unit_values("Environment"):
            name, _, setting = value.partition("=")
            env[name] = setting.replace("%h", str(self.data))
        return [str(self.root / program.lstrip("/")), *args], env

    def run(self, *args: str, env: dict[str, str] | None = None, timeout: float = 90
            ) -> subprocess.CompletedProcess[str]:
        """The installed ``trato-kiosk`` with ``args`` and the unit's data folder."""
        base = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
        base["TD_KIOSK_DATA_DIR"] = str(self.data)
        return subprocess.run([str(self.exe), *args], capture_output=True, text=True,
                              timeout=timeout, check=False, env={**base, **(env or {})})
