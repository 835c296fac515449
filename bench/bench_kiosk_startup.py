"""Process start to attract screen painted, beside a bare PySide6 window in the same run.

Each sample starts a fresh interpreter and measures, from just before the process is spawned
until the child reports the first paint of its window:

* ``bare``  - QApplication + one empty QWidget (the floor for any PySide6 program);
* ``kiosk`` - the real composition root as ``kiosk.app.main`` runs it: the window (theme,
  font, catalogue) up to the attract screen painted; settings, the SQLite store (with its
  migration check) and the services load right after the first paint, and that moment is
  printed too.

Both run on the same Qt platform (offscreen unless QT_QPA_PLATFORM is set), with the same
bytecode cache, alternately, after one uncounted warm-up each; the probe reports the first
Paint event. Prints median times and the ratio kiosk/bare (target <= 1.5x), and the child's
CPU time up to that paint (less disturbed by other load on a shared machine than the wall
clock). Figures are printed, never asserted.

    .venv/bin/python bench/bench_kiosk_startup.py [--n 7]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

BARE = """
import sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication(sys.argv[:1])
w = QWidget(); w.resize(1920, 1080)
class Probe(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            sys.stdout.write(f"painted {time.process_time() * 1000:.1f}\\n"); sys.stdout.flush()
            app.exit(0)
        return False
probe = Probe(); w.installEventFilter(probe); w.show()
app.exec()
"""

KIOSK = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
from kiosk.app import StoreLoader, create_window, load_after_first_paint, setup_logging
from kiosk.clock import SystemClock
app = QApplication(sys.argv[:1])
clock = SystemClock()
kiosk = create_window(clock=clock, kiosk_mode=False)

def settings_factory():
    from kiosk.settings import load_settings
    settings = load_settings(sys.argv[1])
    setup_logging(settings.log_dir)
    return settings

loader = StoreLoader(kiosk, settings_factory, clock, False, start_sync=False)
kiosk.loader = loader
loader.defer()
w = kiosk.window; w.resize(1920, 1080)
attract = w.page("attract")
class Probe(QObject):
    done = False
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not self.done:
            self.done = True
            sys.stdout.write(f"painted {time.process_time() * 1000:.1f}\\n"); sys.stdout.flush()
        return False
def ready():
    sys.stdout.write("ready\\n"); sys.stdout.flush()
    app.exit(0)
probe = Probe(); attract.installEventFilter(probe)
load_after_first_paint(loader)
w.show()
timer = QTimer(); timer.timeout.connect(lambda: loader.done and ready()); timer.start(20)
app.exec()
kiosk.close()
"""


def sample(
    code: str,
    *args: str,
    ready: list[float] | None = None,
    cpu: list[float] | None = None,
    cache: str = "",
) -> float:
    """Wall-clock ms from spawn to the child's first paint; appends the child's CPU ms to
    ``cpu`` (a figure the load of a shared machine disturbs much less than the wall clock)."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    # As installed: with bytecode (a warm-up run fills a private cache, the tree stays clean).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if cache:
        env["PYTHONPYCACHEPREFIX"] = cache
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - start
    if ready is not None:
        if proc.stdout.readline().strip() == "ready":
            ready.append((time.perf_counter() - start) * 1000)
    proc.wait(timeout=60)
    word, _, cpu_ms = line.strip().partition(" ")
    if word != "painted":
        raise RuntimeError("child did not paint")
    if cpu is not None:
        cpu.append(float(cpu_ms))
    return elapsed * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=7)
    args = parser.parse_args()
    bare: list[float] = []
    kiosk: list[float] = []
    store_ready: list[float] = []
    bare_cpu: list[float] = []
    kiosk_cpu: list[float] = []
    with (
        tempfile.TemporaryDirectory(prefix="trato-startup-") as data_dir,
        tempfile.TemporaryDirectory(prefix="trato-pycache-") as cache,
    ):
        # Warm-up, not counted: creates and migrates the store, compiles the bytecode.
        sample(BARE, cache=cache)
        sample(KIOSK, data_dir, cache=cache)
        for _ in range(args.n):  # interleaved so machine load affects both alike
            bare.append(sample(BARE, cpu=bare_cpu, cache=cache))
            kiosk.append(sample(KIOSK, data_dir, ready=store_ready, cpu=kiosk_cpu, cache=cache))
    b, k = statistics.median(bare), statistics.median(kiosk)
    print(f"bare PySide6 window painted: median {b:7.1f} ms (min {min(bare):.1f}, n={len(bare)})")
    print(f"kiosk attract painted:       median {k:7.1f} ms (min {min(kiosk):.1f}, n={len(kiosk)})")
    print(f"ratio kiosk/bare: {k / b:.2f}x  (target <= 1.5x)")
    bc, kc = statistics.median(bare_cpu), statistics.median(kiosk_cpu)
    print(
        f"CPU time of the child up to that paint: bare {bc:.1f} ms, kiosk {kc:.1f} ms, "
        f"ratio {kc / bc:.2f}x"
    )
    if store_ready:
        print(
            f"store, services and settings loaded after the first paint: median "
            f"{statistics.median(store_ready):7.1f} ms from process start"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
