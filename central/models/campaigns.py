"""Perception campaigns (issue 12, item 2): a perception instrument asked in chosen units
between two local dates, through chosen channels, with a target of responses per unit; and
their results kept as counts, maintained by the ingest in the batch's transaction.

==============================  ============================================================
``campaign``                    name, instrument id and version, window (local dates, both
                                included), channels, target per unit, the branch it was made
                                in (its creator's scope), the node chosen as its coverage, and its
                                withdrawal (when, by whom, why)
``campaign_unit``               the units it covers, with their OOAD and UMAE (scope filter)
``rollup_campaign_unit``        per campaign × unit × question: answers, "no aplica", and the
                                histogram of the ratings; question ``""`` counts the campaign's
                                responses of the unit (what the target is measured against)
==============================  ============================================================
"""

import uuid
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from central.db import utcnow
from central.models.columns import bigint, json_field, string, timestamp

#: ``rollup_campaign_unit.question`` of the row counting whole responses.
WHOLE_RESPONSE = ""


class Campaign(SQLModel, table=True):
    __tablename__ = "campaign"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = string(200)
    instrument_id: str = string(64, index=True)
    instrument_version: int = Field()
    starts_on: date
    ends_on: date
    channels: list[str] = json_field(default_factory=list)  # trato.domain.campaigns.CampaignChannel
    target_per_unit: int
    #: The node chosen as coverage (None: a list of units was chosen).
    coverage_node_id: uuid.UUID | None = Field(default=None, foreign_key="org_node.id")
    #: The branch of the user who made it (its scope column and node; None: Nivel Central).
    owner_column: str | None = string(16, default=None)
    owner_node_id: uuid.UUID | None = Field(default=None, foreign_key="org_node.id")
    created_by: str = string(150, default="")
    created_at: datetime = timestamp(default_factory=utcnow)
    #: Withdrawn (None: not): its kiosks received it switched off; its responses are kept.
    withdrawn_at: datetime | None = timestamp(default=None)
    withdrawn_by: str = string(150, default="")
    withdrawn_reason: str = string(500, default="")
    #: Its last edit or its withdrawal (None: never changed since it was made).
    updated_at: datetime | None = timestamp(default=None)


class CampaignUnit(SQLModel, table=True):
    __tablename__ = "campaign_unit"
    __table_args__ = (sa.Index("ix_campaign_unit_unit", "unit_id"),)

    campaign_id: uuid.UUID = Field(foreign_key="campaign.id", primary_key=True)
    unit_id: uuid.UUID = Field(foreign_key="org_node.id", primary_key=True)
    ooad_id: uuid.UUID | None = Field(default=None, index=True)
    umae_id: uuid.UUID | None = Field(default=None, index=True)


class CampaignUnitRollup(SQLModel, table=True):
    __tablename__ = "rollup_campaign_unit"

    campaign_id: uuid.UUID = Field(primary_key=True)
    unit_id: uuid.UUID = Field(primary_key=True)
    question: str = string(64, primary_key=True)
    answers: int = bigint(default=0)
    not_applicable: int = bigint(default=0)
    rating_1: int = bigint(default=0)
    rating_2: int = bigint(default=0)
    rating_3: int = bigint(default=0)
    rating_4: int = bigint(default=0)
    rating_5: int = bigint(default=0)


def empty_counts(campaign_id: uuid.UUID, unit_id: uuid.UUID, question: str) -> dict[str, Any]:
    return {"campaign_id": campaign_id, "unit_id": unit_id, "question": question,
            "answers": 0, "not_applicable": 0, "rating_1": 0, "rating_2": 0, "rating_3": 0,
            "rating_4": 0, "rating_5": 0}
