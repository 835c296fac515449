"""The kiosk's tables (SQLModel on SQLite).

Conventions:

* UUID primary keys are made where the record is born (on this kiosk), never by the database.
* Timestamps are timezone-aware UTC, stored as ISO text (:class:`kiosk.storage.types.UTCDateTime`).
* Enumerations are stored as their string values (plain ``VARCHAR``, no CHECK constraints, so
  a new value needs no table rebuild).
* Personal identifiers never appear in clear: ``Case.sealed_personal`` is a libsodium sealed
  box for the central server, and ``Case.masked_personal`` holds masks for staff.
* Schema changes go through Alembic (``kiosk/storage/migrations``); revision 0001 is the first
  release's schema, later tables and columns come in 0002 and after.

No ``from __future__ import annotations`` here (SQLModel needs real annotations).
"""

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Column, String, Text, UniqueConstraint
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from kiosk.storage.types import UTCDateTime
from trato.columns import record_columns
from trato.domain.enums import RecordKind
from trato.protocol.wire import UnitConfig, WireRecord
from trato.records import CaseFields, SurveyFields


class KioskTable(SQLModel, registry=registry()):
    """Base of every kiosk table: its own registry and metadata, so the kiosk's tables never
    collide with the central server's (both have ``survey_response``, ``case_event``...) when
    one process imports both, as the integration tests and the embedded demo do."""


#: Primary key of the single-row tables (identity, sync state).
SINGLE_ROW_ID = 1


def utc_now() -> datetime:
    return datetime.now(UTC)


def _ts(*, nullable: bool = False, index: bool = False) -> Any:
    return Field(
        default=None if nullable else ...,
        sa_type=UTCDateTime,  # type: ignore[arg-type]
        nullable=nullable,
        index=index,
    )


def _enum(length: int = 32, *, nullable: bool = False, index: bool = False) -> Any:
    return Field(
        default=None if nullable else ...,
        sa_type=String(length),  # type: ignore[arg-type]
        nullable=nullable,
        index=index,
    )


def _json(default_factory: Any) -> Any:
    return Field(default_factory=default_factory, sa_column=Column(JSON, nullable=False))


# ---------------------------------------------------------------------------- records (up)
# A record's own fields come from trato.records, one definition for the kiosk, the wire and the
# central server; the kiosk keeps 32-bit integers (SQLite stores 64 bits in them anyway).

_SurveyColumns = record_columns(SurveyFields, big_integers=False)
_CaseColumns = record_columns(
    CaseFields, big_integers=False, folio={"unique": True},
    staff_involved={"sa_type": Text},  # TEXT since revision 0001
    event_at={"sa_type": UTCDateTime},  # 0004
)


class SurveyResponse(KioskTable, _SurveyColumns, table=True):  # type: ignore[misc, valid-type]
    """One answered perception survey, as the person left it: the fields of
    :class:`trato.records.SurveyFields` plus when it was made and acknowledged."""

    __tablename__ = "survey_response"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    created_at: datetime = _ts(index=True)
    acknowledged_at: datetime | None = _ts(nullable=True)


class Case(KioskTable, _CaseColumns, table=True):  # type: ignore[misc, valid-type]
    """A queja, sugerencia, reconocimiento, orientación or gestión filed on this kiosk: the
    fields of :class:`trato.records.CaseFields` (``folio`` in its printed form) plus the
    kiosk's own columns."""

    __tablename__ = "case_record"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    sequence: int = Field(description="the kiosk's case sequence inside the folio")
    created_at: datetime = _ts(index=True)
    filer_is_beneficiary: bool = True
    cannot_sign: bool = False
    #: base64 libsodium sealed box of the personal data, for the central server only.
    sealed_personal: str | None = Field(default=None, sa_type=Text)  # type: ignore[arg-type]
    #: Masks for staff, made at capture from the clear values (which are then dropped), e.g.
    #: {"filer_name": "M. G.", "nss": "•••••••••03"}: never enough to identify the person
    #: (kiosk/services/masking.py).
    masked_personal: dict[str, str] = _json(dict)
    acknowledged_at: datetime | None = _ts(nullable=True)
    #: When narrative, request and staff text were blanked after the retention period (0002).
    text_purged_at: datetime | None = _ts(nullable=True)
    #: A queja's deadlines as given when it was filed here (ISO dates; None for the other
    #: types): 5 and 50 business days from the filing day (0005).
    completion_due: str | None = Field(default=None, max_length=10)
    resolution_due: str | None = Field(default=None, max_length=10)


