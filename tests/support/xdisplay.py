"""Real X displays for tests: Xvfb, optionally the kiosk session's window manager, real
pointer events (XTest, through xdotool), window geometry as the X server sees it, and
screenshots.

The offscreen Qt platform the rest of the suite uses has no window manager, no screen size to
fill and no pointer: what a kiosk looks like on a real screen, and how it reacts to real taps,
is only visible here::

    with xdisplay(1920, 1080, wm="matchbox") as x:
        proc = subprocess.Popen([...], env=x.env({...}))
        geometry = wait_for_window(x, proc.pid)
        click(x, geometry.centre)
        screenshot(x, tmp_path / "screen.png")

Every process started here runs in its own process group and is stopped (SIGTERM, then
SIGKILL) when the ``with`` block ends, whether the test passed or not; an ``atexit`` hook
catches what a crashed test run left. The system packages are listed in
``scripts/xdisplay-packages.txt``: :func:`require_xdisplay` fails the test in CI when one is
missing, and skips it with the reason elsewhere.
"""

import atexit
import contextlib
import os
import re
import select
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parents[2]
KIOSK_SESSION = ROOT / "installer" / "linux" / "kiosk-session"
PACKAGES_FILE = ROOT / "scripts" / "xdisplay-packages.txt"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

#: Programs the helpers run, and the Debian package that has each.
TOOLS = {
    "Xvfb": "xvfb",
    "xdpyinfo": "x11-utils",
    "xwininfo": "x11-utils",
    "xprop": "x11-utils",
    "xdotool": "xdotool",
    "matchbox-window-manager": "matchbox-window-manager",
    "Xephyr": "xserver-xephyr",
    "xrandr": "x11-xserver-utils",
}
#: Window managers :func:`xdisplay` knows how to start (``None``: no window manager).
WINDOW_MANAGERS = ("matchbox",)

_live: list[subprocess.Popen[bytes]] = []


class XDisplayError(RuntimeError):
    """The X server or the window manager did not come up, or a tool failed."""


# ---------------------------------------------------------------------------- availability


def missing_requirements() -> list[str]:
    """What this machine lacks for real-display tests (programs and Qt's xcb libraries)."""
    missing = [f"{tool} (package {pkg})" for tool, pkg in TOOLS.items() if not shutil.which(tool)]
    return missing + [f"{lib} (Qt's xcb platform plugin needs it)" for lib in _missing_xcb_libs()]


def _missing_xcb_libs() -> list[str]:
    """Shared libraries the PySide6 xcb plugin links to but the dynamic loader cannot find."""
    try:
        import PySide6
    except ImportError:
        return ["PySide6"]
    qt = Path(PySide6.__file__).parent / "Qt"
    plugin = qt / "plugins" / "platforms" / "libqxcb.so"
    if not plugin.is_file():
        return [str(plugin)]
    env = dict(os.environ, LD_LIBRARY_PATH=str(qt / "lib"))
    out = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, env=env,
                         check=False).stdout
    return sorted({line.split()[0] for line in out.splitlines() if "not found" in line})


def require_xdisplay() -> None:
    """Fail (CI) or skip (elsewhere) the calling test when a real display cannot be had."""
    missing = missing_requirements()
    if not missing:
        return
    reason = (f"real-display tests need {', '.join(missing)}; install the packages in "
              f"{PACKAGES_FILE.relative_to(ROOT)}")
    if IN_CI:
        pytest.fail(f"{reason} (required in CI)", pytrace=False)
    pytest.skip(reason)


# ---------------------------------------------------------------------------- processes


def _start(args: list[str], *, env: Mapping[str, str] | None = None, log: Path | None = None,
           pass_fds: tuple[int, ...] = (), umask: int = -1) -> subprocess.Popen[bytes]:
    out = open(log, "ab") if log is not None else subprocess.DEVNULL
    try:
        proc = subprocess.Popen(args, env=dict(env) if env is not None else None,
                                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                pass_fds=pass_fds, start_new_session=True, umask=umask)
    finally:
        if log is not None:
            out.close()  # type: ignore[union-attr]
    _live.append(proc)
    return proc


