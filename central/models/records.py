"""What kiosks send, stored: the idempotency ledger, survey responses, cases and their
timeline.

Idempotency is enforced in the database: :class:`IngestedRecord` has the kiosk record id as
primary key and its content hash; the per-kind tables (:class:`SurveyResponse`, :class:`Case`,
:class:`CaseEvent` from a kiosk) reuse that id as their own primary key.

A survey response's and a case's own fields are those of :mod:`trato.records` (the wire body's
too); the tables add the kiosk's branch (every row carries its kiosk, module, unit and OOAD or
UMAE ids, so a committee's branch is one equality test) and the server's follow-up.
"""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from central.db import UtcDateTime, utcnow
from central.models.columns import bigint, json_field, partial_index, string, timestamp
from trato.columns import record_columns
from trato.domain.campaigns import CAMPAIGN_KEY
from trato.domain.enums import CaseStage
from trato.records import CaseFields, SurveyFields

#: A survey response that answers a perception campaign (its id in the answers), per engine:
#: the predicate of the partial index ``ix_survey_response_campaign``, and the same text in
#: the queries that read only those rows (the campaign rollup's rebuild), so the planner
#: matches it. (PostgreSQL also keeps statistics of the expression, created by migration 0016,
#: or the planner would guess that every row answers a campaign.)
CAMPAIGN_RESPONSE = {
    "postgresql": f"(answers ->> '{CAMPAIGN_KEY}') IS NOT NULL",
    "sqlite": f"json_extract(answers, '$.{CAMPAIGN_KEY}') IS NOT NULL",
}
#: Approved reconocimientos that may be shown on the Muro del Trato Digno.
WALL_CASE = ("case_type = 'reconocimiento' AND recognition_status = 'approved' "
             "AND publish_recognition AND consent_given")
#: Open quejas flagged impacto institucional.
OPEN_IMPACT_CASE = "impacto_institucional AND case_type = 'queja' AND stage <> 'cerrado'"


class RecognitionStatus(StrEnum):
    NOT_REQUESTED = "not_requested"  # not a reconocimiento, or no consent to publish
    PENDING = "pending"  # consented, waiting for moderation
    APPROVED = "approved"  # shown on the Muro del Trato Digno
    REJECTED = "rejected"


class CaseEventType(StrEnum):
    RECEIVED = "received"
    STAGE_CHANGED = "stage_changed"
    ASSIGNED = "assigned"
    NOTE = "note"
    FLAGGED = "flagged"  # impacto institucional set
    UNFLAGGED = "unflagged"
    SENSITIVE_SET = "sensitive_set"
    REOPENED = "reopened"
    CLOSED = "closed"
    RECOGNITION_MODERATED = "recognition_moderated"
    RECOGNITION_LINKED = "recognition_linked"  # linked to (or unlinked from) a roster member
    KIOSK = "kiosk"  # something an agent recorded on the kiosk (see CaseEvent.kiosk_event_type)


class IngestedRecord(SQLModel, table=True):
    """Every record a kiosk pushed, once: the database's guarantee of idempotency."""

    __tablename__ = "ingested_record"

    id: uuid.UUID = Field(primary_key=True)  # the UUID made on the kiosk
    kiosk_id: uuid.UUID = Field(foreign_key="kiosk.id")
    seq: int = bigint()
    kind: str = string(32)  # RecordKind
    content_hash: str = string(64)  # SHA-256 of the record's canonical JSON
    batch_id: uuid.UUID
    kiosk_created_at: datetime = timestamp()
    received_at: datetime = timestamp(default_factory=utcnow)


# A record's own fields come from trato.records, one definition for the kiosk, the wire and the
# central server: 64-bit integers for the numbers a kiosk sends.
_SurveyColumns = record_columns(SurveyFields, big_integers=True)
_CaseColumns = record_columns(CaseFields, big_integers=True, folio={"unique": True},
                              case_type={"index": True}, service_code={"index": True},
                              event_at={"sa_type": UtcDateTime})


class SurveyResponse(_SurveyColumns, table=True):  # type: ignore[misc, valid-type]
    """A survey response: the fields of :class:`trato.records.SurveyFields` and where and when
    it arrived.

    The hottest table of the server has its primary key and one index on the time of receipt
    (a rebuild or an export of a period), nothing more: the board reads the rollups
    (:mod:`central.models.rollups`), never these rows, so each stored response updates two
    indexes instead of seven (docs/adr/0005-board-rollups.md). The one other index is partial:
    it holds the campaign responses only (a response outside a campaign skips it), so the
    campaign rollup is rebuilt from those rows without reading the whole table."""

    __tablename__ = "survey_response"
    __table_args__ = (
        sa.Index("ix_survey_response_campaign", "unit_id",
                 postgresql_where=sa.text(CAMPAIGN_RESPONSE["postgresql"]),
                 sqlite_where=sa.text(CAMPAIGN_RESPONSE["sqlite"])),
    )

    #: The kiosk record id; its ingested_record row is written in the same transaction.
    id: uuid.UUID = Field(primary_key=True)
    # The ids are copied from the kiosk row by the ingest (not foreign keys: the hottest table
    # of the server skips six referential checks per row; the primary key still makes a
    # second copy of a record impossible).
    kiosk_id: uuid.UUID
    module_id: uuid.UUID
    unit_id: uuid.UUID
    ooad_id: uuid.UUID | None = None
    umae_id: uuid.UUID | None = None
    seq: int = bigint()
    kiosk_created_at: datetime = timestamp()
    received_at: datetime = timestamp(default_factory=utcnow, index=True)


