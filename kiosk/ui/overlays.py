"""What shows over or above the pages: the staff banner at the top of the window and the
"¿Sigue ahí?" panel over the whole window."""

from PySide6 import QtCore
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.ui.base import big_button, label, set_role
from kiosk.ui.metrics import Metrics


class Banner(QFrame):
    """A line for the staff above everything (a known condition, never personal data)."""

    def __init__(self, metrics: Metrics) -> None:
        super().__init__()
        set_role(self, "banner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(metrics.mm(4), metrics.mm(2), metrics.mm(4), metrics.mm(2))
        self.label = label("")
        layout.addWidget(self.label, 1)
        self.hide()

    def show_text(self, text: str) -> None:
        self.label.setText(text)
        self.show()


class IdlePanel(QFrame):
    """ "¿Sigue ahí?" with a countdown over the whole window. Signals: ``resumed()``."""

    resumed = Signal()

    def __init__(self, metrics: Metrics, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("IdlePanel")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(metrics.mm(40), metrics.mm(25), metrics.mm(40), metrics.mm(25))
        card = QFrame()
        set_role(card, "panel")
        inner = QVBoxLayout(card)
        inner.setContentsMargins(metrics.mm(10), metrics.mm(8), metrics.mm(10), metrics.mm(8))
        inner.setSpacing(metrics.mm(6))
        title = label(self.tr("¿Sigue ahí?"), "title")
        title.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        inner.addWidget(title)
        self.countdown = label("", "heading")
        self.countdown.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        inner.addWidget(self.countdown)
        inner.addWidget(
            label(self.tr("Si no responde, borraremos lo que escribió para proteger sus datos."))
        )
        self.continue_button = big_button(self.tr("Sí, continuar"), metrics, "primary")
        self.continue_button.setMinimumHeight(metrics.mm(30))
        self.continue_button.clicked.connect(self.resumed)
        inner.addWidget(self.continue_button)
        outer.addWidget(card)
        self.hide()

    def set_remaining(self, seconds: int) -> None:
        if seconds == 1:
            self.countdown.setText(self.tr("La pantalla volverá al inicio en 1 segundo"))
        else:
            self.countdown.setText(
                self.tr("La pantalla volverá al inicio en {n} segundos").format(n=seconds)
            )
