"""PySide6 6.12 on CPython 3.11 leaks a reference to None on every void call; importing
kiosk.ui must keep the kiosk alive through a long day of taps (fresh interpreter)."""

import subprocess
import sys

CODE = """
import sys
import kiosk.ui
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
for _ in range(60_000):
    label.setText("x")
print("alive")
"""


def test_many_void_qt_calls_do_not_abort_the_process() -> None:
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", CODE],
        capture_output=True,
        text=True,
        timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().endswith("alive")
