"""Alerts: the rules a branch keeps (``AlertRule``), the alerts they raised (``Alert``) and the
mails waiting for the SMTP server (``AlertMail``), evaluated by :mod:`central.services.alerts`.

An alert is *active* while ``closed_at`` is NULL; a partial unique index keeps at most one
active alert per (rule, subject), so a condition that holds over many batches (or is seen by
several server processes at once) raises one alert. It closes itself when the condition
clears; an acknowledgement (with a note) is recorded on it and does not close it.
"""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from central.db import utcnow
from central.models.columns import json_field, partial_index, string, timestamp

ACTIVE = "closed_at IS NULL"


class AlertKind(StrEnum):
    SATISFACTION = "satisfaction"  # a unit's index below the threshold over ≥ N responses
    OVERDUE = "overdue"  # a unit's overdue quejas above the threshold
    HIGH_IMPACT = "high_impact"  # an open queja flagged impacto institucional
    KIOSK_SILENT = "kiosk_silent"  # a kiosk not heard from for more than the threshold hours
    KIOSK_CLOCK = "kiosk_clock"  # a kiosk's clock off by more than the threshold seconds


class AlertRule(SQLModel, table=True):
    """A rule of one branch: it watches the subjects under ``node_id`` (any level)."""

    __tablename__ = "alert_rule"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    node_id: uuid.UUID = Field(foreign_key="org_node.id", index=True)
    kind: str = string(24)  # AlertKind
    threshold: float = 0.0
    min_responses: int = 0  # satisfaction only
    notify: str = string(500, default="")  # e-mail addresses, comma-separated
    active: bool = True
    created_by: str = string(150, default="")
    created_at: datetime = timestamp(default_factory=utcnow)
    updated_at: datetime = timestamp(default_factory=utcnow)


class Alert(SQLModel, table=True):
    """One alert of a rule about one subject (a unit, a kiosk or a case), with its history:
    raised, acknowledged (who, when, note), closed when its condition cleared."""

    __tablename__ = "alert"
    __table_args__ = (
        sa.Index("uq_alert_active", "rule_id", "subject_id", unique=True,
                 postgresql_where=sa.text(ACTIVE), sqlite_where=sa.text(ACTIVE)),
        partial_index("ix_alert_active_unit", "unit_id", ACTIVE),
        partial_index("ix_alert_active_ooad", "ooad_id", ACTIVE),
        partial_index("ix_alert_active_umae", "umae_id", ACTIVE),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    rule_id: uuid.UUID = Field(foreign_key="alert_rule.id", index=True)
    kind: str = string(24)
    subject_type: str = string(16)  # unit / kiosk / case
    subject_id: uuid.UUID
    subject_label: str = string(200, default="")
    unit_id: uuid.UUID = Field(foreign_key="org_node.id")
    module_id: uuid.UUID | None = Field(default=None, foreign_key="org_node.id")
    ooad_id: uuid.UUID | None = Field(default=None, foreign_key="org_node.id")
    umae_id: uuid.UUID | None = Field(default=None, foreign_key="org_node.id")
    figures: dict[str, Any] = json_field(default_factory=dict)  # when raised
    opened_at: datetime = timestamp(default_factory=utcnow, index=True)
    acknowledged_at: datetime | None = timestamp(default=None)
    acknowledged_by: str = string(150, default="")
    acknowledged_note: str = string(2000, default="")
    closed_at: datetime | None = timestamp(default=None)


class AlertMail(SQLModel, table=True):
    """A notification waiting for (or sent through) the SMTP server: the outbox that keeps a
    slow or dead mail server away from the ingest."""

    __tablename__ = "alert_mail"
    __table_args__ = (partial_index("ix_alert_mail_pending", "created_at", "sent_at IS NULL"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    alert_id: uuid.UUID = Field(foreign_key="alert.id", index=True)
    recipients: str = string(500)
    subject: str = string(200)
    body: str = string(4000)
    created_at: datetime = timestamp(default_factory=utcnow)
    sent_at: datetime | None = timestamp(default=None)
    attempts: int = 0
    next_attempt_at: datetime = timestamp(default_factory=utcnow)
    last_error: str = string(300, default="")
