"""What shows over or above the pages: the staff banner at the top of the window and the
"¿Sigue ahí?" panel over the whole window."""

from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.base import Page, big_button, label, set_role
from kiosk.ui.metrics import Metrics

if TYPE_CHECKING:
    from kiosk.ui.idle import IdleMonitor
    from kiosk.ui.keyboard import OnScreenKeyboard


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
        side, top = metrics.mm(10 + 30 * metrics.fit), metrics.mm(6 + 19 * metrics.fit)
        outer.setContentsMargins(side, top, side, top)
        card = QFrame()
        set_role(card, "panel")
        inner = QVBoxLayout(card)
        inner.setContentsMargins(metrics.mm(10), metrics.mm(6), metrics.mm(10), metrics.mm(6))
        inner.setSpacing(metrics.spacing + metrics.mm(2))
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
        self.continue_button.setMinimumHeight(max(metrics.primary,
                                                  metrics.mm(18 + 12 * metrics.fit)))
        self.continue_button.clicked.connect(self.resumed)
        inner.addWidget(self.continue_button)
        outer.addStretch(1)  # the card at its own height, centred (a portrait screen is tall)
        outer.addWidget(card)
        outer.addStretch(1)
        self.hide()

    def set_remaining(self, seconds: int) -> None:
        if seconds == 1:
            self.countdown.setText(self.tr("La pantalla volverá al inicio en 1 segundo"))
        else:
            self.countdown.setText(
                self.tr("La pantalla volverá al inicio en {n} segundos").format(n=seconds)
            )


class IdleOverlay:
    """The idle panel over ``window`` (built on first use): :meth:`warn` shows it with the
    countdown, :meth:`tick` counts down, "Sí, continuar" hides it and resumes ``idle``."""

    def __init__(self, window: QWidget, metrics: Metrics, idle: "IdleMonitor") -> None:
        self.window = window
        self.metrics = metrics
        self.idle = idle
        self._panel: IdlePanel | None = None

    @property
    def panel(self) -> IdlePanel:
        if self._panel is None:
            self._panel = IdlePanel(self.metrics, self.window)
            self._panel.resumed.connect(self.resume)
            self.fit()
        return self._panel

    def warn(self, remaining: int) -> None:
        self.panel.set_remaining(remaining)
        self.fit()
        self.panel.show()
        self.panel.raise_()

    def tick(self, remaining: int) -> None:
        self.panel.set_remaining(remaining)

    def resume(self) -> None:
        self.panel.hide()
        self.idle.resume()

    def hide(self) -> None:
        if self._panel is not None:
            self._panel.hide()

    def fit(self) -> None:
        """Cover the whole window (after a resize)."""
        if self._panel is not None:
            self._panel.setGeometry(self.window.rect())

    def set_metrics(self, metrics: Metrics) -> None:
        """Build the panel for ``metrics`` next time (a hidden one is dropped now)."""
        self.metrics = metrics
        if self._panel is not None and not self._panel.isVisible():
            self._panel.deleteLater()
            self._panel = None


class KeyboardDock:
    """The on-screen keyboard in ``layout`` right after ``after`` (the page), built the first
    time a page wants it, and which editor it types into."""

    def __init__(self, metrics: Metrics, layout: QBoxLayout, *, after: QWidget) -> None:
        self.metrics = metrics
        self.layout = layout
        self.after = after
        self._keyboard: OnScreenKeyboard | None = None

    @property
    def keyboard(self) -> "OnScreenKeyboard":
        if self._keyboard is None:
            from kiosk.ui.keyboard import OnScreenKeyboard  # not needed for the first paint

            self._keyboard = OnScreenKeyboard(self.metrics)
            self._keyboard.hide()
            self.layout.insertWidget(self.layout.indexOf(self.after) + 1, self._keyboard)
        return self._keyboard

    def set_metrics(self, metrics: Metrics) -> None:
        """Size the keyboard for ``metrics``: rebuilt on next use (at once if it is shown)."""
        self.metrics = metrics
        if self._keyboard is None:
            return
        old, self._keyboard = self._keyboard, None
        shown, target = old.isVisible(), old.target
        self.layout.removeWidget(old)
        old.hide()
        old.deleteLater()
        if shown:
            self.keyboard.show()
            self.keyboard.attach(target)

    def show_for(self, page: Page) -> None:
        if self._keyboard is not None:
            self._keyboard.setVisible(page.wants_keyboard)
            self._keyboard.attach(None)
        if page.wants_keyboard:
            self.keyboard.show()
            editor = page.first_editor()
            if editor is not None:
                editor.setFocus()
                self.keyboard.attach(editor)

    def attach(self, editor: QWidget | None) -> None:
        if self._keyboard is not None:
            self._keyboard.attach(editor)

    #: The editors the keyboard types into, by Qt class name: ``QObject.inherits`` needs
    #: neither class made in Python (with their enums) before the first paint.
    EDITORS = ("QLineEdit", "QPlainTextEdit")

    def focus_changed(self, window: QWidget, new: QWidget | None) -> None:
        if (new is not None and any(new.inherits(name) for name in self.EDITORS)
                and window.isAncestorOf(new)):
            self.attach(new)

    def reset(self) -> None:
        if self._keyboard is not None:
            self._keyboard.attach(None)
            self._keyboard.set_shift(False)