class CaseEvent(KioskTable, table=True):
    """Something that happened to a case at this kiosk (a note, a stage change by an agent)."""

    __tablename__ = "case_event"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    case_id: uuid.UUID = Field(foreign_key="case_record.id", index=True)
    created_at: datetime = _ts()
    event_type: str = Field(max_length=32)
    stage: str | None = Field(default=None, max_length=32)
    note: str = Field(default="", sa_type=Text)  # type: ignore[arg-type]
    agent: str = Field(default="", max_length=100)
    acknowledged_at: datetime | None = _ts(nullable=True)


class OutboxEntry(KioskTable, table=True):
    """One record waiting for (or done with) the trip to the central server.

    ``id`` is the record's own UUID (one entry per record). ``payload`` is the exact wire JSON
    of the :class:`~trato.protocol.wire.WireRecord`, frozen at capture, so every retry sends the
    same bytes. ``state`` is a :class:`kiosk.storage.outbox.OutboxState` value.
    """

    __tablename__ = "outbox_entry"
    __table_args__ = (UniqueConstraint("seq", name="uq_outbox_entry_seq"),)

    id: uuid.UUID = Field(primary_key=True)
    seq: int = Field(description="per-kiosk monotonically increasing sequence, from 1")
    kind: RecordKind = _enum()
    payload: str = Field(sa_type=Text)  # type: ignore[arg-type]
    state: str = _enum(16, index=True)
    attempts: int = 0
    created_at: datetime = _ts()
    next_attempt_at: datetime = _ts(index=True)
    last_attempt_at: datetime | None = _ts(nullable=True)
    last_error: str | None = Field(default=None, max_length=500)
    set_aside_reason: str | None = Field(default=None, max_length=500)
    sent_at: datetime | None = _ts(nullable=True)

    def wire_record(self) -> WireRecord:
        """The record exactly as it was frozen at capture."""
        return WireRecord.model_validate_json(self.payload)


# ---------------------------------------------------------------------------- this kiosk


class KioskIdentity(KioskTable, table=True):
    """Who this kiosk is (single row, ``id == 1``), saved at enrolment.

    The signing key is NOT here: it lives in ``settings.credentials_dir`` outside the database.
    """

    __tablename__ = "kiosk_identity"

    id: int = Field(default=SINGLE_ROW_ID, primary_key=True)
    kiosk_id: uuid.UUID
    clues: str = Field(max_length=32)
    unit_name: str = Field(max_length=200)
    unit_number: int
    kiosk_number: int
    module_id: uuid.UUID
    module_name: str = Field(max_length=200)
    ooad_code: str | None = Field(default=None, max_length=16)
    umae_code: str | None = Field(default=None, max_length=16)
    tracking_base_url: str = Field(max_length=500)
    timezone: str = Field(default="America/Mexico_City", max_length=64)
    sealing_public_key: str = Field(max_length=64)
    server_url: str = Field(max_length=500)
    enrolled_at: datetime = _ts()
    revoked_at: datetime | None = _ts(nullable=True)
    revoked_reason: str | None = Field(default=None, max_length=500)

    def unit_config(self) -> UnitConfig:
        return UnitConfig(
            clues=self.clues,
            name=self.unit_name,
            unit_number=self.unit_number,
            kiosk_number=self.kiosk_number,
            module_id=self.module_id,
            module_name=self.module_name,
            ooad_code=self.ooad_code,
            umae_code=self.umae_code,
            tracking_base_url=self.tracking_base_url,
            timezone=self.timezone,
        )

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


class KioskSetting(KioskTable, table=True):
    """A setting that came down from the central server (versioned)."""

    __tablename__ = "kiosk_setting"

    key: str = Field(primary_key=True, max_length=128)
    value: Any = Field(default=None, sa_column=Column(JSON, nullable=True))
    version: int = 1
    updated_at: datetime = _ts()