def stop_process(proc: subprocess.Popen[bytes], *, grace: float = 5.0) -> int:
    """SIGTERM to the process group, SIGKILL after ``grace`` seconds; reaps it."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    else:  # the leader is gone; its group may not be
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(ValueError):
        _live.remove(proc)
    return int(proc.returncode)


@atexit.register
def _stop_leftovers() -> None:
    for proc in list(reversed(_live)):
        stop_process(proc, grace=2.0)


def start_tracked(args: list[str], *, env: Mapping[str, str] | None = None,
                  log: Path | None = None) -> subprocess.Popen[bytes]:
    """Start a program in its own process group; :func:`stop_process` (or exit) stops it."""
    return _start(args, env=env, log=log)


@dataclass
class ExitTiming:
    """What :func:`send_signal_and_time_exit` saw."""

    exited: bool
    seconds: float
    returncode: int | None


def send_signal_and_time_exit(proc: subprocess.Popen[bytes], sig: int,
                              timeout: float = 2.0) -> ExitTiming:
    """Send ``sig`` to ``proc`` (the process, not its group, as systemd's KillMode=mixed
    first does) and time how long it takes to exit, waiting at most ``timeout`` seconds.
    The process is left running when it did not exit: stop it with :func:`stop_process`."""
    start = time.monotonic()
    proc.send_signal(sig)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        return ExitTiming(False, time.monotonic() - start, None)
    return ExitTiming(True, time.monotonic() - start, proc.returncode)


def wait_until(predicate: Callable[[], object], timeout: float, what: str,
               interval: float = 0.05) -> object:
    """Poll ``predicate`` until it returns something truthy; raise after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.1f} s waiting for {what}")
        time.sleep(interval)


# ---------------------------------------------------------------------------- the display


def kiosk_session_wm_command() -> list[str]:
    """The window manager command line of ``installer/linux/kiosk-session``, so the tests run
    matchbox with exactly the flags a kiosk does."""
    for line in KIOSK_SESSION.read_text(encoding="utf-8").splitlines():
        words = shlex.split(line, comments=True)
        if words and words[0] == "matchbox-window-manager":
            return words
    raise XDisplayError(f"no matchbox-window-manager line in {KIOSK_SESSION}")


@dataclass
class XDisplay:
    """A running Xvfb (and window manager) for one test or one group of tests."""

    display: str
    width: int
    height: int
    dpi: int | None
    wm: str | None
    log_dir: Path
    server: subprocess.Popen[bytes]
    wm_process: subprocess.Popen[bytes] | None = None
    _children: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def size(self) -> tuple[int, int]:
        return self.width, self.height

    def env(self, extra: Mapping[str, str] | None = None, *,
            base: Mapping[str, str] | None = None) -> dict[str, str]:
        """An environment for a program on this display (``base`` defaults to ours)."""
        env = dict(os.environ if base is None else base)
        env.pop("XAUTHORITY", None)
        env.pop("WAYLAND_DISPLAY", None)
        env["DISPLAY"] = self.display
        env.update(extra or {})
        return env

    def run(self, *args: str, timeout: float = 10.0, check: bool = True) -> str:
        """Run an X client (xdotool, xwininfo, ...) on this display; its standard output."""
        done = subprocess.run(list(args), env=self.env(), capture_output=True, text=True,
                              timeout=timeout, check=False)
        if check and done.returncode != 0:
            raise XDisplayError(f"{shlex.join(args)} failed ({done.returncode}): "
                                f"{done.stderr.strip()}")
        return done.stdout

    def start(self, args: list[str], *, env: Mapping[str, str] | None = None,
              log: Path | None = None, umask: int = -1,
              pass_fds: tuple[int, ...] = ()) -> subprocess.Popen[bytes]:
        """Start a program on this display; it is stopped with the display at the latest."""
        proc = _start(args, env=env if env is not None else self.env(), log=log, umask=umask,
                      pass_fds=pass_fds)
        self._children.append(proc)
        return proc

    def answers(self) -> bool:
        return subprocess.run(["xdpyinfo", "-display", self.display], env=self.env(),
                              capture_output=True, timeout=5, check=False).returncode == 0

    def screen_size(self) -> tuple[int, int]:
        """The root window's size as the server reports it."""
        match = re.search(r"dimensions:\s+(\d+)x(\d+) pixels", self.run("xdpyinfo"))
        if match is None:
            raise XDisplayError("xdpyinfo printed no dimensions")
        return int(match[1]), int(match[2])

    def tree(self) -> str:
        """``xwininfo -root -tree``: every window with its absolute geometry (for messages)."""
        return self.run("xwininfo", "-root", "-tree")

    def close(self) -> None:
        for proc in reversed(self._children):
            stop_process(proc)
        if self.wm_process is not None:
            stop_process(self.wm_process)
        stop_process(self.server)


