"""Small touch widgets shared by the screens: big buttons, faces, QR codes, text fields."""

import unicodedata
from collections.abc import Callable

from PySide6 import QtCore
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSize, Signal
from PySide6.QtGui import (
    QColor,
    QIcon,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.base import NO_FOCUS as NO_FOCUS  # re-exported: every small widget is here
from kiosk.ui.base import PLAIN_TEXT as PLAIN_TEXT
from kiosk.ui.base import TouchButton as TouchButton
from kiosk.ui.base import big_button as big_button
from kiosk.ui.base import label, set_role
from kiosk.ui.metrics import Metrics
from kiosk.ui.scrolling import ScrollPane as ScrollPane
from kiosk.ui.scrolling import enable_kinetic_scrolling as enable_kinetic_scrolling
from kiosk.ui.scrolling import kinetic_scroll_area as kinetic_scroll_area
from kiosk.ui.wording.problems import problem_text
from trato.domain import validators
from trato.domain.validators import Check, Problem, strip_emoji, validate_free_text

#: The keyboard layer a validated field gets (``kiosk.ui.keyboard``): digits only for numbers,
#: the e-mail layer for an address. It wins over the layer a caller names generically.
VALIDATOR_LAYERS: dict[Callable[[str], Check], str] = {
    validators.validate_nss: "numeric",
    validators.validate_phone: "numeric",
    validators.validate_postal_code: "numeric",
    validators.validate_email: "email",
    validators.validate_curp: "code",
}
#: The same by the validator's name, for validators of modules the screens load later
#: (``kiosk.services.lookup.validate_folio``: digits and capitals).
VALIDATOR_LAYERS_BY_NAME: dict[str, str] = {"validate_folio": "code"}


def restyle(widget: QWidget) -> None:
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


# --- faces -------------------------------------------------------------------------------

#: Mouth curvature per face: -1 a deep frown .. +1 a wide smile.
FACE_CURVE = {"very_bad": -1.0, "bad": -0.5, "neutral": 0.0, "good": 0.5, "very_good": 1.0}


def face_pixmap(face: str, size: int, fill: str, stroke: str) -> QPixmap:
    """Draw one face of the five-point scale (a pictogram; the label says it in words)."""
    pix = QPixmap(size, size)
    pix.fill(QtCore.Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    width = max(2.0, size / 22)
    pen = QPen(QColor(stroke), width, QtCore.Qt.PenStyle.SolidLine, QtCore.Qt.PenCapStyle.RoundCap)
    p.setPen(pen)
    p.setBrush(QColor(fill))
    m = width
    p.drawEllipse(QRectF(m, m, size - 2 * m, size - 2 * m))
    p.setBrush(QColor(stroke))
    eye = size * 0.075
    for x in (0.35, 0.65):
        p.drawEllipse(QPointF(size * x, size * 0.38), eye, eye)
    curve = FACE_CURVE.get(face, 0.0)
    path = QPainterPath()
    y = size * 0.66 - curve * size * 0.05
    path.moveTo(size * 0.3, y)
    path.quadTo(QPointF(size * 0.5, y + curve * size * 0.22), QPointF(size * 0.7, y))
    p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
    p.drawPath(path)
    if curve <= -1.0:  # brows for "muy mal"
        p.drawLine(QPointF(size * 0.26, size * 0.25), QPointF(size * 0.42, size * 0.30))
        p.drawLine(QPointF(size * 0.74, size * 0.25), QPointF(size * 0.58, size * 0.30))
    p.end()
    return pix


class FaceButton(QToolButton):
    """One point of the face scale, a big target: the pictogram above its label in a row of
    five, or beside it in a column on a portrait screen (five faces side by side would leave
    each too narrow for its label)."""

    def __init__(self, value: int, face: str, text: str, metrics: Metrics) -> None:
        super().__init__()
        self.value = value
        self.face = face
        self.setText(text)
        self.setCheckable(True)
        set_role(self, "face")
        if metrics.portrait:
            self.setToolButtonStyle(QtCore.Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            self._icon_size = metrics.mm(26)
            self.setMinimumSize(metrics.mm(42), metrics.mm(32))
        else:
            self.setToolButtonStyle(QtCore.Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            self._icon_size = metrics.mm(38 * metrics.fit + 30 * (1 - metrics.fit))
            self.setMinimumSize(metrics.mm(36), metrics.mm(50))
            self.setMaximumHeight(metrics.mm(66))
        self.setIconSize(QSize(self._icon_size, self._icon_size))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.apply_colours("#FFFFFF", "#141414")

    def apply_colours(self, fill: str, stroke: str) -> None:
        self.setIcon(QIcon(face_pixmap(self.face, self._icon_size, fill, stroke)))


# --- QR codes ----------------------------------------------------------------------------


def qr_image(data: str, module_px: int = 8) -> QImage:
    """Render ``data`` as a QR code (dark modules on white, with the quiet zone)."""
    import qrcode  # imported on first use: keeps it out of the start-up path

    code = qrcode.QRCode(border=4, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    n = len(matrix)
    image = QImage(n * module_px, n * module_px, QImage.Format.Format_RGB32)
    image.fill(QColor("#FFFFFF"))
    p = QPainter(image)
    p.setPen(QtCore.Qt.PenStyle.NoPen)
    p.setBrush(QColor("#000000"))
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                p.drawRect(x * module_px, y * module_px, module_px, module_px)
    p.end()
    return image


class QrLabel(QLabel):
    """Shows a QR code scaled to ``side`` pixels; always dark on white so phones can read it."""

    def __init__(self, side: int) -> None:
        super().__init__()
        self._side = side
        self.setFixedSize(side, side)
        self.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.data = ""

    def set_data(self, data: str) -> None:
        self.data = data
        if not data:
            self.clear()
            return
        image = qr_image(data)
        self.setPixmap(
            QPixmap.fromImage(image).scaled(
                self._side,
                self._side,
                QtCore.Qt.AspectRatioMode.KeepAspectRatio,
                QtCore.Qt.TransformationMode.FastTransformation,
            )
        )


# --- text entry --------------------------------------------------------------------------


def _strip_unstorable(text: str) -> str:
    return "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs")
    )


class TextField(QWidget):
    """A text box with a visible limit ("120 / 4000"), sanitising and validation as typed.

    Free text accepts any script and right-to-left text exactly as typed; control
    characters, lone surrogates and emoji (the bundled font cannot draw them: they would
    show as empty boxes) are removed and text beyond ``max_length`` is cut, each with a plain
    message. With a ``validator`` (NSS, CURP, phone, postal code, e-mail) the message says
    what is missing as the person types, and the field asks the on-screen keyboard for its
    layer (:data:`VALIDATOR_LAYERS`: digits only, or the e-mail layer).

    Signals: ``changed(str)`` with the accepted text after every edit.
    """

    changed = Signal(str)
    activated = Signal(QWidget)

    def __init__(
        self,
        metrics: Metrics,
        *,
        max_length: int,
        multiline: bool = False,
        validator: Callable[[str], Check] | None = None,
        keyboard_layer: str = "letters",
        counter: bool = True,
        password: bool = False,
    ) -> None:
        super().__init__()
        self.metrics = metrics
        self.max_length = max_length
        self.validator = validator
        self._accepted = ""
        self._adjusting = False
        self._counter_shown = counter
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(metrics.mm(1))
        self.editor: QLineEdit | QPlainTextEdit
        if multiline:
            self.editor = QPlainTextEdit()
            self.editor.setTabChangesFocus(True)
            enable_kinetic_scrolling(self.editor)
            self.editor.textChanged.connect(self._on_edit)
        else:
            self.editor = QLineEdit()
            self.editor.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            if password:
                self.editor.setEchoMode(QLineEdit.EchoMode.Password)
            self.editor.textChanged.connect(self._on_edit)
        layer = keyboard_layer
        if validator is not None:
            layer = VALIDATOR_LAYERS.get(validator) or VALIDATOR_LAYERS_BY_NAME.get(
                getattr(validator, "__name__", ""), keyboard_layer)
        self.editor.setProperty("keyboardLayer", layer)
        self.editor.installEventFilter(self)
        layout.addWidget(self.editor)
        # The counter sits inside the box (bottom right), the message under it: a field takes
        # no more height than its box and, when it validates as typed, one line of message.
        self.counter = label("", "counter", wrap=False)
        self.counter.setParent(self.editor)
        self.counter.setAttribute(QtCore.Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.counter.setVisible(counter)
        self._counter_shown = counter
        self.message = label("", "message")
        self.message.setProperty("tone", "info")
        self.message.setVisible(validator is not None)
        layout.addWidget(self.message)
        self._fit_editor()
        self._update_counter()

    # -- public -----------------------------------------------------------------------------
    def text(self) -> str:
        return self._accepted

    def set_text(self, text: str) -> None:
        self._set_editor_text(text)
        self._on_edit()

    def clear(self) -> None:
        self._set_editor_text("")
        self._accepted = ""
        self._show_message("", info=True)
        self._update_counter()

    def is_valid(self) -> bool:
        if self.validator is None or not self._accepted.strip():
            return True
        return self.validator(self._accepted).ok

    def value(self) -> str:
        """The normalised value (validator output) or the accepted text."""
        if self.validator is not None and self._accepted.strip():
            check = self.validator(self._accepted)
            if check.ok:
                return check.value
        return self._accepted

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self.editor:
            kind = event.type()
            if kind in (QEvent.Type.FocusIn, QEvent.Type.MouseButtonPress):
                self.activated.emit(self.editor)
            elif kind in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
                self._fit_editor()
            elif kind == QEvent.Type.Resize:
                self._place_counter()
        return False

    def _place_counter(self) -> None:
        """Bottom right inside the box; the text keeps clear of it."""
        if not self._counter_shown:
            return
        self.counter.adjustSize()
        size = self.counter.sizeHint()
        inset = self.metrics.mm(2)
        editor = self.editor
        x = editor.width() - size.width() - inset
        if isinstance(editor, QPlainTextEdit):
            y = editor.height() - size.height() - inset // 2
            editor.setViewportMargins(0, 0, 0, size.height())
        else:
            y = (editor.height() - size.height()) // 2
            editor.setTextMargins(0, 0, size.width() + inset, 0)
        self.counter.setGeometry(x, y, size.width(), size.height())

    def _fit_editor(self) -> None:
        """Tall enough for its font (it grows with "Texto grande") and for a finger: one line,
        or two for free text (which scrolls inside), never under the screen's target size."""
        multiline = isinstance(self.editor, QPlainTextEdit)
        frame = 2 * self.metrics.mm(2.5)  # border and padding of the stylesheet, both sides
        height = (2 if multiline else 1) * self.editor.fontMetrics().lineSpacing() + frame
        if multiline and self._counter_shown:
            height += self.counter.sizeHint().height()
        self.editor.setMinimumHeight(max(self.metrics.touch, height))

    # -- internals --------------------------------------------------------------------------
    def _raw(self) -> str:
        if isinstance(self.editor, QPlainTextEdit):
            return self.editor.toPlainText()
        return self.editor.text()

    def _set_editor_text(self, text: str) -> None:
        self._adjusting = True
        try:
            if isinstance(self.editor, QPlainTextEdit):
                self.editor.setPlainText(text)
                self.editor.moveCursor(self.editor.textCursor().MoveOperation.End)
            else:
                self.editor.setText(text)
        finally:
            self._adjusting = False

    def _on_edit(self) -> None:
        if self._adjusting:
            return
        raw = self._raw()
        problem: Problem | None = None
        text = raw
        check = validate_free_text(text, max_length=max(self.max_length, len(text)),
                                   allow_emoji=False)
        if not check.ok and check.problem is not None:  # control characters, surrogates, emoji
            problem = check.problem
            text = strip_emoji(_strip_unstorable(text))
        if len(text) > self.max_length:
            problem = validate_free_text(text, max_length=self.max_length).problem
            text = text[: self.max_length]
        if text != raw:
            self._set_editor_text(text)
        self._accepted = text
        self._update_counter()
        if problem is not None:
            self._show_message(problem_text(problem), info=False)
        elif self.validator is not None and text.strip():
            vcheck = self.validator(text)
            if vcheck.ok:
                self._show_message("", info=True)
            else:
                assert vcheck.problem is not None
                progress = vcheck.problem.code.endswith("_too_short")
                self._show_message(problem_text(vcheck.problem), info=progress)
        else:
            self._show_message("", info=True)
        self.changed.emit(self._accepted)

    def _show_message(self, text: str, *, info: bool) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text) or self.validator is not None)
        tone = "info" if info else "error"
        if self.message.property("tone") != tone:
            self.message.setProperty("tone", tone)
            restyle(self.message)
        invalid = bool(text) and not info
        if bool(self.editor.property("invalid")) != invalid:
            self.editor.setProperty("invalid", invalid)
            restyle(self.editor)

    def _update_counter(self) -> None:
        self.counter.setText(f"{len(self._accepted)} / {self.max_length}")
        self._place_counter()
