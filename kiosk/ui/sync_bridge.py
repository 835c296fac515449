"""The bridge between the Qt kiosk and the sync engine: rounds run in a worker QThread.

The engine (``kiosk.sync.engine``, no Qt) is driven from a worker object living in its own
:class:`QThread`, never on the GUI thread. A round is triggered

* at start,
* after each new record (:meth:`SyncBridge.record_saved`, a slot the app calls),
* on a timer (the engine's interval when all is well, its backoff after a failure),
* early when :class:`QNetworkInformation` reports that the network is reachable again
  (only a hint: the authority stays a real request to the central server),
* when staff tap "Sincronizar ahora" (:meth:`SyncBridge.sync_now`).

Rounds never overlap: a trigger during a round runs one more round after it.
:attr:`SyncBridge.statusChanged` carries a :class:`~kiosk.sync.status.SyncStatus`;
:meth:`SyncBridge.status_text` words it in plain Spanish through Qt's translation system.

Usage from the composition root::

    bridge = SyncBridge.from_settings(settings, database)   # None when not enrolled
    if bridge is not None:
        bridge.statusChanged.connect(staff_page.show_sync_status)
        bridge.start()
        ...
        bridge.stop()   # on quit
"""

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal, Slot

from kiosk.sync.status import SyncStatus

log = logging.getLogger(__name__)


class _SyncWorker(QObject):
    """Lives in the worker thread; owns the engine."""

    round_finished = Signal(object, float)  # SyncStatus, seconds until the next round
    status_read = Signal(object)

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
    def read_status(self) -> None:
        try:
            self.status_read.emit(self._get_engine().status())
        except Exception:
            log.exception("reading the sync status failed")

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
    _status_requested = Signal()
    _shutdown_requested = Signal()

    def __init__(
        self,
        engine_factory: Callable[[], Any],
        parent: QObject | None = None,
        *,
        watch_network: bool = True,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self._now = now or (lambda: datetime.now(UTC))
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
        self._status_requested.connect(self._worker.read_status)
        self._shutdown_requested.connect(self._worker.shutdown)
        self._worker.round_finished.connect(self._on_round_finished)
        self._worker.status_read.connect(self._on_status_read)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.sync_now)
        self._network: Any = None
        if watch_network:
            self._watch_network()

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_settings(
        cls, settings: Any, database: Any, parent: QObject | None = None, **kw: Any
    ) -> "SyncBridge | None":
        """A bridge for an enrolled kiosk, or None when it has no credentials yet."""
        from kiosk.sync.credentials import CredentialsError, load_credentials
        from kiosk.sync.engine import build_engine

        try:
            if load_credentials(settings.credentials_dir) is None:
                return None
        except CredentialsError:
            log.warning("kiosk credentials unreadable; sync disabled")
            return None

        def factory() -> Any:
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

    @Slot()
    def refresh_status(self) -> None:
        """Re-read counts (e.g. after a record was saved) without a network round."""
        if self._started and not self._stopped:
            self._status_requested.emit()

    def _on_reachability(self, reachability: Any) -> None:
        try:
            from PySide6.QtNetwork import QNetworkInformation

            online = reachability == QNetworkInformation.Reachability.Online
        except Exception:  # pragma: no cover
            online = False
        if online and (self._status.last_error or self._status.waiting):
            log.info("network reachable again: early sync attempt")
            self.sync_now()

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

    @Slot(object)
    def _on_status_read(self, status: SyncStatus) -> None:
        self._status = replace(status, syncing=self._busy,
                               next_attempt_at=self._status.next_attempt_at)
        self.statusChanged.emit(self._status)

    # ------------------------------------------------------------------ wording

    def status_text(self, status: SyncStatus | None = None) -> str:
        return describe_status(status or self._status, self._now())


def _error_text(code: str) -> str:
    # Literal strings so Qt's lupdate finds every one of them.
    texts = {
        "network": QCoreApplication.translate("SyncBridge", "sin conexión con el servidor central"),
        "timeout": QCoreApplication.translate(
            "SyncBridge", "el servidor central tardó demasiado en responder"
        ),
        "tls": QCoreApplication.translate(
            "SyncBridge", "no se pudo verificar el certificado del servidor central"
        ),
        "server_error": QCoreApplication.translate(
            "SyncBridge", "el servidor central tiene un problema"
        ),
        "rate_limited": QCoreApplication.translate(
            "SyncBridge", "el servidor central pidió esperar"
        ),
        "bad_response": QCoreApplication.translate(
            "SyncBridge", "respuesta inesperada del servidor central"
        ),
        "expired": QCoreApplication.translate(
            "SyncBridge", "la hora de este kiosco no coincide con la del servidor"
        ),
        "bad_signature": QCoreApplication.translate(
            "SyncBridge", "el servidor no reconoce la firma de este kiosco"
        ),
        "unknown_kiosk": QCoreApplication.translate(
            "SyncBridge", "el servidor no reconoce este kiosco"
        ),
        "internal": QCoreApplication.translate("SyncBridge", "error interno de sincronización"),
    }
    return texts.get(code, QCoreApplication.translate("SyncBridge", "error de sincronización"))


