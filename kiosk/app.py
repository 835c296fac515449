"""Composition root of the kiosk: settings, logging, store, services, sync and the window.

Nothing else in the kiosk builds these objects; everything receives what it needs through
``__init__``. ``main()`` is what ``trato-kiosk run`` calls; :func:`build_kiosk` is the same
wiring without the event loop, for tests, screenshots and benchmarks.
"""

import logging
import logging.handlers
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from kiosk.services.cases import CaseService
from kiosk.services.clock import Clock, SystemClock
from kiosk.services.errors import KnownError
from kiosk.services.notify import Notifier
from kiosk.services.surveys import SurveyService
from kiosk.settings import KioskSettings, load_settings
from kiosk.storage.db import Database, open_database
from kiosk.ui.assets import AssetLibrary
from kiosk.ui.i18n import Translations, available_languages
from kiosk.ui.metrics import Metrics
from kiosk.ui.window import KioskWindow, UiConfig

log = logging.getLogger(__name__)

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(log_dir: Path) -> None:
    """Rotating log files (5 x 2 MB). Messages carry codes and counts, never personal data."""
    log_dir.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    if any(getattr(h, "_trato_kiosk", False) for h in root.handlers):
        return
    handler = logging.handlers.RotatingFileHandler(
        log_dir / "kiosk.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler._trato_kiosk = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(handler)
    root.setLevel(logging.INFO)


class _Unavailable:
    """Stands in for a service when the store could not be opened: every submit says why."""

    def __init__(self, error: KnownError) -> None:
        self.error = error

    def submit(self, _draft: Any) -> Any:
        raise self.error


@dataclass
class Kiosk:
    """Everything :func:`build_kiosk` made; ``close()`` releases it in order."""

    settings: KioskSettings
    window: KioskWindow
    database: Database | None
    sync_bridge: Any = None

    def close(self) -> None:
        if self.sync_bridge is not None:
            self.sync_bridge.stop()
            self.sync_bridge = None
        self.window.shutdown()
        if self.database is not None:
            self.database.close()
            self.database = None


def load_fonts(assets: AssetLibrary) -> None:
    for font in assets.fonts:
        if QFontDatabase.addApplicationFont(str(font)) < 0:
            log.warning("font not loaded: %s", font.name)


def build_kiosk(
    settings: KioskSettings,
    *,
    clock: Clock | None = None,
    kiosk_mode: bool = True,
    assets: AssetLibrary | None = None,
    start_sync: bool = True,
    ui_overrides: dict[str, Any] | None = None,
) -> Kiosk:
    """Wire store, services, sync bridge and window (a QApplication must exist)."""
    clock = clock or SystemClock()
    assets = assets or AssetLibrary()
    load_fonts(assets)
    notifier = Notifier()
    database: Database | None = None
    quarantined = False
    survey_service: Any
    case_service: Any
    try:
        opened = open_database(settings.db_path)
    except KnownError as exc:
        log.error("the local store cannot be opened: %s", getattr(exc, "code", type(exc).__name__))
        survey_service = case_service = _Unavailable(exc)
        store_error: KnownError | None = exc
    else:
        store_error = None
        database = opened.database
        quarantined = opened.quarantined_to is not None
        survey_service = SurveyService(database, clock, notifier=notifier)
        case_service = CaseService(database, clock, notifier=notifier)

    bridge = None
    if database is not None and start_sync:
        try:
            from kiosk.ui.sync_bridge import SyncBridge
        except ImportError:  # the sync bridge is optional in development trees
            SyncBridge = None  # type: ignore[assignment,misc]  # noqa: N806
        if SyncBridge is not None:
            bridge = SyncBridge.from_settings(settings, database)

    translations = Translations(assets.translations_dir)
    config = UiConfig(
        idle_seconds=settings.idle_seconds,
        idle_countdown_seconds=settings.idle_countdown_seconds,
        privacy_notice_url=settings.privacy_notice_url,
        privacy_notice_version=settings.privacy_notice_version,
        kiosk_mode=kiosk_mode,
        **(ui_overrides or {}),
    )
    window = KioskWindow(
        assets=assets,
        survey_service=survey_service,
        case_service=case_service,
        clock=clock,
        config=config,
        metrics=Metrics.for_screen(),
        verify_pin=settings.verify_staff_pin,
        translations=translations,
        languages=available_languages(assets.translations_dir),
        notifier=notifier,
        sync_bridge=bridge,
    )
    if store_error is not None:
        window.show_staff_notice(getattr(store_error, "code", "storage_error"))
    elif quarantined:
        window.show_staff_notice("database_quarantined")
    if bridge is not None:
        bridge.statusChanged.connect(window.refresh_sync_status)
        window.record_saved.connect(bridge.record_saved)
        bridge.start()
    return Kiosk(settings=settings, window=window, database=database, sync_bridge=bridge)


def main(windowed: bool = False, data_dir: str | Path | None = None) -> int:
    """Run the kiosk until the session ends (staff close it, or the machine shuts down)."""
    settings = load_settings(data_dir)
    assert settings.log_dir is not None
    setup_logging(settings.log_dir)
    log.info("kiosk starting (windowed=%s)", windowed)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Trato Digno")
    kiosk = build_kiosk(settings, kiosk_mode=not windowed)
    window = kiosk.window
    if windowed:
        window.resize(1280, 800)
        window.show()
    else:
        window.setWindowFlags(
            Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
        )
        window.setCursor(Qt.CursorShape.BlankCursor)
        window.showFullScreen()
    app.aboutToQuit.connect(kiosk.close)
    code = app.exec()
    log.info("kiosk stopped (%s)", code)
    return int(code)
