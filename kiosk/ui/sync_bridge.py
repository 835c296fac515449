"""The bridge between the Qt kiosk and the sync engine: rounds run in a worker QThread.

The engine (``kiosk.sync.engine``, no Qt) is driven from a worker object living in its own
:class:`QThread`, never on the GUI thread. A round is triggered

* at start,
* after each new record (:meth:`SyncBridge.record_saved`, a slot the app calls),
* on a timer (the engine's interval when all is well, its backoff after a failure),
* early when :class:`QNetworkInformation` reports that the network is reachable again
  (only a hint: the authority stays a real request to the central server), after a random
  wait of up to ``reconnect_jitter`` seconds, so the kiosks of a network that comes back do
  not all call the server in the same second,
* when staff tap "Sincronizar ahora" (:meth:`SyncBridge.sync_now`).

Rounds never overlap: a trigger during a round runs one more round after it.
:attr:`SyncBridge.statusChanged` carries a :class:`~kiosk.sync.status.SyncStatus`;
:mod:`kiosk.ui.wording.sync` words it for the staff screen.

Usage from the composition root::

    bridge = SyncBridge.from_settings(settings, database)   # None when not enrolled
    if bridge is not None:
        window.set_sync_bridge(bridge)   # the staff page follows statusChanged
        bridge.start()
        ...
        bridge.stop()   # on quit
"""

import logging
import random
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from kiosk.sync.status import SyncStatus

log = logging.getLogger(__name__)


class _SyncWorker(QObject):
    """Lives in the worker thread; owns the engine."""

    round_finished = Signal(object, float)  # SyncStatus, seconds until the next round

    def __init__(self, engine_factory: Callable[[], Any]) -> None:
        super().__init__()
        self._factory = engine_factory
        self._engine: Any = None

    def _get_engine(self) -> Any:
        if self._engine is None:
            self._engine = self._factory()
        return self._engine

    @Slot()
    def run_round(self) -> None:
        delay = 60.0
        try:
            engine = self._get_engine()
            engine.run_round()
            status = engine.status()
            delay = engine.next_delay()
            if engine.stopped_reason:
                delay = -1.0  # revoked: no more rounds
        except Exception:  # the worker must survive anything (storage full, a bug...)
            log.exception("sync round crashed")
            status = SyncStatus(enrolled=True, last_error="internal")
            delay = 300.0
        self.round_finished.emit(status, float(delay))

    @Slot()
    def retry_set_aside(self) -> None:
        try:
            self._get_engine().retry_set_aside()
        except Exception:  # the worker must survive anything
            log.exception("retrying set-aside records failed")
        self.run_round()

    @Slot()
    def shutdown(self) -> None:
        if self._engine is not None:
            try:
                self._engine.client.close()
            except Exception:  # pragma: no cover - best effort on quit
                log.debug("closing the sync client failed", exc_info=True)