def _read_display_number(fd: int, server: subprocess.Popen[bytes], timeout: float) -> int:
    deadline = time.monotonic() + timeout
    data = b""
    while not data.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or server.poll() is not None:
            raise XDisplayError("Xvfb did not start" if server.poll() is not None
                                else f"Xvfb gave no display number within {timeout} s")
        ready, _, _ = select.select([fd], [], [], min(left, 0.2))
        if ready:
            chunk = os.read(fd, 64)
            if not chunk:
                raise XDisplayError("Xvfb closed -displayfd without a display number")
            data += chunk
    return int(data.strip())


def _wait_for_wm(x: XDisplay, timeout: float) -> None:
    """A window manager is up once it set ``_NET_SUPPORTING_WM_CHECK`` on the root window."""
    def ready() -> bool:
        assert x.wm_process is not None
        if x.wm_process.poll() is not None:
            raise XDisplayError(f"the window manager exited ({x.wm_process.returncode}); "
                                f"see {x.log_dir / 'wm.log'}")
        out = x.run("xprop", "-root", "_NET_SUPPORTING_WM_CHECK", check=False)
        return "window id" in out

    wait_until(ready, timeout, "the window manager")


@contextlib.contextmanager
def xdisplay(width: int, height: int, *, depth: int = 24, dpi: int | None = None,
             wm: str | None = None, log_dir: Path | None = None,
             timeout: float = 15.0) -> Iterator[XDisplay]:
    """Xvfb on a free display number (``-displayfd``) with one ``width``x``height``x``depth``
    screen, and ``wm="matchbox"`` started as ``installer/linux/kiosk-session`` starts it.
    Yields once the server answers (and the window manager owns the screen)."""
    if wm is not None and wm not in WINDOW_MANAGERS:
        raise ValueError(f"unknown window manager {wm!r} (known: {WINDOW_MANAGERS})")
    log_dir = Path(log_dir) if log_dir is not None else Path(
        tempfile.mkdtemp(prefix="xdisplay-"))
    log_dir.mkdir(parents=True, exist_ok=True)
    read_fd, write_fd = os.pipe()
    args = ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{width}x{height}x{depth}",
            "-nolisten", "tcp", "-noreset"]
    if dpi is not None:
        args += ["-dpi", str(dpi)]
    try:
        server = _start(args, log=log_dir / "xvfb.log", pass_fds=(write_fd,))
    finally:
        os.close(write_fd)
    x: XDisplay | None = None
    try:
        try:
            number = _read_display_number(read_fd, server, timeout)
        finally:
            os.close(read_fd)
        x = XDisplay(f":{number}", width, height, dpi, wm, log_dir, server)
        wait_until(x.answers, timeout, f"Xvfb on {x.display} to answer")
        if wm == "matchbox":
            x.wm_process = _start(kiosk_session_wm_command(), env=x.env(),
                                  log=log_dir / "wm.log")
            _wait_for_wm(x, timeout)
        yield x
    finally:
        if x is not None:
            x.close()
        else:
            stop_process(server)


@dataclass
class ResizableDisplay:
    """An X screen whose size changes while programs run on it, as when a panel is swapped
    or rotated: Xephyr inside an Xvfb host, changed with ``xrandr`` (a real RandR mode change
    and rotation, announced to clients as a real server announces it)."""

    host: XDisplay
    inner: XDisplay

    def change(self, *, size: tuple[int, int] | None = None, rotate: str | None = None,
               timeout: float = 10.0) -> tuple[int, int]:
        """Switch to one of Xephyr's modes (``size``, e.g. 1024x768) and/or turn the screen
        (``rotate``: normal, left, right, inverted); returns the new screen size."""
        args = ["xrandr"]
        if size is not None:
            args += ["-s", f"{size[0]}x{size[1]}"]
        if rotate is not None:
            args += ["-o", rotate]
        self.inner.run(*args)
        before = (self.inner.width, self.inner.height)
        wait_until(lambda: self.inner.screen_size() != before or size == before, timeout,
                   "the nested screen to change")
        self.inner.width, self.inner.height = self.inner.screen_size()
        return self.inner.width, self.inner.height


