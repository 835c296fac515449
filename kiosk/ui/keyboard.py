"""An on-screen keyboard for Spanish, built here (Qt Virtual Keyboard is GPL-3.0/commercial).

One layer per kind of field, chosen by the focused field's ``keyboardLayer`` property:

* ``letters``: QWERTY with ñ, and á é í ó ú ü ¿ ? ¡ ! on the main layer; "Mayús" for a
  capital; "123" opens ``symbols`` (digits and punctuation for free text);
* ``numeric``: digits only, a phone pad, for NSS, phone, postal code and PIN;
* ``email``: letters, digits, @ . - _ and the common domains as keys;
* ``code``: digits, capital letters and the hyphen, for a CURP or a folio.

Keys never take focus, so typing goes to the field the person touched last. Their height is
the screen's key size (:meth:`kiosk.ui.metrics.Metrics.key_mm`: 16 mm where the screen allows,
never under 10 mm, 3 mm apart), taller with "Texto grande" (the keyboard notices its font
grow); the keyboard is as tall as its current layer needs.

Signals: ``key_pressed(str)`` after every key, for activity tracking and tests.
"""

from PySide6 import QtCore
from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.metrics import KEYBOARD_MARGIN_MM, Metrics
from kiosk.ui.theme import BODY_PX
from kiosk.ui.widgets import TouchButton, set_role

