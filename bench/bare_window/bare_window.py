"""The bare PySide6 window of bench/bench_bundle.py: one empty QWidget; prints the wall-clock
time (time.time()) of its first paint, then quits."""

import sys
import time

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

app = QApplication(sys.argv[:1])
window = QWidget()
window.resize(1280, 800)


class Probe(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint:
            sys.stdout.write(f"painted {time.time():.6f}\n")
            sys.stdout.flush()
            app.exit(0)
        return False


probe = Probe()
window.installEventFilter(probe)
window.show()
sys.exit(app.exec())
