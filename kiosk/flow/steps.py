"""The numbered steps of each flow, and the pages a person goes through.

A *step* is one thing the person does, with its number on screen ("Paso 3 de 8"); a step has
one or more pages. A page that only some people see shares its step's number: the reasons
after a rating belong to the rating step, the contact and identity forms to the contact step
(whoever chose to leave data), so an answer never renumbers the steps before or after it.

A case's steps are decided once, by its type; the type page itself comes before the count
(like the menu, it chooses what is being filed). The privacy notice is the first step of
every type, before any narrative or personal data (``docs/design/domain.md``, personal data).
"""

from kiosk.flow.session import CASE, FOLIO, SURVEY, Session
from trato.domain.enums import CaseType

Step = tuple[str, ...]

SURVEY_STEPS: tuple[Step, ...] = (
    ("survey_rating", "survey_reasons"),
    ("survey_service",),
    ("survey_comment",),
)

#: The contact step: the choice, then (only for whoever chose to leave data) the two forms.
CONTACT_STEP: Step = ("case_contact_choice", "case_contact", "case_identity")
CONTACT_FORMS = frozenset({"case_contact", "case_identity"})

_PRIVACY: Step = ("case_privacy",)
_SERVICE: Step = ("case_service",)
_CATEGORY: Step = ("case_category",)
_NARRATIVE: Step = ("case_narrative",)
_REVIEW: Step = ("case_review",)

CASE_STEPS: dict[CaseType, tuple[Step, ...]] = {
    CaseType.QUEJA: (_PRIVACY, _SERVICE, _CATEGORY, _NARRATIVE, ("case_staff",),
                     ("case_request",), CONTACT_STEP, _REVIEW),
    CaseType.SUGERENCIA: (_PRIVACY, _SERVICE, _CATEGORY, _NARRATIVE, CONTACT_STEP, _REVIEW),
    CaseType.RECONOCIMIENTO: (_PRIVACY, _SERVICE, _CATEGORY, _NARRATIVE, ("case_recognised",),
                              ("case_publish",), CONTACT_STEP, _REVIEW),
}

#: Where a case begins: the type is chosen before the numbered steps.
CASE_TYPE_PAGE = "case_type"


def numbered_steps(session: Session) -> tuple[Step, ...]:
    """The steps the step indicator counts (none outside the survey and the case flows)."""
    if session.flow == SURVEY:
        return SURVEY_STEPS
    if session.flow == CASE and session.case.case_type is not None:
        return CASE_STEPS.get(session.case.case_type, ())
    return ()


def _shown(session: Session, page: str) -> bool:
    if page == "survey_reasons":  # a declined rating has no reasons to ask
        survey = session.survey
        return survey.rating is not None or not survey.answered
    if page in CONTACT_FORMS:
        return session.case.wants_contact
    return True


def pages(session: Session) -> list[str]:
    """The pages this person goes through, in order, as the session stands now."""
    shown = [p for step in numbered_steps(session) for p in step if _shown(session, p)]
    return [CASE_TYPE_PAGE, *shown] if session.flow == CASE else shown


def first_page(session: Session) -> str:
    """Where a flow chosen on the menu begins."""
    return "folio_info" if session.flow == FOLIO else pages(session)[0]


def next_page(session: Session, current: str) -> str:
    flow = pages(session)
    return flow[flow.index(current) + 1]


def position(session: Session, current: str) -> tuple[int, int] | None:
    """(step number from 1, number of steps), or None when ``current`` is not in a step."""
    steps = numbered_steps(session)
    for number, step in enumerate(steps, start=1):
        if current in step:
            return number, len(steps)
    return None
