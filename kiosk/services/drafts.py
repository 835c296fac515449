"""What the screens hand to the services: immutable drafts of a survey response or a case.

A screen validates what the person typed and emits one of these; the service turns it into a
record and its outbox entry in one transaction and answers with a ``Saved*`` receipt. A
draft's fields are those of its record kind in :mod:`trato.records` but for the few its
service works out (``tests/trato/test_records.py`` keeps them so). Personal data travels only
inside :class:`PersonalData`, which the service seals for the central server before anything
touches the disk.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from trato.domain.enums import CaseType, Channel, QuickOutcome
from trato.records import CASE_FIELDS, PERSONAL_FIELDS, SURVEY_FIELDS

#: What the survey service works out itself; a survey draft holds every other field of
#: :class:`trato.records.SurveyFields`.
SURVEY_SERVICE_FIELDS = frozenset({"probable_misuse"})
#: What the case service makes itself (the folio, and the flags it reads off the categories
#: and the personal data); a case draft holds every other field of
#: :class:`trato.records.CaseFields`, plus the personal data.
CASE_SERVICE_FIELDS = frozenset({"folio", "sensitive", "has_contact"})
SURVEY_DRAFT_FIELDS = tuple(n for n in SURVEY_FIELDS if n not in SURVEY_SERVICE_FIELDS)
CASE_DRAFT_FIELDS = tuple(n for n in CASE_FIELDS if n not in CASE_SERVICE_FIELDS)


@dataclass(frozen=True)
class SurveyDraft:
    """One answered perception survey.

    ``rating`` is 1 (muy mal) .. 5 (muy bien), or ``None`` for "prefiero no responder".
    ``answers`` holds any further questions of longer instruments by question id.
    ``duration_ms`` runs from the first tap of the survey to the last.
    """

    instrument_id: str
    instrument_version: int
    language: str
    channel: Channel
    service_code: str | None
    rating: int | None
    reasons: tuple[str, ...] = ()
    comment: str = ""
    answers: dict[str, str | int | None] = field(default_factory=dict)
    duration_ms: int = 0


@dataclass(frozen=True)
class PersonalData:
    """Identification and contact; every field optional, every field sealed at capture."""

    filer_name: str = ""
    beneficiary_name: str = ""
    nss: str = ""
    curp: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    postal_code: str = ""
    assigned_clinic: str = ""  # UMF de adscripción
    filer_is_beneficiary: bool = True
    cannot_sign: bool = False  # "no sabe o no puede firmar": an agent confirms

    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in PERSONAL_FIELDS)


@dataclass(frozen=True)
class CaseDraft:
    """A queja, sugerencia, reconocimiento, orientación or gestión ready to be saved."""

    case_type: CaseType
    channel: Channel
    language: str
    service_code: str | None
    categories: tuple[str, ...]
    narrative: str
    request: str = ""  # what the person asks for
    staff_involved: str = ""
    recognised_person: str = ""  # reconocimiento: who or which area
    publish_recognition: bool = False  # consent to show it on the Muro del Trato Digno
    personal: PersonalData | None = None
    privacy_notice_version: str | None = None
    consent_given: bool = False
    catalogue_version: int = 1
    #: Set when a very bad survey rating was turned into a complaint in one tap.
    from_survey_id: UUID | None = None
    #: Registered by an agent on someone's behalf: the agent's roster id (the channel is then
    #: one of ``STAFF_CHANNELS``), when and where the event happened (a queja), how an
    #: orientación or gestión ended, and who confirmed that the person cannot sign.
    registered_by: str = ""
    event_at: datetime | None = None
    event_unit: str = ""
    outcome: QuickOutcome | None = None
    cannot_sign_confirmed_by: str = ""


def draft_values(draft: "SurveyDraft | CaseDraft") -> dict[str, Any]:
    """The record fields a draft holds, by name (the services build the wire body from them)."""
    names = SURVEY_DRAFT_FIELDS if isinstance(draft, SurveyDraft) else CASE_DRAFT_FIELDS
    return {name: getattr(draft, name) for name in names}


@dataclass(frozen=True)
class SavedSurvey:
    id: UUID
    created_at: datetime
    probable_misuse: bool


@dataclass(frozen=True)
class SavedCase:
    """Receipt shown on the confirmation screen; produced only after the commit returned.

    ``received_on`` is the filing day in the unit's time zone; the two deadlines (5 and 50
    business days, Instructivo Art. 19) are set for a queja only."""

    id: UUID
    folio: str
    tracking_url: str
    created_at: datetime
    sensitive: bool
    case_type: CaseType | None = None
    received_on: date | None = None
    completion_due: date | None = None
    resolution_due: date | None = None
