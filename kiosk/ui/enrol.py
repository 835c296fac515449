"""The first-run screen: a kiosk with no credentials asks the technician for the central
server's address and the short enrolment code issued on the board (Kioscos), typed on the
on-screen keyboard, and registers itself (:func:`kiosk.sync.enrolment.enroll`, in a worker
thread: the screen never freezes while the server answers). Each refusal is worded on the
screen (:mod:`kiosk.ui.wording.enrolment`); "Más tarde" leaves it for the attract screen (the
kiosk records offline and sends everything once registered; the screen comes back at the next
start while it is not registered).

Signals of :class:`EnrolFlow`: ``enrolled()`` once the credentials are stored (the
composition root then starts the sync), ``finished()`` when the technician leaves.
"""

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from kiosk.ui.base import LazyModule, Page, big_button, label
from kiosk.ui.flow import Flow
from kiosk.ui.metrics import Metrics
from kiosk.ui.wording.enrolment import enrolled_text, enrolment_problem

if TYPE_CHECKING:
    from kiosk.ui import pages, widgets
    from kiosk.ui.staff import form
else:
    pages = LazyModule("kiosk.ui.pages")
    widgets = LazyModule("kiosk.ui.widgets")
    form = LazyModule("kiosk.ui.staff.form")

log = logging.getLogger(__name__)


class EnrolPage(Page):
    """Signals: ``enrol_requested(str, str)`` (address, code) on "Registrar";
    ``later()`` on "Más tarde"; ``done()`` on "Comenzar" once the kiosk is registered (the
    same button, in the action bar)."""

    enrol_requested = Signal(str, str)
    later = Signal()
    done = Signal()
    wants_keyboard = True
    in_session = False
    show_back = False

    def __init__(self, metrics: Metrics) -> None:
        super().__init__(metrics, self.tr("Registrar este kiosco"),
                         self.tr("Escriba la dirección del servidor central y el código de "
                                 "registro que dio el tablero (Kioscos)."))
        self.body = form.FormBody(self)
        self.server = widgets.TextField(metrics, max_length=200, keyboard_layer="url",
                                        counter=False)
        self.server.set_text("https://")
        self.code = widgets.TextField(metrics, max_length=12, keyboard_layer="code",
                                      counter=False)
        self.body.row("server", self.tr("Dirección del servidor"), self.server)
        self.body.row("code", self.tr("Código de registro"), self.code)
        self.message = label("", "message")
        self.body.widget(self.message)
        self.later_button = big_button(self.tr("Más tarde"), metrics)
        self.later_button.clicked.connect(self.later)
        self.body.widget(self.later_button)
        self.enrol_button = pages.main_action(self, self.tr("Registrar"))
        self.enrol_button.clicked.connect(self._pressed)
        self.registered = False
        self.body.finish(self.later_button)
        self.code.editor.returnPressed.connect(self._pressed)  # type: ignore[union-attr]

    def _pressed(self) -> None:
        if not self.enrol_button.isEnabled() or not self.isVisible():
            return
        if self.registered:
            self.done.emit()
        else:
            self.enrol_requested.emit(self.server.text().strip(), self.code.text().strip())

    def set_busy(self, busy: bool) -> None:
        self.enrol_button.setEnabled(not busy)
        self.later_button.setEnabled(not busy)
        if busy:
            self.message.setText(self.tr("Registrando el kiosco con el servidor…"))

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    def show_enrolled(self) -> None:
        self.registered = True
        self.message.setText(enrolled_text())
        self.body.show_row("server", False)
        self.body.show_row("code", False)
        self.later_button.hide()
        self.enrol_button.setText(self.tr("Comenzar"))

    def first_editor(self) -> QWidget | None:
        return None if self.registered else self.server.editor


class EnrolFlow(Flow):
    """Runs the enrolment off the GUI thread; ``settings`` are set by the composition root."""

    enrolled = Signal()
    _outcome = Signal(str)  # "" registered, else EnrolmentError.code (from the worker)

    def __init__(self, host: Any, parent: Any = None) -> None:
        super().__init__(host, parent)
        self.settings: Any = None
        self.worker: threading.Thread | None = None
        self._outcome.connect(self._finished)

    def builders(self) -> dict[str, Callable[[], Page]]:
        return {"enrol": self._build}

    def _build(self) -> Page:
        page = EnrolPage(self.host.metrics)
        page.enrol_requested.connect(self.enrol)
        page.later.connect(self.finished)
        page.done.connect(self.finished)
        return page

    def enrol(self, server: str, code: str) -> None:
        if self.worker is not None and self.worker.is_alive():
            return
        page = self.host.page("enrol")
        page.set_busy(True)  # type: ignore[attr-defined]
        self.worker = threading.Thread(target=self._run, args=(server, code),
                                       name="enrolment", daemon=True)
        self.worker.start()

    def _run(self, server: str, code: str) -> None:
        from kiosk.sync.enrolment import EnrolmentError, enroll

        try:
            enroll(self.settings, server, code)
        except EnrolmentError as exc:
            log.info("enrolment by code refused: %s", exc.code or exc.exit_code)
            self._outcome.emit(exc.code or "unreachable")
            return
        except Exception:  # a bug: say so on the screen, keep the kiosk running
            log.exception("enrolment by code failed")
            self._outcome.emit("internal")
            return
        self._outcome.emit("")

    def _finished(self, code: str) -> None:
        page = self.host.page("enrol")
        page.set_busy(False)  # type: ignore[attr-defined]
        if code:
            page.show_message(enrolment_problem(code))  # type: ignore[attr-defined]
            return
        page.show_enrolled()  # type: ignore[attr-defined]
        self.enrolled.emit()