@contextlib.contextmanager
def resizable_xdisplay(width: int, height: int, *, wm: str | None = None,
                       log_dir: Path | None = None, host_size: tuple[int, int] = (1920, 1920),
                       timeout: float = 15.0) -> Iterator[ResizableDisplay]:
    """A ``width``x``height`` screen that :meth:`ResizableDisplay.resize` can change (up to
    ``host_size``), with ``wm="matchbox"`` as in :func:`xdisplay`."""
    log_dir = Path(log_dir) if log_dir is not None else Path(
        tempfile.mkdtemp(prefix="xdisplay-"))
    with xdisplay(*host_size, log_dir=log_dir / "host", timeout=timeout) as host:
        read_fd, write_fd = os.pipe()
        try:
            server = host.start(["Xephyr", "-displayfd", str(write_fd), "-screen",
                                 f"{width}x{height}", "-resizeable", "-no-host-grab",
                                 "-nolisten", "tcp", "-noreset"],
                                log=log_dir / "xephyr.log", pass_fds=(write_fd,))
        finally:
            os.close(write_fd)
        try:
            number = _read_display_number(read_fd, server, timeout)
        finally:
            os.close(read_fd)
        inner = XDisplay(f":{number}", width, height, None, wm, log_dir, server)
        try:
            wait_until(inner.answers, timeout, f"Xephyr on {inner.display} to answer")
            if wm == "matchbox":
                inner.wm_process = _start(kiosk_session_wm_command(), env=inner.env(),
                                          log=log_dir / "wm.log")
                _wait_for_wm(inner, timeout)
            yield ResizableDisplay(host, inner)
        finally:
            for proc in reversed(inner._children):
                stop_process(proc)
            if inner.wm_process is not None:
                stop_process(inner.wm_process)


# ---------------------------------------------------------------------------- windows


class Geometry(NamedTuple):
    x: int
    y: int
    width: int
    height: int

    @property
    def centre(self) -> tuple[int, int]:
        return self.x + self.width // 2, self.y + self.height // 2


def _xwininfo_geometry(x: XDisplay, window_id: str) -> tuple[Geometry, bool]:
    out = x.run("xwininfo", "-id", window_id)

    def field_value(name: str) -> int:
        match = re.search(rf"^\s*{re.escape(name)}:\s+(-?\d+)", out, re.MULTILINE)
        if match is None:
            raise XDisplayError(f"xwininfo printed no {name!r} for {window_id}")
        return int(match[1])

    geometry = Geometry(field_value("Absolute upper-left X"), field_value("Absolute upper-left Y"),
                        field_value("Width"), field_value("Height"))
    return geometry, "IsViewable" in out


def visible_windows(x: XDisplay, target: int | str) -> list[Geometry]:
    """Geometry (absolute, in root coordinates) of the mapped windows of process ``target``
    (an int: found by ``_NET_WM_PID``) or whose WM_CLASS or title is ``target`` (a str),
    largest first."""
    search = (["--pid", str(target)] if isinstance(target, int)
              else ["--classname", str(target)])
    ids = x.run("xdotool", "search", "--onlyvisible", *search, check=False).split()
    if not ids and isinstance(target, str):
        ids = x.run("xdotool", "search", "--onlyvisible", "--name", f"^{re.escape(target)}$",
                    check=False).split()
    found = []
    for window_id in ids:
        try:
            geometry, viewable = _xwininfo_geometry(x, window_id)
        except XDisplayError:  # the window went away between search and xwininfo
            continue
        if viewable:
            found.append(geometry)
    return sorted(found, key=lambda g: g.width * g.height, reverse=True)


def window_geometry(x: XDisplay, target: int | str) -> Geometry:
    """The largest mapped top-level window of ``target`` (see :func:`visible_windows`)."""
    found = visible_windows(x, target)
    if not found:
        raise XDisplayError(f"no mapped window for {target!r} on {x.display}:\n{x.tree()}")
    return found[0]


