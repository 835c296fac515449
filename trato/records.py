"""The fields of each record kind, defined once.

A survey response and a case each have one list of fields, declared here with their validation
(what the wire accepts). Everything else is layered on top, as in the FastAPI full-stack
template (base → table → public):

* the wire body (:class:`trato.protocol.wire.SurveyResponseBody`, :class:`~trato.protocol.wire.
  CaseBody`) is ``kind`` plus these fields, validated;
* the kiosk's table (:mod:`kiosk.storage.models`) is these fields as columns plus the kiosk's
  own (its clock, the outbox acknowledgement, the sealed and masked personal data);
* the central server's table (:mod:`central.models.records`) is these fields as columns plus
  the server's own (the kiosk's branch, the follow-up).

The column of each field follows from its type and bounds (:func:`trato.columns.record_columns`),
so a new plain field is written once, in the class below (plus an Alembic revision on each
side, which the schema tests ask for). The screens' drafts (:mod:`kiosk.services.drafts`) are
the same list minus what the kiosk's services work out themselves; ``tests/trato/
test_records.py`` checks that every layer holds exactly these names.

The order of the fields is the order of the wire JSON, whose SHA-256 the server keeps as the
record's content hash: never reorder them, and add new fields at the end. These are plain
pydantic models (the wire validates thousands of records per second through them, and the
protocol imports no database library).
"""

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, Field, Strict

from trato.domain.enums import CaseType, Channel, QuickOutcome

_CODE = Annotated[str, Field(max_length=64)]  # a catalogue code (service, reason, category)


def _number_only(value: Any) -> Any:
    if isinstance(value, bool | str):
        raise ValueError("a number must be a JSON number, not text or true/false")
    return value


#: Numbers and yes/no are taken only as JSON numbers and booleans, as the published
#: description says (integer, boolean) and kiosks have always sent: ``"5"`` or ``true`` for a
#: count, or ``1`` or ``"yes"`` for a flag, are refused. (``5.0`` is the integer 5 in JSON
#: Schema too.)
NUMBER_ONLY = BeforeValidator(_number_only)
_FLAG = Annotated[bool, Strict()]


def _is_empty(value: Any) -> bool:
    return value is None or value == ""


#: A field added after the first release: left out of the wire JSON while it holds its
#: default, so a record without it keeps the bytes (and the content hash) it always had.
LATER = {"exclude_if": _is_empty}


def _in_utc(value: datetime) -> datetime:
    if not 2000 <= value.year <= 2100:
        raise ValueError("a date between the years 2000 and 2100")
    return value.astimezone(UTC)


#: A moment people report (when something happened), kept in UTC.
_MOMENT = Annotated[AwareDatetime, AfterValidator(_in_utc)]


class SurveyFields(BaseModel):
    """One answered perception survey, as the person left it."""

    instrument_id: Annotated[str, Field(min_length=1, max_length=64)]
    instrument_version: Annotated[int, Field(ge=1), NUMBER_ONLY]
    language: Annotated[str, Field(min_length=2, max_length=16)]
    channel: Channel
    service_code: Annotated[str, Field(max_length=64)] | None
    #: 1 muy mal .. 5 muy bien; None: "prefiero no responder".
    rating: Annotated[int, Field(ge=1, le=5), NUMBER_ONLY] | None
    reasons: list[_CODE] = Field(default_factory=list, max_length=6)
    comment: Annotated[str, Field(max_length=1000)] = ""
    answers: dict[str, str | int | None] = Field(default_factory=dict)
    duration_ms: Annotated[int, Field(ge=0), NUMBER_ONLY]
    #: Set by the kiosk: the response ends a burst of hasty taps (stored, never dropped).
    probable_misuse: _FLAG = False


class CaseFields(BaseModel):
    """A queja, sugerencia, reconocimiento, orientación or gestión as it was filed."""

    folio: Annotated[str, Field(min_length=12, max_length=16)]
    case_type: CaseType
    channel: Channel
    language: Annotated[str, Field(min_length=2, max_length=16)]
    service_code: Annotated[str, Field(max_length=64)] | None
    categories: list[_CODE] = Field(default_factory=list)
    #: Restricted reading (harassment, discrimination, violence among the categories).
    sensitive: _FLAG = False
    narrative: Annotated[str, Field(max_length=4000)] = ""
    request: Annotated[str, Field(max_length=1000)] = ""  # what the person asks for
    staff_involved: Annotated[str, Field(max_length=500)] = ""
    recognised_person: Annotated[str, Field(max_length=200)] = ""
    publish_recognition: _FLAG = False  # consent to show it on the Muro del Trato Digno
    #: Phone, e-mail or address inside the sealed personal data.
    has_contact: _FLAG = False
    privacy_notice_version: Annotated[str, Field(max_length=32)] | None = None
    consent_given: _FLAG = False
    catalogue_version: Annotated[int, Field(ge=1), NUMBER_ONLY] = 1
    #: Set when a very bad survey rating was turned into a complaint in one tap.
    from_survey_id: uuid.UUID | None = None
    # --- registered by an agent on someone's behalf (issue 9); see LATER.
    #: The roster id (employee number) of the agent who registered it; "" when self-service.
    registered_by: Annotated[str, Field(max_length=128)] = Field("", **LATER)
    #: When what the case is about happened (a queja's date and time of the event).
    event_at: _MOMENT | None = Field(None, **LATER)
    #: The unit where care was given or refused, when it is not the kiosk's own.
    event_unit: Annotated[str, Field(max_length=200)] = Field("", **LATER)
    #: How an orientación or a gestión ended.
    outcome: QuickOutcome | None = Field(None, **LATER)
    #: The agent who confirmed that the person cannot sign ("no sabe o no puede firmar").
    cannot_sign_confirmed_by: Annotated[str, Field(max_length=128)] = Field("", **LATER)


def field_names(model: type[BaseModel]) -> tuple[str, ...]:
    """The names of a record kind's fields, in wire order."""
    return tuple(model.model_fields)


SURVEY_FIELDS = field_names(SurveyFields)
CASE_FIELDS = field_names(CaseFields)
#: The identification and contact of a case, sealed together for the central server (never a
#: plain field of any record): the kiosk's ``PersonalData`` and the web desk's form use these.
PERSONAL_FIELDS = ("filer_name", "beneficiary_name", "nss", "curp", "phone", "email", "address",
                   "postal_code", "assigned_clinic")
_SURVEY_SET, _CASE_SET = frozenset(SURVEY_FIELDS), frozenset(CASE_FIELDS)


def record_values(body: SurveyFields | CaseFields) -> dict[str, Any]:
    """A body's fields as a row's column values (lists and dicts copied, enums kept)."""
    return body.model_dump(include=_SURVEY_SET if isinstance(body, SurveyFields) else _CASE_SET)


__all__ = ["CASE_FIELDS", "PERSONAL_FIELDS", "SURVEY_FIELDS", "CaseFields", "SurveyFields",
           "field_names", "record_values"]
