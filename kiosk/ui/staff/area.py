"""The staff area: five taps on the logo open the sign-in page (employee number and PIN, one
lockout per account); a right PIN opens the staff hub (:mod:`.hub`), which leads to every
staff section.

Other pages read :attr:`StaffArea.agent` (the signed-in :class:`~kiosk.flow.staff.Agent`,
None when nobody is) and listen to :attr:`StaffArea.signed_out` (the agent left, was signed
out after the idle wait, or the session ended otherwise): whatever they show of the agent's
work must be dropped then. Staff mode always ends on the attract screen.

A section is added in one line of :data:`kiosk.ui.staff.hub.STAFF_SECTIONS` plus its page
builder in :data:`SECTION_BUILDERS` (page name -> ``function(area) -> Page``); the hub lists
only sections whose page can be built.
"""

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.flow.pin import PinLockout
from kiosk.flow.staff import Agent, StaffSignIn
from kiosk.services.staff_terms import LOCAL_ADMIN_ID, AuditAction
from kiosk.ui.base import LazyModule, Page
from kiosk.ui.flow import Flow, Host
from kiosk.ui.staff import admin, figures, follow
from kiosk.ui.staff.hub import STAFF_SECTIONS, HubPage
from kiosk.ui.staff.pin import PinPage
from kiosk.ui.staff.registration import Registration
from kiosk.ui.staff.status import StaffPage
from kiosk.ui.wording import notices
from kiosk.ui.wording import staff as staff_wording

if TYPE_CHECKING:
    from kiosk.ui.wording import sync as sync_wording
else:
    sync_wording = LazyModule("kiosk.ui.wording.sync")

log = logging.getLogger(__name__)

#: Page builders of sections kept in other modules: page name -> function(area) -> Page.
SECTION_BUILDERS: dict[str, Callable[["StaffArea"], Page]] = {
    **follow.BUILDERS, **figures.BUILDERS, **admin.BUILDERS}


class _AdminOnly:
    """The accounts of a kiosk whose store is not open: only the administrator, checked
    against the settings' PIN hash; lockout in memory; audit to the log alone."""

    def __init__(self, area: "StaffArea") -> None:
        self.area = area

    def exists(self, staff_id: str) -> bool:
        return staff_id == LOCAL_ADMIN_ID

    def verify(self, staff_id: str, pin: str) -> Any:
        if staff_id != LOCAL_ADMIN_ID or not self.area.verify_pin(pin):
            return None
        from kiosk.services.staff_terms import AccountFields
        from trato.domain.enums import StaffRole

        return AccountFields(staff_id=LOCAL_ADMIN_ID, name="", role=StaffRole.ADMIN,
                             can_read_sensitive=False, certified_on=None,
                             certified_until=None)

    def lockout(self, staff_id: str) -> tuple[int, None]:
        return 0, None

    def keep_lockout(self, staff_id: str, **_kept: Any) -> None:
        """Kept only in memory (no store)."""

    def audit(self, staff_id: str, action: AuditAction, detail: str = "") -> None:
        log.info("staff %s: %s%s", action.value, staff_id, f" ({detail})" if detail else "")