def wait_for_window(x: XDisplay, target: int | str, timeout: float = 20.0,
                    proc: subprocess.Popen[bytes] | None = None) -> Geometry:
    """Wait until ``target`` has a mapped window; its geometry."""
    def mapped() -> list[Geometry]:
        if proc is not None and proc.poll() is not None:
            raise XDisplayError(f"the program exited ({proc.returncode}) before it showed a "
                                f"window")
        return visible_windows(x, target)

    found = wait_until(mapped, timeout, f"a window of {target!r}")
    assert isinstance(found, list)
    return found[0]


def wait_for_stable_geometry(x: XDisplay, target: int | str, *, settle: float = 0.5,
                             timeout: float = 10.0) -> Geometry:
    """The geometry once it stopped changing for ``settle`` seconds (a window manager or the
    program itself may still resize a window just after it was mapped)."""
    deadline = time.monotonic() + timeout
    last = window_geometry(x, target)
    since = time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.1)
        now = window_geometry(x, target)
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= settle:
            break
    return last


# ---------------------------------------------------------------------------- input


def click(x: XDisplay, pos_or_x: int | tuple[int, int], y: int | None = None) -> None:
    """One real left click (XTest pointer events) at root coordinates.

    No ``mousemove --sync``: it never returns when the pointer already is there, and the
    server handles the fake motion and button events in the order they were sent anyway."""
    px, py = _point(pos_or_x, y)
    x.run("xdotool", "mousemove", str(px), str(py), "click", "1")


def double_click_with_gap(x: XDisplay, pos_or_x: int | tuple[int, int], y: int | None = None,
                          *, gap_ms: int = 150) -> None:
    """Two real left clicks at the same place, ``gap_ms`` apart (a hasty double tap)."""
    px, py = _point(pos_or_x, y)
    x.run("xdotool", "mousemove", str(px), str(py),
          "click", "--repeat", "2", "--delay", str(gap_ms), "1")


def type_text(x: XDisplay, text: str, *, delay_ms: int = 12) -> None:
    """Real key events for ``text`` to the window that has the keyboard focus."""
    x.run("xdotool", "type", "--delay", str(delay_ms), "--", text, timeout=30.0)


def _point(pos_or_x: int | tuple[int, int], y: int | None) -> tuple[int, int]:
    if isinstance(pos_or_x, tuple):
        return int(pos_or_x[0]), int(pos_or_x[1])
    assert y is not None
    return int(pos_or_x), int(y)


# ---------------------------------------------------------------------------- screenshots

_GRAB = """
import sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication(sys.argv[:1])
image = app.primaryScreen().grabWindow(0)
sys.exit(0 if not image.isNull() and image.save(sys.argv[1]) else 1)
"""


def screenshot(x: XDisplay, path: Path | str) -> Path:
    """The whole screen as a PNG: Qt's own xcb plugin reads the root window (GetImage) in a
    short-lived process, so it needs nothing the kiosk does not already need."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([sys.executable, "-c", _GRAB, str(path)],
                          env=x.env({"QT_QPA_PLATFORM": "xcb"}), capture_output=True,
                          text=True, timeout=30, check=False)
    if done.returncode != 0 or not path.is_file():
        raise XDisplayError(f"screenshot failed: {done.stderr.strip()[-2000:]}")
    return path


_GRAB_LOOP = """
import sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication(sys.argv[:1])
for line in sys.stdin:
    image = app.primaryScreen().grabWindow(0)
    ok = not image.isNull() and image.save(line.rstrip("\\n"))
    print("ok" if ok else "failed", flush=True)
"""


class Screenshooter:
    """Many screenshots of one display from one process (each :func:`screenshot` starts a
    Python and Qt of its own: fine once, too slow for every page of every flow)."""

    def __init__(self, x: XDisplay) -> None:
        self.x = x
        self.proc = subprocess.Popen([sys.executable, "-c", _GRAB_LOOP],
                                     env=x.env({"QT_QPA_PLATFORM": "xcb"}),
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True,
                                     start_new_session=True)

    def shoot(self, path: Path | str) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(f"{path}\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().strip()
        if answer != "ok" or not path.is_file():
            raise XDisplayError(f"screenshot {path} failed ({answer or 'grabber exited'})")
        return path

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

