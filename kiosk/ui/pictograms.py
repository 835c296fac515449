"""Pictograms drawn with QPainter in the colour of the text beside them.

The bundled font (Noto Sans) has no check marks, arrows, ⌫ or emoji; a character the font
lacks renders as an empty box on a kiosk without other fonts. So every symbol a button shows
is drawn here, on a unit square scaled to the button's glyph size, and recoloured with the
theme for free (it takes the button's ``ink``). :func:`draw_button_face` paints a
:class:`kiosk.ui.base.TouchButton`'s pictogram or mark and its wrapped text.
"""

from collections.abc import Callable
from typing import Protocol

from PySide6 import QtCore
from PySide6.QtCore import QPointF, QRect, QRectF
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QTransform,
)

Draw = Callable[[QPainter, float], None]


def _pen(painter: QPainter, colour: QColor, side: float, weight: float = 0.09) -> None:
    pen = QPen(colour, max(2.0, side * weight))
    pen.setCapStyle(QtCore.Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(QtCore.Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)


def _line(p: QPainter, s: float, points: tuple[tuple[float, float], ...], *,
          closed: bool = False) -> None:
    """A polyline through ``points`` (fractions of the side ``s``)."""
    path = QPainterPath(QPointF(points[0][0] * s, points[0][1] * s))
    for x, y in points[1:]:
        path.lineTo(x * s, y * s)
    if closed:
        path.closeSubpath()
    p.drawPath(path)


def _tick(p: QPainter, s: float) -> None:
    _line(p, s, ((0.2, 0.52), (0.42, 0.74), (0.82, 0.28)))


def _box(p: QPainter, s: float) -> None:
    p.drawRoundedRect(QRectF(0.08 * s, 0.08 * s, 0.84 * s, 0.84 * s), 0.12 * s, 0.12 * s)


def _box_checked(p: QPainter, s: float) -> None:
    _box(p, s)
    _tick(p, s)


def _smile(p: QPainter, s: float) -> None:
    p.drawEllipse(QRectF(0.08 * s, 0.08 * s, 0.84 * s, 0.84 * s))
    colour = p.pen().color()
    p.setBrush(colour)
    for x in (0.36, 0.64):
        p.drawEllipse(QPointF(x * s, 0.4 * s), 0.035 * s, 0.035 * s)
    p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
    mouth = QPainterPath(QPointF(0.3 * s, 0.6 * s))
    mouth.quadTo(QPointF(0.5 * s, 0.82 * s), QPointF(0.7 * s, 0.6 * s))
    p.drawPath(mouth)


def _pencil(p: QPainter, s: float) -> None:
    _line(p, s, ((0.2, 0.8), (0.25, 0.6), (0.68, 0.17), (0.83, 0.32), (0.4, 0.75)), closed=True)
    _line(p, s, ((0.58, 0.27), (0.73, 0.42)))
    _line(p, s, ((0.12, 0.9), (0.9, 0.9)))


def _magnifier(p: QPainter, s: float) -> None:
    p.drawEllipse(QRectF(0.12 * s, 0.12 * s, 0.5 * s, 0.5 * s))
    p.drawLine(QPointF(0.56 * s, 0.56 * s), QPointF(0.88 * s, 0.88 * s))


def _contrast(p: QPainter, s: float) -> None:
    rect = QRectF(0.1 * s, 0.1 * s, 0.8 * s, 0.8 * s)
    p.drawEllipse(rect)
    half = QPainterPath()
    half.moveTo(rect.center())
    half.arcTo(rect, 90, 180)
    half.closeSubpath()
    p.fillPath(half, p.pen().color())


def _backspace(p: QPainter, s: float) -> None:
    _line(p, s, ((0.05, 0.5), (0.32, 0.2), (0.92, 0.2), (0.92, 0.8), (0.32, 0.8)), closed=True)
    _line(p, s, ((0.48, 0.36), (0.76, 0.64)))
    _line(p, s, ((0.76, 0.36), (0.48, 0.64)))


def _chevron(up: bool) -> Draw:
    def draw(p: QPainter, s: float) -> None:
        y0, y1 = (0.66, 0.34) if up else (0.34, 0.66)
        _line(p, s, ((0.18, y0), (0.5, y1), (0.82, y0)))

    return draw


PICTOGRAMS: dict[str, Draw] = {
    "check": _tick,
    "box": _box,
    "box_checked": _box_checked,
    "smile": _smile,
    "pencil": _pencil,
    "magnifier": _magnifier,
    "contrast": _contrast,
    "backspace": _backspace,
    "up": _chevron(up=True),
    "down": _chevron(up=False),
}


def draw(painter: QPainter, name: str, rect: QRectF | QRect, colour: QColor) -> None:
    """Draw the pictogram ``name`` in the square centred in ``rect``."""
    shape = PICTOGRAMS[name]
    side = float(min(rect.width(), rect.height()))
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    shift = QTransform.fromTranslate(rect.x() + (rect.width() - side) / 2,
                                     rect.y() + (rect.height() - side) / 2)
    painter.setWorldTransform(shift, True)
    _pen(painter, colour, side)
    shape(painter, side)
    painter.restore()


def pixmap(name: str, side: int, colour: str) -> QPixmap:
    """The pictogram ``name`` as a transparent ``side`` x ``side`` pixmap."""
    pix = QPixmap(side, side)
    pix.fill(QtCore.Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    draw(painter, name, QRectF(0, 0, side, side), QColor(colour))
    painter.end()
    return pix


class Face(Protocol):
    """What :func:`draw_button_face` needs of a :class:`kiosk.ui.base.TouchButton` (named
    here, not imported: the button imports this module)."""

    mark: str
    pictogram: str
    leftAligned: bool  # noqa: N815 - a Qt property

    def isChecked(self) -> bool: ...  # noqa: N802
    def width(self) -> int: ...
    def height(self) -> int: ...
    def font(self) -> QFont: ...
    def fontMetrics(self) -> QFontMetrics: ...  # noqa: N802
    def ink_colour(self) -> QColor: ...
    def glyph_px(self) -> int: ...
    def lines(self, width: int | None = None) -> list[str]: ...
    def text_width(self, width: int) -> int: ...
    def padding(self) -> tuple[int, int, int, int]: ...
    @property
    def above(self) -> bool: ...


def _glyph_name(button: Face) -> str:
    if button.mark == "box":
        return "box_checked" if button.isChecked() else "box"
    if button.mark == "check":
        return "check" if button.isChecked() else ""
    return button.pictogram


def draw_button_face(painter: QPainter, button: Face) -> None:
    """Paint ``button``'s pictogram (or mark) and its text, wrapped, in its ink colour."""
    left, top, right, bottom = button.padding()
    inner = QRect(left, top, button.width() - left - right, button.height() - top - bottom)
    ink = button.ink_colour()
    side = button.glyph_px()
    name = _glyph_name(button)
    lines = button.lines()
    fm = button.fontMetrics()
    align = QtCore.Qt.AlignmentFlag
    if side and button.above:
        block = side + fm.averageCharWidth() + len(lines) * fm.lineSpacing()
        y = inner.top() + max(0, (inner.height() - block) // 2)
        if name:
            draw(painter, name, QRect(inner.left(), y, inner.width(), side), ink)
        text_rect = QRect(inner.left(), y + side + fm.averageCharWidth(), inner.width(),
                          len(lines) * fm.lineSpacing())
        flags = align.AlignHCenter | align.AlignTop
    else:
        text_width = button.text_width(button.width())
        block_width = max((fm.horizontalAdvance(x) for x in lines), default=0)
        lead = inner.width() - text_width
        x = inner.left()
        if not button.leftAligned:
            x += max(0, (inner.width() - lead - block_width) // 2)
        if side and name:
            draw(painter, name, QRect(x, inner.top(), side, inner.height()), ink)
        text_rect = QRect(x + lead, inner.top(), text_width, inner.height())
        flags = align.AlignVCenter | align.AlignLeft
        if not button.leftAligned and not side:
            text_rect = QRect(inner)
            flags = align.AlignCenter
    painter.setPen(ink)
    painter.setFont(button.font())
    painter.drawText(text_rect, int(flags.value) if hasattr(flags, "value") else flags,
                     "\n".join(lines))