class SyncState(KioskTable, table=True):
    """Where sync stands (single row, ``id == 1``)."""

    __tablename__ = "sync_state"

    id: int = Field(default=SINGLE_ROW_ID, primary_key=True)
    pull_cursor: int = 0
    last_success_at: datetime | None = _ts(nullable=True)
    last_attempt_at: datetime | None = _ts(nullable=True)
    last_error_code: str | None = Field(default=None, max_length=64)
    last_error_detail: str | None = Field(default=None, max_length=500)
    clock_offset_seconds: float | None = None


class Counter(KioskTable, table=True):
    """Monotonic per-kiosk counters (outbox sequence, case sequence). Never decremented, so
    a number is never reused even if rows are ever removed."""

    __tablename__ = "counter"

    name: str = Field(primary_key=True, max_length=32)
    value: int = 0


# ---------------------------------------------------------------------------- pulled (down)
# Added in revision 0002.


class Instrument(KioskTable, table=True):
    """A survey instrument as the central server sent it (latest version per id)."""

    __tablename__ = "instrument"

    id: str = Field(primary_key=True, max_length=64)
    version: int
    data: dict[str, Any] = _json(dict)
    updated_at: datetime = _ts()


class Catalogue(KioskTable, table=True):
    """A catalogue (services, categories, reasons...) from the central server."""

    __tablename__ = "catalogue"

    name: str = Field(primary_key=True, max_length=64)
    version: int
    data: dict[str, Any] = _json(dict)
    updated_at: datetime = _ts()


class CaseStatus(KioskTable, table=True):
    """The central server's view of a case filed here (stage and deadlines), from the pull."""

    __tablename__ = "case_status"

    case_id: uuid.UUID = Field(primary_key=True)
    folio: str = Field(max_length=16, index=True)
    stage: str = _enum()
    impacto_institucional: bool = False
    completion_due: str | None = Field(default=None, max_length=10)  # ISO date
    resolution_due: str | None = Field(default=None, max_length=10)  # ISO date
    version: int = 1
    updated_at: datetime = _ts()


class CaseStatusChange(KioskTable, table=True):
    """A stage the pull brought for a case, when the server changed it (0005): the timeline
    of stages on the module's case detail; :class:`CaseStatus` keeps only the latest."""

    __tablename__ = "case_status_change"

    id: int | None = Field(default=None, primary_key=True)
    case_id: uuid.UUID = Field(index=True)
    stage: str = _enum()
    changed_at: datetime = _ts()
    version: int


class StaffMember(KioskTable, table=True):
    """An agent of this unit, from the pulled roster: who may sign in here (0004: the PIN's
    argon2id hash, never the PIN), what they may read, their Buen Trato certification."""

    __tablename__ = "staff_member"

    id: str = Field(primary_key=True, max_length=128)  # the roster id (employee number)
    display_name: str = Field(default="", max_length=200)
    role: str = Field(default="", max_length=64)  # StaffRole
    active: bool = True
    version: int = 1
    data: dict[str, Any] = _json(dict)
    updated_at: datetime = _ts()
    pin_hash: str | None = Field(default=None, max_length=255)
    can_read_sensitive: bool = False
    certified_on: date | None = None
    certified_until: date | None = None


# ---------------------------------------------------------------------------- staff (0004)


class LocalAdmin(KioskTable, table=True):
    """The kiosk's own administrator (single row, ``id == 1``), made at enrolment: signs in
    before any roster arrives, and reaches the kiosk's settings."""

    __tablename__ = "local_admin"

    id: int = Field(default=SINGLE_ROW_ID, primary_key=True)
    pin_hash: str = Field(max_length=255)
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class StaffLockout(KioskTable, table=True):
    """An account's wrong PINs in a row and the end of its wait (wall clock), kept so that a
    restart does not give five more tries (kiosk/flow/pin.py)."""

    __tablename__ = "staff_lockout"

    staff_id: str = Field(primary_key=True, max_length=128)
    failures: int = 0
    locked_until: datetime | None = _ts(nullable=True)
    updated_at: datetime = _ts()


class StaffAudit(KioskTable, table=True):
    """Who signed in, out, or was locked out, and when: the staff id and what happened,
    never a PIN (nor what was typed for an unknown account)."""

    __tablename__ = "staff_audit"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    at: datetime = _ts(index=True)
    staff_id: str = Field(max_length=128)
    action: str = Field(max_length=32)  # kiosk.services.staff.AuditAction
    detail: str = Field(default="", max_length=64)
