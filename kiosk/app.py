"""Composition root of the kiosk: settings, logging, store, services, sync and the window.

Nothing else in the kiosk builds these objects; everything receives what it needs through
``__init__``. ``main()`` is what ``trato-kiosk run`` calls; :func:`build_kiosk` is the same
wiring done at once, for tests, screenshots and benchmarks.

Start-up is in two steps so the attract screen appears as fast as a bare Qt window allows:
:func:`create_window` needs only Qt and the bundled assets; :meth:`StoreLoader.load` (run by
the event loop right after the first paint) reads the settings, opens the SQLite store,
builds the services and the sync bridge and hands them to the window. A submission that
arrived before that (it cannot, in practice: it takes a person many taps) loads the store
first. The heavy imports (pydantic settings, SQLAlchemy, the sync engine) therefore live
inside the functions below, not at module level.
"""

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore
from PySide6.QtCore import QEvent, QObject, QRect, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.clock import Clock, SystemClock
from kiosk.ui.assets import FONT_FAMILY, AssetLibrary
from kiosk.ui.config import UiConfig
from kiosk.ui.i18n import Translations, available_languages
from kiosk.ui.metrics import Metrics
from kiosk.ui.window import KioskWindow

if TYPE_CHECKING:
    from kiosk.settings import KioskSettings
    from kiosk.storage.db import Database

log = logging.getLogger(__name__)

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(log_dir: Path) -> None:
    """Rotating log files (5 x 2 MB). Messages carry codes and counts, never personal data."""
    import logging.handlers

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

    def __init__(self, error: Exception) -> None:
        self.error = error

    def submit(self, _draft: Any) -> Any:
        raise self.error


class _Deferred:
    """Stands in for a service until the store is loaded; loads it on first use."""

    def __init__(self, loader: "StoreLoader", attribute: str) -> None:
        self._loader = loader
        self._attribute = attribute

    def submit(self, draft: Any) -> Any:
        self._loader.load()
        return getattr(self._loader.window, self._attribute).submit(draft)


class Kiosk:
    """Everything the composition root made; ``close()`` releases it in order.

    This class and :class:`StoreLoader` are plain classes, not dataclasses, because they are
    made before the first paint (see ``kiosk.ui.config``)."""

    def __init__(self, window: KioskWindow) -> None:
        self.window = window
        self.settings: KioskSettings | None = None
        self.database: Database | None = None
        self.sync_bridge: Any = None
        self.update_bridge: Any = None  # kiosk.ui.update_bridge (signed updates)
        self.loader: StoreLoader | None = None
        #: What "Salir del modo quiosco" does (``main``: end the program).
        self.on_leave: Callable[[], None] | None = None
        self.left_kiosk_mode = False

    def leave_kiosk_mode(self) -> None:
        self.left_kiosk_mode = True
        self.window.end_session()
        if self.on_leave is not None:
            self.on_leave()

    def close(self) -> None:
        if self.loader is not None:
            self.loader.closed = True
        if self.sync_bridge is not None:
            self.sync_bridge.stop()
            self.sync_bridge = None
        self.window.shutdown()
        if self.database is not None:
            self.database.close()
            self.database = None


def load_fonts(assets: AssetLibrary) -> None:
    """Give Qt the bundled fonts, unless fontconfig lists them already (the running kiosk on
    Linux: it reads them from its cache, about 4 ms sooner than Qt loads them itself, before
    the first paint; :func:`check_fonts` makes sure once that painted)."""
    if not assets.fonts_listed_by_fontconfig:
        _add_fonts(assets)


def check_fonts(window: KioskWindow) -> None:
    """After the first paint: if fontconfig did not list the bundled fonts after all (an
    old fontconfig, a damaged cache), add them and draw every screen again with them."""
    from PySide6.QtGui import QFontDatabase

    assets = window.assets
    if assets.fonts_listed_by_fontconfig and FONT_FAMILY not in QFontDatabase.families():
        log.warning("fontconfig did not list the bundled fonts; loading them")
        _add_fonts(assets)
        window.apply_theme()  # polished again with the font now there


def _add_fonts(assets: AssetLibrary) -> None:
    from PySide6.QtGui import QFontDatabase  # its class is built on import: not when unused

    for font in assets.fonts:
        if QFontDatabase.addApplicationFont(str(font)) < 0:
            log.warning("font not loaded: %s", font.name)


