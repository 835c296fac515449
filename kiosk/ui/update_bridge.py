"""Signed updates seen from the screens: checks in a worker thread, the switch on the attract
screen only.

:class:`UpdateBridge` runs :meth:`kiosk.sync.updater.Updater.check` in its own
:class:`QThread` (at start, then every :data:`~kiosk.sync.updater.CHECK_INTERVAL`). The
window tells it which page shows (``page_changed``); when a verified version is staged and
the attract screen is showing (nobody is using the kiosk), it switches the ``current``
pointer and emits :attr:`restartRequested`; the composition root then leaves the event loop
and the service manager starts the launcher again, which tests the new version first.
The status the check leaves on disk goes to the central server with the next sync round's
report. Once the kiosk has run for its probation window (``update_probation_seconds``) with
its event loop turning, the bridge confirms the running version healthy: the launcher stops
counting its crashes (a new version that crashes three times before that is rolled back).
"""

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal, Slot

from kiosk.settings import KioskSettings
from kiosk.sync.updater import CHECK_INTERVAL

PROBATION_SECONDS: int = KioskSettings.model_fields["update_probation_seconds"].default

log = logging.getLogger(__name__)


class _UpdateWorker(QObject):
    checked = Signal()

    def __init__(self, updater: Any) -> None:
        super().__init__()
        self._updater = updater

    @Slot()
    def check(self) -> None:
        try:
            self._updater.check()
        except Exception:  # the worker must survive anything (disk full, a bug …)
            log.exception("update check crashed")
        self.checked.emit()


class UpdateBridge(QObject):
    restartRequested = Signal()  # noqa: N815 - Qt signal naming, as SyncBridge's
    _check_requested = Signal()

    def __init__(self, updater: Any, parent: QObject | None = None, *,
                 on_attract: bool = True, interval_ms: int | None = None,
                 probation_ms: int = PROBATION_SECONDS * 1000) -> None:
        super().__init__(parent)
        self.updater = updater
        self._on_attract = on_attract
        self._switched = False  # once: the restart is asked for, the window may still change
        self._thread = QThread()
        self._thread.setObjectName("update-worker")
        self._worker = _UpdateWorker(updater)
        self._worker.moveToThread(self._thread)
        self._check_requested.connect(self._worker.check)
        self._worker.checked.connect(self._maybe_apply)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms or int(CHECK_INTERVAL.total_seconds() * 1000))
        self._timer.timeout.connect(self.check_now)
        self._probation = QTimer(self)
        self._probation.setSingleShot(True)
        self._probation.setInterval(probation_ms)
        self._probation.timeout.connect(self._confirm_healthy)

    def start(self) -> None:
        self._thread.start()
        self._timer.start()
        self._probation.start()
        self.check_now()

    def stop(self, timeout_ms: int = 10_000) -> None:
        self._timer.stop()
        self._probation.stop()
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait(timeout_ms)

    @Slot()
    def check_now(self) -> None:
        self._check_requested.emit()

    @Slot()
    def _confirm_healthy(self) -> None:
        try:
            self.updater.confirm_healthy()
        except OSError:
            log.exception("could not end the update's probation")

    @Slot(str)
    def page_shown(self, name: str) -> None:
        """The window's ``page_changed``: the switch waits for the attract screen."""
        self._on_attract = name == "attract"
        self._maybe_apply()

    @Slot()
    def _maybe_apply(self) -> None:
        if self._switched or not self._on_attract or self.updater.ready_version() is None:
            return
        try:
            switched = self.updater.apply()
        except OSError:
            log.exception("could not switch to the staged version")
            return
        if switched:
            self._switched = True
            self.restartRequested.emit()


def start_updates(window: Any, settings: Any, environ: dict[str, str]) -> UpdateBridge | None:
    """Wire signed updates into a running kiosk (the composition root calls it once sync has
    started); None when this kiosk does not update itself (not started by the launcher)."""
    from kiosk.sync.updater import build_updater

    updater = build_updater(settings, environ)
    if updater is None:
        return None
    bridge = UpdateBridge(updater, window, on_attract=window.current == "attract",
                          probation_ms=settings.update_probation_seconds * 1000)
    window.page_changed.connect(bridge.page_shown)
    app = QCoreApplication.instance()
    if app is not None:
        bridge.restartRequested.connect(lambda: app.exit(0))  # the service starts it again
        app.aboutToQuit.connect(bridge.stop)
    bridge.start()
    return bridge
