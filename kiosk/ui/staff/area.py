"""The staff area: five taps on the logo open the PIN page (with its lockout); the PIN opens
the staff pages."""

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from kiosk.flow.pin import PinLockout
from kiosk.ui.base import LazyModule, Page
from kiosk.ui.flow import Flow, Host
from kiosk.ui.staff.pin import PinPage
from kiosk.ui.staff.status import StaffPage
from kiosk.ui.wording import notices

if TYPE_CHECKING:
    from kiosk.ui.wording import sync as sync_wording
else:
    sync_wording = LazyModule("kiosk.ui.wording.sync")

log = logging.getLogger(__name__)


class StaffArea(Flow):
    """The staff pages and the gesture that opens them. ``bridge`` is the sync bridge (None
    on a kiosk that is not enrolled); ``verify_pin`` checks a PIN against the settings."""

    def __init__(self, host: Host, parent: QObject | None = None) -> None:
        super().__init__(host, parent)
        self.bridge: Any = None
        self.verify_pin: Callable[[str], bool] = lambda _pin: False
        self.lockout = PinLockout(host.clock)
        self._taps: list[float] = []

    def builders(self) -> dict[str, Callable[[], Page]]:
        return {"pin": self._pin_page, "staff": self._staff_page}

    def _pin_page(self) -> Page:
        page = PinPage(self.host.metrics)
        page.pin_entered.connect(self._pin_entered)
        return page

    def _staff_page(self) -> Page:
        page = StaffPage(self.host.metrics)
        page.exit.connect(self.finished)
        page.sync_requested.connect(self.sync_now)
        page.retry_requested.connect(self.retry_set_aside)
        return page

    def prepare(self, name: str, page: Page) -> None:
        if isinstance(page, StaffPage):
            self._show_status(page)

    def logo_tapped(self) -> None:
        """Five taps within a few seconds open the PIN page."""
        now = self.host.clock.monotonic()
        window = self.host.config.staff_tap_window_s
        self._taps = [t for t in self._taps if now - t <= window] + [now]
        if len(self._taps) >= self.host.config.staff_taps:
            self._taps = []
            self.host.idle.start()
            self.host.go("pin")

    def _pin_entered(self, pin: str) -> None:
        page = self.host.page("pin")
        assert isinstance(page, PinPage)
        page.reset()
        if self.lockout.wait_minutes():
            page.show_error(notices.pin_wait_text(self.lockout.wait_minutes()))
            return
        if pin and self.verify_pin(pin):
            log.info("staff mode entered")
            self.lockout.succeeded()
            self.host.restart_at("staff")
            return
        if self.lockout.failed():  # too many in a row: wait (never logs what was typed)
            page.show_error(notices.pin_wait_text(self.lockout.wait_minutes()))
        else:
            page.show_error(notices.pin_wrong_text())

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
