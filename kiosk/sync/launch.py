"""The launcher of signed updates on Windows, and the update pointers both platforms share.

On Linux the kiosk's service runs ``installer/linux/trato-kiosk-launch`` (a shell script that
``exec``\\s the kiosk). Windows has no ``exec`` and no symbolic links an ordinary account may
make, so there the installed program is its own launcher: Shell Launcher starts
``trato-kiosk-shell.exe run`` from the installed folder, and before anything else (no Qt,
standard library only) :func:`launch` decides as the shell script does:

1. a ``testing`` file left from the last start: that version never finished its self-test
   (a power cut, a hang): ``current`` goes back to ``previous`` (``did_not_start``);
2. a ``pending`` version that ``current`` points at: run its ``trato-kiosk.exe self-test``;
   exit 3 or more (or a program that cannot run) rolls back (``self_test_failed``), else it
   is kept on probation and the verdict ``installed`` is left for the kiosk to report;
3. a version on probation: run it and wait; count a run that ends other than 0 or 75
   (*Salir del modo quiosco*) while it is still on probation; at the third, roll back
   (``crashed``) and start the previous version at once; before that, end with its status
   (Shell Launcher starts the shell again);
4. ``current`` points at a version other than the installed one: run it and wait;
5. otherwise the kiosk runs in this process (:func:`launch` answers None): the installed
   version starts as fast as it did before updates existed. So it does when the launcher
   cannot write its files (a full disk, a wrong ACL): a kiosk that starts beats an update.

Every version it starts gets ``TD_KIOSK_LAUNCHER`` (this program's path): only such a kiosk
switches versions, and it never runs the launcher again itself. The files are those of
:class:`kiosk.sync.versions.Layout`; on Windows ``current`` and ``previous`` are small files
holding the folder's path, replaced whole (:func:`kiosk.files.write_text_atomically`).
"""

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

#: Set for the kiosk by a launcher (the launcher's path): only a kiosk it started switches
#: versions, and the installed folder is the launcher's.
LAUNCHER_ENV = "TD_KIOSK_LAUNCHER"
DATA_DIR_ENV = "TD_KIOSK_DATA_DIR"
#: Runs that crash on probation before the launcher rolls the version back.
PROBATION_CRASHES = 3
#: Exit statuses that are not crashes: a normal end (a restart into an update) and *Salir del
#: modo quiosco* (75, which Shell Launcher and systemd leave ended).
CLEAN_EXITS = (0, 75)
#: What ``self-test`` exits with when it found failures (kiosk.selftest).
SELF_TEST_FAILED = 3
#: The Windows launcher's log is kept to about this size (one older file beside it).
LOG_BYTES = 256 * 1024


class Flavour(NamedTuple):
    """How one platform keeps its builds and pointers."""

    platform: str  # the builds' platform, as the update offer names it
    program: str  # the console program of a build: its self-test, and what makes it a build
    symlinks: bool  # pointers as symbolic links (Linux), else files holding the path


LINUX = Flavour("linux", "trato-kiosk", symlinks=True)
WINDOWS = Flavour("windows", "trato-kiosk.exe", symlinks=False)


def host_flavour() -> Flavour:
    return WINDOWS if sys.platform == "win32" else LINUX


def read_pointer(link: Path, flavour: Flavour) -> Path | None:
    """The folder a pointer names, resolved; None when there is no pointer."""
    if flavour.symlinks:
        return link.resolve() if link.is_symlink() else None
    try:
        text = link.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return Path(text).resolve() if text else None


def write_pointer(link: Path, target: Path, flavour: Flavour) -> None:
    """Point ``link`` at ``target``, replacing it whole (a new link or file renamed over)."""
    if flavour.symlinks:
        tmp = link.with_name(f".{link.name}.new")
        tmp.unlink(missing_ok=True)
        os.symlink(target, tmp)
        os.replace(tmp, link)
        return
    from kiosk.files import write_text_atomically

    write_text_atomically(link, f"{target}\n", prefix=f".{link.name}.")


class UpdateFiles:
    """The files of signed updates under ``<data>/updates`` that the launcher and the kiosk
    share (:class:`kiosk.sync.versions.Layout` adds the kiosk's own)."""

    def __init__(self, data_dir: Path | str, installed_dir: Path | str,
                 flavour: Flavour | None = None) -> None:
        self.flavour = flavour or host_flavour()
        self.root = root = Path(data_dir).absolute() / "updates"
        self.installed = Path(installed_dir)
        self.versions = root / "versions"
        self.current, self.previous = root / "current", root / "previous"
        self.pending, self.testing = root / "pending", root / "testing"
        self.probation, self.result = root / "probation", root / "result"

    def version_dir(self, version: str) -> Path:
        return self.versions / version

    def points_at(self, version: str) -> bool:
        """Does ``current`` point at ``version``?"""
        return read_pointer(self.current, self.flavour) == self.version_dir(version).resolve()


