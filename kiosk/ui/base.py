"""What the attract screen is made of, kept apart so the first paint imports nothing else.

``kiosk.ui.widgets`` and ``kiosk.ui.pages`` re-export these names. The window and the flow
modules load those two, and their Qt classes, only once the attract screen is on screen
(see ``kiosk.app.load_after_first_paint``): they reach them through :class:`LazyModule`.

Enum values that only the property system sees are written as plain ints: passing any
``Qt.<Enum>`` member makes PySide build its whole ``Qt`` namespace, about a hundred Python
enums (20-40 ms), which the first paint does not need. Importing ``QStyle`` (or its option
and painter classes) likewise builds its dozen enums, about 700 members: the touch button
imports them where it measures and paints, which the attract screen never does.
"""

import importlib
from typing import Any

from PySide6.QtCore import Property, QRect, QSize, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.ui.metrics import Metrics

#: ``Qt::PlainText`` and ``Qt::NoFocus`` as plain ints, for :meth:`QObject.setProperty`.
PLAIN_TEXT = 0
NO_FOCUS = 0



def set_role(widget: QWidget, role: str) -> None:
    widget.setProperty("role", role)


def label(text: str, role: str = "", *, wrap: bool = True) -> QLabel:
    lab = QLabel(text)
    if role:
        set_role(lab, role)
    lab.setWordWrap(wrap)
    lab.setProperty("textFormat", PLAIN_TEXT)  # = setTextFormat(Qt.TextFormat.PlainText)
    return lab


def wrap_lines(text: str, metrics: QFontMetrics, width: int) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``width`` (a word wider than that
    stays whole on its own line: the layout check reports it as clipped)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and metrics.horizontalAdvance(candidate) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def _widest_word(text: str, metrics: QFontMetrics) -> int:
    return max((metrics.horizontalAdvance(w) for w in text.split()), default=0)


def _colour_property(attribute: str) -> Property:
    """A QColor Qt property kept in ``attribute``, for ``qproperty-*`` in the stylesheet."""

    def get(self: QWidget) -> QColor:
        return getattr(self, attribute)  # type: ignore[no-any-return]

    def put(self: QWidget, colour: QColor) -> None:
        # Kept as given: QColor(colour) would make PySide build its whole Qt namespace (tens
        # of ms) while the stylesheet polishes the top bar, before the first paint.
        setattr(self, attribute, colour)

    return Property(QColor, get, put)


class TouchButton(QPushButton):
    """A button for fingers. Its text wraps to the width the layout gives it (a QPushButton
    cuts a long answer, or any answer with "Texto grande"), and it may carry a pictogram or a
    mark, drawn in the colour of its text (the bundled font has no ✓ and no emoji):

    * ``pictogram``: a name from :mod:`kiosk.ui.pictograms`, left of the text, or above it with
      ``pictogram_above``;
    * ``mark``: ``"box"`` (a box, ticked when checked: several answers may be marked) or
      ``"check"`` (a tick when checked: one answer).

    ``text()`` is the text as set. The stylesheet colours text and pictograms through
    ``qproperty-ink`` (normal), ``-inkOn`` (checked or pressed) and ``-inkOff`` (disabled), and
    aligns the text left with ``qproperty-leftAligned``.
    """

    def __init__(self, text: str = "", *, pictogram: str = "", mark: str = "",
                 pictogram_px: int = 0, pictogram_above: bool = False) -> None:
        super().__init__(text)
        self._pictogram = pictogram
        self._mark = mark
        self._pictogram_px = pictogram_px
        self._above = pictogram_above
        self._ink = QColor(20, 20, 20)
        self._ink_on = QColor(255, 255, 255)
        self._ink_off = QColor(61, 61, 61)
        self._left = False
        self._line_count = 0  # lines at the width it has: 0 until a layout gave it one

    # -- stylesheet properties ------------------------------------------------------------
    ink = _colour_property("_ink")
    inkOn = _colour_property("_ink_on")  # noqa: N815 - a Qt property name
    inkOff = _colour_property("_ink_off")  # noqa: N815

    def _get_left(self) -> bool:
        return self._left

    def _set_left(self, left: bool) -> None:
        self._left = bool(left)

    leftAligned = Property(bool, _get_left, _set_left)  # noqa: N815

    # -- what it shows --------------------------------------------------------------------
    @property
    def pictogram(self) -> str:
        return self._pictogram

    def set_pictogram(self, name: str) -> None:
        self._pictogram = name
        self.updateGeometry()
        self.update()

    @property
    def mark(self) -> str:
        return self._mark

    @property
    def above(self) -> bool:
        """The pictogram above the text (else left of it)."""
        return self._above

    def ink_colour(self) -> QColor:
        """The colour text and pictogram are drawn in, for the button's state now."""
        if not self.isEnabled():
            return self._ink_off
        return self._ink_on if (self.isDown() or self.isChecked()) else self._ink

    # -- geometry -------------------------------------------------------------------------
    def padding(self) -> tuple[int, int, int, int]:
        """Left, top, right, bottom between the button's edge and its text (border, padding)."""
        from PySide6.QtWidgets import QStyle, QStyleOptionButton

        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.rect = QRect(0, 0, 400, 200)
        inner = self.style().subElementRect(
            QStyle.SubElement.SE_PushButtonContents, option, self)
        return inner.left(), inner.top(), 400 - inner.right() - 1, 200 - inner.bottom() - 1

    def glyph_px(self) -> int:
        """Side of the pictogram or mark."""
        if self._pictogram_px:
            return self._pictogram_px
        if self._pictogram or self._mark:
            return round(self.fontMetrics().height() * 1.05)
        return 0

    def _lead(self) -> int:
        """Width taken left of the text by the pictogram or mark."""
        side = self.glyph_px()
        return 0 if not side or self._above else side + self.fontMetrics().averageCharWidth()

    def text_width(self, width: int) -> int:
        """Room for the text in a button ``width`` pixels wide."""
        left, _top, right, _bottom = self.padding()
        return max(1, width - left - right - self._lead())

    def lines(self, width: int | None = None) -> list[str]:
        """The text as drawn in a button ``width`` (default: its own width) wide."""
        text = self.text()
        if not text:
            return []
        return wrap_lines(text, self.fontMetrics(),
                          self.text_width(self.width() if width is None else width))

    def _content_height(self, lines: int) -> int:
        _left, top, _right, bottom = self.padding()
        text = lines * self.fontMetrics().lineSpacing()
        side = self.glyph_px()
        inner = text + side + self.fontMetrics().averageCharWidth() if self._above else max(
            text, side)
        return inner + top + bottom

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        return max(self.minimumHeight(), self._content_height(len(self.lines(width)) or 1))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """As wide as the text on one line; as tall as the text wrapped to the width the
        button has now (a fixed-height button still grows by a line when its text wraps)."""
        left, _top, right, _bottom = self.padding()
        fm = self.fontMetrics()
        widest = max((fm.horizontalAdvance(x) for x in self.text().split("\n")), default=0)
        glyph = self.glyph_px() if self._above else 0
        width = left + right + self._lead() + max(widest, glyph)
        laid = self.width() if self._line_count else width
        return QSize(max(width, self.minimumWidth()), self.heightForWidth(min(width, laid)))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        count = len(self.lines())
        if count != self._line_count:  # wrapped to more (or fewer) lines: ask for the height
            self._line_count = count
            self.updateGeometry()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        left, _top, right, _bottom = self.padding()
        glyph = self.glyph_px() if self._above else 0
        width = left + right + self._lead() + max(_widest_word(self.text(), self.fontMetrics()),
                                                  glyph)
        return QSize(width, max(self.minimumHeight(), self._content_height(1)))

    # -- painting -------------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        from PySide6.QtWidgets import QStyle, QStyleOptionButton, QStylePainter

        from kiosk.ui import pictograms  # drawn on first use: not needed for the first paint

        painter = QStylePainter(self)
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text = ""
        painter.drawControl(QStyle.ControlElement.CE_PushButton, option)
        pictograms.draw_button_face(painter, self)  # type: ignore[arg-type]
        painter.end()


