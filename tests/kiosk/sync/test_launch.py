"""The Windows kiosk's own update launcher (kiosk/sync/launch.py), beside what the end-to-end
tests (tests/integration/test_signed_updates.py) drive: where it finds the data folder, when
it lets the installed kiosk run in its own process, and what it does with a version that
cannot even be started."""

import os
from pathlib import Path

import pytest

from kiosk.sync.launch import (
    LAUNCHER_ENV,
    LINUX,
    WINDOWS,
    data_dir_of,
    launch,
    launch_installed,
    write_pointer,
)
from trato.protocol.updates import PLATFORMS


def test_the_data_folder_is_the_argument_else_the_machine_wide_variable() -> None:
    env = {"TD_KIOSK_DATA_DIR": r"C:\ProgramData\TratoDigno"}
    assert data_dir_of(["run", "--data-dir", "D:/kiosk"], env) == Path("D:/kiosk")
    assert data_dir_of(["run", "--data-dir=D:/kiosk"], env) == Path("D:/kiosk")
    assert data_dir_of(["run"], env) == Path(r"C:\ProgramData\TratoDigno")
    assert data_dir_of(["run", "--data-dir"], {}) is None  # no value: none named
    assert data_dir_of([], {}) is None



def test_the_kiosk_and_the_server_name_each_platforms_program_alike() -> None:
    """The launcher (standard library only, so it cannot import the server's table) and
    ``trato-central updates publish``, which tells a build's platform by its program."""
    from central.updates.repository import PROGRAMS

    assert {f.platform: f.program for f in (LINUX, WINDOWS)} == PROGRAMS
    assert set(PROGRAMS) == set(PLATFORMS)


def no_launcher(monkeypatch: pytest.MonkeyPatch) -> None:
    """No launcher started this process; what launch_installed sets goes at teardown."""
    monkeypatch.setenv(LAUNCHER_ENV, "recorded, so that it is removed again at teardown")
    monkeypatch.delenv(LAUNCHER_ENV)


def test_with_nothing_to_test_the_installed_kiosk_runs_in_this_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    installed = tmp_path / "opt"
    installed.mkdir()
    shell = installed / "trato-kiosk-shell.exe"
    no_launcher(monkeypatch)
    monkeypatch.setenv("TD_KIOSK_DATA_DIR", str(tmp_path / "data"))
    assert launch_installed(["run"], executable=shell) is None
    assert os.environ[LAUNCHER_ENV] == str(shell)  # so its updater runs
    assert not (tmp_path / "data").exists()  # nothing written on the way
    # A kiosk a launcher started is the version to run: no second launcher.
    (tmp_path / "data" / "updates").mkdir(parents=True)
    (tmp_path / "data" / "updates" / "testing").write_text("0.2.0\n")
    assert launch_installed(["run"], executable=shell) is None
    assert (tmp_path / "data" / "updates" / "testing").exists()


def test_a_version_whose_program_cannot_start_is_rolled_back(
        tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    installed, data = tmp_path / "opt", tmp_path / "data"
    installed.mkdir()
    updates = data / "updates"
    broken = updates / "versions" / "0.2.0"
    broken.mkdir(parents=True)  # unpacked, then its program removed (an antivirus, say)
    write_pointer(updates / "current", broken, WINDOWS)
    write_pointer(updates / "previous", installed, WINDOWS)
    (updates / "pending").write_text("0.2.0\n")
    code = launch(["run"], installed=installed, program="trato-kiosk-shell.exe",
                  data_dir=data, flavour=WINDOWS, environ={})
    assert code is None  # the installed version runs, in this process
    assert (updates / "result").read_text().split() == ["rolled_back", "0.2.0",
                                                         "self_test_failed"]
    assert (updates / "current").read_text().strip() == str(installed.resolve())
    assert not any((updates / name).exists() for name in ("pending", "testing", "probation"))
    assert "could not be started" in capfd.readouterr().err


def test_updates_it_cannot_write_leave_the_installed_kiosk_running(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
        ) -> None:
    """A data folder it may not write (a wrong ACL, a full disk) never keeps the kiosk from
    starting: Shell Launcher would otherwise start a shell that ends at once, for ever."""
    installed, data = tmp_path / "opt", tmp_path / "data"
    installed.mkdir()
    updates = data / "updates"
    version = updates / "versions" / "0.2.0"
    version.mkdir(parents=True)
    write_pointer(updates / "current", version, WINDOWS)
    (updates / "pending").write_text("0.2.0\n")
    no_launcher(monkeypatch)
    monkeypatch.setenv("TD_KIOSK_DATA_DIR", str(data))

    def refused(*_args: object, **_kwargs: object) -> None:
        raise PermissionError("injected: the folder is read-only")

    monkeypatch.setattr(os, "replace", refused)  # the fault: no file can be replaced
    shell = installed / "trato-kiosk-shell.exe"
    assert launch_installed(["run"], executable=shell) is None
    assert os.environ[LAUNCHER_ENV] == str(shell)
    assert "updates left as they are (PermissionError)" in capfd.readouterr().err
    assert (updates / "pending").exists()  # nothing half done: tried again at the next start
