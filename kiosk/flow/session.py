"""What a person answered so far, kept in memory only until the session ends.

One :class:`Session` per person: the language, which flow they chose (``survey``, ``case``
or ``folio``) and the answers of that flow. The methods here are the rules that tie answers
together (a new rating band forgets the reasons of the old one, a new case type forgets the
categories, "no contact" forgets the personal data); the screens set plain answers directly.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from trato.domain.enums import CaseType

if TYPE_CHECKING:
    from uuid import UUID

    from kiosk.services.configuration import Instrument

DEFAULT_LANGUAGE = "es"
SURVEY = "survey"
CASE = "case"
FOLIO = "folio"


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
    publish: bool = False
    wants_contact: bool = False
    consent: bool = False
    personal: dict[str, str] = field(default_factory=dict)
    from_survey_id: "UUID | None" = None


@dataclass
class Session:
    language: str = DEFAULT_LANGUAGE
    flow: str | None = None
    survey: SurveyState = field(default_factory=SurveyState)
    case: CaseState = field(default_factory=CaseState)

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

    def hand_over_to_complaint(self) -> None:
        """A very bad rating becomes a complaint: the survey's service is kept and the case
        points back to the stored response."""
        survey = self.survey
        self.flow = CASE
        self.case = CaseState(case_type=CaseType.QUEJA, service_code=survey.service_code,
                              from_survey_id=survey.saved_id)

    def forget_case(self) -> None:
        """The case is saved and sealed: nothing of it stays in memory."""
        self.case = CaseState()
