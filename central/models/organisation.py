"""The organisation and its kiosks: Nivel Central → (OOAD | UMAE) → unit → module, the
enrolled kiosks, their one-time enrolment tokens and the nonces of their signed requests."""

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from central.db import utcnow
from central.models.columns import bigint, json_field, string, timestamp


class OrgLevel(StrEnum):
    NIVEL_CENTRAL = "nivel_central"
    OOAD = "ooad"
    UMAE = "umae"
    UNIT = "unit"
    MODULE = "module"


class KioskStatus(StrEnum):
    ENROLLED = "enrolled"
    REVOKED = "revoked"
    #: Not a machine: the server's own desk in a unit (cases registered on the web, the 800
    #: line), kiosk number 0 (trato.domain.folio.SERVER_KIOSK_NUMBER). It never signs a request
    #: and is left out of every list of kiosks.
    DESK = "desk"


class OrgNode(SQLModel, table=True):
    """One node of Nivel Central → (OOAD | UMAE) → unit (CLUES) → module."""

    __tablename__ = "org_node"
    __table_args__ = (sa.UniqueConstraint("level", "code", name="uq_org_node_level_code"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    level: str = string(16, index=True)  # OrgLevel
    code: str = string(64, index=True)  # OOAD/UMAE code, the CLUES of a unit, module code
    name: str = string(200)
    parent_id: uuid.UUID | None = Field(default=None, foreign_key="org_node.id", index=True)
    #: Denormalised branch ids (set on units and modules; on OOAD/UMAE nodes, their own id).
    ooad_id: uuid.UUID | None = Field(default=None, foreign_key="org_node.id", index=True)
    umae_id: uuid.UUID | None = Field(default=None, foreign_key="org_node.id", index=True)
    unit_id: uuid.UUID | None = Field(default=None, foreign_key="org_node.id", index=True)
    clues: str | None = string(16, default=None, unique=True)  # units only
    unit_number: int | None = Field(default=None, unique=True)  # units only: folio code
    unit_type: str = string(32, default="")  # UMF, HGZ, HGR, HGP, UMAE …
    state: str = string(64, default="")
    city: str = string(100, default="")
    active: bool = True
    created_at: datetime = timestamp(default_factory=utcnow)


class Kiosk(SQLModel, table=True):
    __tablename__ = "kiosk"
    __table_args__ = (sa.UniqueConstraint("unit_id", "kiosk_number", name="uq_kiosk_unit_number"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    module_id: uuid.UUID = Field(foreign_key="org_node.id", index=True)
    unit_id: uuid.UUID = Field(foreign_key="org_node.id", index=True)
    ooad_id: uuid.UUID | None = Field(default=None, foreign_key="org_node.id", index=True)
    umae_id: uuid.UUID | None = Field(default=None, foreign_key="org_node.id", index=True)
    kiosk_number: int
    signing_public_key: str = string(64)
    status: str = string(16, default=KioskStatus.ENROLLED.value, index=True)  # KioskStatus
    hostname: str = string(128, default="")
    enrolled_at: datetime = timestamp(default_factory=utcnow)
    revoked_at: datetime | None = timestamp(default=None)
    revoke_reason: str = string(500, default="")
    last_sync_at: datetime | None = timestamp(default=None)
    app_version: str = string(32, default="")
    clock_offset_seconds: float | None = None  # server time minus the kiosk's clock
    backlog: int = bigint(default=0)  # records waiting on the kiosk at its last push
    last_seq: int = bigint(default=0)  # highest record sequence received
    records_received: int = bigint(default=0)
    # The kiosk's last self-test as it reported it (KioskReport): when it ran on the kiosk's
    # clock, ok / warnings / failures, and [{"name", "status"}] per check.
    self_test_at: datetime | None = timestamp(default=None)
    self_test_result: str = string(16, default="")
    self_test_checks: list[dict[str, str]] | None = json_field(default=None)
    reported_at: datetime | None = timestamp(default=None)  # server time of the last report
    # Signed updates (0013): the kiosk's last reported UpdateStatus (state "" = none).
    update_state: str = string(16, default="")
    update_version: str = string(32, default="")
    update_detail: str = string(64, default="")
    update_at: datetime | None = timestamp(default=None)
    # Its platform as it reported it (0017): linux, windows; "" = not reported (older kiosk).
    platform: str = string(16, default="")


class UpdateRollout(SQLModel, table=True):
    """The kiosk version allowed under a branch (one per node): the deepest node above a
    kiosk with a rollout decides what it is offered (central.updates.rollout)."""

    __tablename__ = "update_rollout"

    node_id: uuid.UUID = Field(foreign_key="org_node.id", primary_key=True)
    version: str = string(32)
    staged_by: str = string(150, default="")
    staged_at: datetime = timestamp(default_factory=utcnow)


class EnrolmentToken(SQLModel, table=True):
    """A one-time enrolment token; only its SHA-256 is stored."""

    __tablename__ = "enrolment_token"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    token_hash: str = string(64, unique=True)
    module_id: uuid.UUID = Field(foreign_key="org_node.id", index=True)
    created_at: datetime = timestamp(default_factory=utcnow)
    expires_at: datetime = timestamp()
    used_at: datetime | None = timestamp(default=None)
    kiosk_id: uuid.UUID | None = Field(default=None, foreign_key="kiosk.id")
    created_by: str = string(150, default="")


class SeenNonce(SQLModel, table=True):
    """Nonces of signed requests seen inside the timestamp window (replay protection)."""

    __tablename__ = "seen_nonce"

    kiosk_id: uuid.UUID = Field(foreign_key="kiosk.id", primary_key=True)
    nonce: str = string(64, primary_key=True)
    seen_at: datetime = timestamp(default_factory=utcnow, index=True)
