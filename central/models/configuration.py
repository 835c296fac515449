"""What flows down to kiosks: the change log, survey instruments, catalogues, settings and the
staff of each unit."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from central.db import utcnow
from central.models.columns import json_field, string, timestamp


class ChangeScope(StrEnum):
    ALL = "all"
    UNIT = "unit"
    KIOSK = "kiosk"
    #: The kiosks of every unit under an OOAD or UMAE (``scope_unit_id`` holds that node).
    BRANCH = "branch"


class ChangeLog(SQLModel, table=True):
    """What flows down to kiosks through the pull cursor (monotonic ``cursor``)."""

    __tablename__ = "change_log"

    cursor: int | None = Field(
        default=None, sa_type=sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
        primary_key=True,
    )
    kind: str = string(32)  # wire.ChangeKind
    key: str = string(128)
    version: int = 1
    data: dict[str, Any] = json_field(default_factory=dict)
    scope: str = string(8, default=ChangeScope.ALL.value)  # ChangeScope
    scope_unit_id: uuid.UUID | None = Field(default=None, foreign_key="org_node.id", index=True)
    scope_kiosk_id: uuid.UUID | None = Field(default=None, foreign_key="kiosk.id", index=True)
    created_at: datetime = timestamp(default_factory=utcnow)


class InstrumentStatus(StrEnum):
    DRAFT = "draft"  # editable, never sent to a kiosk, unknown to the ingest
    PUBLISHED = "published"  # immutable: a change is a new draft version


class Instrument(SQLModel, table=True):
    """A survey instrument version (published to kiosks through the change feed).

    ``fingerprint`` (:func:`trato.protocol.instrument.fingerprint`): versions with the same
    one ask the same headline question on the same scale, so the board may pool them.
    ``scope_node_id``: the branch it was published to (None: the whole institution)."""

    __tablename__ = "instrument"

    instrument_id: str = string(64, primary_key=True)
    version: int = Field(primary_key=True)
    title: str = string(200, default="")
    definition: dict[str, Any] = json_field(default_factory=dict)
    active: bool = True
    published_at: datetime = timestamp(default_factory=utcnow)
    # --- managed on the board (0010)
    status: str = string(16, default=InstrumentStatus.PUBLISHED.value)
    fingerprint: str = string(16, default="")
    scope_node_id: uuid.UUID | None = Field(default=None, foreign_key="org_node.id")
    created_by: str = string(150, default="")
    created_at: datetime | None = timestamp(default_factory=utcnow)


class Catalogue(SQLModel, table=True):
    """A named catalogue version (services, reasons, organisation, …)."""

    __tablename__ = "catalogue"

    name: str = string(64, primary_key=True)
    version: int = Field(primary_key=True)
    data: dict[str, Any] = json_field(default_factory=dict)
    content_hash: str = string(64, default="")
    published_at: datetime = timestamp(default_factory=utcnow)


class Setting(SQLModel, table=True):
    """A setting sent to every kiosk (and shown in the enrolment response)."""

    __tablename__ = "setting"

    key: str = string(128, primary_key=True)
    value: Any = json_field(default=None)
    version: int = 1
    updated_at: datetime = timestamp(default_factory=utcnow)


class StaffMember(SQLModel, table=True):
    """Module staff of a unit, their Buen Trato certification and their kiosk account.

    ``employee_number`` is what the agent types to sign in at the unit's kiosks (with the PIN
    whose argon2id hash is ``pin_hash``, set by ``trato-central set-staff-pin``); the roster
    with the hashes goes down to those kiosks (:func:`central.services.changes.publish_staff`).
    ``role`` is the job title; ``kiosk_role`` what the account may do on a kiosk
    (:class:`trato.domain.enums.StaffRole`)."""

    __tablename__ = "staff_member"
    __table_args__ = (sa.UniqueConstraint("unit_id", "employee_number",
                                          name="uq_staff_member_unit_employee"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    unit_id: uuid.UUID = Field(foreign_key="org_node.id", index=True)
    module_id: uuid.UUID | None = Field(default=None, foreign_key="org_node.id")
    name: str = string(150)
    role: str = string(64, default="agente")  # agente, técnico(a) de atención, coordinador(a)
    certified_buen_trato: bool = False
    certified_at: date | None = None
    active: bool = True
    updated_at: datetime = timestamp(default_factory=utcnow)
    # --- the kiosk account (0004)
    employee_number: str | None = string(64, default=None)
    pin_hash: str | None = string(255, default=None)
    kiosk_role: str = string(16, default="agente")  # StaffRole
    can_read_sensitive: bool = False
    certified_until: date | None = None