class Case(_CaseColumns, table=True):  # type: ignore[misc, valid-type]
    """A queja, sugerencia, reconocimiento, orientación or gestión and its follow-up: the
    fields of :class:`trato.records.CaseFields` (``folio`` in compact form, ``sensitive`` also
    set from the categories) plus the kiosk's branch and the follow-up."""

    __tablename__ = "case"
    __table_args__ = (
        sa.Index("ix_case_unit_received", "unit_id", "received_at"),
        sa.Index("ix_case_ooad_received", "ooad_id", "received_at"),
        sa.Index("ix_case_umae_received", "umae_id", "received_at"),
        # The board's lists: the wall's latest approved reconocimientos, the open quejas of
        # impacto institucional (a few among the whole history of cases).
        partial_index("ix_case_wall", "received_at", WALL_CASE),
        partial_index("ix_case_open_impact", "resolution_due", OPEN_IMPACT_CASE),
    )

    id: uuid.UUID = Field(foreign_key="ingested_record.id", primary_key=True)
    kiosk_id: uuid.UUID = Field(foreign_key="kiosk.id", index=True)
    module_id: uuid.UUID = Field(foreign_key="org_node.id", index=True)
    unit_id: uuid.UUID = Field(foreign_key="org_node.id")
    ooad_id: uuid.UUID | None = Field(default=None, foreign_key="org_node.id")
    umae_id: uuid.UUID | None = Field(default=None, foreign_key="org_node.id")
    seq: int = bigint()
    #: Base64 sealed box with the personal data; opened only by security.open_personal.
    sealed_personal: str | None = Field(default=None, sa_type=sa.Text)
    # --- follow-up
    kiosk_created_at: datetime = timestamp()
    received_at: datetime = timestamp(default_factory=utcnow)
    stage: str = string(16, default=CaseStage.RECEPCION.value, index=True)  # CaseStage
    stage_changed_at: datetime = timestamp(default_factory=utcnow)
    assigned_to_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    impacto_institucional: bool = Field(default=False, index=True)
    completion_due: date | None = None  # 5 business days (quejas)
    resolution_due: date | None = None  # 50 business days (quejas)
    closed_at: datetime | None = timestamp(default=None)
    reopened_count: int = 0
    recognition_status: str = string(16, default=RecognitionStatus.NOT_REQUESTED.value)
    content_hash: str = string(64, default="")
    status_version: int = 1  # version of the case_status change sent to kiosks
    updated_at: datetime = timestamp(default_factory=utcnow)
    #: The member of the unit's roster a reconocimiento names, linked on the web (0009).
    recognised_staff_id: uuid.UUID | None = Field(default=None, foreign_key="staff_member.id",
                                                  index=True)


class CaseEvent(SQLModel, table=True):
    """The timeline of a case: received, stage changes, assignment, notes, flags, …"""

    __tablename__ = "case_event"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    case_id: uuid.UUID = Field(foreign_key="case.id", index=True)
    at: datetime = timestamp(default_factory=utcnow)
    event_type: str = string(32)  # CaseEventType
    stage_from: str | None = string(16, default=None)
    stage_to: str | None = string(16, default=None)
    note: str = Field(default="", sa_type=sa.Text)
    by_user_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    by_name: str = string(150, default="")  # user's display name or the kiosk agent's name
    source: str = string(16, default="web")  # web | kiosk | system
    #: For events that came from a kiosk record: that record's id (idempotent).
    record_id: uuid.UUID | None = Field(default=None, foreign_key="ingested_record.id",
                                        unique=True)
    kiosk_event_type: str = string(32, default="")
    detail: dict[str, Any] = json_field(default_factory=dict)


#: What a row of the case list shows and filters on: the two list indexes carry it, so the
#: list and its CSV read no case row (central/web/case_query.py).
_LIST_INCLUDE = ["id", "folio", "case_type", "unit_id", "ooad_id", "umae_id", "service_code",
                 "received_at", "completion_due", "resolution_due", "sensitive",
                 "impacto_institucional"]
# The open cases (as many as the follow-up leaves open, whatever the history).
sa.Index("ix_case_open", Case.stage, postgresql_where=sa.text("stage <> 'cerrado'"),
         sqlite_where=sa.text("stage <> 'cerrado'"), postgresql_include=_LIST_INCLUDE)
# The closed cases in the list's order: resolution deadline (nulls last), newest first.
sa.Index("ix_case_closed_due", Case.resolution_due, Case.received_at.desc(), Case.id,
         postgresql_where=sa.text("stage = 'cerrado'"), sqlite_where=sa.text("stage = 'cerrado'"),
         postgresql_include=[c for c in _LIST_INCLUDE if c not in ("id", "resolution_due",
                                                                  "received_at")])
