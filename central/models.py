"""The central store (SQLModel tables). No ``from __future__ import annotations`` here.

Conventions: UUID primary keys (record ids are the UUIDs made on the kiosk); timestamps are
timezone-aware UTC (:class:`central.db.UtcDateTime`); enumerations are stored as their string
values (plain VARCHAR on both engines, no PostgreSQL ENUM types to migrate).

Idempotency is enforced in the database: :class:`IngestedRecord` has the kiosk record id as
primary key and its content hash; the per-kind tables (:class:`SurveyResponse`, :class:`Case`,
:class:`CaseEvent` from a kiosk) reuse that id as their own primary key.

Scoped queries: every survey response and case carries its kiosk, module, unit and OOAD or
UMAE ids, so a committee's branch is one equality test.
"""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from central.db import UtcDateTime, utcnow
from trato.domain.enums import CaseStage


def _ts(**kwargs: Any) -> Any:
    """A timezone-aware UTC timestamp column."""
    return Field(sa_type=UtcDateTime, **kwargs)


def _str(length: int, **kwargs: Any) -> Any:
    return Field(sa_type=sa.String(length), **kwargs)


def _json(**kwargs: Any) -> Any:
    return Field(sa_type=sa.JSON, **kwargs)


def _bigint(**kwargs: Any) -> Any:
    """A 64-bit integer column (values a kiosk sends: sequences, durations, versions)."""
    return Field(sa_type=sa.BigInteger, **kwargs)


# ---------------------------------------------------------------------------- enumerations


class OrgLevel(StrEnum):
    NIVEL_CENTRAL = "nivel_central"
    OOAD = "ooad"
    UMAE = "umae"
    UNIT = "unit"
    MODULE = "module"


class KioskStatus(StrEnum):
    ENROLLED = "enrolled"
    REVOKED = "revoked"


class Role(StrEnum):
    ADMIN = "admin"  # everything, plus users and kiosks
    NACIONAL = "nacional"  # Nivel Central committee: the whole tree
    OOAD = "ooad"  # one OOAD's branch
    UMAE = "umae"  # one UMAE's branch
    UNIDAD = "unidad"  # one unit (its module staff and managers)


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
    KIOSK = "kiosk"  # something an agent recorded on the kiosk (see CaseEvent.kiosk_event_type)


class ChangeScope(StrEnum):
    ALL = "all"
    UNIT = "unit"
    KIOSK = "kiosk"


# ---------------------------------------------------------------------------- organisation


