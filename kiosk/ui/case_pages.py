"""The case pages of their own: the privacy notice (with a consent tap where the type needs
one), the contact form that asks for at least a phone or an e-mail, and the receipt with the
folio, its QR, the deadlines and how to follow it. The case flow (:mod:`kiosk.ui.case`)
builds them."""

from collections.abc import Sequence

from PySide6 import QtCore
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.ui.base import Page
from kiosk.ui.metrics import Metrics
from kiosk.ui.pages import CHECK_MARK, FormPage, main_action
from kiosk.ui.receipt import Receipt, ReceiptPage
from kiosk.ui.widgets import QrLabel, ScrollPane, TextField, big_button, label, set_role


class PrivacyPage(Page):
    """The short privacy notice, a QR to the full notice, and "Continuar".

    Where the type asks a consent (a queja's story can reveal health data) "Continuar" waits
    for the consent tap; otherwise the notice only informs. Signals: ``accepted(bool)`` on
    "Continuar", with whether the person consented.
    """

    accepted = Signal(bool)

    def __init__(self, metrics: Metrics, notice_url: str) -> None:
        super().__init__(metrics, self.tr("Aviso de privacidad"))
        row = QHBoxLayout()
        row.setSpacing(metrics.mm(6))
        text = QVBoxLayout()
        text.setSpacing(metrics.mm(3))
        for paragraph in (
            self.tr("El IMSS usará lo que escriba aquí, y sus datos de contacto solo si decide "
                    "dejarlos, para atender y dar seguimiento a su solicitud."),
            self.tr("No necesita dar su nombre. Lo que cuente puede incluir datos de su "
                    "salud: el IMSS los protege como datos sensibles."),
            self.tr("Sus datos de contacto se cifran en este kiosco y solo el personal "
                    "autorizado puede ver lo que escriba."),
            self.tr("Puede pedir acceso, corrección o cancelación de sus datos en el módulo "
                    "de Trato Digno."),
        ):
            text.addWidget(label(paragraph))
        text.addStretch(1)
        row.addLayout(text, 1)
        qr_box = QVBoxLayout()
        self.qr = QrLabel(metrics.mm(45))
        self.qr.set_data(notice_url)
        qr_box.addWidget(self.qr, 0, QtCore.Qt.AlignmentFlag.AlignHCenter)
        qr_box.addWidget(label(self.tr("Aviso completo: escanee con su teléfono"), "hint"))
        qr_box.addStretch(1)
        row.addLayout(qr_box)
        body = QWidget()  # scrolls where larger text does not fit (kiosk.ui.scrolling)
        body.setLayout(row)
        self.root.addWidget(ScrollPane(body, metrics), 1)
        self._consent_text = ""
        self.consent = big_button("", metrics, "choice", checkable=True)
        self.consent.toggled.connect(self._update)
        self.root.addWidget(self.consent)
        self.continue_button = main_action(self, self.tr("Continuar"))
        self.continue_button.clicked.connect(self._finish)
        self.set_consent("")

    def set_consent(self, text: str) -> None:
        """The consent this type asks ("": none, the notice only informs)."""
        self._consent_text = text
        self.consent.setVisible(bool(text))
        self._update()

    @property
    def asks_consent(self) -> bool:
        return bool(self._consent_text)

    def _update(self) -> None:
        checked = self.consent.isChecked()
        self.consent.setText((CHECK_MARK if checked else "") + self._consent_text)
        self.continue_button.setEnabled(checked or not self.asks_consent)

    def _finish(self) -> None:
        if self.continue_button.isEnabled() and self.isVisible():
            self.accepted.emit(self.asks_consent and self.consent.isChecked())

    def reset(self) -> None:
        self.consent.setChecked(False)
        self._update()


class ContactPage(FormPage):
    """Phone, e-mail and postal code, as a :class:`FormPage` that goes on only with at least
    a valid phone or e-mail: the page asks for a way to reach the person, and says so."""

    required_any: tuple[str, ...] = ()

    def __init__(self, metrics: Metrics, question: str, hint: str,
                 fields: Sequence[tuple[str, str, TextField]], continue_text: str,
                 required_any: Sequence[str]) -> None:
        super().__init__(metrics, question, hint, fields, continue_text)
        self.required_any = tuple(required_any)
        self._update()

    def _update(self) -> None:
        super()._update()
        values = self.values()
        if not any(values.get(key) for key in self.required_any):
            self.continue_button.setEnabled(False)


class ConfirmationPage(ReceiptPage):
    """The folio, big and grouped, its QR, the dates of a queja, how to follow it, and the
    countdown (in the window's action bar, where "Enviar" was: no button there); "Terminar"
    and "Imprimir comprobante" (where a printer is configured) at the top right.

    Signals: ``finished()`` on "Terminar"; ``print_requested()`` on "Imprimir comprobante".
    """

    finished = Signal()
    print_requested = Signal()

    def __init__(self, metrics: Metrics) -> None:
        super().__init__(metrics, "")
        self.receipt: Receipt | None = None
        self.body.addWidget(label(self.tr("Su número de folio es:")))
        self.folio = label("", "folio", wrap=False)
        self.folio.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.NoTextInteraction)
        self.body.addWidget(self.folio)
        card = QFrame()
        set_role(card, "card")
        inner = QVBoxLayout(card)
        inner.setContentsMargins(metrics.mm(4), metrics.mm(3), metrics.mm(4), metrics.mm(3))
        self.dates = label("")
        inner.addWidget(self.dates)
        self.follow = label("")
        inner.addWidget(self.follow)
        self.body.addWidget(card)
        self.sensitive_note = label(
            self.tr("Su caso será atendido con reserva por personal especializado.")
        )
        self.body.addWidget(self.sensitive_note)
        self.sensitive_note.hide()
        self.print_status = label("", "message")
        self.body.addWidget(self.print_status)
        self.print_status.hide()
        self.body.addStretch(1)
        self.finish_button = self.side_button(self.tr("Terminar"), "primary")
        self.finish_button.clicked.connect(self.finished)
        self.print_button = self.side_button(self.tr("Imprimir comprobante"))
        self.print_button.clicked.connect(self.print_requested)
        self.print_button.hide()
        self.qr = QrLabel(metrics.mm(45))
        self.side.addWidget(self.qr, 0, QtCore.Qt.AlignmentFlag.AlignHCenter)
        self.qr_hint = label(self.tr("Consulte su caso con su teléfono"), "hint")
        self.qr_hint.setAlignment(QtCore.Qt.AlignmentFlag.AlignHCenter)
        self.side.addWidget(self.qr_hint)
        self.side.addStretch(1)

    def set_receipt(self, title: str, folio: str, tracking_url: str, sensitive: bool,
                    dates: Sequence[str], follow: str, *, can_print: bool = False) -> None:
        #: What "Imprimir comprobante" prints: no text or data of the person.
        self.receipt = Receipt(title, folio, tracking_url, tuple(dates), follow) if folio else None
        self.title.setText(title)
        self.folio.setText(folio)
        self.qr.set_data(tracking_url)
        self.dates.setText("\n".join(dates))
        self.dates.setVisible(bool(dates))
        self.follow.setText(follow)
        self.sensitive_note.setVisible(sensitive)
        self.print_button.setVisible(can_print)
        self.print_button.setEnabled(True)
        self.show_print_status("")

    def show_print_status(self, text: str) -> None:
        self.print_status.setText(text)
        self.print_status.setVisible(bool(text))

    def reset(self) -> None:
        self.set_receipt("", "", "", False, [], "")
