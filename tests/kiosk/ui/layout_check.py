"""What "a screen fits" means, as checks over the widgets shown (docs/design/ux.md).

Each checker takes the top-level widget and returns :class:`Finding` s; :func:`check_screen`
runs them all. They look only at what a person sees: visible widgets, their geometry in the
window, their text measured with their own font.

* ``clipped``: a label's or button's text is wider or taller than the room it has (word wrap
  taken into account), a field is shorter than its text, a widget pokes out of its parent;
* ``overlap``: two visible siblings cover each other (overlays that let taps through, the
  counter inside a text box and the idle panel are meant to);
* ``small``: a target under the screen's target size (:attr:`Metrics.touch`: 15 mm where the
  screen allows, never under 10 mm);
* ``crowded``: two targets nearer than 3 mm;
* ``unreachable``: a target outside the window, or outside its scroll view with no visible,
  enabled cue ("Ver más"/"Subir") in that direction;
* ``glyph``: a character the widget's own font cannot draw: on a kiosk without other fonts
  it shows as an empty box (the fonts Qt falls back to here do not count).
"""

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QRawFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from kiosk.ui.base import TouchButton
from kiosk.ui.metrics import Metrics
from kiosk.ui.scrolling import ScrollPane

TOLERANCE = 1  # px: rounding in layouts


@dataclass(frozen=True)
class Finding:
    rule: str
    widget: str
    detail: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.widget}: {self.detail}"


def describe(widget: QWidget) -> str:
    text = ""
    if isinstance(widget, (QAbstractButton, QLabel, QLineEdit)):
        text = widget.text()
    elif isinstance(widget, QPlainTextEdit):
        text = widget.toPlainText()
    name = type(widget).__name__
    name_part = f" #{widget.objectName()}" if widget.objectName() else ""
    label = f" {text[:40]!r}" if text else name_part
    return f"{name}{label}"


def shown(root: QWidget) -> list[QWidget]:
    """Every widget under ``root`` a person could see (visible, not a window of its own)."""
    return [w for w in root.findChildren(QWidget) if w.isVisible() and not w.isWindow()]


def is_overlay(widget: QWidget) -> bool:
    """Drawn over others on purpose: lets taps through, or covers the whole window."""
    return (
        widget.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        or widget.objectName() in ("IdlePanel", "qt_scrollarea_hcontainer",
                                   "qt_scrollarea_vcontainer")
    )


def window_rect(widget: QWidget) -> QRect:
    top_left = widget.mapTo(widget.window(), QPoint(0, 0))
    return QRect(top_left, widget.size())


def visible_rect(widget: QWidget) -> QRect:
    """The part of ``widget`` inside every ancestor (scroll views clip their content)."""
    rect = window_rect(widget)
    parent = widget.parentWidget()
    while parent is not None and not parent.isWindow():
        rect = rect.intersected(window_rect(parent))
        parent = parent.parentWidget()
    return rect.intersected(widget.window().rect())