class OrgNode(SQLModel, table=True):
    """One node of Nivel Central → (OOAD | UMAE) → unit (CLUES) → module."""

    __tablename__ = "org_node"
    __table_args__ = (sa.UniqueConstraint("level", "code", name="uq_org_node_level_code"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    level: str = _str(16, index=True)  # OrgLevel
    code: str = _str(64, index=True)  # OOAD/UMAE code, the CLUES of a unit, module code
    name: str = _str(200)
    parent_id: uuid.UUID | None = Field(default=None, foreign_key="org_node.id", index=True)
    #: Denormalised branch ids (set on units and modules; on OOAD/UMAE nodes, their own id).
    ooad_id: uuid.UUID | None = Field(default=None, foreign_key="org_node.id", index=True)
    umae_id: uuid.UUID | None = Field(default=None, foreign_key="org_node.id", index=True)
    unit_id: uuid.UUID | None = Field(default=None, foreign_key="org_node.id", index=True)
    clues: str | None = _str(16, default=None, unique=True)  # units only
    unit_number: int | None = Field(default=None, unique=True)  # units only: folio code
    unit_type: str = _str(32, default="")  # UMF, HGZ, HGR, HGP, UMAE …
    state: str = _str(64, default="")
    city: str = _str(100, default="")
    active: bool = True
    created_at: datetime = _ts(default_factory=utcnow)


class Kiosk(SQLModel, table=True):
    __tablename__ = "kiosk"
    __table_args__ = (sa.UniqueConstraint("unit_id", "kiosk_number", name="uq_kiosk_unit_number"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    module_id: uuid.UUID = Field(foreign_key="org_node.id", index=True)
    unit_id: uuid.UUID = Field(foreign_key="org_node.id", index=True)
    ooad_id: uuid.UUID | None = Field(default=None, foreign_key="org_node.id", index=True)
    umae_id: uuid.UUID | None = Field(default=None, foreign_key="org_node.id", index=True)
    kiosk_number: int
    signing_public_key: str = _str(64)
    status: str = _str(16, default=KioskStatus.ENROLLED.value, index=True)  # KioskStatus
    hostname: str = _str(128, default="")
    enrolled_at: datetime = _ts(default_factory=utcnow)
    revoked_at: datetime | None = _ts(default=None)
    revoke_reason: str = _str(500, default="")
    last_sync_at: datetime | None = _ts(default=None)
    app_version: str = _str(32, default="")
    clock_offset_seconds: float | None = None  # server time minus the kiosk's clock
    backlog: int = _bigint(default=0)  # records waiting on the kiosk at its last push
    last_seq: int = _bigint(default=0)  # highest record sequence received
    records_received: int = _bigint(default=0)


class EnrolmentToken(SQLModel, table=True):
    """A one-time enrolment token; only its SHA-256 is stored."""

    __tablename__ = "enrolment_token"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    token_hash: str = _str(64, unique=True)
    module_id: uuid.UUID = Field(foreign_key="org_node.id", index=True)
    created_at: datetime = _ts(default_factory=utcnow)
    expires_at: datetime = _ts()
    used_at: datetime | None = _ts(default=None)
    kiosk_id: uuid.UUID | None = Field(default=None, foreign_key="kiosk.id")
    created_by: str = _str(150, default="")


class SeenNonce(SQLModel, table=True):
    """Nonces of signed requests seen inside the timestamp window (replay protection)."""

    __tablename__ = "seen_nonce"

    kiosk_id: uuid.UUID = Field(foreign_key="kiosk.id", primary_key=True)
    nonce: str = _str(64, primary_key=True)
    seen_at: datetime = _ts(default_factory=utcnow, index=True)


# ---------------------------------------------------------------------------- records


class IngestedRecord(SQLModel, table=True):
    """Every record a kiosk pushed, once: the database's guarantee of idempotency."""

    __tablename__ = "ingested_record"

    id: uuid.UUID = Field(primary_key=True)  # the UUID made on the kiosk
    kiosk_id: uuid.UUID = Field(foreign_key="kiosk.id")
    seq: int = _bigint()
    kind: str = _str(32)  # RecordKind
    content_hash: str = _str(64)  # SHA-256 of the record's canonical JSON
    batch_id: uuid.UUID
    kiosk_created_at: datetime = _ts()
    received_at: datetime = _ts(default_factory=utcnow)


class SurveyResponse(SQLModel, table=True):
    __tablename__ = "survey_response"
    __table_args__ = (
        sa.Index("ix_survey_response_unit_received", "unit_id", "received_at"),
        sa.Index("ix_survey_response_ooad_received", "ooad_id", "received_at"),
        sa.Index("ix_survey_response_umae_received", "umae_id", "received_at"),
    )

    #: The kiosk record id; its ingested_record row is written in the same transaction.
    id: uuid.UUID = Field(primary_key=True)
    # The ids are copied from the kiosk row by the ingest (not foreign keys: the hottest table
    # of the server skips six referential checks per row; the primary key still makes a
    # second copy of a record impossible).
    kiosk_id: uuid.UUID
    module_id: uuid.UUID = Field(index=True)
    unit_id: uuid.UUID
    ooad_id: uuid.UUID | None = None
    umae_id: uuid.UUID | None = None
    seq: int = _bigint()
    instrument_id: str = _str(64)
    instrument_version: int = _bigint()
    language: str = _str(16)
    channel: str = _str(32)  # Channel
    service_code: str | None = _str(64, default=None)
    rating: int | None = None  # 1..5; None = prefiero no responder
    reasons: list[str] = _json(default_factory=list)
    comment: str = Field(default="", sa_type=sa.Text)
    answers: dict[str, Any] = _json(default_factory=dict)
    duration_ms: int = _bigint(default=0)
    probable_misuse: bool = False
    kiosk_created_at: datetime = _ts()
    received_at: datetime = _ts(default_factory=utcnow, index=True)


class Case(SQLModel, table=True):
    """A queja, sugerencia, reconocimiento, orientación or gestión and its follow-up."""

    __tablename__ = "case"
    __table_args__ = (
        sa.Index("ix_case_unit_received", "unit_id", "received_at"),
        sa.Index("ix_case_ooad_received", "ooad_id", "received_at"),
        sa.Index("ix_case_umae_received", "umae_id", "received_at"),
    )

    id: uuid.UUID = Field(foreign_key="ingested_record.id", primary_key=True)
    folio: str = _str(16, unique=True)  # compact form (no dashes)
    kiosk_id: uuid.UUID = Field(foreign_key="kiosk.id", index=True)
    module_id: uuid.UUID = Field(foreign_key="org_node.id", index=True)
    unit_id: uuid.UUID = Field(foreign_key="org_node.id")
    ooad_id: uuid.UUID | None = Field(default=None, foreign_key="org_node.id")
    umae_id: uuid.UUID | None = Field(default=None, foreign_key="org_node.id")
    seq: int = _bigint()
    # --- CaseBody
    case_type: str = _str(32, index=True)  # CaseType
    channel: str = _str(32)
    language: str = _str(16)
    service_code: str | None = _str(64, default=None, index=True)
    categories: list[str] = _json(default_factory=list)
    sensitive: bool = False  # restricted reading
    narrative: str = Field(default="", sa_type=sa.Text)
    request: str = Field(default="", sa_type=sa.Text)
    staff_involved: str = _str(500, default="")
    recognised_person: str = _str(200, default="")
    publish_recognition: bool = False
    has_contact: bool = False
    privacy_notice_version: str | None = _str(32, default=None)
    consent_given: bool = False
    catalogue_version: int = _bigint(default=1)
    from_survey_id: uuid.UUID | None = None
    #: Base64 sealed box with the personal data; opened only by security.open_personal.
    sealed_personal: str | None = Field(default=None, sa_type=sa.Text)
    # --- follow-up
    kiosk_created_at: datetime = _ts()
    received_at: datetime = _ts(default_factory=utcnow)
    stage: str = _str(16, default=CaseStage.RECEPCION.value, index=True)  # CaseStage
    stage_changed_at: datetime = _ts(default_factory=utcnow)
    assigned_to_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    impacto_institucional: bool = Field(default=False, index=True)
    completion_due: date | None = None  # 5 business days (quejas)
    resolution_due: date | None = None  # 50 business days (quejas)
    closed_at: datetime | None = _ts(default=None)
    reopened_count: int = 0
    recognition_status: str = _str(16, default=RecognitionStatus.NOT_REQUESTED.value)
    content_hash: str = _str(64, default="")
    status_version: int = 1  # version of the case_status change sent to kiosks
    updated_at: datetime = _ts(default_factory=utcnow)


class CaseEvent(SQLModel, table=True):
    """The timeline of a case: received, stage changes, assignment, notes, flags, …"""

    __tablename__ = "case_event"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    case_id: uuid.UUID = Field(foreign_key="case.id", index=True)
    at: datetime = _ts(default_factory=utcnow)
    event_type: str = _str(32)  # CaseEventType
    stage_from: str | None = _str(16, default=None)
    stage_to: str | None = _str(16, default=None)
    note: str = Field(default="", sa_type=sa.Text)
    by_user_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    by_name: str = _str(150, default="")  # user's display name or the kiosk agent's name
    source: str = _str(16, default="web")  # web | kiosk | system
    #: For events that came from a kiosk record: that record's id (idempotent).
    record_id: uuid.UUID | None = Field(default=None, foreign_key="ingested_record.id",
                                        unique=True)
    kiosk_event_type: str = _str(32, default="")
    detail: dict[str, Any] = _json(default_factory=dict)


# ---------------------------------------------------------------------------- configuration


class ChangeLog(SQLModel, table=True):
    """What flows down to kiosks through the pull cursor (monotonic ``cursor``)."""

    __tablename__ = "change_log"

    cursor: int | None = Field(
        default=None, sa_type=sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
        primary_key=True,
    )
    kind: str = _str(32)  # wire.ChangeKind
    key: str = _str(128)
    version: int = 1
    data: dict[str, Any] = _json(default_factory=dict)
    scope: str = _str(8, default=ChangeScope.ALL.value)  # ChangeScope
    scope_unit_id: uuid.UUID | None = Field(default=None, foreign_key="org_node.id", index=True)
    scope_kiosk_id: uuid.UUID | None = Field(default=None, foreign_key="kiosk.id", index=True)
    created_at: datetime = _ts(default_factory=utcnow)


class Instrument(SQLModel, table=True):
    """A survey instrument version (published to kiosks through the change feed)."""

    __tablename__ = "instrument"

    instrument_id: str = _str(64, primary_key=True)
    version: int = Field(primary_key=True)
    title: str = _str(200, default="")
    definition: dict[str, Any] = _json(default_factory=dict)
    active: bool = True
    published_at: datetime = _ts(default_factory=utcnow)


class Catalogue(SQLModel, table=True):
    """A named catalogue version (services, reasons, organisation, …)."""

    __tablename__ = "catalogue"

    name: str = _str(64, primary_key=True)
    version: int = Field(primary_key=True)
    data: dict[str, Any] = _json(default_factory=dict)
    content_hash: str = _str(64, default="")
    published_at: datetime = _ts(default_factory=utcnow)


class Setting(SQLModel, table=True):
    """A setting sent to every kiosk (and shown in the enrolment response)."""

    __tablename__ = "setting"

    key: str = _str(128, primary_key=True)
    value: Any = _json(default=None)
    version: int = 1
    updated_at: datetime = _ts(default_factory=utcnow)


class StaffMember(SQLModel, table=True):
    """Module staff of a unit and their Buen Trato certification."""

    __tablename__ = "staff_member"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    unit_id: uuid.UUID = Field(foreign_key="org_node.id", index=True)
    module_id: uuid.UUID | None = Field(default=None, foreign_key="org_node.id")
    name: str = _str(150)
    role: str = _str(64, default="agente")  # agente, técnico(a) de atención, coordinador(a)
    certified_buen_trato: bool = False
    certified_at: date | None = None
    active: bool = True
    updated_at: datetime = _ts(default_factory=utcnow)


# ---------------------------------------------------------------------------- people


class User(SQLModel, table=True):
    """A board user; sees only the branch under ``scope_id`` (none for admin/nacional)."""

    __tablename__ = "app_user"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    username: str = _str(150, unique=True)
    display_name: str = _str(200, default="")
    password_hash: str = _str(255)
    role: str = _str(16)  # Role
    scope_id: uuid.UUID | None = Field(default=None, foreign_key="org_node.id")
    active: bool = True
    created_at: datetime = _ts(default_factory=utcnow)
    last_login_at: datetime | None = _ts(default=None)


class AuditLog(SQLModel, table=True):
    """Who did what to which target; every opening of sealed personal data writes one."""

    __tablename__ = "audit_log"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id", index=True)
    username: str = _str(150, default="")
    action: str = _str(64, index=True)
    target_type: str = _str(32, default="")
    target_id: str = _str(64, default="", index=True)
    at: datetime = _ts(default_factory=utcnow, index=True)
    detail: dict[str, Any] = _json(default_factory=dict)


AUDIT_OPEN_PERSONAL = "open_personal"
