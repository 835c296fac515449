"""The kiosk window: the frame, navigation between pages, and the one place where the parts
are connected (:meth:`KioskWindow._connect_signals`).

The frame is the staff banner, the top bar (:mod:`kiosk.ui.frame`), the page stack, the
on-screen keyboard, the action bar with the page's main action at the bottom, and the idle
panel. The pages belong to the flows (:mod:`kiosk.ui.menu`,
``survey``, ``case``, ``folio``, ``staff``): each builds its pages from a table and records its
answers in the session (:mod:`kiosk.flow`). The window builds a page on first use, asks its
flow to prepare it, shows it, keeps the way back, and tells the tap guard
(:mod:`kiosk.ui.tapguard`) that the screen changed. What the screens show (instrument,
catalogues) is asked of the injected content source when a session starts at the attract
screen, so a version received from the central server appears for the next person.

Signals: ``page_changed(str)`` with the name of the page now shown; ``session_ended()``
after a session was wiped and the attract screen is back; ``record_saved()`` after a service
committed a survey response or a case (the sync bridge listens).
"""

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QApplication, QLayout, QVBoxLayout, QWidget

from kiosk.ui import theme as themes
from kiosk.ui.assets import AssetLibrary
from kiosk.ui.base import AttractPage, Page
from kiosk.ui.config import Submitter, UiConfig
from kiosk.ui.frame import ActionBar, TopBar
from kiosk.ui.i18n import DEFAULT_LANGUAGE, Translations
from kiosk.ui.idle import IdleMonitor, MonotonicClock
from kiosk.ui.metrics import Metrics
from kiosk.ui.overlays import Banner, IdleOverlay, KeyboardDock
from kiosk.ui.sizing import WindowSizing
from kiosk.ui.stack import PageStack
from kiosk.ui.tapguard import TapGuard
from kiosk.ui.wording.notices import staff_notice

# The attract screen needs none of these: they load on first use, or right after the first
# paint (``kiosk.app.load_after_first_paint``), so it appears sooner. The flows (every
# screen after the attract one, and the staff area) are among them: see :class:`Flows`.
if TYPE_CHECKING:
    from kiosk.flow.session import Session
    from kiosk.services.configuration import Content, ContentSource
    from kiosk.ui.campaign import CampaignFlow
    from kiosk.ui.case import CaseFlow
    from kiosk.ui.flow import Flow
    from kiosk.ui.folio import FolioFlow
    from kiosk.ui.keyboard import OnScreenKeyboard
    from kiosk.ui.menu import MenuFlow
    from kiosk.ui.overlays import IdlePanel
    from kiosk.ui.staff import StaffArea
    from kiosk.ui.survey import SurveyFlow


class _NoticeRelay(QObject):
    """Hops service notices (any thread) to the GUI thread."""

    received = Signal(str, str)


class Flows:
    """The window's flows, made together on first need: right after the first paint (the
    composition root's store loader asks for the staff area), at the first tap on the
    attract screen, or when a test or a tool asks for one. Their modules (and the widgets,
    the keyboard, the staff screens they import) are most of the kiosk's code; the attract
    screen needs none of it, so it paints without waiting for their import."""

    def __init__(self, window: "KioskWindow") -> None:
        from kiosk.ui.campaign import CampaignFlow
        from kiosk.ui.case import CaseFlow
        from kiosk.ui.folio import FolioFlow
        from kiosk.ui.menu import MenuFlow
        from kiosk.ui.staff import StaffArea
        from kiosk.ui.survey import SurveyFlow

        self.menu = MenuFlow(window, window)
        self.survey = SurveyFlow(window, window)
        self.case = CaseFlow(window, window)
        self.folio = FolioFlow(window, window)
        self.staff = StaffArea(window, window)
        self.campaign = CampaignFlow(window, window)
        self.all: list[Flow] = [self.menu, self.survey, self.case, self.folio, self.staff,
                                self.campaign]