def _in_scroll_content(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    return parent is not None and parent.objectName() == "qt_scrollarea_viewport"


# ---------------------------------------------------------------------------- clipped


def _label_problem(lab: QLabel) -> str:
    text = lab.text()
    if not text:
        return ""
    fm = lab.fontMetrics()
    room = lab.contentsRect().adjusted(lab.margin(), lab.margin(), -lab.margin(), -lab.margin())
    if lab.wordWrap():
        widest = max((fm.horizontalAdvance(w) for w in text.split()), default=0)
        if widest > room.width() + TOLERANCE:
            return f"a word is {widest} px wide in {room.width()} px"
        needed = lab.heightForWidth(lab.width())
        if needed > lab.height() + TOLERANCE:
            return f"needs {needed} px of height, has {lab.height()}"
        return ""
    lines = text.split("\n")
    wide = max(fm.horizontalAdvance(line) for line in lines)
    tall = fm.height() + (len(lines) - 1) * fm.lineSpacing()
    if wide > room.width() + TOLERANCE:
        return f"text is {wide} px wide in {room.width()} px"
    if tall > room.height() + TOLERANCE:
        return f"text is {tall} px tall in {room.height()} px"
    return ""


def _button_problem(button: QAbstractButton) -> str:
    if isinstance(button, TouchButton):
        room = button.text_width(button.width())
        fm = button.fontMetrics()
        lines = button.lines()
        wide = max((fm.horizontalAdvance(x) for x in lines), default=0)
        if wide > room + TOLERANCE:
            return f"a line is {wide} px wide in {room} px"
        needed = button.heightForWidth(button.width())
        if needed > button.height() + TOLERANCE:
            return f"needs {needed} px of height, has {button.height()}"
        return ""
    if isinstance(button, (QPushButton, QToolButton)) and button.text():
        hint = button.sizeHint()
        if hint.width() > button.width() + TOLERANCE or hint.height() > button.height() + TOLERANCE:
            return f"needs {hint.width()}x{hint.height()}, has {button.width()}x{button.height()}"
    return ""


def _field_problem(widget: QWidget) -> str:
    if isinstance(widget, QLineEdit):
        needed = widget.sizeHint().height()
        if needed > widget.height() + TOLERANCE:
            return f"needs {needed} px of height for its text, has {widget.height()}"
    if isinstance(widget, QPlainTextEdit):
        line = widget.fontMetrics().lineSpacing()
        if widget.viewport().height() < line:
            return f"shows less than one line ({widget.viewport().height()} < {line} px)"
    return ""


def clipped(root: QWidget, _metrics: Metrics) -> list[Finding]:
    out = []
    for w in shown(root):
        problem = ""
        if isinstance(w, QLabel):
            problem = _label_problem(w)
        elif isinstance(w, QAbstractButton):
            problem = _button_problem(w)
        elif isinstance(w, (QLineEdit, QPlainTextEdit)):
            problem = _field_problem(w)
        if not problem and not is_overlay(w) and not _in_scroll_content(w):
            parent = w.parentWidget()
            if parent is not None and not parent.rect().adjusted(
                -TOLERANCE, -TOLERANCE, TOLERANCE, TOLERANCE
            ).contains(w.geometry()):
                problem = (f"{w.geometry().getRect()} pokes out of its parent "
                           f"{parent.rect().getRect()}")
        if problem:
            out.append(Finding("clipped", describe(w), problem))
    return out


# ---------------------------------------------------------------------------- overlap


def overlap(root: QWidget, _metrics: Metrics) -> list[Finding]:
    out = []
    for parent in [root, *shown(root)]:
        children = [
            c for c in parent.findChildren(QWidget,
                                           options=Qt.FindChildOption.FindDirectChildrenOnly)
            if c.isVisible() and not c.isWindow() and not is_overlay(c)
        ]
        if isinstance(parent, QLineEdit | QPlainTextEdit):  # the counter inside the box
            continue
        for i, a in enumerate(children):
            for b in children[i + 1:]:
                common = a.geometry().intersected(b.geometry())
                if common.width() > TOLERANCE and common.height() > TOLERANCE:
                    out.append(Finding("overlap", describe(a), f"covers {describe(b)} by "
                                       f"{common.width()}x{common.height()} px"))
    return out


# ---------------------------------------------------------------------------- targets


def targets(root: QWidget) -> list[QWidget]:
    """What a person can tap: buttons and text boxes; only the panel's while a panel covers
    the window ("¿Sigue ahí?")."""
    widgets = shown(root)
    panels = [w for w in widgets if w.objectName() == "IdlePanel"]
    if panels:
        widgets = [w for w in widgets if panels[0].isAncestorOf(w)]
    return [w for w in widgets if isinstance(w, (QAbstractButton, QLineEdit, QPlainTextEdit))]


def small(root: QWidget, metrics: Metrics) -> list[Finding]:
    floor = max(metrics.minimum, metrics.touch) - TOLERANCE
    out = []
    for t in targets(root):
        if min(t.width(), t.height()) < floor:
            out.append(Finding("small", describe(t), f"{t.width()}x{t.height()} px = "
                               f"{metrics.to_mm(t.width()):.1f}x{metrics.to_mm(t.height()):.1f} mm "
                               f"(at least {metrics.touch_mm:.1f} mm on this screen)"))
    return out


def distance(a: QRect, b: QRect) -> float:
    dx = max(0, b.left() - a.right() - 1, a.left() - b.right() - 1)
    dy = max(0, b.top() - a.bottom() - 1, a.top() - b.bottom() - 1)
    return math.hypot(dx, dy)


def crowded(root: QWidget, metrics: Metrics) -> list[Finding]:
    floor = metrics.gap - TOLERANCE
    seen = [(t, visible_rect(t)) for t in targets(root)]
    seen = [(t, r) for t, r in seen if not r.isEmpty()]
    out = []
    for i, (a, ra) in enumerate(seen):
        for b, rb in seen[i + 1:]:
            if a.isAncestorOf(b) or b.isAncestorOf(a):
                continue
            gap = distance(ra, rb)
            if gap < floor:
                out.append(Finding("crowded", describe(a), f"{gap:.0f} px from {describe(b)} "
                                   f"(at least {metrics.gap} px = 3 mm)"))
    return out


# ---------------------------------------------------------------------------- reachable


def _pane_of(widget: QWidget) -> ScrollPane | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, ScrollPane):
            return parent
        parent = parent.parentWidget()
    return None