def _ago(then: datetime, now: datetime) -> str:
    # Counts go through a plain name: lupdate skips a translate() whose count is an expression.
    seconds = max(0.0, (now - then).total_seconds())
    if seconds < 60:
        return QCoreApplication.translate("SyncBridge", "hace un momento")
    minutes = int(seconds // 60)
    if minutes < 60:
        return QCoreApplication.translate("SyncBridge", "hace %n min", None, minutes)
    hours = minutes // 60
    if hours < 48:
        return QCoreApplication.translate("SyncBridge", "hace %n h", None, hours)
    days = hours // 24
    return QCoreApplication.translate("SyncBridge", "hace %n días", None, days)


def _with(text: str, value: str) -> str:
    """Fill a translated sentence's ``%1``: the sentence stays whole for the translator."""
    return text.replace("%1", value)


def describe_status(status: SyncStatus, now: datetime) -> str:
    """One plain-Spanish line for the staff screen (never personal data)."""
    if status.revoked:
        return QCoreApplication.translate(
            "SyncBridge",
            "Este kiosco fue dado de baja por el servidor central y ya no envía "
            "registros. Los registros se conservan en el kiosco. Avise a soporte "
            "técnico para registrarlo de nuevo.",
        )
    if not status.enrolled:
        return QCoreApplication.translate(
            "SyncBridge", "Este kiosco no está registrado con el servidor central."
        )
    parts: list[str] = []
    if status.syncing:
        parts.append(QCoreApplication.translate("SyncBridge", "Enviando registros…"))
    elif status.waiting == 0 and status.last_error is None and status.last_success_at:
        parts.append(_with(QCoreApplication.translate("SyncBridge", "Todo enviado %1"),
                           _ago(status.last_success_at, now)))
    elif status.waiting == 0 and status.last_error is None:
        parts.append(
            QCoreApplication.translate(
                "SyncBridge", "Aún no se ha sincronizado con el servidor central."
            )
        )
    elif status.last_error in ("network", "timeout", "tls"):
        waiting = status.waiting
        if waiting == 1:
            parts.append(QCoreApplication.translate("SyncBridge", "1 registro esperando red"))
        elif status.waiting > 1:
            text = QCoreApplication.translate("SyncBridge", "%n registros esperando red", None,
                                              waiting)
            parts.append(text)
        else:
            parts.append(QCoreApplication.translate("SyncBridge", "Sin red"))
    elif status.waiting:
        waiting = status.waiting
        if waiting == 1:
            parts.append(QCoreApplication.translate("SyncBridge", "1 registro por enviar"))
        else:
            parts.append(
                QCoreApplication.translate("SyncBridge", "%n registros por enviar", None, waiting)
            )
    if status.last_error and not status.syncing:
        if status.last_error not in ("network", "timeout", "tls") or status.waiting == 0:
            parts.append(_error_text(status.last_error).capitalize())
        if status.last_success_at:
            parts.append(_with(QCoreApplication.translate("SyncBridge", "último envío correcto %1"),
                               _ago(status.last_success_at, now)))
    if status.set_aside == 1:
        parts.append(
            QCoreApplication.translate(
                "SyncBridge", "1 registro apartado por el servidor; revíselo con soporte"
            )
        )
    elif status.set_aside > 1:
        set_aside = status.set_aside
        parts.append(
            QCoreApplication.translate(
                "SyncBridge",
                "%n registros apartados por el servidor; revíselos con soporte",
                None,
                set_aside,
            )
        )
    return " · ".join(parts)


# ---------------------------------------------------------------------------- staff details


def _local(moment: datetime, status: SyncStatus) -> datetime:
    """A moment in the unit's time zone (from the enrolment), else the PC's."""
    if status.timezone:
        try:
            return moment.astimezone(ZoneInfo(status.timezone))
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return moment.astimezone()


def _when(moment: datetime, status: SyncStatus, now: datetime) -> str:
    text = QCoreApplication.translate("SyncBridge", "%1 (%2)")
    return text.replace("%1", _local(moment, status).strftime("%d/%m/%Y %H:%M")).replace(
        "%2", _ago(moment, now)
    )


def _offset_text(seconds: float) -> str:
    sign = "+" if seconds >= 0 else "−"
    size = abs(seconds)
    if size < 120:
        amount = QCoreApplication.translate("SyncBridge", "%1 s").replace("%1", f"{size:.0f}")
    elif size < 2 * 3600:
        amount = QCoreApplication.translate("SyncBridge", "%1 min").replace(
            "%1", f"{size / 60:.0f}"
        )
    elif size < 2 * 86400:
        amount = QCoreApplication.translate("SyncBridge", "%1 h").replace(
            "%1", f"{size / 3600:.0f}"
        )
    else:
        amount = QCoreApplication.translate("SyncBridge", "%1 días").replace(
            "%1", f"{size / 86400:,.0f}"
        )
    return sign + amount


def describe_kiosk(status: SyncStatus) -> str:
    """Which kiosk this is: unit, module, number and version (for staff calling support)."""
    if not status.unit_name:
        return QCoreApplication.translate("SyncBridge", "Versión %1").replace("%1", status.version)
    text = QCoreApplication.translate("SyncBridge", "%1 (%2) · %3 · kiosco %4 · versión %5")
    for n, value in enumerate((status.unit_name, status.clues or "", status.module_name or "",
                               str(status.kiosk_number or ""), status.version), 1):
        text = text.replace(f"%{n}", value)
    return text


def status_rows(status: SyncStatus, now: datetime) -> list[tuple[str, str]]:
    """The staff screen's table: what, and its value, in plain Spanish."""
    tr = QCoreApplication.translate
    rows = [(tr("SyncBridge", "Kiosco"), describe_kiosk(status))]
    if not status.enrolled:
        return rows
    rows.append((
        tr("SyncBridge", "Último envío correcto"),
        _when(status.last_success_at, status, now) if status.last_success_at
        else tr("SyncBridge", "Todavía ninguno"),
    ))
    waiting = str(status.waiting)
    if status.waiting and status.oldest_waiting_at:
        waiting = tr("SyncBridge", "%1; el más antiguo es del %2").replace("%1", waiting).replace(
            "%2", _local(status.oldest_waiting_at, status).strftime("%d/%m/%Y %H:%M")
        )
    rows.append((tr("SyncBridge", "Registros por enviar"), waiting))
    rows.append((tr("SyncBridge", "Registros apartados por el servidor"), str(status.set_aside)))
    rows.append((
        tr("SyncBridge", "Último problema"),
        _error_text(status.last_error).capitalize() if status.last_error
        else tr("SyncBridge", "Ninguno"),
    ))
    rows.append((
        tr("SyncBridge", "Diferencia con la hora del servidor"),
        _offset_text(status.clock_offset_seconds) if status.clock_offset_seconds is not None
        else tr("SyncBridge", "Sin dato todavía"),
    ))
    if status.next_attempt_at and not status.revoked and not status.syncing:
        rows.append((tr("SyncBridge", "Próximo intento"),
                     _local(status.next_attempt_at, status).strftime("%H:%M")))
    return rows


def set_aside_lines(status: SyncStatus) -> list[str]:
    """One line per listed set-aside record: what it is, when, why (no personal data)."""
    tr = QCoreApplication.translate
    kinds = {
        "survey_response": tr("SyncBridge", "Encuesta"),
        "case": tr("SyncBridge", "Caso"),
        "case_event": tr("SyncBridge", "Seguimiento de caso"),
    }
    why = {
        "rejected": tr("SyncBridge", "el servidor lo rechazó"),
        "conflict": tr("SyncBridge", "choca con otro registro ya guardado en el servidor"),
    }
    lines = []
    for item in status.set_aside_items:
        what = kinds.get(item.kind, item.kind)
        if item.folio:
            what = f"{what} {item.folio}"
        text = tr("SyncBridge", "%1 · %2 · %3").replace("%1", what).replace(
            "%2", _local(item.created_at, status).strftime("%d/%m/%Y %H:%M")
        ).replace("%3", why.get(item.status, why["rejected"]))
        if item.detail:
            text += "\n" + tr("SyncBridge", "Detalle para soporte: %1").replace("%1", item.detail)
        lines.append(text)
    more = status.set_aside - len(status.set_aside_items)
    if more > 0:
        lines.append(tr("SyncBridge", "y %n más", None, more))
    return lines