class KioskWindow(QWidget):
    page_changed = Signal(str)
    session_ended = Signal()
    record_saved = Signal()

    def __init__(self, *, assets: AssetLibrary, survey_service: Submitter,
                 case_service: Submitter, clock: MonotonicClock, config: UiConfig | None = None,
                 metrics: Metrics | None = None, translations: Translations | None = None,
                 languages: list[tuple[str, str]] | None = None,
                 content: "ContentSource | None" = None) -> None:
        super().__init__()
        self.setObjectName("KioskWindow")
        self.setWindowTitle("Trato Digno")
        self.assets = assets
        self.survey_service = survey_service
        self.case_service = case_service
        self.clock = clock
        self.config = config or UiConfig()
        self.metrics = metrics or Metrics.for_screen()
        self.translations = translations
        self.languages = languages or [(DEFAULT_LANGUAGE, "Español")]
        self.content_source = content
        self._content: Content | None = None
        self._session: Session | None = None  # made on first use (see :attr:`session`)
        self.theme = themes.NORMAL
        self.large_text = False
        self._styles: dict[tuple[str, bool], str] = {}
        self._history: list[str] = []
        self._current = ""
        self._allow_close = not self.config.kiosk_mode
        self._unsubscribe: Callable[[], None] | None = None
        self._torn_down = False
        self.sizing = WindowSizing(self)  # the sizes follow the screen and the window

        self._build_frame()
        self.tap_guard = TapGuard(self, quiet_ms=self.config.tap_guard_ms)
        self.receipt_printer: Any = None  # kiosk.ui.printing.ReceiptPrinter, when configured
        self.idle = IdleMonitor(clock, idle_seconds=self.config.idle_seconds,
                                countdown_seconds=self.config.idle_countdown_seconds,
                                parent=self)
        self.overlay = IdleOverlay(self, self.metrics, self.idle)
        self._relay = _NoticeRelay(self)
        self.campaigns: Any = None  # kiosk.services.campaigns.CampaignOffers (store open)
        self._flows: Flows | None = None  # made on first need (see Flows)
        self._restyle_held: bool | None = None  # None: restyle at once; else one is due
        self._connect_frame()
        if self.translations is not None:
            self.translations.set_language(DEFAULT_LANGUAGE)
        self.apply_theme()
        self.go("attract", push=False)

    @property
    def session(self) -> "Session":
        """What the person at the screen answered so far. Made on first use: the attract
        screen has no session, so it paints without importing :mod:`kiosk.flow`."""
        if self._session is None:
            from kiosk.flow.session import Session

            self._session = Session()
        return self._session

    @session.setter
    def session(self, session: "Session") -> None:
        self._session = session

    # ------------------------------------------------------------------ frame
    def _build_frame(self) -> None:
        outer = QVBoxLayout(self)
        # The window is the screen: content never pushes it larger (tests/kiosk/ui/test_layout.py
        # checks that every screen fits instead).
        outer.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.banner = Banner(self.metrics)
        self.banner_label = self.banner.label
        outer.addWidget(self.banner)
        self.top_bar = bar = TopBar(self.metrics)
        self.back_button, self.step_label, self.logo = bar.back_button, bar.step_label, bar.logo
        self.large_text_button, self.contrast_button = bar.large_text_button, bar.contrast_button
        outer.addWidget(bar)
        self.stack = PageStack({"attract": (None, self._attract_page)}, self._page_built)
        outer.addWidget(self.stack, 1)
        # The keyboard and the idle panel are built on first use (faster first paint); the
        # keyboard goes between the page and the action bar.
        self.dock = KeyboardDock(self.metrics, outer, after=self.stack)
        self.action_bar = ActionBar()
        outer.addWidget(self.action_bar)

    def _connect_frame(self) -> None:
        """Every connection between the frame, the idle monitor and the window."""
        bar = self.top_bar
        bar.back_button.clicked.connect(self.back)
        bar.large_text_button.toggled.connect(self.set_large_text)
        bar.contrast_button.toggled.connect(self.set_high_contrast)
        bar.logo.clicked.connect(lambda: self.staff.logo_tapped())
        QApplication.instance().focusChanged.connect(self._focus_changed)  # type: ignore[union-attr]
        self.idle.warn.connect(self.overlay.warn)
        self.idle.warn.connect(self._panel_shown)
        self.idle.tick.connect(self.overlay.tick)
        self.idle.expired.connect(self._idle_expired)  # it watches the app while it runs
        self._relay.received.connect(self._on_notice)

    def _connect_flows(self, flows: Flows) -> None:
        """Every connection between the flows and the window."""
        for flow in flows.all:
            self.stack.builders.update({n: (flow, b) for n, b in flow.builders().items()})
            flow.finished.connect(self.end_session)
            flow.saved.connect(self.record_saved)
            flow.refused.connect(self.show_staff_notice)
        flows.menu.language_chosen.connect(self._set_language)
        flows.survey.complaint_requested.connect(flows.case.take_over_from_survey)
        flows.survey.campaign_requested.connect(flows.campaign.start)

    # ------------------------------------------------------------------ flows
    @property
    def made_flows(self) -> Flows:
        """The flows, made (and connected) on first use."""
        if self._flows is None:
            self._flows = Flows(self)
            self._connect_flows(self._flows)
        return self._flows

    @property
    def flows(self) -> "list[Flow]":
        return self.made_flows.all

    @property
    def menu_flow(self) -> "MenuFlow":
        return self.made_flows.menu

    @property
    def survey_flow(self) -> "SurveyFlow":
        return self.made_flows.survey

    @property
    def case_flow(self) -> "CaseFlow":
        return self.made_flows.case

    @property
    def folio_flow(self) -> "FolioFlow":
        return self.made_flows.folio

    @property
    def staff(self) -> "StaffArea":
        return self.made_flows.staff

    @property
    def campaign_flow(self) -> "CampaignFlow":
        return self.made_flows.campaign

    @property
    def keyboard(self) -> "OnScreenKeyboard":
        """The on-screen keyboard between the page and "Atrás" (built on first use)."""
        return self.dock.keyboard

    @property
    def idle_panel(self) -> "IdlePanel":
        """The "¿Sigue ahí?" panel over the whole window (built on first use)."""
        return self.overlay.panel

    # ------------------------------------------------------------------ pages
    def page(self, name: str) -> Page:
        """The page called ``name``, built by its flow on first use."""
        if name not in self.stack.builders:
            self.made_flows  # noqa: B018 - the flows add their pages' builders
        return self.stack.page(name)

    def built(self, name: str) -> Page | None:
        """The page called ``name`` if it was built (nothing is built to answer)."""
        return self.stack.pages.get(name)

    def _attract_page(self) -> Page:
        page = AttractPage(self.metrics)
        page.started.connect(self.start_session)
        return page

    def _page_built(self, page: Page) -> None:
        if not isinstance(page, AttractPage):  # no text field there (nor widgets loaded)
            from kiosk.ui.widgets import TextField

            for text_field in page.findChildren(TextField):
                text_field.activated.connect(self.dock.attach)
            page.apply_palette(themes.PALETTES[self.theme])

    @property
    def content(self) -> "Content":
        """What this session shows (fixed until the next session starts)."""
        if self._content is None:
            self._refresh_content()
        return self._content  # type: ignore[return-value]

    def _refresh_content(self) -> None:
        if self.content_source is None:  # only the bundled files, until the store is open
            from kiosk.services.configuration import BundledContent

            self.content_source = BundledContent(self.assets.root, self.config.instrument_id)
        content = self.content_source.current()
        if self._content is not None and content != self._content:
            self.stack.drop(keep=("attract",))  # built from the previous version
        self._content = content

    # ------------------------------------------------------------------ late wiring
    def set_services(self, survey_service: Submitter, case_service: Submitter) -> None:
        """Attach the services (the composition root may open the store after the first
        paint, so the attract screen appears without waiting for it)."""
        self.survey_service = survey_service
        self.case_service = case_service

    def set_content_source(self, source: "ContentSource") -> None:
        """What the next session shows comes from ``source`` (the current one is kept)."""
        self.content_source = source

    def configure(self, config: UiConfig, *, verify_pin: Callable[[str], bool] | None = None,
                  ) -> None:
        """Apply settings read after the window was built; takes effect at once."""
        self.config = config
        if verify_pin is not None:
            self.staff.verify_pin = verify_pin
        self._allow_close = not config.kiosk_mode
        self.tap_guard.quiet_ms = config.tap_guard_ms
        if config.receipt_printer:  # QtPrintSupport only where a printer is configured
            from kiosk.ui.printing import ReceiptPrinter

            self.receipt_printer = ReceiptPrinter.for_queue(config.receipt_printer)
        elif self.receipt_printer is not None and getattr(self.receipt_printer, "queue", ""):
            self.receipt_printer = None  # the administrator chose "Ninguna"
        self.idle.base_idle_seconds = config.idle_seconds
        self.idle.countdown_seconds = config.idle_countdown_seconds
        if not self.idle.direct:
            self.idle.idle_seconds = config.idle_seconds

    def attach_notifier(self, notifier: Any) -> None:
        """Show service notices (any thread) as the staff banner."""
        if self._unsubscribe is not None:
            self._unsubscribe()
        self._unsubscribe = notifier.subscribe(
            lambda n: self._relay.received.emit(str(n.level), n.code))

    def set_sync_bridge(self, bridge: Any) -> None:
        self.staff.bridge = bridge
        bridge.statusChanged.connect(self.staff.refresh_status)
        self.record_saved.connect(bridge.record_saved)
        self.staff.refresh_status()

    # ------------------------------------------------------------------ navigation
    @property
    def current(self) -> str:
        return self._current

    def current_page(self) -> Page:
        return self.page(self._current)

    def go(self, name: str, *, push: bool = True) -> None:
        if push and self._current and self._current != name:
            self._history.append(self._current)
        page = self.page(name)
        self._current = name
        if page.reset_on_show:
            page.reset()
        owner = self.stack.owner(name)
        if owner is not None:
            owner.prepare(name, page)
        self.stack.setCurrentWidget(page)
        if name != "attract":  # from the first screen after it: the first paint pays nothing
            self.tap_guard.install()
        self.tap_guard.screen_changed(getattr(page, "tap_guard_ms", None))
        self.top_bar.show_for(page)
        self.action_bar.show_for(page)
        self.dock.show_for(page)
        self.top_bar.set_step(self._step(name))
        self.page_changed.emit(name)

    def _step(self, name: str) -> tuple[int, int] | None:
        """The step indicator's (number, count) for page ``name``; none on the attract
        screen, which comes before any session."""
        if name == "attract":
            return None
        from kiosk.flow.steps import position

        return position(self.session, name)

    def restart_at(self, name: str, history: Sequence[str] = ()) -> None:
        """Show ``name`` with ``history`` as the way back (none: "Atrás" ends the session)."""
        self._history = list(history)
        self.go(name, push=False)

    def back(self) -> None:
        step_back = getattr(self.current_page(), "back_requested", None)  # within a page
        if step_back is not None and step_back():
            return
        previous = self._history.pop() if self._history else "attract"
        if previous == "attract":
            self.end_session()
        else:
            self.go(previous, push=False)

    def next_step(self) -> None:
        from kiosk.flow.steps import next_page

        self.go(next_page(self.session, self._current))

    # ------------------------------------------------------------------ session
    def start_session(self) -> None:
        from kiosk.flow.session import Session

        self._refresh_content()
        self.session = Session(language=self.session.language)
        self._history = []
        self.idle.start()
        self.go("language")

    def _idle_expired(self) -> None:
        """Nobody answered "¿Sigue ahí?": an agent signed in is signed out for that reason
        (the audit says so), then the session ends as any other."""
        if self._flows is not None:
            self._flows.staff.idle_expired()
        self.end_session()

    def end_session(self) -> None:
        """Wipe every answer from the screens and from memory; back to the attract screen."""
        self.idle.stop()
        self.overlay.hide()
        for page in self.stack.pages.values():
            page.reset()
        self._session = None  # a new, empty one on first use
        self._history = []
        self.sizing.session_ended()
        self.dock.reset()
        self._restyle_held = False  # both looks back to normal: one restyle, not two
        try:
            self.large_text_button.setChecked(False)
            self.contrast_button.setChecked(False)
        finally:
            due, self._restyle_held = self._restyle_held, None
        if due:
            self._restyle()
        if self.translations is not None and self.translations.language != DEFAULT_LANGUAGE:
            self._set_language(DEFAULT_LANGUAGE)
        self.go("attract", push=False)
        self.session_ended.emit()

    def _set_language(self, code: str) -> None:
        if self.translations is None:
            return
        self.translations.set_language(code)
        # Pages keep the strings they were built with: rebuild all but the attract screen.
        self.stack.drop(keep=("attract", self._current))
        self.top_bar.retranslate()

    def _panel_shown(self, _remaining: int) -> None:
        """The "¿Sigue ahí?" panel covers the page, and uncovers it on "Sí, continuar": both
        are a change of screen for the tap guard."""
        self.tap_guard.screen_changed()
        panel = self.idle_panel
        if not panel.property("tapGuarded"):
            panel.setProperty("tapGuarded", True)
            panel.resumed.connect(lambda: self.tap_guard.screen_changed())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self.overlay.fit()
        self.sizing.refit()  # the page shown is kept; during a session, waits for its end

    # ------------------------------------------------------------------ staff banner
    def show_staff_notice(self, code: str, *, recovered: int = 0) -> None:
        """Show the staff banner for a known condition (``code``); never personal data."""
        self.banner.show_text(staff_notice(code, recovered=recovered))

    def _on_notice(self, level: str, code: str) -> None:
        if level in ("warning", "error"):
            self.show_staff_notice(code)

    # ------------------------------------------------------------------ look
    def apply_theme(self) -> None:
        key = (self.theme, self.large_text)
        sheet = self._styles.get(key)
        if sheet is None:
            template = self.assets.stylesheet_template(self.theme)
            sheet = themes.build_stylesheet(template, self.theme, self.large_text)
            self._styles[key] = sheet
        self.setStyleSheet(sheet)
        for page in self.stack.pages.values():
            page.apply_palette(themes.PALETTES[self.theme])

    def set_large_text(self, on: bool) -> None:
        if on != self.large_text:
            self.large_text = on
            self._restyle()

    def set_high_contrast(self, on: bool) -> None:
        theme = themes.HIGH_CONTRAST if on else themes.NORMAL
        if theme != self.theme:
            self.theme = theme
            self._restyle()

    def _restyle(self) -> None:
        """A new look for the frame and the pages. Qt re-polishes every page under a new
        style sheet, shown or not: with the pages a day of sessions has built, a tap on
        "Alto contraste" froze the screen for most of a second. The pages this session
        does not hold (built for earlier people, already wiped) are dropped first and
        built again on first use, as after a change of language; the attract screen, the
        page shown and the way back keep theirs."""
        if self._restyle_held is not None:
            self._restyle_held = True
            return
        self.stack.drop(keep=("attract", self._current, *self._history))
        self.apply_theme()

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        self.dock.focus_changed(self, new)

    # ------------------------------------------------------------------ kiosk mode
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if self.config.kiosk_mode and event.key() == QtCore.Qt.Key.Key_Escape:
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if not self._allow_close:
            event.ignore()
            return
        self._teardown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Close for real (the composition root, tests): wipes the session first."""
        self.end_session()
        self._allow_close = True
        self.close()

    def _teardown(self) -> None:
        if self._torn_down:
            return
        self._torn_down = True
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
            self.tap_guard.uninstall()
            app.focusChanged.disconnect(self._focus_changed)  # type: ignore[attr-defined]
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None


__all__ = ["KioskWindow", "UiConfig"]