def create_window(
    *,
    clock: Clock,
    kiosk_mode: bool,
    assets: AssetLibrary | None = None,
    config: UiConfig | None = None,
) -> Kiosk:
    """Step 1: the window on the attract screen, with services that load the store on use."""
    assets = assets or AssetLibrary()
    load_fonts(assets)
    window = KioskWindow(
        assets=assets,
        survey_service=_Unavailable(RuntimeError("store not loaded")),
        case_service=_Unavailable(RuntimeError("store not loaded")),
        clock=clock,
        config=config or UiConfig(kiosk_mode=kiosk_mode),
        metrics=Metrics.for_screen(),
        translations=Translations(assets.translations_dir),
        languages=available_languages(assets.translations_dir),
    )
    return Kiosk(window=window)


class StoreLoader:
    """Step 2: settings, store, services and sync, attached to an existing window."""

    def __init__(
        self,
        kiosk: Kiosk,
        settings_factory: Callable[[], "KioskSettings"],
        clock: Clock,
        kiosk_mode: bool,
        *,
        start_sync: bool = True,
        ui_overrides: dict[str, Any] | None = None,
    ) -> None:
        self.kiosk = kiosk
        self.settings_factory = settings_factory
        self.clock = clock
        self.kiosk_mode = kiosk_mode
        self.start_sync = start_sync
        self.ui_overrides = dict(ui_overrides or {})
        self.done = False  # load() ran (or is running)
        self.closed = False  # the kiosk is closing: load nothing more

    @property
    def window(self) -> KioskWindow:
        return self.kiosk.window

    def defer(self) -> None:
        """Let the window submit before :meth:`load` ran (it then loads first)."""
        self.window.set_services(_Deferred(self, "survey_service"), _Deferred(self, "case_service"))

    def load(self) -> None:
        if self.done or self.closed:
            return
        self.done = True
        try:
            self._load()
        except Exception as exc:  # a bug or unreadable settings: keep the screen, say so
            log.exception("the kiosk could not finish starting")
            self.window.set_services(_Unavailable(exc), _Unavailable(exc))
            self.window.show_staff_notice("startup_failed")

    def _load(self) -> None:
        from kiosk.services.cases import CaseService
        from kiosk.services.configuration import BundledContent, ReceivedContent
        from kiosk.services.errors import KnownError
        from kiosk.services.notify import Notifier
        from kiosk.services.surveys import SurveyService
        from kiosk.storage.db import open_database
        from kiosk.ui import pages  # noqa: F401 - the other screens' code, loaded while idle

        window = self.window
        window.made_flows  # noqa: B018 - every screen after the attract one, made while idle
        settings = self.settings_factory()
        self.kiosk.settings = settings
        from kiosk.ui.applied import apply_settings, settings_editor

        apply_settings(window, settings, kiosk_mode=self.kiosk_mode, overrides=self.ui_overrides)
        log.info("screen sizes: %s", window.metrics.describe())
        try:
            opened = open_database(settings.db_path)
        except KnownError as exc:
            code = getattr(exc, "code", "storage_error")
            log.error("the local store cannot be opened: %s", code)
            window.set_services(_Unavailable(exc), _Unavailable(exc))
            window.show_staff_notice(code)
            return
        database = opened.database
        if self.closed:  # the kiosk was told to stop while the store was opening
            database.close()
            return
        self.kiosk.database = database
        # What the next session shows: the newest instrument and catalogues received from
        # the central server, else the bundled ones.
        window.set_content_source(ReceivedContent(
            database, BundledContent(window.assets.root, window.config.instrument_id)))
        from kiosk.services.campaigns import CampaignOffers

        window.campaigns = CampaignOffers(database, self.clock)  # offered after a survey
        from kiosk.services.staff import StaffAccounts

        window.staff.set_accounts(StaffAccounts(
            database, self.clock, legacy_admin_check=settings.verify_staff_pin))
        window.staff.database = database
        window.staff.settings_editor = settings_editor(
            window, settings, window.staff.accounts, kiosk_mode=self.kiosk_mode,
            overrides=self.ui_overrides, leave=self.kiosk.leave_kiosk_mode,
            changed=lambda s: setattr(self.kiosk, "settings", s))
        notifier = Notifier()
        window.attach_notifier(notifier)
        window.set_services(
            SurveyService(database, self.clock, notifier=notifier),
            CaseService(database, self.clock, notifier=notifier),
        )
        if opened.quarantined_to is not None:
            salvaged = getattr(opened, "salvaged", None)
            recovered = int(getattr(salvaged, "total", 0) or 0)
            window.show_staff_notice("database_quarantined", recovered=recovered)
        if self.start_sync and not self.closed:
            self._start_sync(settings, database)

    def _start_sync(self, settings: "KioskSettings", database: "Database") -> None:
        try:
            from kiosk.ui.sync_bridge import SyncBridge
        except ImportError:  # the sync bridge is optional in development trees
            return
        from kiosk.selftest import startup_self_test

        assets = self.window.assets.root
        bridge = SyncBridge.from_settings(
            settings, database, prepare=lambda: startup_self_test(settings, assets))
        if bridge is None:  # not enrolled yet: the first-run screen registers it
            self._first_run(settings, database)
            return
        if self.closed:  # stopped while the bridge was being built: start no thread
            bridge.stop()
            return
        self.kiosk.sync_bridge = bridge
        self.window.set_sync_bridge(bridge)
        bridge.start()
        from kiosk.ui.update_bridge import start_updates  # signed updates (launcher only)

        self.kiosk.update_bridge = start_updates(self.window, settings, dict(os.environ))

    def _first_run(self, settings: "KioskSettings", database: "Database") -> None:
        """Show the first-run screen (address and enrolment code); once the kiosk is
        registered, start its sync. Only a kiosk with no credentials has the page."""
        from kiosk.ui.enrol import EnrolFlow

        window = self.window
        flow = EnrolFlow(window, window)
        flow.settings = settings
        window.stack.builders.update({n: (flow, b) for n, b in flow.builders().items()})
        flow.finished.connect(window.end_session)
        flow.enrolled.connect(lambda: self.closed or self._start_sync(settings, database))
        window.go("enrol", push=False)


