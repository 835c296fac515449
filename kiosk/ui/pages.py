"""The screens of the kiosk: one question per screen, big targets, no database access.

Every page documents its signals; :class:`kiosk.ui.window.KioskWindow` listens and decides
where to go next. ``reset()`` wipes whatever a person chose or typed on that page.
"""

from collections.abc import Sequence

from PySide6 import QtCore
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.assets import Instrument
from kiosk.ui.base import AttractPage, Page
from kiosk.ui.metrics import Metrics
from kiosk.ui.widgets import (
    FaceButton,
    QrLabel,
    TextField,
    big_button,
    kinetic_scroll_area,
    label,
    restyle,
    set_role,
)

CHECK_MARK = "✓ "


class SingleChoicePage(Page):
    """One question, one tap: the answer is marked for a moment, then the flow moves on.

    Signals: ``chosen(str)`` with the choice code, ``confirm_ms`` after the tap.
    """

    chosen = Signal(str)

    def __init__(
        self,
        metrics: Metrics,
        question: str,
        choices: Sequence[tuple[str, str]],
        *,
        hint: str = "",
        columns: int = 1,
        confirm_ms: int = 350,
        button_mm: float = 0.0,
    ) -> None:
        super().__init__(metrics, question, hint)
        self.confirm_ms = confirm_ms
        self.buttons: dict[str, QPushButton] = {}
        self._labels: dict[str, str] = {}
        self._pending: str | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._emit)
        box = QWidget()
        self.grid = QGridLayout(box)
        self.grid.setContentsMargins(0, 0, metrics.mm(2), 0)
        self.grid.setSpacing(metrics.gap * 2)
        for i, (code, text) in enumerate(choices):
            button = big_button(text, metrics, "choice", checkable=True)
            if button_mm:
                button.setMinimumHeight(metrics.mm(button_mm))
            button.clicked.connect(lambda _=False, c=code: self.choose(c))
            self.buttons[code] = button
            self._labels[code] = text
            self.grid.addWidget(button, i // columns, i % columns)
        self.grid.setRowStretch(len(choices) // columns + 1, 1)
        self.root.addWidget(kinetic_scroll_area(box), 1)

    def choose(self, code: str) -> None:
        if self._pending is not None or code not in self.buttons or not self.isVisible():
            return
        self._pending = code
        self.mark(code)
        self._timer.start(self.confirm_ms)

    def mark(self, code: str | None) -> None:
        for c, button in self.buttons.items():
            selected = c == code
            button.setChecked(selected)
            button.setText(CHECK_MARK + self._labels[c] if selected else self._labels[c])

    def _emit(self) -> None:
        code, self._pending = self._pending, None
        if code is not None and self.isVisible():  # not if "Atrás" came first
            self.chosen.emit(code)

    def reset(self) -> None:
        self._timer.stop()
        self._pending = None
        self.mark(None)


class MultiChoicePage(Page):
    """Several answers may be marked (up to ``max_choices``), then "Continuar".

    Signals: ``done(tuple)`` with the marked codes in catalogue order.
    """

    done = Signal(tuple)

    def __init__(
        self,
        metrics: Metrics,
        continue_text: str,
        *,
        allow_empty: bool,
        columns: int = 2,
    ) -> None:
        super().__init__(metrics)
        self.allow_empty = allow_empty
        self.columns = columns
        self.max_choices = 6
        self.buttons: dict[str, QPushButton] = {}
        self._labels: dict[str, str] = {}
        box = QWidget()
        self.grid = QGridLayout(box)
        self.grid.setContentsMargins(0, 0, metrics.mm(2), 0)
        self.grid.setSpacing(metrics.gap * 2)
        self.root.addWidget(kinetic_scroll_area(box), 1)
        self.continue_button = big_button(continue_text, metrics, "primary")
        self.continue_button.clicked.connect(self._finish)
        self.root.addWidget(self.continue_button)

    def set_choices(
        self, question: str, choices: Sequence[tuple[str, str]], max_choices: int, hint: str = ""
    ) -> None:
        self.set_question(question, hint)
        for button in self.buttons.values():
            self.grid.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.buttons = {}
        self._labels = {}
        self.max_choices = max_choices
        for i, (code, text) in enumerate(choices):
            button = big_button(text, self.metrics, "choice", checkable=True)
            self._labels[code] = text
            button.toggled.connect(self._update)
            self.buttons[code] = button
            self.grid.addWidget(button, i // self.columns, i % self.columns)
        self._update()

    def selected(self) -> tuple[str, ...]:
        return tuple(c for c, b in self.buttons.items() if b.isChecked())

    def set_selected(self, codes: Sequence[str]) -> None:
        for c, b in self.buttons.items():
            b.setChecked(c in codes)

    def _update(self) -> None:
        chosen = self.selected()
        full = len(chosen) >= self.max_choices
        for code, b in self.buttons.items():
            b.setEnabled(b.isChecked() or not full)
            b.setText((CHECK_MARK if b.isChecked() else "") + self._labels[code])
        self.continue_button.setEnabled(self.allow_empty or bool(chosen))

    def _finish(self) -> None:
        if self.continue_button.isEnabled() and self.isVisible():
            self.done.emit(self.selected())

    def reset(self) -> None:
        for b in self.buttons.values():
            b.setChecked(False)
        self._update()


class RatingPage(Page):
    """The headline question on a five-face scale plus "prefiero no responder".

    Signals: ``rated(object)`` with 1..5 or ``None`` (declined), after a short confirmation.
    """

    rated = Signal(object)

    def __init__(self, metrics: Metrics, instrument: Instrument, confirm_ms: int = 350) -> None:
        super().__init__(metrics, instrument.headline)
        self.confirm_ms = confirm_ms
        self._pending: tuple[int | None] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._emit)
        row = QHBoxLayout()
        row.setSpacing(metrics.gap * 3)
        self.faces: dict[int, FaceButton] = {}
        for point in instrument.scale:
            button = FaceButton(point.value, point.face, point.label, metrics)
            button.clicked.connect(lambda _=False, v=point.value: self.rate(v))
            self.faces[point.value] = button
            row.addWidget(button)
        self.root.addStretch(1)
        self.root.addLayout(row)
        self.root.addStretch(1)
        self.decline = big_button(instrument.decline_label, metrics, "choice", checkable=True)
        self.decline.clicked.connect(lambda _=False: self.rate(None))
        self.root.addWidget(self.decline)

    def rate(self, value: int | None) -> None:
        if self._pending is not None or not self.isVisible():
            return
        self._pending = (value,)
        for v, b in self.faces.items():
            b.setChecked(v == value)
        self.decline.setChecked(value is None)
        self._timer.start(self.confirm_ms)

    def _emit(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None and self.isVisible():
            self.rated.emit(pending[0])

    def apply_colours(self, fill: str, stroke: str) -> None:
        for b in self.faces.values():
            b.apply_colours(fill, stroke)

    def reset(self) -> None:
        self._timer.stop()
        self._pending = None
        for b in self.faces.values():
            b.setChecked(False)
        self.decline.setChecked(False)


class TextPage(Page):
    """One free-text question with the on-screen keyboard and a visible limit.

    Signals: ``done(str)`` with the accepted text when "Continuar" (or "Enviar") is tapped.
    """

    done = Signal(str)
    wants_keyboard = True

    def __init__(
        self,
        metrics: Metrics,
        question: str,
        *,
        hint: str,
        max_length: int,
        continue_text: str,
        multiline: bool = True,
        required: bool = False,
    ) -> None:
        super().__init__(metrics, question, hint)
        self.required = required
        self.field = TextField(metrics, max_length=max_length, multiline=multiline)
        self.field.changed.connect(self._update)
        self.root.addWidget(self.field, 1 if multiline else 0)
        self.error = label("", "message")
        self.root.addWidget(self.error)
        self.error.hide()
        self.continue_button = big_button(continue_text, metrics, "primary")
        self.continue_button.clicked.connect(self._finish)
        self.root.addWidget(self.continue_button)
        if not multiline:
            self.root.addStretch(1)
        self._update()

    def _update(self) -> None:
        self.continue_button.setEnabled(not self.required or bool(self.field.text().strip()))

    def _finish(self) -> None:
        if self.continue_button.isEnabled() and self.isVisible():
            self.done.emit(self.field.text())

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def first_editor(self) -> QWidget | None:
        return self.field.editor

    def reset(self) -> None:
        self.field.clear()
        self.show_error("")
        self.continue_button.setEnabled(True)
        self._update()


class FormPage(Page):
    """A few related identification fields, validated as typed.

    Signals: ``done(dict)`` with normalised values by field key once every filled field is
    valid.
    """

    done = Signal(dict)
    wants_keyboard = True

    def __init__(
        self,
        metrics: Metrics,
        question: str,
        hint: str,
        fields: Sequence[tuple[str, str, TextField]],
        continue_text: str,
    ) -> None:
        super().__init__(metrics, question, hint)
        self.fields: dict[str, TextField] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(metrics.mm(4))
        grid.setVerticalSpacing(metrics.mm(1))
        for i, (key, caption, field) in enumerate(fields):
            cap = label(caption)
            cap.setAlignment(
                QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter
            )
            grid.addWidget(cap, i, 0, QtCore.Qt.AlignmentFlag.AlignTop)
            grid.addWidget(field, i, 1)
            field.changed.connect(self._update)
            self.fields[key] = field
        grid.setColumnStretch(1, 1)
        self.root.addLayout(grid)
        self.root.addStretch(1)
        self.continue_button = big_button(continue_text, metrics, "primary")
        self.continue_button.clicked.connect(self._finish)
        self.root.addWidget(self.continue_button)
        self._update()

    def _update(self) -> None:
        self.continue_button.setEnabled(all(f.is_valid() for f in self.fields.values()))

    def values(self) -> dict[str, str]:
        return {k: f.value().strip() for k, f in self.fields.items()}

    def _finish(self) -> None:
        if self.continue_button.isEnabled() and self.isVisible():
            self.done.emit(self.values())

    def first_editor(self) -> QWidget | None:
        return next(iter(self.fields.values())).editor if self.fields else None

    def reset(self) -> None:
        for f in self.fields.values():
            f.clear()
        self._update()


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


class ReviewPage(Page):
    """Everything the person is about to send, and the one "Enviar" button.

    Signals: ``submit_requested()`` once per tap; the window disables the button while it
    saves, so a second tap does nothing.
    """

    submit_requested = Signal()

    def __init__(self, metrics: Metrics, question: str, submit_text: str) -> None:
        super().__init__(metrics, question)
        box = QWidget()
        self.rows = QGridLayout(box)
        self.rows.setHorizontalSpacing(metrics.mm(5))
        self.rows.setVerticalSpacing(metrics.mm(2))
        self.rows.setColumnStretch(1, 1)
        card = QFrame()
        set_role(card, "card")
        inner = QVBoxLayout(card)
        inner.addWidget(kinetic_scroll_area(box))
        self.root.addWidget(card, 1)
        self.error = label("", "message")
        self.error.hide()
        self.root.addWidget(self.error)
        self.submit_button = big_button(submit_text, metrics, "primary")
        self.submit_button.clicked.connect(self._clicked)
        self.root.addWidget(self.submit_button)
        self._labels: list[QLabel] = []

    def set_rows(self, rows: Sequence[tuple[str, str]]) -> None:
        for lab in self._labels:
            self.rows.removeWidget(lab)
            lab.hide()
            lab.deleteLater()
        self.rows.setRowStretch(len(self._labels) // 2, 0)
        self._labels = []
        for i, (caption, value) in enumerate(rows):
            cap = label(caption, "steps")
            cap.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop | QtCore.Qt.AlignmentFlag.AlignLeft)
            val = label(value or "—")
            self.rows.addWidget(cap, i, 0, QtCore.Qt.AlignmentFlag.AlignTop)
            self.rows.addWidget(val, i, 1)
            self._labels += [cap, val]
        self.rows.setRowStretch(len(rows), 1)

    def row_texts(self) -> list[str]:
        return [lab.text() for lab in self._labels]

    def _clicked(self) -> None:
        if self.submit_button.isEnabled() and self.isVisible():
            self.submit_button.setEnabled(False)
            self.submit_requested.emit()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def reset(self) -> None:
        self.set_rows([])
        self.show_error("")
        self.submit_button.setEnabled(True)


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


class SurveyThanksPage(Page):
    """Thanks after a survey; a very bad rating also offers to file a complaint in one tap.

    Signals: ``finished()``; ``complaint_requested()``.
    """

    finished = Signal()
    complaint_requested = Signal()
    show_back = False

    def __init__(self, metrics: Metrics) -> None:
        super().__init__(metrics, self.tr("¡Gracias por su opinión!"))
        self.root.addWidget(
            label(self.tr("Su respuesta se guardó. Nos ayuda a mejorar el trato en esta unidad."))
        )
        self.offer = QFrame()
        set_role(self.offer, "card")
        offer_layout = QVBoxLayout(self.offer)
        offer_layout.setContentsMargins(metrics.mm(5), metrics.mm(4), metrics.mm(5), metrics.mm(4))
        offer_layout.addWidget(
            label(self.tr("Lamentamos que le haya ido muy mal. ¿Quiere presentar una queja?"))
        )
        self.complaint_button = big_button(self.tr("Sí, presentar una queja"), metrics, "primary")
        self.complaint_button.clicked.connect(self.complaint_requested)
        offer_layout.addWidget(self.complaint_button)
        self.root.addWidget(self.offer)
        self.root.addStretch(1)
        self.finish_button = big_button(self.tr("Terminar"), metrics)
        self.finish_button.clicked.connect(self.finished)
        self.root.addWidget(self.finish_button)
        self.offer.hide()

    def set_offer(self, offer: bool) -> None:
        self.offer.setVisible(offer)

    def reset(self) -> None:
        self.offer.hide()


class InfoPage(Page):
    """A page of plain information with one "Terminar" button. Signals: ``finished()``."""

    finished = Signal()

    def __init__(self, metrics: Metrics, question: str, text: str, finish_text: str) -> None:
        super().__init__(metrics, question)
        self.root.addWidget(label(text))
        self.root.addStretch(1)
        self.finish_button = big_button(finish_text, metrics, "primary")
        self.finish_button.clicked.connect(self.finished)
        self.root.addWidget(self.finish_button)


class PinPage(Page):
    """Staff PIN entry. Signals: ``pin_entered(str)``; ``cancelled()``."""

    pin_entered = Signal(str)
    cancelled = Signal()
    wants_keyboard = True
    in_session = False

    def __init__(self, metrics: Metrics) -> None:
        super().__init__(metrics, self.tr("Acceso del personal"), self.tr("Escriba su PIN"))
        self.field = TextField(
            metrics, max_length=12, keyboard_layer="numeric", counter=False, password=True
        )
        self.root.addWidget(self.field)
        self.error = label("", "message")
        self.root.addWidget(self.error)
        self.root.addStretch(1)
        self.enter_button = big_button(self.tr("Entrar"), metrics, "primary")
        self.enter_button.clicked.connect(lambda: self.pin_entered.emit(self.field.text()))
        self.root.addWidget(self.enter_button)

    def show_error(self, text: str) -> None:
        self.error.setText(text)

    def first_editor(self) -> QWidget | None:
        return self.field.editor

    def reset(self) -> None:
        self.field.clear()
        self.error.setText("")


def _clear(layout: QGridLayout | QVBoxLayout) -> None:
    """Remove every item of ``layout`` now (widgets are deleted at the next event loop)."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.setParent(None)  # type: ignore[call-overload]
            widget.deleteLater()


class StaffPage(Page):
    """Staff mode: the kiosk's sync state in plain Spanish, the records the server set aside
    and why, "Sincronizar ahora", "Reintentar apartados" and "Salir".

    Signals: ``exit()``, ``sync_requested()``, ``retry_requested()``. The wording comes from
    :mod:`kiosk.ui.sync_bridge`; this page only lays it out."""

    exit = Signal()
    sync_requested = Signal()
    retry_requested = Signal()
    show_back = False
    in_session = False

    def __init__(self, metrics: Metrics) -> None:
        super().__init__(metrics, self.tr("Modo del personal"))
        # Everything but the buttons scrolls, so large text never pushes them off the screen.
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(metrics.mm(4))
        self.status = label("")
        self.status.setObjectName("StaffSummary")
        column.addWidget(self.status)
        self.messages = label("", "message")
        self.messages.hide()
        column.addWidget(self.messages)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: a round has no known length
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName(self.tr("Enviando registros"))
        self.progress.hide()
        column.addWidget(self.progress)

        self.details = QFrame()
        set_role(self.details, "card")
        self._grid = QGridLayout(self.details)
        pad = metrics.mm(5)
        self._grid.setContentsMargins(pad, pad, pad, pad)
        self._grid.setHorizontalSpacing(metrics.mm(6))
        self._grid.setVerticalSpacing(metrics.mm(2))
        self._grid.setColumnStretch(1, 1)
        column.addWidget(self.details)

        self.aside_title = label(self.tr("Registros apartados por el servidor"), "heading")
        column.addWidget(self.aside_title)
        self.aside_hint = label(
            self.tr("Se conservan en el kiosco. Si soporte técnico corrigió la causa, "
                    "use «Reintentar apartados»."), "hint")
        column.addWidget(self.aside_hint)
        self.aside_box = QWidget()
        self._aside = QVBoxLayout(self.aside_box)
        self._aside.setContentsMargins(0, 0, 0, 0)
        self._aside.setSpacing(metrics.mm(3))
        column.addWidget(self.aside_box)
        column.addStretch(1)
        self.root.addWidget(kinetic_scroll_area(body), 1)

        row = QHBoxLayout()
        row.setSpacing(metrics.mm(4))
        self.sync_button = big_button(self.tr("Sincronizar ahora"), metrics)
        self.sync_button.clicked.connect(self.sync_requested)
        row.addWidget(self.sync_button)
        self.retry_button = big_button(self.tr("Reintentar apartados"), metrics)
        self.retry_button.clicked.connect(self.retry_requested)
        row.addWidget(self.retry_button)
        self.exit_button = big_button(self.tr("Salir"), metrics, "primary")
        self.exit_button.clicked.connect(self.exit)
        row.addWidget(self.exit_button)
        self.root.addLayout(row)
        self.set_status("")

    def set_status(self, summary: str, rows: Sequence[tuple[str, str]] = (),
                   set_aside: Sequence[str] = (), *, can_sync: bool = False,
                   syncing: bool = False) -> None:
        """Show the summary line, the table of details and the set-aside records."""
        self.status.setText(summary)
        self.progress.setVisible(syncing)
        _clear(self._grid)
        for n, (name, value) in enumerate(rows):
            self._grid.addWidget(label(name, "hint", wrap=False), n, 0,
                                 QtCore.Qt.AlignmentFlag.AlignTop)
            self._grid.addWidget(label(value), n, 1)
        self.details.setVisible(bool(rows))
        _clear(self._aside)
        for line in set_aside:
            self._aside.addWidget(label(line))
        for widget in (self.aside_title, self.aside_hint, self.aside_box):
            widget.setVisible(bool(set_aside))
        self.sync_button.setVisible(can_sync)
        self.sync_button.setEnabled(not syncing)
        self.retry_button.setVisible(can_sync and bool(set_aside))
        self.retry_button.setEnabled(not syncing)

    def shown_rows(self) -> list[tuple[str, str]]:
        """The table as shown (for tests and screen readers)."""
        out = []
        for n in range(self._grid.rowCount()):
            name, value = self._grid.itemAtPosition(n, 0), self._grid.itemAtPosition(n, 1)
            if name is not None and value is not None:
                out.append((name.widget().text(), value.widget().text()))  # type: ignore[attr-defined]
        return out

    def shown_set_aside(self) -> list[str]:
        return [w.text() for w in self.aside_box.findChildren(QLabel)]


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


__all__ = [
    "AttractPage",
    "ConfirmationPage",
    "FormPage",
    "IdlePanel",
    "InfoPage",
    "MultiChoicePage",
    "Page",
    "PinPage",
    "PrivacyPage",
    "RatingPage",
    "ReviewPage",
    "SingleChoicePage",
    "StaffPage",
    "SurveyThanksPage",
    "TextPage",
    "restyle",
]
