"""Registering a case on someone's behalf, from the hub's "Registrar un caso": the channel
and the type (``staff_register``), then an orientación or gestión's quick log
(``staff_quick``) or the desk form of a queja, sugerencia or reconocimiento
(``staff_desk_person``, ``staff_desk_event``), then the folio (``staff_registered``).

A desk form left half done (the agent went back to the type page, or to the hub) is sealed
in memory (:class:`kiosk.flow.desk.SealedDraft`) and wiped at sign-out; choosing the same
type again brings it back. Nothing is stored until "Guardar", and then all of it at once:
a refused draft says why in plain Spanish and stores nothing.
"""

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject

from kiosk.ui.base import LazyModule, Page
from kiosk.ui.wording import staff as wording
from trato.domain.enums import QUICK_CASE_TYPES, CaseType, Channel, QuickOutcome
from trato.domain.zones import DEFAULT_TIMEZONE

if TYPE_CHECKING:
    from kiosk.flow import desk
    from kiosk.services import validation
    from kiosk.ui.staff import desk_form, register
    from kiosk.ui.wording import problems
else:
    desk = LazyModule("kiosk.flow.desk")
    validation = LazyModule("kiosk.services.validation")
    desk_form = LazyModule("kiosk.ui.staff.desk_form")
    register = LazyModule("kiosk.ui.staff.register")
    problems = LazyModule("kiosk.ui.wording.problems")

log = logging.getLogger(__name__)


def refused_text(field: str, code: str) -> str:
    """Why a draft was refused, for the agent (the field's problem when it has one)."""
    if code == "event_future":
        return QCoreApplication.translate(
            "StaffRegistration", "La fecha y la hora del hecho no pueden ser posteriores a "
            "este momento. Revise lo que escribió.")
    if code == "required" and field == "filer_name":
        return QCoreApplication.translate(
            "StaffRegistration", "Falta el nombre de quien presenta la queja.")
    if code == "consent_required":
        return QCoreApplication.translate(
            "StaffRegistration", "Para guardar datos personales, léale el aviso de privacidad "
            "a la persona y marque que aceptó.")
    return QCoreApplication.translate(
        "StaffRegistration", "No se guardó nada: revise los datos marcados.")


