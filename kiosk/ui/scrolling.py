"""Scrolling for fingers: a kinetic scroll area with a visible, touch-sized way to what is
below (:class:`ScrollPane`), never a thin desktop scroll bar."""

import shiboken6
from PySide6 import QtCore
from PySide6.QtCore import Property, QEvent, QObject, QRectF, QSize, Signal
from PySide6.QtGui import QColor, QLinearGradient, QPainter
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QFrame,
    QScrollArea,
    QScroller,
    QScrollerProperties,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.base import TouchButton, set_role
from kiosk.ui.metrics import MM_PER_INCH, REFERENCE_DPI, Metrics


def kinetic_scroll_area(content: QWidget, metrics: Metrics | None = None) -> "ScrollPane":
    """``content`` in a :class:`ScrollPane` (kinetic, with a visible way to the rest)."""
    return ScrollPane(content, metrics or Metrics(px_per_mm=REFERENCE_DPI / MM_PER_INCH))


def enable_kinetic_scrolling(area: QAbstractScrollArea) -> None:
    """Follow a finger, or the left mouse button a touch panel emulates."""
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    scroller = QScroller.scroller(area.viewport())
    props = scroller.scrollerProperties()
    off = QScrollerProperties.OvershootPolicy.OvershootAlwaysOff
    props.setScrollMetric(QScrollerProperties.ScrollMetric.HorizontalOvershootPolicy, off)
    props.setScrollMetric(QScrollerProperties.ScrollMetric.VerticalOvershootPolicy, off)
    # A tap reaches the answer at once (pressed look, no lag); a drag still scrolls and
    # cancels the press, so a flick over an answer never chooses it.
    props.setScrollMetric(QScrollerProperties.ScrollMetric.MousePressEventDelay, 0.0)
    scroller.setScrollerProperties(props)


