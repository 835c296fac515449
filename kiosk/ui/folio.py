"""Looking up a folio, offline: the person types it on the on-screen keyboard, the check
character catches a typo, and the kiosk says what it knows (:mod:`kiosk.services.lookup`):
the stage and dates from what it last pulled, or that a case filed here is waiting for the
network, with the time that information is from. No personal data on either page.

``folio_info`` takes the folio, ``folio_result`` answers; both are plain pages of this flow.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from kiosk.ui.base import LazyModule, Page, big_button, label
from kiosk.ui.flow import Flow, failure_code
from kiosk.ui.metrics import Metrics
from kiosk.ui.receipt import RECEIPT_TAP_GUARD_MS

if TYPE_CHECKING:
    from kiosk.services import lookup
    from kiosk.ui import pages, widgets
    from kiosk.ui.wording import receipts
else:
    lookup = LazyModule("kiosk.services.lookup")
    pages = LazyModule("kiosk.ui.pages")
    widgets = LazyModule("kiosk.ui.widgets")
    receipts = LazyModule("kiosk.ui.wording.receipts")

FOLIO_FIELD_MAX = 20  # twelve characters, with the hyphens and spaces people type


class FolioEntryPage(Page):
    """The folio field and "Consultar". Signals: ``looked_up(str)`` with the folio, once its
    check character is right."""

    looked_up = Signal(str)
    wants_keyboard = True

    def __init__(self, metrics: Metrics) -> None:
        super().__init__(metrics, self.tr("Consultar un folio"), self.tr(
            "Escriba el folio de su comprobante, con o sin guiones; por ejemplo, 3KQ0-1000-04TX."))
        self.field = widgets.TextField(metrics, max_length=FOLIO_FIELD_MAX,
                                       validator=lookup.validate_folio, counter=False)
        self.field.changed.connect(self._update)
        _pane, body = pages.scrolling_body(self)  # the hint and the field scroll if need be
        body.addWidget(self.field)
        body.addStretch(1)
        self.lookup_button = pages.main_action(self, self.tr("Consultar"))
        self.lookup_button.clicked.connect(self._finish)
        self._update()

    def _update(self) -> None:
        self.lookup_button.setEnabled(bool(self.field.text().strip()) and self.field.is_valid())

    def _finish(self) -> None:
        if self.lookup_button.isEnabled() and self.isVisible():
            self.looked_up.emit(self.field.value())

    def first_editor(self) -> QWidget | None:
        return self.field.editor

    def reset(self) -> None:
        self.field.clear()
        self._update()


class FolioResultPage(Page):
    """What the kiosk knows about one folio, "Consultar otro folio", and "Terminar" where
    "Consultar" was: like a receipt, it ignores input for a moment after it appears, so a
    hurried second tap on "Consultar" never ends the session before the answer was read.
    Signals: ``again()``; ``finished()``."""

    again = Signal()
    finished = Signal()
    tap_guard_ms = RECEIPT_TAP_GUARD_MS

    def __init__(self, metrics: Metrics) -> None:
        super().__init__(metrics, "")
        self.lines = label("")
        self.root.addWidget(self.lines)
        self.root.addStretch(1)
        self.again_button = big_button(self.tr("Consultar otro folio"), metrics)
        self.again_button.clicked.connect(self.again)
        self.root.addWidget(self.again_button)
        self.finish_button = pages.main_action(self, self.tr("Terminar"))
        self.finish_button.clicked.connect(self.finished)

    def show_answer(self, folio: str, lines: list[str]) -> None:
        self.set_question(self.tr("Folio {folio}").format(folio=folio) if folio else "")
        self.lines.setText("\n\n".join(lines))

    def reset(self) -> None:
        self.show_answer("", [])


class FolioFlow(Flow):
    def builders(self) -> dict[str, Callable[[], Page]]:
        return {"folio_info": self._entry_page, "folio_result": self._result_page}

    def _entry_page(self) -> Page:
        page = FolioEntryPage(self.host.metrics)
        page.looked_up.connect(self.look_up)
        return page

    def _result_page(self) -> Page:
        page = FolioResultPage(self.host.metrics)
        page.again.connect(self._again)
        page.finished.connect(self.finished)
        return page

    def _again(self) -> None:
        self.host.page("folio_info").reset()
        self.host.restart_at("folio_info", ["menu"])

    def look_up(self, folio: str) -> None:
        """Ask the store about ``folio`` and show the answer (a plain one if the store cannot
        answer now)."""
        result = self.host.page("folio_result")
        assert isinstance(result, FolioResultPage)
        from kiosk.services.errors import KnownError

        finder = getattr(self.host.case_service, "lookup", None)  # None: store not open yet
        try:
            found = finder(folio) if finder is not None else None
        except KnownError as exc:  # the store cannot answer now (busy, damaged...)
            self.refused.emit(failure_code(exc))
            found = None
        if found is None:
            result.show_answer(folio, [self.tr(
                "No podemos consultar folios en este momento. Pregunte en el módulo de "
                "Trato Digno.")])
        else:
            result.show_answer(found.folio, receipts.lookup_lines(found))
        self.host.go("folio_result")
