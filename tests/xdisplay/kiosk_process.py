"""The installed ``trato-kiosk``, started on an X display the way a kiosk PC starts it.

``installer/linux/kiosk-session`` starts the window manager and ``trato-kiosk.service``; the
unit runs ``/opt/trato-kiosk/trato-kiosk run`` with the environment in its ``Environment=``
lines and ``UMask=``. :func:`start_kiosk` reads that unit and does the same with the
worktree's ``.venv/bin/trato-kiosk``: the same arguments, the same variables (``%h`` is a
test home folder), nothing inherited from the test process (no ``QT_QPA_PLATFORM=offscreen``).
"""

import json
import os
import re
import shlex
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.support.xdisplay import (
    Geometry,
    XDisplay,
    click,
    double_click_with_gap,
    stop_process,
    wait_for_stable_geometry,
    wait_for_window,
    wait_until,
)

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "installer" / "linux" / "trato-kiosk.service"
TRATO_KIOSK = Path(sys.executable).parent / "trato-kiosk"
PROBE = Path(__file__).resolve().parent / "probe.py"
#: How long a person looks at a new page before the first tap on it. Taps sooner than
#: that are what a kiosk may rightly ignore (the second tap of a double tap).
READING_S = 0.7


def _unit_values(key: str) -> list[str]:
    values = []
    for line in UNIT.read_text(encoding="utf-8").splitlines():
        if line.startswith(f"{key}="):
            values.append(line.split("=", 1)[1].strip())
    return values


def unit_arguments() -> list[str]:
    """The arguments ``ExecStart=`` gives ``trato-kiosk`` (``["run"]``): the unit starts it
    directly or through ``trato-kiosk-launch``, which hands its arguments on unchanged to the
    current version (installer/linux/trato-kiosk-launch, the signed updates' rollback)."""
    (exec_start,) = _unit_values("ExecStart")
    program, *args = shlex.split(exec_start)
    assert program.endswith(("/trato-kiosk", "/trato-kiosk-launch")), exec_start
    return args


def unit_environment(home: Path) -> dict[str, str]:
    env = {}
    for value in _unit_values("Environment"):
        name, _, setting = value.partition("=")
        env[name] = setting.replace("%h", str(home))
    return env


def unit_umask() -> int:
    (umask,) = _unit_values("UMask") or ["0022"]
    return int(umask, 8)


def kiosk_data_dir(home: Path) -> Path:
    return Path(unit_environment(home)["TD_KIOSK_DATA_DIR"])


def session_environment(x: XDisplay, home: Path) -> dict[str, str]:
    """What the systemd user manager gives the kiosk: a clean environment, DISPLAY imported
    by the session script, then the unit's own variables."""
    runtime = home / "run"
    runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home),
            "LANG": "C.UTF-8", "XDG_RUNTIME_DIR": str(runtime)}
    env = x.env(unit_environment(home), base=base)
    Path(env["TMPDIR"]).mkdir(parents=True, exist_ok=True)  # the unit's ExecStartPre
    return env


