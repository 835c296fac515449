"""The case pages of their own: the privacy notice with the consent tap, and the receipt
with the folio and its QR. The case flow (:mod:`kiosk.ui.case`) builds them."""

from PySide6 import QtCore
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kiosk.ui.base import Page
from kiosk.ui.metrics import Metrics
from kiosk.ui.pages import CHECK_MARK
from kiosk.ui.widgets import QrLabel, big_button, label


class PrivacyPage(Page):
    """Short privacy notice, a QR to the full notice and an explicit consent tap.

    Signals: ``accepted()`` when the person consented and tapped "Continuar".
    """

    accepted = Signal()

    def __init__(self, metrics: Metrics, notice_url: str) -> None:
        super().__init__(metrics, self.tr("Aviso de privacidad"))
        row = QHBoxLayout()
        row.setSpacing(metrics.mm(6))
        text = label(
            self.tr(
                "El IMSS usará sus datos solo para atender y dar seguimiento a su solicitud. "
                "Sus datos se cifran en este kiosco y solo el personal autorizado puede verlos. "
                "Puede pedir acceso, corrección o cancelación de sus datos en el módulo de "
                "Trato Digno."
            )
        )
        text.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop | QtCore.Qt.AlignmentFlag.AlignLeft)
        row.addWidget(text, 1)
        qr_box = QVBoxLayout()
        self.qr = QrLabel(metrics.mm(45))
        self.qr.set_data(notice_url)
        qr_box.addWidget(self.qr, 0, QtCore.Qt.AlignmentFlag.AlignHCenter)
        qr_box.addWidget(label(self.tr("Aviso completo: escanee con su teléfono"), "hint"))
        qr_box.addStretch(1)
        row.addLayout(qr_box)
        self.root.addLayout(row, 1)
        self.consent = big_button(
            self.tr("Acepto que el IMSS use mis datos para atender mi solicitud"),
            metrics,
            "choice",
            checkable=True,
        )
        self.consent.toggled.connect(self._update)
        self.root.addWidget(self.consent)
        self.continue_button = big_button(self.tr("Continuar"), metrics, "primary")
        self.continue_button.clicked.connect(self._finish)
        self.root.addWidget(self.continue_button)
        self._update()

    def _update(self) -> None:
        checked = self.consent.isChecked()
        self.consent.setText(
            (CHECK_MARK if checked else "")
            + self.tr("Acepto que el IMSS use mis datos para atender mi solicitud")
        )
        self.continue_button.setEnabled(checked)

    def _finish(self) -> None:
        if self.consent.isChecked() and self.isVisible():
            self.accepted.emit()

    def reset(self) -> None:
        self.consent.setChecked(False)
        self._update()


class ConfirmationPage(Page):
    """The folio, big and grouped, with a QR of the tracking address.

    Signals: ``finished()`` when the person taps "Terminar".
    """

    finished = Signal()
    show_back = False

    def __init__(self, metrics: Metrics) -> None:
        super().__init__(metrics, self.tr("Su solicitud quedó registrada"))
        row = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(label(self.tr("Su número de folio es:")))
        self.folio = label("", "folio", wrap=False)
        self.folio.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.NoTextInteraction)
        left.addWidget(self.folio)
        self.note = label(
            self.tr(
                "Anote su folio o tome una foto del código. Con él puede consultar el avance "
                "en línea o en el módulo de Trato Digno."
            )
        )
        left.addWidget(self.note)
        self.sensitive_note = label(
            self.tr("Su caso será atendido con reserva por personal especializado.")
        )
        left.addWidget(self.sensitive_note)
        self.sensitive_note.hide()
        left.addStretch(1)
        row.addLayout(left, 1)
        right = QVBoxLayout()
        self.qr = QrLabel(metrics.mm(55))
        right.addWidget(self.qr, 0, QtCore.Qt.AlignmentFlag.AlignHCenter)
        right.addWidget(label(self.tr("Consulte su caso con su teléfono"), "hint"))
        right.addStretch(1)
        row.addLayout(right)
        self.root.addLayout(row, 1)
        self.finish_button = big_button(self.tr("Terminar"), metrics, "primary")
        self.finish_button.clicked.connect(self.finished)
        self.root.addWidget(self.finish_button)

    def set_receipt(self, folio: str, tracking_url: str, sensitive: bool) -> None:
        self.folio.setText(folio)
        self.qr.set_data(tracking_url)
        self.sensitive_note.setVisible(sensitive)

    def reset(self) -> None:
        self.set_receipt("", "", False)