class StaffArea(Flow):
    """The staff pages and the gesture that opens them. ``bridge`` is the sync bridge (None
    on a kiosk that is not enrolled); ``verify_pin`` checks the administrator's PIN against
    the settings on a kiosk whose store has no administrator; ``set_accounts`` attaches the
    store's accounts (:class:`kiosk.services.staff.StaffAccounts`).

    Signals: ``signed_out(str)`` with the reason ("staff", "idle", "ended")."""

    signed_out = Signal(str)

    def __init__(self, host: Host, parent: QObject | None = None) -> None:
        super().__init__(host, parent)
        self.bridge: Any = None
        self.verify_pin: Callable[[str], bool] = lambda _pin: False
        self.lockout = PinLockout(host.clock)  # kept for callers of the previous release
        self.accounts: Any = None
        #: "Ajustes del kiosco" (:class:`kiosk.services.kiosk_settings.KioskSettingsEditor`).
        self.settings_editor: Any = None
        #: The kiosk's store once it is open (the module's case pages read it).
        self.database: Any = None
        self.sign_in = StaffSignIn(_AdminOnly(self), host.clock)
        self.agent: Agent | None = None
        #: Quiet seconds in staff mode before "¿Sigue ahí?" (the settings set it).
        self.idle_seconds = 180
        self.registration = Registration(self)
        self._taps: list[float] = []
        ended = getattr(host, "session_ended", None)
        if ended is not None:
            ended.connect(self._session_ended)

    def set_accounts(self, accounts: Any) -> None:
        self.accounts = accounts
        self.sign_in = StaffSignIn(accounts, self.host.clock)

    # ------------------------------------------------------------------ pages
    def builders(self) -> dict[str, Callable[[], Page]]:
        built: dict[str, Callable[[], Page]] = {
            "pin": self._pin_page, "staff_hub": self._hub_page, "staff": self._staff_page}
        built.update(self.registration.builders())
        built.update({name: (lambda b=build: b(self)) for name, build in
                      SECTION_BUILDERS.items()})
        return built

    def sections(self) -> list[Any]:
        pages = self.builders()
        return [s for s in STAFF_SECTIONS if s.page in pages]

    def _pin_page(self) -> Page:
        page = PinPage(self.host.metrics)
        page.sign_in_requested.connect(self._sign_in_requested)
        return page

    def _hub_page(self) -> Page:
        page = HubPage(self.host.metrics, self.sections())
        page.section_chosen.connect(self.open_section)
        page.sign_out_requested.connect(self.sign_out)
        return page

    def _staff_page(self) -> Page:
        page = StaffPage(self.host.metrics)
        page.exit.connect(self.sign_out)
        page.sync_requested.connect(self.sync_now)
        page.retry_requested.connect(self.retry_set_aside)
        return page

    def prepare(self, name: str, page: Page) -> None:
        if isinstance(page, StaffPage):
            self._show_status(page)
        elif isinstance(page, HubPage) and self.agent is not None:
            agent = self.agent
            page.show_agent(agent.name, admin=agent.is_admin, local_admin=agent.is_local_admin,
                            certified_on=agent.certified_on,
                            certified_until=agent.certified_until,
                            today=self.host.clock.now().date())
        elif hasattr(page, "for_agent") and self.agent is not None:
            page.for_agent(self.agent)  # a section page shows what this agent may see
        else:
            self.registration.prepare(name, page)

    def open_section(self, page_name: str) -> None:
        if self.agent is None or (not self.agent.is_admin and any(
                s.admin_only and s.page == page_name for s in STAFF_SECTIONS)):
            return
        self.host.go(page_name)

    def go_hub(self) -> None:
        self.host.restart_at("staff_hub")

    # ------------------------------------------------------------------ sign-in
    def logo_tapped(self) -> None:
        """Five taps within a few seconds open the sign-in page."""
        now = self.host.clock.monotonic()
        window = self.host.config.staff_tap_window_s
        self._taps = [t for t in self._taps if now - t <= window] + [now]
        if len(self._taps) >= self.host.config.staff_taps:
            self._taps = []
            self.host.idle.start()
            self.host.go("pin")

    def _sign_in_requested(self, number: str, pin: str) -> None:
        page = self.host.page("pin")
        assert isinstance(page, PinPage)
        if not pin or not number.strip():
            page.field.clear()
            page.show_error(staff_wording.sign_in_missing_text())
            return
        page.set_busy(True, staff_wording.checking_text())
        # The check is slow on purpose (argon2id): let "Revisando…" paint first.
        QTimer.singleShot(0, self, lambda: self._check(number, pin))

    def _check(self, number: str, pin: str) -> None:
        page = self.host.page("pin")
        assert isinstance(page, PinPage)
        result = self.sign_in.attempt(number, pin)
        page.set_busy(False)
        page.field.clear()
        if self.host.current != "pin":  # the session ended meanwhile
            return
        if result.agent is not None:
            self.agent = result.agent
            log.info("staff mode entered")
            self.host.idle.start(idle_seconds=self.idle_seconds)
            self.go_hub()
        elif result.wait_minutes:
            page.show_error(notices.pin_wait_text(result.wait_minutes))
        else:
            page.show_error(staff_wording.sign_in_wrong_text())

    def sign_out(self) -> None:
        """ "Cerrar sesión": the agent leaves; back to the attract screen."""
        self._end("staff")
        self.finished.emit()

    def idle_expired(self) -> None:
        """The idle wait ran out: the window calls this before it ends the session."""
        self._end("idle")

    def _session_ended(self) -> None:
        self._end("ended")

    def _end(self, reason: str) -> None:
        agent, self.agent = self.agent, None
        self.registration.wipe()
        if agent is not None:
            self.sign_in.signed_out(agent, reason)
            log.info("staff mode left (%s)", reason)
            self.signed_out.emit(reason)

    # ------------------------------------------------------------------ sync status
    def refresh_status(self, *_args: object) -> None:
        """Slot for the sync bridge's ``statusChanged``: refresh the staff page if built."""
        page = self.host.built("staff")
        if isinstance(page, StaffPage):
            self._show_status(page)

    def _show_status(self, page: StaffPage) -> None:
        if self.bridge is None:
            page.set_status(notices.sync_unavailable_text())
            return
        status = self.bridge.status()
        now = self.host.clock.now()
        page.set_status(sync_wording.describe_status(status, now),
                        sync_wording.status_rows(status, now),
                        sync_wording.set_aside_lines(status),
                        can_sync=status.enrolled and not status.revoked,
                        syncing=status.syncing)

    def sync_now(self) -> None:
        if self.bridge is not None:
            log.info("staff asked for a sync round")
            self.bridge.sync_now()

    def retry_set_aside(self) -> None:
        if self.bridge is not None:
            log.info("staff asked to retry the set-aside records")
            self.bridge.retry_set_aside()
