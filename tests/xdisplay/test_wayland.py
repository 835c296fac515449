"""The kiosk under cage, the Wayland kiosk compositor: ``trato-kiosk run`` with
``QT_QPA_PLATFORM=wayland`` (PySide6's own ``libqwayland.so``; the system libraries it links
are in ``scripts/xdisplay-packages.txt``) covers cage's output, and SIGTERM ends it within 2 s.

cage runs on wlroots' headless backend (``WLR_BACKENDS=headless``, no input devices, the
pixman software renderer, one output of wlroots' default headless size: cage has no option to
choose a mode). Two things differ from a kiosk PC, both forced by this machine, not faked:

* cage 0.1.4 refuses to start as root ("Unable to drop root"), and the tests run as root, so
  cage runs as ``nobody`` (``setpriv``), as a kiosk's compositor runs as the kiosk user;
* the project's Python lives under ``/root`` (mode 0700), which ``nobody`` cannot read, so
  cage's own child is ``sleep`` and the kiosk is started by the test, as root, as a client of
  cage's Wayland socket (``WAYLAND_DISPLAY``), instead of as cage's child. cage lays out
  every toplevel the same way, so the window the kiosk gets is the one it would get as the
  child; what is not covered is cage exiting when its child exits (the session's concern).

What the kiosk sees is read from inside it, by the probe (:mod:`tests.xdisplay.probe`): the
window's geometry and its screen's, once the window is exposed at its final size.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.xdisplay import IN_CI, send_signal_and_time_exit, stop_process, wait_until
from tests.xdisplay.kiosk_process import (
    PROBE,
    TRATO_KIOSK,
    kiosk_data_dir,
    unit_arguments,
    unit_environment,
    unit_umask,
)

EXIT_WITHIN_S = 2.0
NOBODY = 65534


def _require_cage() -> None:
    missing = [tool for tool in ("cage", "setpriv") if not shutil.which(tool)]
    if missing:
        reason = (f"the Wayland kiosk test needs {', '.join(missing)} "
                  "(scripts/xdisplay-packages.txt)")
        if IN_CI:
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)


@pytest.fixture
def cage(tmp_path: Path) -> Iterator[Path]:
    """cage on the headless backend; yields its Wayland socket."""
    _require_cage()
    # Not under pytest's tmp folder: its parents are root's, mode 0700, closed to nobody.
    runtime = Path(tempfile.mkdtemp(prefix="cage-runtime-"))
    env = {"PATH": "/usr/bin:/bin", "HOME": str(runtime), "XDG_RUNTIME_DIR": str(runtime),
           "WLR_BACKENDS": "headless", "WLR_LIBINPUT_NO_DEVICES": "1",
           "WLR_RENDERER": "pixman", "WLR_HEADLESS_OUTPUTS": "1"}
    args = ["cage", "-d", "--", "sleep", "infinity"]
    if os.geteuid() == 0:
        os.chown(runtime, NOBODY, NOBODY)
        args = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *args]
    log = tmp_path / "cage.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(args, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        sockets = wait_until(lambda: sorted(runtime.glob("wayland-*[0-9]"))
                             or proc.poll() is not None, 10, "cage's Wayland socket")
        assert proc.poll() is None, f"cage exited:\n{log.read_text('utf-8', 'replace')}"
        assert isinstance(sockets, list)
        yield sockets[0]
    finally:
        stop_process(proc, grace=3.0)
        shutil.rmtree(runtime, ignore_errors=True)


def test_kiosk_covers_cages_output_and_ends_on_sigterm(cage: Path, kiosk_home: Path,
                                                       tmp_path: Path) -> None:
    probe_file = tmp_path / "probe.json"
    runtime = kiosk_home / "run-wayland"
    runtime.mkdir(mode=0o700, exist_ok=True)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(kiosk_home),
           "LANG": "C.UTF-8", "XDG_RUNTIME_DIR": str(runtime), **unit_environment(kiosk_home),
           # The session under cage: Wayland instead of the unit's xcb.
           "QT_QPA_PLATFORM": "wayland", "WAYLAND_DISPLAY": str(cage),
           "TD_TEST_PROBE_FILE": str(probe_file), "TD_TEST_PROBE_ARGV0": str(TRATO_KIOSK)}
    Path(env["TMPDIR"]).mkdir(parents=True, exist_ok=True)
    log = tmp_path / "kiosk-console.log"
    kiosk_log = kiosk_data_dir(kiosk_home) / "logs" / "kiosk.log"
    offset = kiosk_log.stat().st_size if kiosk_log.is_file() else 0
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, str(PROBE), *unit_arguments()], env=env,
                                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True, umask=unit_umask())
    try:
        def settled() -> dict[str, object] | None:
            if proc.poll() is not None:
                raise AssertionError(f"the kiosk exited ({proc.returncode}):\n"
                                     f"{log.read_text('utf-8', 'replace')[-3000:]}")
            try:
                state = json.loads(probe_file.read_text(encoding="utf-8"))
            except (FileNotFoundError, json.JSONDecodeError):
                return None
            return state if state.get("exposed") and state.get("page") == "attract" else None

        try:
            wait_until(settled, 30, "the kiosk's window on cage")
        except TimeoutError:
            raise AssertionError(f"no exposed kiosk window; probe {probe_file.read_text()!r}"
                                 if probe_file.exists() else
                                 log.read_text("utf-8", "replace")[-3000:]) from None
        time.sleep(0.5)  # a configure after the first frame would show as a change
        state = json.loads(probe_file.read_text(encoding="utf-8"))
        screen = state["screen"]
        assert screen[2] > 0 and screen[3] > 0, state
        assert state["platform"] == "wayland", state
        assert state["window"][2:] == screen[2:], (
            f"kiosk window {state['window']} on a {screen[2]}x{screen[3]} output")
        # cage 0.1.4 answers the kiosk's full-screen request by maximising the window to the
        # output (it has no panels, so that is all of it): either state is the whole output.
        assert state["window_state"] in ("WindowState.WindowFullScreen",
                                         "WindowState.WindowMaximized"), state
        # Kept on top once it painted (kiosk.app.keep_on_top), and still the whole output.
        assert state["stays_on_top"] == [True, True] and state["exposed"], state
        print(f"cage output {screen[2]}x{screen[3]}: kiosk window {state['window']}, "
              f"{state['window_state']}")
        timing = send_signal_and_time_exit(proc, signal.SIGTERM, EXIT_WITHIN_S)
        assert timing.exited, f"still running {timing.seconds:.1f} s after SIGTERM"
        assert timing.returncode == 0, timing
        with open(kiosk_log, "rb") as handle:
            handle.seek(offset)
            assert b"kiosk stopped (0)" in handle.read()
    finally:
        stop_process(proc, grace=1.0)
