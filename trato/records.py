"""The fields of each record kind, defined once.

A survey response and a case each have one list of fields, declared here with their validation
(what the wire accepts) and their column type (what both databases store). Everything else is
layered on top, as in the FastAPI full-stack template (base → table → public):

* the wire body (:class:`trato.protocol.wire.SurveyResponseBody`, :class:`~trato.protocol.wire.
  CaseBody`) is ``kind`` plus these fields, validated;
* the kiosk's table (:mod:`kiosk.storage.models`) is these fields plus the kiosk's own columns
  (its clock, the outbox acknowledgement, the sealed and masked personal data);
* the central server's table (:mod:`central.models.records`) is these fields plus the server's
  own columns (the kiosk's branch, the follow-up).

So a new plain field is written once, in the class below (plus an Alembic revision on each side,
which the schema tests ask for). The screens' drafts (:mod:`kiosk.services.drafts`) are the same
list minus what the kiosk's services work out themselves; ``tests/trato/test_records.py``
checks that every layer holds exactly these names.

The order of the fields is the order of the wire JSON, whose SHA-256 the server keeps as the
record's content hash: never reorder them, and add new fields at the end.

Column types follow the central server (PostgreSQL): 64-bit integers for numbers a kiosk sends,
bounded ``VARCHAR`` where the wire bounds a short text, ``TEXT`` for free text. The base classes
are plain pydantic models (the wire validates thousands of records per second through them);
``sqlmodel.Field`` only adds the column hints the tables read. No ``from __future__ import
annotations`` here (SQLModel needs real annotations).
"""

import uuid
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import BaseModel
from pydantic import Field as Constraint
from sqlmodel import Field

from trato.domain.enums import CaseType, Channel

_CODE = Annotated[str, Constraint(max_length=64)]  # a catalogue code (service, reason, category)


def _bigint(**kwargs: Any) -> Any:
    return Field(sa_type=sa.BigInteger, **kwargs)


class SurveyFields(BaseModel):
    """One answered perception survey, as the person left it."""

    instrument_id: str = Field(min_length=1, max_length=64, sa_type=sa.String(64))
    instrument_version: int = _bigint(ge=1)
    language: str = Field(min_length=2, max_length=16, sa_type=sa.String(16))
    channel: Channel = Field(sa_type=sa.String(32))
    service_code: str | None = Field(max_length=64, sa_type=sa.String(64))
    rating: int | None = Field(ge=1, le=5)  # 1 muy mal .. 5 muy bien; None: prefiere no responder
    reasons: list[_CODE] = Field(default_factory=list, max_length=6, sa_type=sa.JSON)
    comment: str = Field(default="", max_length=1000, sa_type=sa.Text)
    answers: dict[str, str | int | None] = Field(default_factory=dict, sa_type=sa.JSON)
    duration_ms: int = _bigint(ge=0, sa_column_kwargs={"default": 0})
    #: Set by the kiosk: the response ends a burst of hasty taps (stored, never dropped).
    probable_misuse: bool = False


class CaseFields(BaseModel):
    """A queja, sugerencia, reconocimiento, orientación or gestión as it was filed."""

    folio: str = Field(min_length=12, max_length=16, sa_type=sa.String(16), unique=True)
    case_type: CaseType = Field(sa_type=sa.String(32))
    channel: Channel = Field(sa_type=sa.String(32))
    language: str = Field(min_length=2, max_length=16, sa_type=sa.String(16))
    service_code: str | None = Field(max_length=64, sa_type=sa.String(64))
    categories: list[_CODE] = Field(default_factory=list, sa_type=sa.JSON)
    #: Restricted reading (harassment, discrimination, violence among the categories).
    sensitive: bool = False
    narrative: str = Field(default="", max_length=4000, sa_type=sa.Text)
    request: str = Field(default="", max_length=1000, sa_type=sa.Text)  # what the person asks
    staff_involved: str = Field(default="", max_length=500, sa_type=sa.String(500))
    recognised_person: str = Field(default="", max_length=200, sa_type=sa.String(200))
    publish_recognition: bool = False  # consent to show it on the Muro del Trato Digno
    #: Phone, e-mail or address inside the sealed personal data.
    has_contact: bool = False
    privacy_notice_version: str | None = Field(default=None, max_length=32, sa_type=sa.String(32))
    consent_given: bool = False
    catalogue_version: int = _bigint(default=1, ge=1)
    #: Set when a very bad survey rating was turned into a complaint in one tap.
    from_survey_id: uuid.UUID | None = None


def field_names(model: type[BaseModel]) -> tuple[str, ...]:
    """The names of a record kind's fields, in wire order."""
    return tuple(model.model_fields)


SURVEY_FIELDS = field_names(SurveyFields)
CASE_FIELDS = field_names(CaseFields)


def record_values(body: SurveyFields | CaseFields) -> dict[str, Any]:
    """A body's fields as a row's column values (lists and dicts copied, enums kept)."""
    names = SURVEY_FIELDS if isinstance(body, SurveyFields) else CASE_FIELDS
    return body.model_dump(include=set(names))


__all__ = ["CASE_FIELDS", "SURVEY_FIELDS", "CaseFields", "SurveyFields", "field_names",
           "record_values"]