def _cue_shown(button: QWidget) -> bool:
    return button.isVisible() and button.isEnabled()


def unreachable(root: QWidget, _metrics: Metrics) -> list[Finding]:
    out = []
    window = root.rect()
    for t in targets(root):
        full = window_rect(t)
        seen = visible_rect(t)
        if seen == full.intersected(window) and window.contains(full):
            continue  # all of it in view
        pane = _pane_of(t)
        if pane is None:
            out.append(Finding("unreachable", describe(t), f"{full.getRect()} is cut off "
                               f"(visible {seen.getRect()}) with no way to scroll to it"))
            continue
        view = visible_rect(pane.area.viewport())
        below = full.bottom() > view.bottom()
        above = full.top() < view.top()
        if (below and not _cue_shown(pane.down_button)) or (
            above and not _cue_shown(pane.up_button)
        ):
            out.append(Finding("unreachable", describe(t), "outside its scroll view and no "
                               f"{'Ver más' if below else 'Subir'} shown"))
    return out


# ---------------------------------------------------------------------------- glyphs


def _texts(w: QWidget) -> Iterable[str]:
    if isinstance(w, (QLabel, QAbstractButton, QLineEdit)):
        yield w.text()
    elif isinstance(w, QPlainTextEdit):
        yield w.toPlainText()


def glyphs(root: QWidget, _metrics: Metrics) -> list[Finding]:
    out = []
    for w in shown(root):
        raw = QRawFont.fromFont(w.font())  # the font itself, not the fallbacks Qt would try
        for text in _texts(w):
            missing = sorted(
                {ch for ch in text if ch.strip() and not raw.supportsCharacter(ord(ch))})
            if missing:
                out.append(Finding("glyph", describe(w), "the font has no "
                                   + " ".join(f"U+{ord(c):04X}" for c in missing)))
    return out


CHECKS: tuple[Callable[[QWidget, Metrics], list[Finding]], ...] = (
    clipped, overlap, small, crowded, unreachable, glyphs,
)


def check_screen(root: QWidget, metrics: Metrics) -> list[Finding]:
    findings: list[Finding] = []
    for check in CHECKS:
        findings += check(root, metrics)
    return findings


def scroll_panes(root: QWidget) -> list[ScrollPane]:
    return [p for p in root.findChildren(ScrollPane) if p.isVisible()]


def scroll_areas(root: QWidget) -> list[QAbstractScrollArea]:
    return [a for a in root.findChildren(QAbstractScrollArea) if a.isVisible()]
