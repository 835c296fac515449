"""The installed Qt binding must survive a long day of taps.

PySide6 6.12.0 on CPython 3.11 drops one reference to ``None`` on every call of a ``void`` C++
method, so after some thousands of taps CPython aborts with "none_dealloc" (ADR 0004). The
project pins a binding without that defect; this test fails if an upgrade brings it back.
"""

import subprocess
import sys

CODE = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
before = sys.getrefcount(None)
for _ in range(60_000):
    label.setText("x")
    label.setEnabled(True)
print("delta", sys.getrefcount(None) - before)
"""


def test_many_void_qt_calls_leave_none_alone() -> None:
    out = subprocess.run(
        [sys.executable, "-c", CODE],
        capture_output=True,
        text=True,
        timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert out.returncode == 0, out.stderr[-2000:]
    delta = int(out.stdout.split()[-1])
    assert abs(delta) < 1000, f"None's reference count drifted by {delta}"