class Registration(QObject):
    """The pages of registering a case and what moves between them (owned by the area)."""

    def __init__(self, area: Any) -> None:  # the StaffArea (it imports this module)
        super().__init__(area)
        self.area = area
        self.host = area.host
        self.case_type = CaseType.QUEJA
        self.channel = Channel.DESK
        self._draft: Any = None  # desk.SealedDraft, made on first use
        self.draft_type: CaseType | None = None

    def builders(self) -> dict[str, Callable[[], Page]]:
        return {"staff_register": self._register_page, "staff_quick": self._quick_page,
                "staff_desk_person": self._person_page, "staff_desk_event": self._event_page,
                "staff_registered": self._registered_page}

    def _register_page(self) -> Page:
        page = register.RegisterPage(self.host.metrics)
        page.type_chosen.connect(self.type_chosen)
        return page

    def _quick_page(self) -> Page:
        page = register.QuickLogPage(self.host.metrics)
        page.save_requested.connect(self.save_quick)
        page.note_requested.connect(self._open_note)
        return page

    def _person_page(self) -> Page:
        page = desk_form.DeskPersonPage(self.host.metrics)
        page.done.connect(lambda: self.host.go("staff_desk_event"))
        return page

    def _event_page(self) -> Page:
        page = desk_form.DeskEventPage(self.host.metrics)
        page.save_requested.connect(self.save_desk)
        page.keys.wanted.connect(lambda: self.host.dock.show_for(page))
        return page

    def _registered_page(self) -> Page:
        page = register.RegisteredPage(self.host.metrics)
        page.another_requested.connect(
            lambda: self.host.restart_at("staff_register", ["staff_hub"]))
        page.home_requested.connect(self.area.go_hub)
        return page

    def prepare(self, name: str, page: Page) -> None:
        if name == "staff_register":
            self._park()
            page.show_draft(self.draft_type)  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ the way through
    def type_chosen(self, value: str) -> None:
        if self.area.agent is None:
            return
        register_page: Any = self.host.page("staff_register")
        self.case_type, self.channel = CaseType(value), register_page.channel
        content = self.host.content
        if self.case_type in QUICK_CASE_TYPES:
            quick: Any = self.host.page("staff_quick")
            quick.reset()
            quick.set_type(self.case_type, self.channel, [
                (c.code, c.label) for c in content.categories.for_type(value)])
            self.host.go("staff_quick")
            return
        person: Any = self.host.page("staff_desk_person")
        event: Any = self.host.page("staff_desk_event")
        kept = self._draft.open() if self.draft_type == self.case_type and self._draft else {}
        person.reset()
        event.reset()
        person.set_type(self.case_type)
        event.set_type(self.case_type,
                       services=[(s.code, s.label) for s in content.services.services],
                       categories=[(c.code, c.label) for c in content.categories.for_type(value)],
                       limit=content.categories.max_choices, unit_name=self._place().unit_name,
                       today=self._now_local().date())
        if kept:
            person.set_values(kept.get("person", {}))
            event.set_values(kept.get("event", {}))
        self.wipe()
        self.host.go("staff_desk_person")

    def _park(self) -> None:
        """Seal a desk form left half done and clear its screens."""
        person, event = self.host.built("staff_desk_person"), self.host.built("staff_desk_event")
        if person is None or event is None:
            return
        if person.has_values() or event.has_values():  # type: ignore[attr-defined]
            if self._draft is None:
                self._draft = desk.SealedDraft()
            self._draft.seal({"person": person.values(),  # type: ignore[attr-defined]
                              "event": event.values()})  # type: ignore[attr-defined]
            self.draft_type = self.case_type
        person.reset()
        event.reset()

    def wipe(self) -> None:
        """Drop a parked draft for good (sign-out, idle, a case saved)."""
        if self._draft is not None:
            self._draft.wipe()
        self.draft_type = None

    def _open_note(self) -> None:
        quick: Any = self.host.page("staff_quick")
        quick.open_note()
        quick.note.editor.setFocus()

    # ------------------------------------------------------------------ saving
    def _place(self) -> Any:
        accounts = self.area.accounts
        if accounts is None:
            from kiosk.services.staff_terms import KioskPlace

            return KioskPlace()
        return accounts.where()

    def _now_local(self) -> Any:
        from zoneinfo import ZoneInfo

        return self.host.clock.now().astimezone(ZoneInfo(self._place().timezone
                                                         or DEFAULT_TIMEZONE))

    def save_quick(self) -> None:
        agent, page = self.area.agent, self.host.page("staff_quick")
        if agent is None or self.area.saving:
            return
        draft = desk.quick_draft(
            case_type=self.case_type, channel=self.channel, agent=agent,
            topic=page.topics.value(),  # type: ignore[attr-defined]
            outcome=QuickOutcome(page.outcomes.value()),  # type: ignore[attr-defined]
            note=page.note.text(),  # type: ignore[attr-defined]
            language="es", catalogue_version=self.host.content.categories.version)
        self._submit(draft, page, page.save_button)  # type: ignore[attr-defined]

    def save_desk(self) -> None:
        agent = self.area.agent
        person: Any = self.host.page("staff_desk_person")
        event: Any = self.host.page("staff_desk_event")
        if agent is None or self.area.saving:
            return
        event.show_error("")
        values = {**person.values(), **event.values()}
        place = self._place()
        moment = desk.event_moment(values["event_date"], values["event_time"],
                                   timezone=place.timezone or DEFAULT_TIMEZONE,
                                   now=self.host.clock.now())
        if moment.problem:
            event.show_error(wording.event_problem_text(moment.problem, self._now_local()))
            return
        draft = desk.desk_draft(
            values, case_type=self.case_type, channel=self.channel, agent=agent,
            event_at=moment.at, language="es",
            privacy_notice_version=self.host.config.privacy_notice_version,
            catalogue_version=self.host.content.categories.version)
        self._submit(draft, event, event.save_button)

    def _submit(self, draft: Any, page: Any, button: Any) -> None:
        try:  # the service checks again; here the agent learns what to fix
            validation.validate_case(draft, now=self.host.clock.now())
        except ValueError as exc:
            field, code = str(getattr(exc, "field", "")), str(getattr(exc, "problem", ""))
            log.info("desk draft refused: %s %s", field, code)
            page.show_error(refused_text(field, code))
            return
        saved = self.area.save(self.host.case_service, draft, page, button)
        if saved is None:
            return
        self.wipe()
        for name in ("staff_desk_person", "staff_desk_event", "staff_quick"):
            built = self.host.built(name)
            if built is not None:
                built.reset()
        done: Any = self.host.page("staff_registered")
        lines = [wording.registered_hint(self.channel == Channel.PHONE)]
        done.show_saved(wording.registered_title(self.case_type), saved.folio, lines)
        self.host.restart_at("staff_registered")