class _Files(UpdateFiles):
    """What the launcher does with them."""

    def write(self, path: Path, text: str) -> None:
        from kiosk.files import write_text_atomically

        write_text_atomically(path, text + "\n", prefix=f".{path.name}.")

    def read_words(self, path: Path) -> list[str]:
        try:
            return path.read_text(encoding="utf-8").split()
        except (OSError, UnicodeDecodeError):
            return []

    def roll_back(self, version: str, reason: str) -> None:
        previous = read_pointer(self.previous, self.flavour) or self.installed
        write_pointer(self.current, previous, self.flavour)
        for path in (self.testing, self.pending, self.probation):
            path.unlink(missing_ok=True)
        self.write(self.result, f"rolled_back {version} {reason}")
        self.say(f"version {version} rolled back ({reason})")

    def say(self, line: str) -> None:
        """One line for the log of the session (never personal data): standard error, and,
        where symbolic links are missing (Windows: the windowed shell has no standard error,
        Shell Launcher keeps no journal), ``updates/launch.log`` (the last ~256 KB)."""
        text = f"trato-kiosk-launch: {line}\n"
        try:
            sys.stderr.write(text)
        except (AttributeError, OSError):  # a windowed program has no stderr
            pass
        if self.flavour.symlinks:
            return
        log = self.root / "launch.log"
        try:
            if log.is_file() and log.stat().st_size > LOG_BYTES:
                os.replace(log, log.with_suffix(".log.1"))
            with open(log, "a", encoding="utf-8") as out:
                out.write(text)
        except OSError:
            pass


def _run(files: _Files, command: list[str], environ: Mapping[str, str],
         log: Path | None = None) -> int:
    """Run a program and wait for it; its exit status (127: it could not be started)."""
    import subprocess  # nosec B404 - the kiosk's own programs, argument lists, no shell

    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0) if log is not None else 0
    try:
        if log is None:
            return subprocess.call(command, env=dict(environ))  # noqa: S603  # nosec B603
        with open(log, "wb") as out:
            return subprocess.call(  # noqa: S603  # the kiosk's own programs  # nosec B603
                command, env=dict(environ), stdout=out, stderr=subprocess.STDOUT,
                creationflags=flags)
    except OSError as exc:
        files.say(f"{command[0]} could not be started ({type(exc).__name__})")
        return 127


def launch(argv: Sequence[str], *, installed: Path, program: str, data_dir: Path,
           flavour: Flavour, environ: Mapping[str, str]) -> int | None:
    """Decide which version runs (see the module's docstring). ``program`` is the name of
    the program to start in a version's folder (the one Shell Launcher starts: this one).
    Returns the exit status to end with, or None: run the installed kiosk in this process
    (``TD_KIOSK_LAUNCHER`` is then already set in ``os.environ`` by the caller)."""
    files = _Files(data_dir, installed, flavour)
    env = dict(environ)
    env[LAUNCHER_ENV] = str(installed / program)
    if files.testing.is_file():
        words = files.read_words(files.testing)
        files.roll_back(words[0] if words else "?", "did_not_start")
    elif files.pending.is_file():
        words = files.read_words(files.pending)
        version = words[0] if words else ""
        if not version or not files.points_at(version):
            files.pending.unlink(missing_ok=True)  # the switch did not finish: nothing changed
        else:
            os.replace(files.pending, files.testing)
            code = _run(files, [str(files.versions / version / flavour.program), "self-test",
                         "--data-dir", str(data_dir)], env, log=files.root / "self-test.log")
            if code >= SELF_TEST_FAILED:
                files.roll_back(version, "self_test_failed")
            else:
                files.write(files.probation, f"{version} 0")
                files.testing.unlink(missing_ok=True)
                files.write(files.result, f"installed {version}")
    if files.probation.is_file():
        words = files.read_words(files.probation)
        version = words[0] if words else ""
        crashes = int(words[1]) if len(words) > 1 and words[1].isdigit() else 0
        if not version or not files.points_at(version):
            files.probation.unlink(missing_ok=True)  # `current` was moved by hand
        else:
            code = _run(files, [str(files.versions / version / program), *argv], env)
            if code in CLEAN_EXITS or not files.probation.is_file():
                return code  # a clean exit, or a crash after it confirmed itself healthy
            crashes += 1
            files.say(f"version {version} crashed (status {code}, {crashes} of "
                 f"{PROBATION_CRASHES} on probation)")
            if crashes < PROBATION_CRASHES:
                files.write(files.probation, f"{version} {crashes}")
                return code
            files.roll_back(version, "crashed")
    target = read_pointer(files.current, flavour)
    if target is not None and target != installed.resolve() and (target / program).is_file():
        return _run(files, [str(target / program), *argv], env)
    return None


def data_dir_of(argv: Sequence[str], environ: Mapping[str, str]) -> Path | None:
    """The data folder of ``run [--data-dir D]`` (else ``TD_KIOSK_DATA_DIR``, which the
    Windows installer sets machine-wide); None: none named, no launcher."""
    for i, arg in enumerate(argv):
        if arg.startswith("--data-dir="):
            return Path(arg.split("=", 1)[1])
        if arg == "--data-dir" and i + 1 < len(argv):
            return Path(argv[i + 1])
    value = environ.get(DATA_DIR_ENV)
    return Path(value) if value else None


def launch_installed(argv: Sequence[str], executable: Path | None = None) -> int | None:
    """The frozen Windows program's ``run`` (``executable``: this program, sys.executable):
    the launcher, unless a launcher started it. None: run the kiosk here (with
    ``TD_KIOSK_LAUNCHER`` set in ``os.environ``, so its updater runs)."""
    if LAUNCHER_ENV in os.environ:
        return None  # started by the launcher: this is the version to run
    data_dir = data_dir_of(argv, os.environ)
    if data_dir is None:
        return None  # no data folder named: no updates (development)
    executable = executable or Path(sys.executable)
    try:
        code = launch(argv, installed=executable.parent, program=executable.name,
                      data_dir=data_dir, flavour=WINDOWS, environ=os.environ)
    except OSError as exc:  # a full disk, a folder it may not write: the installed one runs
        _Files(data_dir, executable.parent, WINDOWS).say(
            f"updates left as they are ({type(exc).__name__}); the installed version runs")
        code = None
    if code is None:
        os.environ[LAUNCHER_ENV] = str(executable)
    return code
