"""An on-screen keyboard for Spanish, built here (Qt Virtual Keyboard is GPL-3.0/commercial).

Letters layer: QWERTY with ñ, plus á é í ó ú ü ¿ ¡ on the main layer; shift for capitals; a
numeric layer for NSS, phone and postal code (chosen by the focused field's ``keyboardLayer``
property). Keys never take focus, so typing goes to the field the person touched last.

Signals: ``key_pressed(str)`` after every key, for activity tracking and tests.
"""

from PySide6 import QtCore
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.metrics import Metrics
from kiosk.ui.widgets import set_role

LETTER_ROWS = (
    "1234567890",
    "qwertyuiop",
    "asdfghjklñ",
    "zxcvbnm,.-",
    "áéíóúü¿?¡!",
)
NUMERIC_ROWS = ("123", "456", "789")
SYMBOL_KEYS = "@_/:;()#"

BACKSPACE = "\b"
SHIFT = "shift"
SPACE = " "
ENTER = "\n"


class OnScreenKeyboard(QWidget):
    key_pressed = Signal(str)

    def __init__(self, metrics: Metrics) -> None:
        super().__init__()
        self.setObjectName("OnScreenKeyboard")
        self.metrics = metrics
        self._shift = False
        self._target: QLineEdit | QPlainTextEdit | None = None
        self.keys: dict[str, QPushButton] = {}
        self.numeric_keys: dict[str, QPushButton] = {}
        self.stack = QStackedWidget()
        self.stack.addWidget(self._letters_layer())
        self.stack.addWidget(self._numeric_layer())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    # -- layers -------------------------------------------------------------------------------
    def _key(self, text: str, label: str | None = None) -> QPushButton:
        button = QPushButton(label if label is not None else text)
        set_role(button, "key")
        button.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        button.setAutoRepeat(text == BACKSPACE)
        button.setMinimumSize(self.metrics.mm(12), self.metrics.mm(12))
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        button.clicked.connect(lambda _=False, t=text: self.press(t))
        return button

    def _letters_layer(self) -> QWidget:
        page = QWidget()
        grid = QGridLayout(page)
        grid.setSpacing(self.metrics.mm(1.5))
        grid.setContentsMargins(self.metrics.mm(2), self.metrics.mm(1), self.metrics.mm(2), 0)
        for r, row in enumerate(LETTER_ROWS):
            for c, ch in enumerate(row):
                button = self._key(ch)
                self.keys[ch] = button
                grid.addWidget(button, r, c)
        bottom = len(LETTER_ROWS)
        self.shift_key = self._key(SHIFT, self.tr("Mayús"))
        self.shift_key.setCheckable(True)
        grid.addWidget(self.shift_key, bottom, 0, 1, 2)
        self.symbols_key = self._key("layer:numeric", self.tr("123"))
        grid.addWidget(self.symbols_key, bottom, 2, 1, 1)
        self.space_key = self._key(SPACE, self.tr("espacio"))
        grid.addWidget(self.space_key, bottom, 3, 1, 4)
        self.backspace_key = self._key(BACKSPACE, self.tr("⌫ Borrar"))
        grid.addWidget(self.backspace_key, bottom, 7, 1, 3)
        return page

    def _numeric_layer(self) -> QWidget:
        page = QWidget()
        grid = QGridLayout(page)
        grid.setSpacing(self.metrics.mm(1.5))
        grid.setContentsMargins(self.metrics.mm(2), self.metrics.mm(1), self.metrics.mm(2), 0)
        for r, row in enumerate(NUMERIC_ROWS):
            for c, ch in enumerate(row):
                button = self._key(ch)
                self.numeric_keys[ch] = button
                grid.addWidget(button, r, c + 2)
        for i, ch in enumerate(SYMBOL_KEYS):
            button = self._key(ch)
            self.numeric_keys[ch] = button
            grid.addWidget(button, i % 4, i // 4)
        self.letters_key = self._key("layer:letters", self.tr("ABC"))
        grid.addWidget(self.letters_key, 3, 2)
        for ch, (r, c) in {"0": (3, 3), ".": (3, 4), "+": (0, 5), "-": (1, 5), ",": (2, 5)}.items():
            button = self._key(ch)
            self.numeric_keys[ch] = button
            grid.addWidget(button, r, c)
        self.numeric_backspace = self._key(BACKSPACE, self.tr("⌫ Borrar"))
        grid.addWidget(self.numeric_backspace, 3, 5)
        return page

    # -- targets ------------------------------------------------------------------------------
    def attach(self, target: QWidget | None) -> None:
        """Type into ``target`` from now on; its ``keyboardLayer`` picks the layer."""
        if isinstance(target, (QLineEdit, QPlainTextEdit)):
            self._target = target
            self.show_layer(str(target.property("keyboardLayer") or "letters"))
        else:
            self._target = None

    @property
    def target(self) -> QWidget | None:
        return self._target

    def show_layer(self, layer: str) -> None:
        self.stack.setCurrentIndex(1 if layer == "numeric" else 0)

    @property
    def layer(self) -> str:
        return "numeric" if self.stack.currentIndex() == 1 else "letters"

    def set_shift(self, on: bool) -> None:
        self._shift = on
        self.shift_key.setChecked(on)
        for ch, button in self.keys.items():
            button.setText(ch.upper() if on else ch)

    # -- typing -------------------------------------------------------------------------------
    def press(self, key: str) -> None:
        if key == SHIFT:
            self.set_shift(not self._shift)
            self.key_pressed.emit(key)
            return
        if key.startswith("layer:"):
            self.show_layer(key.split(":", 1)[1])
            self.key_pressed.emit(key)
            return
        target = self._target
        if target is not None and target.isVisible() and target.isEnabled():
            if key == BACKSPACE:
                if isinstance(target, QLineEdit):
                    target.backspace()
                else:
                    target.textCursor().deletePreviousChar()
            else:
                text = key.upper() if self._shift else key
                if isinstance(target, QLineEdit):
                    target.insert(text)
                else:
                    target.insertPlainText(text)
                if self._shift:
                    self.set_shift(False)
        self.key_pressed.emit(key)