def big_button(
    text: str,
    metrics: Metrics,
    role: str = "",
    *,
    checkable: bool = False,
    pictogram: str = "",
    pictogram_px: int = 0,
    mark: str | None = None,
) -> TouchButton:
    """A primary-sized button. A checkable answer (role ``choice``) shows a box that is
    ticked when it is checked, unless ``mark`` says otherwise ("" for none)."""
    if mark is None:
        mark = "box" if checkable and role == "choice" else ""
    button = TouchButton(text, pictogram=pictogram, mark=mark, pictogram_px=pictogram_px)
    if role:
        set_role(button, role)
    button.setCheckable(checkable)
    button.setMinimumHeight(metrics.primary)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    button.setAutoDefault(False)
    return button


class Page(QWidget):
    """Base of every screen. ``wants_keyboard`` shows the on-screen keyboard below it."""

    wants_keyboard = False
    show_back = True
    in_session = True
    reset_on_show = False  # forget the last choice each time the page appears

    def __init__(self, metrics: Metrics, question: str = "", hint: str = "") -> None:
        super().__init__()
        self.metrics = metrics
        self.root = QVBoxLayout(self)
        m = metrics.margin
        self.root.setContentsMargins(m, metrics.spacing, m, metrics.spacing)
        self.root.setSpacing(metrics.spacing)
        self.question = label(question, "heading")
        self.root.addWidget(self.question)
        self.question.setVisible(bool(question))
        self.hint = label(hint, "hint")
        self.root.addWidget(self.hint)
        self.hint.setVisible(bool(hint))

    def set_question(self, text: str, hint: str | None = None) -> None:
        self.question.setText(text)
        self.question.setVisible(bool(text))
        if hint is not None:
            self.hint.setText(hint)
            self.hint.setVisible(bool(hint))

    def reset(self) -> None:
        """Forget everything shown or typed on this page."""

    def first_editor(self) -> QWidget | None:
        return None

    def apply_palette(self, palette: dict[str, str]) -> None:
        """Recolour what the stylesheet cannot reach (drawn pictograms)."""


class AttractPage(Page):
    """Signals: ``started()`` when someone touches the screen."""

    started = Signal()
    show_back = False
    in_session = False

    def __init__(self, metrics: Metrics) -> None:
        super().__init__(metrics)
        self.root.setContentsMargins(0, 0, 0, 0)
        self.button = QPushButton(
            self.tr("Su opinión nos ayuda a mejorar\n\nToque la pantalla para comenzar")
        )
        set_role(self.button, "attract")
        self.button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.button.clicked.connect(self.started)
        self.root.addWidget(self.button, 1)


class LazyModule:
    """A module imported on its first attribute access (the window's page classes, which
    the attract screen does not need). Type checkers see the real module instead."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(importlib.import_module(self._name), attribute)
