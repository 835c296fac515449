"""The staff screens for the screenshots (:mod:`devtools.screenshots`) and the layout check:
an agent (or the kiosk's administrator) signed in, each staff page in the state a module's
day shows it, over the store :func:`seed` fills with a week of responses and cases.

Each scene puts the agent in directly (the sign-in itself has its own scene, ``pin``); the
next scene's ``end_session`` signs them out again."""

import tempfile
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from kiosk.clock import FixedClock
from kiosk.flow.staff import Agent
from kiosk.services.drafts import CaseDraft, PersonalData, SurveyDraft
from kiosk.services.export import Place
from kiosk.ui.window import KioskWindow
from trato.domain.enums import CaseType, Channel, StaffRole
from trato.domain.folio import make_folio

Scene = Callable[[KioskWindow], None]

AGENT = Agent(staff_id="4471", name="Laura Méndez Ortiz", role=StaffRole.AGENT,
              can_read_sensitive=True, certified_on=date(2025, 11, 3),
              certified_until=date(2027, 11, 3))
ADMIN = Agent(staff_id="admin-local", name="", role=StaffRole.ADMIN, can_read_sensitive=False,
              certified_on=None, certified_until=None)
STAGES = ("recepcion", "integracion", "investigacion", "dictamen", "acuerdo", "cerrado")
#: Where the export scene's "USB drive" is (folders made on first use).
_EXPORT_ROOT: list[Path] = []


def seed(database: Any, now: Any) -> None:
    """A week of rated responses, quejas and recognitions filed here, and the statuses of
    cases filed at the desk, so every staff page has something to show."""
    from kiosk.services.cases import CaseService
    from kiosk.services.surveys import SurveyService
    from kiosk.storage.models import CaseStatus

    ratings = (5, 4, 5, 3, 4, 5, 2, 4, 5, 4)
    # Every day of the last week, then one day in each of the eleven weeks before it.
    days = [*range(7), *range(10, 84, 7)]
    for day in days:
        clock = FixedClock(now - timedelta(days=day, hours=day % 3))
        surveys = SurveyService(database, clock)
        for i in range(6 + day % 3):
            surveys.submit(SurveyDraft(
                instrument_id="trato-general", instrument_version=1, language="es",
                channel=Channel.KIOSK, service_code="consulta_externa",
                rating=ratings[(i + day) % len(ratings)], reasons=("tiempo_espera",),
                comment="", duration_ms=15_000))
    cases = CaseService(database, FixedClock(now - timedelta(days=2)))
    for case_type, person in ((CaseType.QUEJA, ""), (CaseType.RECONOCIMIENTO, "Enf. Lupita"),
                              (CaseType.QUEJA, ""), (CaseType.RECONOCIMIENTO, "Dr. Ramos")):
        cases.submit(CaseDraft(
            case_type=case_type, channel=Channel.KIOSK, language="es",
            service_code="urgencias",
            categories=("trato_grosero",) if case_type is CaseType.QUEJA else (),
            narrative="El lunes a las 9:00 esperé tres horas en urgencias.",
            request="Que me atiendan con respeto." if case_type is CaseType.QUEJA else "",
            staff_involved="", recognised_person=person,
            personal=PersonalData(filer_name="María Guadalupe Gómez", nss="12345678903",
                                  phone="5512345678"),
            privacy_notice_version="2025-12", consent_given=True))
    with database.write() as session:
        for i in range(14):
            due = (now.date() + timedelta(days=(i * 3) - 6)).isoformat()
            folio = make_folio(unit_number=1234, kiosk_number=2, sequence=40 + i)
            session.add(CaseStatus(case_id=uuid.uuid4(), folio=str(folio),
                                   stage=STAGES[i % len(STAGES)], resolution_due=due,
                                   completion_due=due, updated_at=now))


def _signed_in(w: KioskWindow, agent: Agent, page: str) -> None:
    w.staff.agent = agent
    w.idle.start(idle_seconds=w.staff.idle_seconds)
    if page == "staff_hub":
        w.staff.go_hub()
    else:
        w.restart_at(page, ["staff_hub"])


def _at(page: str, agent: Agent = AGENT, then: Scene | None = None) -> Scene:
    def run(w: KioskWindow) -> None:
        _signed_in(w, agent, page)
        if then is not None:
            then(w)

    return run


def _case_detail(w: KioskWindow) -> None:
    from kiosk.ui.staff.cases import CASE_ROLE

    cases: Any = w.page("staff_cases")
    rows = [cases.model.data(cases.model.index(n), CASE_ROLE)
            for n in range(cases.model.rowCount())]
    here = [r for r in rows if r.filed_here and r.case_type is CaseType.QUEJA] or rows
    if here:  # a queja filed at this kiosk: its timeline and stage changes
        cases.open_case.emit(uuid.UUID(str(here[0].case_id)))


def _desk(case_type: CaseType, page: str) -> Scene:
    def run(w: KioskWindow) -> None:
        w.staff.registration.type_chosen(case_type.value)
        if w.current != page:
            w.go(page)

    return run


def _registered(w: KioskWindow) -> None:
    page: Any = w.page("staff_registered")
    folio = make_folio(unit_number=1234, kiosk_number=7, sequence=158)
    page.show_saved("Queja registrada", str(folio),
                    ["Completar información: a más tardar el 09/03/2026",
                     "Respuesta: a más tardar el 13/05/2026"])


def _export_place() -> Path:
    if not _EXPORT_ROOT:
        root = Path(tempfile.mkdtemp(prefix="trato-usb-")) / "MEMORIA"
        for name in ("Informes 2026", "Marzo", "Respaldo"):
            (root / name).mkdir(parents=True)
        _EXPORT_ROOT.append(root)
    return _EXPORT_ROOT[0]


def _export(w: KioskWindow) -> None:
    page: Any = w.page("staff_export")
    place = Place(_export_place(), "MEMORIA", removable=True)
    page._find_places = lambda: [place]  # a drive of the scene's own, not this machine's
    page.for_agent(AGENT)


def scenes() -> list[tuple[str, Scene]]:
    """(screen name, how to get there) for every staff screen."""
    return [
        ("staff-hub", _at("staff_hub")),
        ("staff-hub-admin", _at("staff_hub", ADMIN)),
        ("staff-register", _at("staff_register")),
        ("staff-quick", _at("staff_register", then=_desk(CaseType.ORIENTACION, "staff_quick"))),
        ("staff-desk-person", _at("staff_register",
                                  then=_desk(CaseType.QUEJA, "staff_desk_person"))),
        ("staff-desk-event", _at("staff_register",
                                 then=_desk(CaseType.QUEJA, "staff_desk_event"))),
        ("staff-registered", _at("staff_registered", then=_registered)),
        ("staff-cases", _at("staff_cases")),
        ("staff-case", _at("staff_cases", then=_case_detail)),
        ("staff-board", _at("staff_board")),
        ("staff-export", _at("staff_export", then=_export)),
        ("staff-settings", _at("staff_settings", ADMIN)),
    ]