LETTER_ROWS = (
    "qwertyuiop",
    "asdfghjklñ",
    "zxcvbnm,.-",
    "áéíóúü¿?¡!",
)
SYMBOL_ROWS = (
    "1234567890",
    "@#$%&*()/:",
    ";\"'+=_-.,?",
)
NUMERIC_ROWS = ("123", "456", "789")
EMAIL_ROWS = (
    "1234567890",
    "qwertyuiop",
    "asdfghjkl@",
    "zxcvbnm.-_",
)
EMAIL_DOMAINS = ("@gmail.com", "@hotmail.com", "@outlook.com", "@yahoo.com.mx", "@imss.gob.mx")
CODE_ROWS = (
    "1234567890",
    "QWERTYUIOP",
    "ASDFGHJKLÑ",
    "ZXCVBNM-",
)
URL_ROWS = (
    "1234567890",
    "qwertyuiop",
    "asdfghjkl:",
    "zxcvbnm./-",
)
URL_SCHEMES = ("https://", "http://")
LAYERS = ("letters", "symbols", "numeric", "email", "code", "url")
# Widest a numeric pad key gets (a phone pad, not a bar across the screen).
NUMERIC_KEY_MAX_MM = 45

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
        self._large = False
        self._target: QLineEdit | QPlainTextEdit | None = None
        self.keys: dict[str, QPushButton] = {}
        self.symbol_keys: dict[str, QPushButton] = {}
        self.numeric_keys: dict[str, QPushButton] = {}
        self.email_keys: dict[str, QPushButton] = {}
        self.code_keys: dict[str, QPushButton] = {}
        self.url_keys: dict[str, QPushButton] = {}
        self._layer_keys: dict[str, list[QPushButton]] = {name: [] for name in LAYERS}
        self._building = LAYERS[0]
        self._rows: dict[str, int] = {}
        self.stack = QStackedWidget()
        for name, build in zip(LAYERS, (self._letters_layer, self._symbols_layer,
                                        self._numeric_layer, self._email_layer,
                                        self._code_layer, self._url_layer), strict=True):
            self._building = name
            self.stack.addWidget(build())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._size_keys()

    # -- layers -------------------------------------------------------------------------------
    def _key(self, text: str, label: str | None = None, *, pictogram: str = "",
             wide: bool = False) -> QPushButton:
        button = TouchButton(label if label is not None else text, pictogram=pictogram)
        set_role(button, "key")
        if wide:
            button.setProperty("wide", True)
        button.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        button.setAutoRepeat(text == BACKSPACE)
        button.setMinimumWidth(self.metrics.touch)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        button.clicked.connect(lambda _=False, t=text: self.press(t))
        self._layer_keys[self._building].append(button)
        return button

    def _grid(self, name: str, rows: int) -> tuple[QWidget, QGridLayout]:
        page = QWidget()
        grid = QGridLayout(page)
        gap = self.metrics.gap
        grid.setSpacing(gap)
        edge = self.metrics.mm(KEYBOARD_MARGIN_MM / 2)  # the page's margin keeps it 3 mm away
        grid.setContentsMargins(self.metrics.mm(2), edge, self.metrics.mm(2), edge)
        self._rows[name] = rows
        return page, grid

    def _char_rows(self, grid: QGridLayout, rows: tuple[str, ...],
                   into: dict[str, QPushButton]) -> None:
        for r, row in enumerate(rows):
            for c, ch in enumerate(row):
                button = self._key(ch)
                into[ch] = button
                grid.addWidget(button, r, c)

    def _backspace(self) -> QPushButton:
        return self._key(BACKSPACE, self.tr("Borrar"), pictogram="backspace", wide=True)

    @property
    def backspace_key(self) -> QPushButton:
        """"Borrar" on the layer shown now."""
        return {"letters": self.letters_backspace, "symbols": self.symbols_backspace,
                "numeric": self.numeric_backspace, "email": self.email_backspace,
                "code": self.code_backspace, "url": self.url_backspace}[self.layer]

    def _letters_layer(self) -> QWidget:
        page, grid = self._grid("letters", len(LETTER_ROWS) + 1)
        self._char_rows(grid, LETTER_ROWS, self.keys)
        bottom = len(LETTER_ROWS)
        self.shift_key = self._key(SHIFT, self.tr("Mayús"), wide=True)
        self.shift_key.setCheckable(True)
        grid.addWidget(self.shift_key, bottom, 0, 1, 2)
        self.symbols_key = self._key("layer:symbols", self.tr("123"), wide=True)
        grid.addWidget(self.symbols_key, bottom, 2, 1, 1)
        self.space_key = self._key(SPACE, self.tr("espacio"), wide=True)
        grid.addWidget(self.space_key, bottom, 3, 1, 4)
        self.letters_backspace = self._backspace()
        grid.addWidget(self.letters_backspace, bottom, 7, 1, 3)
        return page

    def _symbols_layer(self) -> QWidget:
        page, grid = self._grid("symbols", len(SYMBOL_ROWS) + 1)
        self._char_rows(grid, SYMBOL_ROWS, self.symbol_keys)
        bottom = len(SYMBOL_ROWS)
        self.letters_key = self._key("layer:letters", self.tr("ABC"), wide=True)
        grid.addWidget(self.letters_key, bottom, 0, 1, 2)
        self.symbols_space_key = self._key(SPACE, self.tr("espacio"), wide=True)
        grid.addWidget(self.symbols_space_key, bottom, 2, 1, 5)
        self.symbols_backspace = self._backspace()
        grid.addWidget(self.symbols_backspace, bottom, 7, 1, 3)
        return page

    def _numeric_layer(self) -> QWidget:
        """A phone pad (1-2-3 on top, 0 and "Borrar" below), or on a short screen two rows
        of digits that leave the page more room."""
        short = not self.metrics.portrait and self.metrics.fit < 0.5
        rows = (("123456", "7890"), 6) if short else (NUMERIC_ROWS, 3)
        (digit_rows, columns) = rows
        page, grid = self._grid("numeric", len(digit_rows) + (0 if short else 1))
        pad = QWidget()
        pad_grid = QGridLayout(pad)
        pad_grid.setContentsMargins(0, 0, 0, 0)
        pad_grid.setSpacing(self.metrics.gap)
        self._char_rows(pad_grid, digit_rows, self.numeric_keys)
        self.numeric_backspace = self._backspace()
        if short:
            pad_grid.addWidget(self.numeric_backspace, 1, 4, 1, 2)
        else:
            zero = self._key("0")
            self.numeric_keys["0"] = zero
            bottom = len(NUMERIC_ROWS)
            pad_grid.addWidget(zero, bottom, 0, 1, 2)
            pad_grid.addWidget(self.numeric_backspace, bottom, 2)
        pad.setMaximumWidth(columns * self.metrics.mm(NUMERIC_KEY_MAX_MM)
                            + (columns - 1) * self.metrics.gap)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(pad, 3)
        row.addStretch(1)
        grid.addLayout(row, 0, 0)
        return page

    def _email_layer(self) -> QWidget:
        page, grid = self._grid("email", len(EMAIL_ROWS) + 2)
        self._char_rows(grid, EMAIL_ROWS, self.email_keys)
        row = len(EMAIL_ROWS)
        spans = ((0, 3), (3, 4), (7, 3), (0, 4), (4, 3))
        for i, (domain, (column, span)) in enumerate(zip(EMAIL_DOMAINS, spans, strict=True)):
            button = self._key(domain, wide=True)
            self.email_keys[domain] = button
            grid.addWidget(button, row + i // 3, column, 1, span)
        self.email_backspace = self._backspace()
        grid.addWidget(self.email_backspace, row + 1, 7, 1, 3)
        return page

    def _code_layer(self) -> QWidget:
        """A CURP or a folio: digits, capitals, the hyphen people type between groups."""
        page, grid = self._grid("code", len(CODE_ROWS) + 1)
        self._char_rows(grid, CODE_ROWS, self.code_keys)
        bottom = len(CODE_ROWS)
        self.code_space_key = self._key(SPACE, self.tr("espacio"), wide=True)
        grid.addWidget(self.code_space_key, bottom, 0, 1, 6)
        self.code_backspace = self._backspace()
        grid.addWidget(self.code_backspace, bottom, 6, 1, 4)
        return page

    def _url_layer(self) -> QWidget:
        """A server address (the first-run screen): letters, digits, ``: . / -``."""
        page, grid = self._grid("url", len(URL_ROWS) + 1)
        self._char_rows(grid, URL_ROWS, self.url_keys)
        bottom = len(URL_ROWS)
        for column, scheme in zip((0, 3), URL_SCHEMES, strict=True):
            button = self._key(scheme, wide=True)
            self.url_keys[scheme] = button
            grid.addWidget(button, bottom, column, 1, 3)
        self.url_backspace = self._backspace()
        grid.addWidget(self.url_backspace, bottom, 6, 1, 4)
        return page

    # -- size ---------------------------------------------------------------------------------
    def key_height(self, layer: str | None = None) -> int:
        """Height of the keys of ``layer`` (default: the one shown): its rows in half of the
        screen's height (:meth:`Metrics.key_mm`), taller with larger text."""
        rows = max(5, self._rows[layer or self.layer])
        return self.metrics.mm(self.metrics.key_mm(self._large, rows=rows))

    def _size_keys(self) -> None:
        """Every key as tall as its layer allows; the keyboard as tall as the layer shown."""
        for name, keys in self._layer_keys.items():
            height = self.key_height(name)
            for button in keys:
                button.setFixedHeight(height)
        rows = self._rows[self.layer]
        gap = self.metrics.gap
        edge = self.metrics.mm(KEYBOARD_MARGIN_MM / 2)
        self.setFixedHeight(rows * self.key_height() + (rows - 1) * gap + 2 * edge)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            large = self.font().pixelSize() > BODY_PX * 1.1  # "Texto grande" is on
            if large != self._large:
                self._large = large
                self._size_keys()

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
        self.stack.setCurrentIndex(LAYERS.index(layer) if layer in LAYERS else 0)
        self._size_keys()

    @property
    def layer(self) -> str:
        return LAYERS[self.stack.currentIndex()]

    def key_for(self, ch: str) -> QPushButton | None:
        """The key typing ``ch`` on the layer shown now (None if it has none)."""
        keys = {
            "letters": self.keys,
            "symbols": self.symbol_keys,
            "numeric": self.numeric_keys,
            "email": self.email_keys,
            "code": self.code_keys,
            "url": self.url_keys,
        }[self.layer]
        if ch == SPACE:
            return {"letters": self.space_key, "symbols": self.symbols_space_key,
                    "code": self.code_space_key}.get(self.layer)
        if self.layer == "letters":
            ch = ch.lower()
        elif self.layer == "code":
            ch = ch.upper()
        return keys.get(ch)

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
                text = key.upper() if self._shift and self.layer == "letters" else key
                if isinstance(target, QLineEdit):
                    target.insert(text)
                else:
                    target.insertPlainText(text)
                if self._shift:
                    self.set_shift(False)
        self.key_pressed.emit(key)