@dataclass
class RunningKiosk:
    x: XDisplay
    proc: subprocess.Popen[bytes]
    home: Path
    log_offset: int
    console_path: Path
    probe_file: Path | None = None
    _log_path: Path = field(init=False)
    _page_seen_at: float = field(init=False, default=0.0)

    def __post_init__(self) -> None:
        self._log_path = kiosk_data_dir(self.home) / "logs" / "kiosk.log"

    @property
    def pid(self) -> int:
        return self.proc.pid

    def log(self) -> str:
        """What this run wrote to the kiosk's own log."""
        try:
            with open(self._log_path, "rb") as handle:
                handle.seek(self.log_offset)
                return handle.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def console(self) -> str:
        """What the kiosk printed (Qt's warnings, tracebacks)."""
        path = self.console_path
        return path.read_text("utf-8", "replace") if path.is_file() else ""

    def wait_started(self, timeout: float = 30.0) -> Geometry:
        """Until the window is mapped and the store is loaded (``kiosk starting`` logged)."""
        wait_for_window(self.x, self.pid, timeout, proc=self.proc)
        wait_until(lambda: "kiosk starting" in self.log() or self.proc.poll() is not None,
                   timeout, "the kiosk to load its store")
        return wait_for_stable_geometry(self.x, self.pid)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after a second (the kiosk may ignore SIGTERM)."""
        stop_process(self.proc, grace=1.0)

    # ----------------------------------------------------------------- the probe
    def state(self) -> dict[str, Any]:
        assert self.probe_file is not None, "started without the probe"
        try:
            return dict(json.loads(self.probe_file.read_text(encoding="utf-8")))
        except (FileNotFoundError, json.JSONDecodeError):
            return {}

    def wait_page(self, page: str, timeout: float = 10.0) -> dict[str, Any]:
        def on_page() -> dict[str, Any] | None:
            state = self.state()
            return state if state.get("page") == page else None

        try:
            found = wait_until(on_page, timeout, f"page {page!r}")
        except TimeoutError:
            raise AssertionError(f"page {page!r} not shown; now {self.state().get('page')!r}, "
                                 f"pages so far {self.state().get('pages')}") from None
        assert isinstance(found, dict)
        self._page_seen_at = time.monotonic()
        return found

    def _as_a_person(self) -> None:
        """The first tap on a page comes after the person read it (:data:`READING_S`)."""
        time.sleep(max(0.0, self._page_seen_at + READING_S - time.monotonic()))

    def wait_page_change(self, page: str, timeout: float = 10.0) -> str:
        """Until another page than ``page`` is shown; that page's name."""
        found = wait_until(lambda: self.state().get("page", page) != page, timeout,
                           f"a page other than {page!r}")
        assert found
        self._page_seen_at = time.monotonic()
        return str(self.state()["page"])

    def button(self, text: str, *, enabled: bool = True) -> Geometry:
        """The centre-able rectangle of the visible button whose caption matches ``text``
        (a regular expression searched in the caption)."""
        def find() -> Geometry | None:
            for widget in self.state().get("widgets", []):
                if (widget["kind"] == "button" and re.search(text, widget["text"])
                        and (widget["enabled"] or not enabled)):
                    return Geometry(*widget["rect"])
            return None

        try:
            found = wait_until(find, 5.0, f"a button {text!r}")
        except TimeoutError:
            shown = [w.get("text") for w in self.state().get("widgets", [])]
            raise AssertionError(f"no button {text!r} on {self.state().get('page')!r}: "
                                 f"{shown}") from None
        assert isinstance(found, Geometry)
        return found

    def tap(self, text: str) -> None:
        target = self.button(text).centre
        self._as_a_person()
        click(self.x, target)

    def double_tap(self, text: str, gap_ms: int) -> None:
        target = self.button(text).centre
        self._as_a_person()
        double_click_with_gap(self.x, target, gap_ms=gap_ms)

    def count(self, table: str) -> int:
        db = kiosk_data_dir(self.home) / "kiosk.db"
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608


def start_kiosk(x: XDisplay, home: Path, *, extra_args: tuple[str, ...] = (),
                probe_file: Path | None = None) -> RunningKiosk:
    """``trato-kiosk run`` on ``x`` as the systemd unit runs it (``probe_file``: through
    :mod:`tests.xdisplay.probe`, which reports where the buttons are)."""
    env = session_environment(x, home)
    args = [str(TRATO_KIOSK), *unit_arguments(), *extra_args]
    if probe_file is not None:
        env["TD_TEST_PROBE_FILE"] = str(probe_file)
        env["TD_TEST_PROBE_ARGV0"] = str(TRATO_KIOSK)
        args = [sys.executable, str(PROBE), *args[1:]]
    log_path = kiosk_data_dir(home) / "logs" / "kiosk.log"
    offset = log_path.stat().st_size if log_path.is_file() else 0
    console = x.log_dir / f"kiosk-{time.monotonic_ns()}.log"
    proc = x.start(args, env=env, log=console, umask=unit_umask())
    return RunningKiosk(x, proc, home, offset, console, probe_file)


SIGNALS = {"SIGTERM": signal.SIGTERM, "SIGINT": signal.SIGINT}
