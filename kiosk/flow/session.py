"""What a person answered so far, kept in memory only until the session ends.

One :class:`Session` per person: the language, which flow they chose (``survey``, ``case``
or ``folio``) and the answers of that flow. The methods here are the rules that tie answers
together (a new rating band forgets the reasons of the old one, a new case type forgets the
categories, "no contact" forgets the personal data, a very bad rating becomes a complaint
with what the survey already said); the screens set plain answers directly.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from trato.domain.enums import CaseType

if TYPE_CHECKING:
    from uuid import UUID

    from kiosk.services.configuration import Instrument

DEFAULT_LANGUAGE = "es"
SURVEY = "survey"
CASE = "case"
FOLIO = "folio"

#: A survey reason (what went badly) -> the complaint category that says the same. A reason
#: with no category of its own becomes "otro" (the complaint still points to the response).
REASON_CATEGORIES = {
    "espera": "tiempo_espera",
    "trato_personal": "trato_grosero",
    "informacion": "informacion",
    "medicamentos": "medicamentos",
}
OTHER_CATEGORY = "otro"


@dataclass
class SurveyState:
    started_at: float = 0.0  # monotonic seconds at the first screen of the survey
    rating: int | None = None
    answered: bool = False  # False until the rating screen was answered (even by declining)
    reasons: tuple[str, ...] = ()
    service_code: str | None = None
    comment: str = ""
    saved_id: "UUID | None" = None  # the stored response, once saved


@dataclass
class CaseState:
    case_type: CaseType | None = None
    service_code: str | None = None
    categories: tuple[str, ...] = ()
    narrative: str = ""
    staff_involved: str = ""
    request: str = ""
    recognised_person: str = ""
    publish: bool = False  # reconocimiento: consent to publish it on the wall
    wants_contact: bool = False  # the explicit "Sí, dejar mis datos" tap: consent to contact data
    consent: bool = False  # queja: consent, on the privacy notice, to use what the person tells
    personal: dict[str, str] = field(default_factory=dict)
    from_survey_id: "UUID | None" = None


@dataclass
class Session:
    language: str = DEFAULT_LANGUAGE
    flow: str | None = None
    survey: SurveyState = field(default_factory=SurveyState)
    case: CaseState = field(default_factory=CaseState)
    #: The perception campaign offered after the survey (a ``trato.protocol.wire.CampaignData``,
    #: kiosk.services.campaigns) and the answers given to it, by question code.
    campaign: Any = None
    campaign_answers: dict[str, int | str] = field(default_factory=dict)

    def begin(self, flow: str, *, now: float) -> None:
        """The person chose ``flow`` on the menu: its answers start empty."""
        self.flow = flow
        if flow == SURVEY:
            self.survey = SurveyState(started_at=now)
        elif flow == CASE:
            self.case = CaseState()

    def rate(self, rating: int | None, instrument: "Instrument") -> None:
        survey = self.survey
        if instrument.band_for(rating) != instrument.band_for(survey.rating):
            survey.reasons = ()  # reasons belong to a rating band (what went well or badly)
        survey.rating = rating
        survey.answered = True

    def survey_duration_ms(self, now: float) -> int:
        return int(max(0.0, now - self.survey.started_at) * 1000)

    def choose_case_type(self, case_type: CaseType) -> None:
        if self.case.case_type != case_type:
            self.case.categories = ()  # categories belong to a type
        self.case.case_type = case_type

    def choose_contact(self, wants_contact: bool) -> None:
        self.case.wants_contact = wants_contact
        if not wants_contact:
            self.case.personal = {}

    def hand_over_to_complaint(self, offered: Sequence[str], max_choices: int) -> None:
        """A very bad rating becomes a complaint with what the survey already said: its
        service, its reasons as the complaint's categories (those of ``offered``, in
        catalogue order, at most ``max_choices``) and its comment as the start of the
        narrative, all shown and editable; the case points back to the stored response."""
        survey = self.survey
        wanted = {REASON_CATEGORIES.get(r, OTHER_CATEGORY) for r in survey.reasons}
        categories = tuple(c for c in offered if c in wanted)[:max_choices]
        self.flow = CASE
        self.case = CaseState(case_type=CaseType.QUEJA, service_code=survey.service_code,
                              categories=categories, narrative=survey.comment,
                              from_survey_id=survey.saved_id)

    def forget_case(self) -> None:
        """The case is saved and sealed: nothing of it stays in memory."""
        self.case = CaseState()
