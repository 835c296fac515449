"""What every flow module has in common: the window it runs in (:class:`Host`) and the base
of its controller (:class:`Flow`).

A flow (survey, case, folio, menu, staff) builds its own pages from a table, page name ->
builder (:meth:`Flow.builders`), makes a page show the session's answers before it appears
(:meth:`Flow.prepare`) and records the answers its pages emit. It moves through the window's
commands (``go``, ``next_step``, ``restart_at``) and tells the window what happened through
its signals, which the window connects in one place (``KioskWindow._connect_signals``).
"""

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Signal

from kiosk.ui.base import LazyModule, Page
from kiosk.ui.wording.notices import save_failed_text

if TYPE_CHECKING:
    from kiosk.flow.session import Session
    from kiosk.services.configuration import Content
    from kiosk.ui import pages
    from kiosk.ui.config import UiConfig
    from kiosk.ui.idle import IdleMonitor
    from kiosk.ui.metrics import Metrics
else:
    pages = LazyModule("kiosk.ui.pages")

log = logging.getLogger(__name__)


class Host(Protocol):
    """The window as a flow sees it."""

    metrics: "Metrics"
    config: "UiConfig"
    session: "Session"
    clock: Any
    idle: "IdleMonitor"
    survey_service: Any
    case_service: Any
    receipt_printer: Any  # kiosk.ui.printing.ReceiptPrinter, or None without a printer

    @property
    def content(self) -> "Content": ...

    @property
    def current(self) -> str: ...

    def page(self, name: str) -> Page: ...

    def built(self, name: str) -> Page | None: ...

    def go(self, name: str, *, push: bool = True) -> None: ...

    def next_step(self) -> None: ...

    def restart_at(self, name: str, history: Sequence[str] = ()) -> None: ...


def failure_code(exc: Exception) -> str:
    """The staff-notice code of a failed save (logged by code, never by content)."""
    from kiosk.services.errors import KnownError

    if isinstance(exc, KnownError):
        code = str(getattr(exc, "code", type(exc).__name__))
        log.warning("save refused: %s", code)
        return code
    log.exception("unexpected error while saving")
    return "bug"


class Flow(QObject):
    """Base of a flow's controller.

    Signals: ``finished()`` the person is done (back to the attract screen); ``saved()`` a
    service committed a record; ``refused(str)`` a save failed with this staff-notice code.
    """

    finished = Signal()
    saved = Signal()
    refused = Signal(str)

    def __init__(self, host: Host, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.saving = False  # a service call is under way: a second "Enviar" does nothing

    def builders(self) -> dict[str, Callable[[], Page]]:
        """Page name -> a function building that page (called on first use)."""
        return {}

    def prepare(self, name: str, page: Page) -> None:
        """Make ``page`` show the session's current answers before it appears."""

    def choice_page(self, question: str, choices: Sequence[tuple[str, str]],
                    chosen: Callable[[str], None], **options: Any) -> "pages.SingleChoicePage":
        page = pages.SingleChoicePage(self.host.metrics, question, choices,
                                      confirm_ms=self.host.config.confirm_ms, **options)
        page.chosen.connect(chosen)
        return page

    def save(self, service: Any, draft: Any, page: Any, button: Any) -> Any:
        """Hand ``draft`` to ``service`` with ``button`` (its "Enviar") disabled; the receipt,
        or None when nothing was saved: then ``page`` says so and ``button`` works again."""
        button.setEnabled(False)
        self.saving = True
        try:
            saved = service.submit(draft)
        except Exception as exc:
            self.refused.emit(failure_code(exc))
            page.show_error(save_failed_text())
            button.setEnabled(True)
            return None
        finally:
            self.saving = False
        self.saved.emit()
        return saved

    def show_receipt(self, name: str) -> None:
        """A thanks or receipt page: no way back, and a shorter wait before the next person
        (started first, so the page's countdown shows it from its first paint)."""
        self.host.idle.start(direct=True, idle_seconds=self.host.config.done_seconds)
        self.host.restart_at(name)