class SyncBridge(QObject):
    """Runs sync rounds off the GUI thread and reports the status for the staff screens."""

    statusChanged = Signal(object)  # noqa: N815 - the name the app connects to (SyncStatus)
    _run_requested = Signal()
    _retry_requested = Signal()
    _shutdown_requested = Signal()

    def __init__(
        self,
        engine_factory: Callable[[], Any],
        parent: QObject | None = None,
        *,
        watch_network: bool = True,
        now: Callable[[], datetime] | None = None,
        reconnect_jitter: float = 15.0,
        rng: random.Random | None = None,
    ) -> None:
        super().__init__(parent)
        self._now = now or (lambda: datetime.now(UTC))
        self._reconnect_jitter = reconnect_jitter
        # Jitter only spreads reconnects over time; nothing secret depends on it.
        self._rng = rng or random.Random()  # nosec B311
        self._status = SyncStatus(enrolled=True)
        self._busy = False
        self._again = False
        self._retry_again = False
        self._stopped = False
        self._started = False
        self._thread = QThread()
        self._thread.setObjectName("sync-worker")
        self._worker = _SyncWorker(engine_factory)
        self._worker.moveToThread(self._thread)
        self._run_requested.connect(self._worker.run_round)
        self._retry_requested.connect(self._worker.retry_set_aside)
        self._shutdown_requested.connect(self._worker.shutdown)
        self._worker.round_finished.connect(self._on_round_finished)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.sync_now)
        self._network: Any = None
        if watch_network:
            self._watch_network()

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_settings(
        cls, settings: Any, database: Any, parent: QObject | None = None, *,
        prepare: Callable[[], Any] | None = None, **kw: Any
    ) -> "SyncBridge | None":
        """A bridge for an enrolled kiosk, or None when it has no credentials yet.
        ``prepare`` runs in the worker thread before the first round (the start-up
        self-test); its failure is logged and sync goes on."""
        from kiosk.sync.credentials import CredentialsError, load_credentials
        from kiosk.sync.engine import build_engine

        try:
            if load_credentials(settings.credentials_dir) is None:
                return None
        except CredentialsError:
            log.warning("kiosk credentials unreadable; sync disabled")
            return None

        def factory() -> Any:
            if prepare is not None:
                try:
                    prepare()
                except Exception:  # a check that crashed must not stop sync
                    log.exception("start-up preparation failed")
            return build_engine(settings, database)

        return cls(factory, parent, **kw)

    def _watch_network(self) -> None:
        try:
            from PySide6.QtNetwork import QNetworkInformation

            if (
                QNetworkInformation.instance() is None
                and not QNetworkInformation.loadDefaultBackend()
            ):
                return
            info = QNetworkInformation.instance()
            if info is None:
                return
            self._network = info
            info.reachabilityChanged.connect(self._on_reachability)
        except Exception:  # no backend on this platform: the timer still runs
            log.debug("network information unavailable", exc_info=True)

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> None:
        if self._started:
            return
        self._started = True
        self._thread.start()
        self.sync_now()

    def stop(self, timeout_ms: int = 10_000) -> None:
        """Stop timers and the worker thread (waits for a running round to end)."""
        self._stopped = True
        self._timer.stop()
        if self._thread.isRunning():
            self._shutdown_requested.emit()
            self._thread.quit()
            self._thread.wait(timeout_ms)

    @property
    def busy(self) -> bool:
        return self._busy

    def status(self) -> SyncStatus:
        return self._status

    # ------------------------------------------------------------------ triggers

    @Slot()
    def sync_now(self) -> None:
        """Run a round now ("Sincronizar ahora"); if one is running, run one more after it."""
        if self._begin(retry=False):
            self._run_requested.emit()

    @Slot()
    def retry_set_aside(self) -> None:
        """Staff's "Reintentar apartados": put the set-aside records back and run a round."""
        if self._begin(retry=True):
            self._retry_requested.emit()

    def _begin(self, *, retry: bool) -> bool:
        """Mark a round as running; False when stopped, or when one is already running (the
        request then waits for it to end)."""
        if self._stopped or not self._started:
            return False
        if self._busy:
            if retry:
                self._retry_again = True
            else:
                self._again = True
            return False
        self._busy = True
        self._timer.stop()
        self._status = replace(self._status, syncing=True)
        self.statusChanged.emit(self._status)
        return True

    @Slot()
    def record_saved(self) -> None:
        """A new record is in the outbox: try to send it soon."""
        self.sync_now()

    def _on_reachability(self, reachability: Any) -> None:
        try:
            from PySide6.QtNetwork import QNetworkInformation

            online = reachability == QNetworkInformation.Reachability.Online
        except Exception:  # pragma: no cover
            online = False
        if online and (self._status.last_error or self._status.waiting) and not self._busy:
            wait = self._rng.uniform(0.0, self._reconnect_jitter)
            log.info("network reachable again: early sync attempt in %.1f s", wait)
            self._timer.start(int(wait * 1000))

    # ------------------------------------------------------------------ results

    @Slot(object, float)
    def _on_round_finished(self, status: SyncStatus, delay: float) -> None:
        self._busy = False
        next_at = (self._now() + timedelta(seconds=max(delay, 0.5))
                   if delay >= 0 and not self._stopped else None)
        self._status = replace(status, syncing=False, next_attempt_at=next_at)
        self.statusChanged.emit(self._status)
        if self._stopped:
            return
        if self._retry_again:
            self._retry_again = False
            self.retry_set_aside()
            return
        if self._again:
            self._again = False
            self.sync_now()
            return
        if delay >= 0:
            self._timer.start(int(max(delay, 0.5) * 1000))
