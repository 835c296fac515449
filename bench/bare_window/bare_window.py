"""The bare PySide6 window of bench/bench_bundle.py: one empty QWidget, 1280x800 or (with
``--full-screen``) covering the screen as the kiosk does in kiosk mode; prints the wall-clock
time (time.time()) of its first paint, then quits."""

import sys
import time

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

app = QApplication(sys.argv[:1])
window = QWidget()


class Probe(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint:
            sys.stdout.write(f"painted {time.time():.6f}\n")
            sys.stdout.flush()
            app.exit(0)
        return False


probe = Probe()
window.installEventFilter(probe)
if "--full-screen" in sys.argv:
    window.showFullScreen()
else:
    window.resize(1280, 800)
    window.show()
sys.exit(app.exec())
