"""Registering a case on someone's behalf: the type and the channel (:class:`RegisterPage`),
the quick log of an orientación or a gestión (:class:`QuickLogPage`) and the folio once it is
saved (:class:`RegisteredPage`). The desk form of a queja, sugerencia or reconocimiento is in
:mod:`kiosk.ui.staff.desk_form`; :mod:`kiosk.ui.staff.registration` drives them."""

from collections.abc import Sequence

from PySide6 import QtCore
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QWidget

from kiosk.ui.base import Page, TouchButton, big_button, label
from kiosk.ui.metrics import Metrics
from kiosk.ui.staff.form import ChoiceRow, FormBody
from kiosk.ui.widgets import TextField
from kiosk.ui.wording import staff as wording
from trato.domain.enums import STAFF_CHANNELS, CaseType, Channel, QuickOutcome


class RegisterPage(Page):
    """The channel (kept from one case to the next) and the type: one tap on a type goes on.

    Signals: ``type_chosen(str)`` with the case type."""

    type_chosen = Signal(str)
    in_session = False

    def __init__(self, metrics: Metrics) -> None:
        super().__init__(metrics, self.tr("Registrar un caso"))
        self.body = FormBody(self)
        self.body.heading(self.tr("¿Por qué medio llegó?"))
        self.channels = ChoiceRow(metrics, [(c.value, wording.CHANNEL_LABELS[c]())
                                            for c in STAFF_CHANNELS], columns=4)
        self.channels.set_chosen([Channel.DESK.value])
        self.channels.changed.connect(self._keep_one_channel)
        self.body.widget(self.channels)
        self.body.heading(self.tr("¿Qué registra?"))
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(metrics.gap)
        columns = 1 if metrics.portrait else 3
        self.type_buttons: dict[str, TouchButton] = {}
        for i, case_type in enumerate(wording.STAFF_TYPE_ORDER):
            button = big_button(wording.STAFF_TYPE_LABELS[case_type](), metrics, "choice")
            button.clicked.connect(lambda _=False, t=case_type.value: self._type_tapped(t))
            self.type_buttons[case_type.value] = button
            grid.addWidget(button, i // columns, i % columns)
        self.body.widget(box)
        self.draft_note = label("", "hint")
        self.draft_note.hide()
        self.body.widget(self.draft_note)
        self.body.finish()

    @property
    def channel(self) -> Channel:
        return Channel(self.channels.value() or Channel.DESK.value)

    def _keep_one_channel(self) -> None:
        if not self.channels.value():
            self.channels.set_chosen([Channel.DESK.value])

    def _type_tapped(self, case_type: str) -> None:
        if self.isVisible():
            self.type_chosen.emit(case_type)

    def show_draft(self, case_type: CaseType | None) -> None:
        """Say that a form was left half done (it is kept, sealed, until sign-out)."""
        self.draft_note.setVisible(case_type is not None)
        if case_type is not None:
            self.draft_note.setText(self.tr(
                "Hay un caso sin terminar ({type}): toque el mismo tipo para seguir con él."
            ).format(type=wording.STAFF_TYPE_LABELS[case_type]()))

    def reset(self) -> None:
        self.channels.set_chosen([Channel.DESK.value])
        self.show_draft(None)


class QuickLogPage(Page):
    """An orientación or a gestión in a few taps: the topic, how it ended, "Guardar". A note
    is optional ("Escribir una nota" brings the keyboard up).

    Signals: ``save_requested()``; ``note_requested()``."""

    save_requested = Signal()
    note_requested = Signal()
    in_session = False

    def __init__(self, metrics: Metrics) -> None:
        super().__init__(metrics, "")
        self.wants_keyboard = False
        self.body = FormBody(self)
        self.topic_heading = self.body.heading(self.tr("Tema"))
        self._topic_slot = self.body.slot()
        self.topics = self._topic_slot.choices
        self.body.heading(self.tr("¿Cómo terminó?"))
        self.outcomes = ChoiceRow(metrics, [(o.value, wording.OUTCOME_LABELS[o]())
                                            for o in QuickOutcome], columns=3)
        self.outcomes.changed.connect(self._update)
        self.body.widget(self.outcomes)
        self.note_button = big_button(self.tr("Escribir una nota (opcional)"), metrics)
        self.note_button.clicked.connect(self.note_requested)
        self.body.widget(self.note_button)
        self.note = TextField(metrics, max_length=1000, multiline=True)
        self.note.hide()
        self.body.widget(self.note)
        self.error = label("", "message")
        self.error.hide()
        self.body.widget(self.error)
        self.save_button = big_button(self.tr("Guardar"), metrics, "primary")
        self.save_button.clicked.connect(self._save)
        self.root.addWidget(self.save_button)
        self.body.finish()
        self._update()

    def set_type(self, case_type: CaseType, channel: Channel,
                 topics: Sequence[tuple[str, str]]) -> None:
        self.set_question(wording.STAFF_TYPE_LABELS[case_type](),
                          self.tr("Por: {channel}").format(
                              channel=wording.CHANNEL_LABELS[channel]()))
        self.topics = self._topic_slot.replace(topics, columns=3)
        self.topics.changed.connect(self._update)
        self._update()

    def open_note(self) -> None:
        self.wants_keyboard = True
        self.note_button.hide()
        self.note.show()

    def _update(self) -> None:
        self.save_button.setEnabled(bool(self.topics.value() and self.outcomes.value()))

    def _save(self) -> None:
        if self.save_button.isEnabled() and self.isVisible():
            self.save_requested.emit()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def first_editor(self) -> QWidget | None:
        return self.note.editor if self.note.isVisibleTo(self) else None

    def reset(self) -> None:
        self.wants_keyboard = False
        self.topics.set_chosen([])
        self.outcomes.set_chosen([])
        self.note.clear()
        self.note.hide()
        self.note_button.show()
        self.show_error("")
        self._update()


class RegisteredPage(Page):
    """The folio of the case just saved, big and grouped, a queja's deadlines, and the next
    step. Signals: ``another_requested()``; ``home_requested()``."""

    another_requested = Signal()
    home_requested = Signal()
    show_back = False
    in_session = False

    def __init__(self, metrics: Metrics) -> None:
        super().__init__(metrics, "")
        self.root.addWidget(label(self.tr("Folio:")))
        self.folio = label("", "folio", wrap=False)
        self.folio.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.NoTextInteraction)
        self.root.addWidget(self.folio)
        self.lines = label("")
        self.root.addWidget(self.lines)
        self.root.addStretch(1)
        row = QHBoxLayout()
        row.setSpacing(metrics.spacing)
        self.home_button = big_button(self.tr("Volver al inicio"), metrics)
        self.home_button.clicked.connect(self.home_requested)
        self.another_button = big_button(self.tr("Registrar otro caso"), metrics, "primary")
        self.another_button.clicked.connect(self.another_requested)
        row.addWidget(self.home_button)
        row.addWidget(self.another_button)
        self.root.addLayout(row)

    def show_saved(self, title: str, folio: str, lines: Sequence[str]) -> None:
        self.set_question(title)
        self.folio.setText(folio)
        self.lines.setText("\n".join(lines))

    def reset(self) -> None:
        self.show_saved("", "", [])