class _FirstPaint(QObject):
    """Calls ``callback`` once, from the event loop, after ``widget`` first painted."""

    def __init__(self, widget: QObject, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._callback: Callable[[], None] | None = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint and self._callback is not None:
            callback, self._callback = self._callback, None
            watched.removeEventFilter(self)
            QTimer.singleShot(0, callback)
        return False


def load_after_first_paint(loader: "StoreLoader", *, fallback_ms: int = 3000,
                           first: Callable[[], None] | None = None) -> None:
    """Open the store once the attract screen is on screen (or after ``fallback_ms``);
    ``first`` runs once, just before."""
    pending = [first] if first is not None else []

    def start() -> None:
        while pending:
            pending.pop()()
        loader.load()

    _FirstPaint(loader.window.page("attract"), start)
    QTimer.singleShot(fallback_ms, start)


def build_kiosk(
    settings: "KioskSettings",
    *,
    clock: Clock | None = None,
    kiosk_mode: bool = True,
    assets: AssetLibrary | None = None,
    start_sync: bool = True,
    ui_overrides: dict[str, Any] | None = None,
) -> Kiosk:
    """Wire everything at once (a QApplication must exist)."""
    clock = clock or SystemClock()
    kiosk = create_window(clock=clock, kiosk_mode=kiosk_mode, assets=assets)
    loader = StoreLoader(
        kiosk,
        lambda: settings,
        clock,
        kiosk_mode,
        start_sync=start_sync,
        ui_overrides=ui_overrides,
    )
    kiosk.loader = loader
    loader.load()
    return kiosk


def install_crash_handler(kiosk: Kiosk, crash_dir: Path) -> None:
    """A bug in a slot: log it, write a crash file, and return to the attract screen.

    The crash file has the exception type and the stack (files, lines, functions) but not
    the exception message, source lines or local values, which could hold what a person
    typed.
    """
    import traceback
    from datetime import UTC, datetime

    def hook(exc_type: type[BaseException], exc: BaseException, tb: Any) -> None:
        frames = "".join(
            f'  File "{f.filename}", line {f.lineno}, in {f.name}\n'
            for f in traceback.extract_tb(tb)
        )
        log.error("unexpected %s; returning to the attract screen\n%s", exc_type.__name__, frames)
        try:
            crash_dir.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
            (crash_dir / f"crash-{stamp}.txt").write_text(
                f"{exc_type.__module__}.{exc_type.__qualname__}\n{frames}", encoding="utf-8"
            )
        except OSError:
            log.exception("could not write the crash file")
        try:
            kiosk.window.end_session()
        except Exception:  # the window itself is broken: nothing more to do here
            log.exception("could not return to the attract screen")

    sys.excepthook = hook


def _quit_on_signals(app: QApplication) -> None:
    """SIGTERM/SIGINT (service manager, Ctrl+C) end the event loop cleanly: the session is
    wiped, the sync worker stopped and the store closed by ``aboutToQuit``.

    Called once the attract screen painted, before the store opens: importing :mod:`signal`
    builds its enums (1 ms, which a frozen bare window never pays). Until then SIGTERM ends
    the process as it does by default, with nothing held yet."""
    import signal

    def request_quit(signum: int, _frame: object) -> None:
        log.info("signal %s: quitting", signum)
        # Not quit(): Qt 6 first asks every window to close, and the kiosk-mode window refuses
        # (closeEvent), which cancels the quit. exit() always leaves the event loop, and
        # aboutToQuit still runs Kiosk.close (session wiped, sync stopped, store closed).
        app.exit(0)

    signal.signal(signal.SIGTERM, request_quit)
    signal.signal(signal.SIGINT, request_quit)
    # Python runs signal handlers only between bytecodes: wake the interpreter regularly.
    ticker = QTimer(app)
    ticker.timeout.connect(lambda: None)
    ticker.start(250)


def cover_screen(window: QWidget) -> None:
    """Kiosk mode: the window covers its whole screen, with or without a window manager, and
    follows a change of the screen's size (a new panel, a rotated one, xrandr).

    No FramelessWindowHint: on X11 Qt turns it into an override window type that matchbox
    leaves unmanaged (and with it the full-screen state); a full-screen window has no frame
    anyway. With no window manager nobody applies ``_NET_WM_STATE_FULLSCREEN``, so the
    geometry is set here too. It stays above other windows from its first paint on: see
    :func:`keep_on_top`."""
    screen = window.screen()

    def follow(geometry: QRect) -> None:
        window.setGeometry(geometry)
        window.showFullScreen()

    follow(screen.geometry())
    screen.geometryChanged.connect(follow)


def keep_on_top(window: QWidget) -> None:
    """Kiosk mode, once the attract screen painted: the window stays above any other (a
    system notice, another program's dialog).

    Not before the first paint: naming any ``Qt.<Enum>`` makes PySide build its whole ``Qt``
    namespace, 20-40 ms that the first paint does not need (see ``kiosk.ui.base``). Nor with
    ``setWindowFlag``, which on a shown window makes a new native window (the screen would
    flicker): the window system is told through the window's handle, which changes a shown
    window in place, and the widget only records the flag."""
    flags = window.windowFlags() | QtCore.Qt.WindowType.WindowStaysOnTopHint
    window.overrideWindowFlags(flags)
    handle = window.windowHandle()
    if handle is not None:
        handle.setFlags(flags)


def _leave_kiosk_mode(app: QApplication) -> None:
    """End the program for "Salir del modo quiosco" (administrator, audited), with the status
    the service manager does not restart (installer/linux/trato-kiosk.service). The staff
    terms are imported here, not before the first paint."""
    from kiosk.services.staff_terms import EXIT_LEFT_KIOSK_MODE

    app.exit(EXIT_LEFT_KIOSK_MODE)


def main(windowed: bool = False, data_dir: str | Path | None = None) -> int:
    """Run the kiosk until the session ends (staff close it, or the machine shuts down)."""
    assets = AssetLibrary()
    # Only the bundled fonts, on every kiosk alike (assets/fonts/fonts.conf); a configuration
    # IT set for the session wins.
    os.environ.setdefault("FONTCONFIG_FILE", str(assets.fontconfig_file))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Trato Digno")
    clock = SystemClock()
    kiosk = create_window(clock=clock, kiosk_mode=not windowed, assets=assets)

    def settings_factory() -> "KioskSettings":
        from kiosk.settings import load_settings

        settings = load_settings(data_dir)
        assert settings.log_dir is not None
        setup_logging(settings.log_dir)
        install_crash_handler(kiosk, settings.log_dir / "crashes")
        log.info("kiosk starting (windowed=%s)", windowed)
        return settings

    loader = StoreLoader(kiosk, settings_factory, clock, not windowed)
    kiosk.loader = loader
    loader.defer()
    window = kiosk.window
    if windowed:
        window.resize(1280, 800)
        window.show()
    else:
        cover_screen(window)

    def after_first_paint() -> None:
        _quit_on_signals(app)
        check_fonts(window)
        if not windowed:
            keep_on_top(window)

    load_after_first_paint(loader, first=after_first_paint)
    app.aboutToQuit.connect(kiosk.close)
    kiosk.on_leave = lambda: _leave_kiosk_mode(app)
    code = app.exec()
    log.info("kiosk stopped (%s)", code)
    return int(code)
