"""One case at the module (staff): what it says (personal data masked), its timeline of
stages, the stage changes the stages allow now, and a note; refused changes say why in
plain Spanish and queue nothing."""

import uuid

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QVBoxLayout, QWidget

from kiosk.flow.staff import Agent
from kiosk.services.case_follow_up import CaseDetail, CaseFollowUp, NotFollowedHere, StageRefused
from kiosk.services.errors import KnownError
from kiosk.ui.base import Page, TouchButton, big_button, label
from kiosk.ui.metrics import Metrics
from kiosk.ui.scrolling import kinetic_scroll_area
from kiosk.ui.staff import case_words
from kiosk.ui.staff.form import KeyboardOnTap
from kiosk.ui.staff.status import _clear
from trato.domain.enums import CaseStage


class CaseDetailPage(Page):
    """Signals: ``back()``; ``changed()`` after an event was queued."""

    back = Signal()
    changed = Signal()
    show_back = False
    in_session = False

    def __init__(self, metrics: Metrics, follow_up: CaseFollowUp, agent: Agent | None) -> None:
        super().__init__(metrics, self.tr("Caso"))
        self._follow_up = follow_up
        self.agent = agent
        self.case_id: uuid.UUID | None = None
        self.detail: CaseDetail | None = None
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        self.facts = label("")
        column.addWidget(self.facts)
        column.addWidget(label(self.tr("Historial"), "heading"))
        self.timeline_box = QWidget()
        self._timeline = QVBoxLayout(self.timeline_box)
        self._timeline.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.timeline_box)
        column.addStretch(1)
        self.root.addWidget(kinetic_scroll_area(body), 1)
        self.message = label("", "message")
        self.message.hide()
        self.root.addWidget(self.message)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(self.tr("Nota (opcional para un cambio de etapa)"))
        self.note.setAccessibleName(self.tr("Nota"))
        self.note.setMaximumHeight(metrics.primary * 2)
        self.root.addWidget(self.note)
        self.keys = KeyboardOnTap(self, [self.note])  # up once the note is tapped
        self.actions = QHBoxLayout()
        self.root.addLayout(self.actions)
        self.stage_buttons: list[TouchButton] = []
        self.note_button = big_button(self.tr("Agregar nota"), metrics)
        self.note_button.clicked.connect(self.add_note)
        self.back_button = big_button(self.tr("Volver a la lista"), metrics, "primary")
        self.back_button.clicked.connect(self.back)

    def for_agent(self, agent: Agent) -> None:
        """Shown for ``agent`` (the staff area calls it each time)."""
        self.agent = agent
        self.keys.down()
        if self.case_id is not None:
            self._load()

    def first_editor(self) -> QWidget | None:
        return self.keys.editor

    def forget(self) -> None:
        """The agent left: nothing of the case stays in the page."""
        self.case_id = self.detail = None
        self.note.clear()
        self.message.hide()
        self.facts.setText("")
        _clear(self._timeline)

    def show_case(self, case_id: uuid.UUID) -> None:
        self.case_id = case_id
        self.note.clear()
        self.message.hide()
        self._load()

    def _load(self) -> None:
        assert self.case_id is not None and self.agent is not None  # shown for an agent
        detail = self._follow_up.detail(self.case_id,
                                        can_read_sensitive=self.agent.can_read_sensitive)
        self.detail = detail
        _clear(self._timeline)
        for button in self.stage_buttons:
            button.setParent(None)  # type: ignore[call-overload]
            button.deleteLater()
        self.stage_buttons = []
        if detail is None:
            self.facts.setText(self.tr("Este caso ya no está en el kiosco."))
            return
        self.set_question(self.tr("Caso %1").replace("%1", detail.row.display_folio))
        self.facts.setText(self._facts(detail))
        for entry in detail.timeline:
            parts = [entry.at.strftime("%d/%m/%Y %H:%M"), case_words.timeline_kind(entry.kind)]
            if entry.stage is not None:
                parts.append(case_words.stage_name(entry.stage))
            if entry.note:
                parts.append(entry.note)
            if entry.agent:
                parts.append(self.tr("por %1").replace("%1", entry.agent))
            state = case_words.entry_state(entry.state)
            if state:
                parts.append(f"({state})")
            if entry.state == "set_aside" and entry.problem:
                parts.append(case_words.refusal_text(entry.problem, detail.row.stage))
            self._timeline.addWidget(label(" · ".join(parts)))
        for target in detail.targets:
            text = (self.tr("Reabrir el caso") if detail.row.stage is CaseStage.CERRADO
                    else self.tr("Pasar a %1").replace("%1", case_words.stage_name(target)))
            button = big_button(text, self.metrics)
            button.clicked.connect(lambda _=False, t=target: self.change_stage(t))
            self.actions.addWidget(button)
            self.stage_buttons.append(button)
        self.actions.addWidget(self.note_button)
        self.actions.addWidget(self.back_button)
        self.note_button.setVisible(detail.followed_here)
        self.note.setVisible(detail.followed_here)

    def _facts(self, detail: CaseDetail) -> str:
        row = detail.row
        lines = [self.tr("Tipo: %1").replace("%1", case_words.type_name(row.case_type)),
                 self.tr("Etapa: %1").replace("%1", case_words.stage_name(row.stage)),
                 case_words.clock_text(row.clock, row.stage)]
        if row.reserved:
            lines.append(self.tr("Caso sensible: solo el personal autorizado puede ver su "
                                 "contenido."))
            return "\n".join(lines)
        if not detail.followed_here:
            lines.append(self.tr("Registrado en otro kiosco de la unidad: se le da seguimiento "
                                 "desde allá o en el tablero central."))
        if detail.masks:
            lines.append(self.tr("Datos (ocultos): %1").replace(
                "%1", ", ".join(detail.masks.values())))
        if detail.text_purged:
            lines.append(self.tr("El texto se borró del kiosco al terminar su plazo."))
        for title, text in ((self.tr("Relato"), detail.narrative),
                            (self.tr("Petición"), detail.request),
                            (self.tr("Personal involucrado"), detail.staff_involved),
                            (self.tr("Reconocimiento a"), detail.recognised_person)):
            if text:
                lines.append(f"{title}: {text}")
        return "\n".join(lines)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def change_stage(self, target: CaseStage) -> None:
        assert self.case_id is not None and self.agent is not None
        try:
            self._follow_up.change_stage(self.case_id, target, agent=self.agent.name,
                                         can_read_sensitive=self.agent.can_read_sensitive,
                                         note=self.note.toPlainText().strip())
        except StageRefused as refused:
            self._say(case_words.refusal_text(refused.problem, refused.current))
            return
        except NotFollowedHere:
            self._say(self.tr("Este caso se sigue desde el kiosco donde se registró."))
            return
        except KnownError:
            self._say(self.tr("No se pudo guardar el cambio. Intente de nuevo."))
            return
        self._done(self.tr("Cambio guardado: se enviará al servidor."))

    def add_note(self) -> None:
        assert self.case_id is not None and self.agent is not None
        try:
            self._follow_up.add_note(self.case_id, self.note.toPlainText(),
                                     agent=self.agent.name,
                                     can_read_sensitive=self.agent.can_read_sensitive)
        except NotFollowedHere:
            self._say(self.tr("Este caso se sigue desde el kiosco donde se registró."))
            return
        except KnownError:
            self._say(self.tr("Escriba la nota antes de agregarla."))
            return
        self._done(self.tr("Nota guardada: se enviará al servidor."))

    def _done(self, text: str) -> None:
        self.note.clear()
        self._load()
        self._say(text)
        self.changed.emit()