class ScrollFade(QWidget):
    """A band fading into the background at the bottom of a view while more is below; taps
    go through it. Its colour comes from the stylesheet (``qproperty-tint``)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("ScrollFade")
        self.setAttribute(QtCore.Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._tint = QColor("#F2F4F1")

    def _get_tint(self) -> QColor:
        return self._tint

    def _set_tint(self, colour: QColor) -> None:
        self._tint = QColor(colour)
        self.update()

    tint = Property(QColor, _get_tint, _set_tint)

    def paintEvent(self, _event: QEvent) -> None:  # noqa: N802 - Qt API
        gradient = QLinearGradient(0, 0, 0, self.height())
        clear = QColor(self._tint)
        clear.setAlpha(0)
        gradient.setColorAt(0.0, clear)
        gradient.setColorAt(1.0, self._tint)
        painter = QPainter(self)
        painter.fillRect(self.rect(), gradient)
        painter.end()


class ScrollPosition(QWidget):
    """Where the view is in the content: a thick track and thumb between the cue buttons
    (drawn only; the buttons and the finger do the scrolling)."""

    def __init__(self, area: QScrollArea, width: int) -> None:
        super().__init__()
        self.setObjectName("ScrollPosition")
        self._bar = area.verticalScrollBar()
        self.setFixedWidth(width)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self._bar.valueChanged.connect(self.update)
        self._bar.rangeChanged.connect(self.update)

    def paintEvent(self, _event: QEvent) -> None:  # noqa: N802 - Qt API
        bar = self._bar
        total = bar.maximum() - bar.minimum() + bar.pageStep()
        if total <= 0:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = self.palette().color(self.foregroundRole())
        track = QColor(colour)
        track.setAlpha(50)
        radius = self.width() / 2
        painter.setPen(QtCore.Qt.PenStyle.NoPen)
        painter.setBrush(track)
        painter.drawRoundedRect(QRectF(self.rect()), radius, radius)
        length = max(self.width() * 2, self.height() * bar.pageStep() / total)
        span = self.height() - length
        offset = span * (bar.value() - bar.minimum()) / max(1, bar.maximum() - bar.minimum())
        painter.setBrush(colour)
        painter.drawRoundedRect(QRectF(0, offset, self.width(), length), radius, radius)
        painter.end()


class ScrollPane(QWidget):
    """``content`` in a kinetic scroll area with no thin desktop scroll bar. When the content
    is taller than the view, a gutter on the right shows touch-sized "Subir" and "Ver más"
    buttons with the position between them, and a fade at the bottom while more is below.

    :meth:`ensure_visible` scrolls a widget into view (the focused field, above the
    keyboard); a resize keeps the focused field in view.

    Signals: ``viewport_resized(QSize)`` with the size of the visible area.
    """

    viewport_resized = Signal(QSize)

    def __init__(self, content: QWidget, metrics: Metrics, *, cues_on_top: bool = False) -> None:
        """``cues_on_top``: "Subir" and "Ver más" together at the top of the gutter (a receipt
        keeps every button away from the bottom, where "Enviar" was)."""
        super().__init__()
        self.metrics = metrics
        self.content = content
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.area.setFrameShape(QFrame.Shape.NoFrame)
        off = QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        self.area.setHorizontalScrollBarPolicy(off)
        self.area.setVerticalScrollBarPolicy(off)
        self.area.setWidget(content)
        enable_kinetic_scrolling(self.area)
        # No layout of its own: the view and the gutter are placed in _arrange(), at once, so
        # a gutter shown while its page is hidden never ends up without a width.
        self.area.setParent(self)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.gutter = QWidget(self)
        self.gutter.setObjectName("ScrollGutter")
        column = QVBoxLayout(self.gutter)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(metrics.gap)
        self.up_button = self._cue(self.tr("Subir"), "up")
        self.down_button = self._cue(self.tr("Ver más"), "down")
        self.up_button.clicked.connect(lambda: self.page(-1))
        self.down_button.clicked.connect(lambda: self.page(+1))
        position = ScrollPosition(self.area, metrics.mm(3))
        centre = QtCore.Qt.AlignmentFlag.AlignHCenter
        if cues_on_top:
            column.addWidget(self.up_button)
            column.addWidget(self.down_button)
            column.addWidget(position, 1, centre)
        else:
            column.addWidget(self.up_button)
            column.addWidget(position, 1, centre)
            column.addWidget(self.down_button)
        self.gutter.hide()
        self.fade = ScrollFade(self.area.viewport())
        self.fade.hide()
        bar = self.area.verticalScrollBar()
        bar.rangeChanged.connect(self._update)
        bar.valueChanged.connect(self._update)
        self.area.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Resize and watched is self.area.viewport():
            self._place_fade()
            self.viewport_resized.emit(self.area.viewport().size())
            QtCore.QTimer.singleShot(0, self, self._sync_content)
        return False

    def _sync_content(self) -> None:
        """Lay the content out for its present size. (Resized by the scroll area while its
        layout was waiting to be redone, Qt may keep the layout of its previous width: text
        would then reach past the view's edge.)"""
        layout = self.content.layout()
        if layout is not None and layout.geometry() != self.content.rect():
            layout.invalidate()
            layout.activate()

    def _cue(self, text: str, pictogram: str) -> TouchButton:
        button = TouchButton(text, pictogram=pictogram, pictogram_px=self.metrics.mm(6))
        set_role(button, "cue")
        button.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        button.setMinimumSize(self.metrics.touch, self.metrics.touch)
        button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        button.setAutoDefault(False)
        return button

    @property
    def more_below(self) -> bool:
        bar = self.area.verticalScrollBar()
        return bar.value() < bar.maximum()

    @property
    def more_above(self) -> bool:
        bar = self.area.verticalScrollBar()
        return bar.value() > bar.minimum()

    def page(self, direction: int) -> None:
        """Scroll by most of a view, up (-1) or down (+1)."""
        bar = self.area.verticalScrollBar()
        step = max(1, round(self.area.viewport().height() * 0.8))
        target = max(bar.minimum(), min(bar.maximum(), bar.value() + direction * step))
        bar.setValue(target)

    def ensure_visible(self, widget: QWidget) -> None:
        """Scroll ``widget`` into view: all of it, or its top if it is taller than the view."""
        if not shiboken6.isValid(widget) or not self.content.isAncestorOf(widget):
            return
        margin = self.metrics.gap
        top = widget.mapTo(self.content, widget.rect().topLeft()).y()
        if widget.height() + 2 * margin > self.area.viewport().height():
            self.area.verticalScrollBar().setValue(top - margin)
        else:
            self.area.ensureWidgetVisible(widget, 0, margin)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """As short as one cue button: below two, only the one that applies is shown."""
        width = self.area.minimumSizeHint().width() + self.metrics.gap + self._gutter_width()
        return QSize(width, self.metrics.touch)

    def _update(self) -> None:
        bar = self.area.verticalScrollBar()
        scrolls = bar.maximum() > bar.minimum()
        if scrolls == self.gutter.isHidden():  # its own state: the page may be hidden now
            self.gutter.setVisible(scrolls)
            self._arrange()
        self.up_button.setEnabled(self.more_above)
        self.down_button.setEnabled(self.more_below)
        width = self.up_button.width() or self.metrics.touch
        need = sum(b.heightForWidth(width) for b in (self.up_button, self.down_button))
        both = self.height() >= need + 2 * self.metrics.gap
        self.up_button.setVisible(both or (self.more_above and not self.more_below))
        self.down_button.setVisible(both or self.more_below or not self.more_above)
        self.fade.setVisible(self.more_below)
        self._place_fade()

    def _gutter_width(self) -> int:
        return max(self.gutter.minimumSizeHint().width(), self.gutter.sizeHint().width())

    def _arrange(self) -> None:
        """The view takes the width the gutter (when shown) leaves."""
        width, height = self.width(), self.height()
        if self.gutter.isHidden():
            self.area.setGeometry(0, 0, width, height)
            return
        side = self._gutter_width()
        self.area.setGeometry(0, 0, max(0, width - side - self.metrics.gap), height)
        self.gutter.setGeometry(width - side, 0, side, height)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        hint = self.area.sizeHint()
        if not self.gutter.isHidden():
            hint.setWidth(hint.width() + self._gutter_width() + self.metrics.gap)
        return hint

    def _place_fade(self) -> None:
        viewport = self.area.viewport()
        height = min(self.metrics.mm(10), viewport.height() // 4)
        self.fade.setGeometry(0, viewport.height() - height, viewport.width(), height)
        self.fade.raise_()

    def resizeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._arrange()
        self._update()
        focused = QApplication.focusWidget()
        if focused is not None and self.content.isAncestorOf(focused):
            # The keyboard came up, or the screen turned: keep the field being typed in.
            QtCore.QTimer.singleShot(0, self, lambda: self.ensure_visible(focused))
