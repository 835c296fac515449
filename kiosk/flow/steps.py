"""The numbered steps of each flow, as the session stands now.

A page name per step; the step indicator ("Paso 3 de 11") and "Continuar" both follow this
list, which changes as the person answers (a declined rating has no reasons step, a queja asks
who attended and what the person asks for, a reconocimiento whom to recognise, and contact
data is asked only of whoever chose to leave it).
"""

from kiosk.flow.session import CASE, FOLIO, SURVEY, Session
from trato.domain.enums import CaseType

#: Steps only some case types have, after the narrative.
CASE_TYPE_STEPS: dict[CaseType, tuple[str, ...]] = {
    CaseType.QUEJA: ("case_staff", "case_request"),
    CaseType.RECONOCIMIENTO: ("case_recognised", "case_publish"),
}


def steps(session: Session) -> list[str]:
    if session.flow == SURVEY:
        survey = session.survey
        reasons = ["survey_reasons"] if survey.rating is not None or not survey.answered else []
        return ["survey_rating", *reasons, "survey_service", "survey_comment"]
    if session.flow == CASE:
        case = session.case
        by_type = CASE_TYPE_STEPS.get(case.case_type, ()) if case.case_type else ()
        contact = ["case_identity", "case_contact"] if case.wants_contact else []
        return ["case_type", "case_service", "case_category", "case_narrative", *by_type,
                "case_contact_choice", "case_privacy", *contact, "case_review"]
    return []


def first_page(session: Session) -> str:
    """Where a flow chosen on the menu begins."""
    return "folio_info" if session.flow == FOLIO else steps(session)[0]


def next_page(session: Session, current: str) -> str:
    flow = steps(session)
    return flow[flow.index(current) + 1]


def position(session: Session, current: str) -> tuple[int, int] | None:
    """(step number from 1, number of steps), or None when ``current`` is not a step."""
    flow = steps(session)
    return (flow.index(current) + 1, len(flow)) if current in flow else None
