"""Rollups: the board's figures kept as counts per local day, so a page reads a few thousand
narrow rows whatever the history holds (docs/adr/0005-board-rollups.md).

=============================  ===========================================================
``rollup_survey_module_day``   survey responses per local day × module × service ×
                               instrument version × fingerprint: how many, how many flagged
                               probable misuse, and the histogram of the ratings of the others
``rollup_survey_unit_day``     the same per local day × unit × fingerprint (what OOAD and
                               UMAE pages read: their units)
``rollup_survey_branch_day``   the same per local day × OOAD or UMAE × fingerprint (what
                               Nivel Central reads: 60 rows a day per fingerprint)
``rollup_case_day``            cases per local day of receipt × module × type × service ×
                               stage × resolution deadline
=============================  ===========================================================

Every rollup row is the sum over the raw rows with its key; the key columns are never NULL
(PostgreSQL and SQLite both let two NULLs into a unique key, which would defeat the upsert):
no OOAD or no UMAE is :data:`NO_NODE`, no service is ``""`` and no resolution deadline is
:data:`NO_DUE` (a date that is never past, so "overdue" needs no special case).

The fingerprint is the instrument version's (:func:`trato.protocol.instrument.fingerprint`,
``instrument.fingerprint``, else the bundled file's; ``""`` for a version neither holds): only
responses with the same fingerprint answered the same headline question on the same scale,
so the board sums one fingerprint at a time (docs/instruments.md).

A local day is the date in Mexico City time (:func:`central.db.local_day`, the board's time) of the
moment the server received the record, never the kiosk's clock.
"""

import uuid
from datetime import date
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from central.models.columns import bigint, partial_index, string

NO_NODE = uuid.UUID(int=0)
NO_SERVICE = ""
NO_DUE = date(9999, 12, 31)
#: The ratings a survey response may carry (trato.records.SurveyFields.rating).
RATINGS = (1, 2, 3, 4, 5)
RATING_COLUMNS = tuple(f"rating_{r}" for r in RATINGS)
SURVEY_MEASURES = ("responses", "misuse", *RATING_COLUMNS)
#: The open quejas, which the board counts by age: partial indexes keep them apart from the
#: closed history (their rows are deleted when they reach zero, see central.models.rollup_sync).
OPEN_QUEJA = "case_type = 'queja' AND stage <> 'cerrado'"


def _key(**kwargs: Any) -> Any:
    return Field(primary_key=True, **kwargs)


def _measure() -> Any:
    return bigint(default=0)


class _SurveyCounts(SQLModel):
    """What every survey rollup counts: responses, those flagged probable misuse, and the
    ratings 1 to 5 of the others."""

    responses: int = _measure()
    misuse: int = _measure()
    rating_1: int = _measure()
    rating_2: int = _measure()
    rating_3: int = _measure()
    rating_4: int = _measure()
    rating_5: int = _measure()


class SurveyModuleDay(_SurveyCounts, table=True):
    __tablename__ = "rollup_survey_module_day"
    __table_args__ = (
        sa.Index("ix_rollup_survey_module_day_unit", "unit_id", "day"),
        sa.Index("ix_rollup_survey_module_day_module", "module_id", "day"),
    )

    day: date = _key()
    module_id: uuid.UUID = _key()
    unit_id: uuid.UUID = _key()
    ooad_id: uuid.UUID = _key()
    umae_id: uuid.UUID = _key()
    service_code: str = string(64, primary_key=True)
    instrument_id: str = string(64, primary_key=True)
    instrument_version: int = bigint(primary_key=True)
    fingerprint: str = string(16, primary_key=True)


class SurveyUnitDay(_SurveyCounts, table=True):
    __tablename__ = "rollup_survey_unit_day"
    __table_args__ = (
        sa.Index("ix_rollup_survey_unit_day_ooad", "ooad_id", "day"),
        sa.Index("ix_rollup_survey_unit_day_umae", "umae_id", "day"),
    )

    day: date = _key()
    unit_id: uuid.UUID = _key()
    ooad_id: uuid.UUID = _key()
    umae_id: uuid.UUID = _key()
    fingerprint: str = string(16, primary_key=True)


class SurveyBranchDay(_SurveyCounts, table=True):
    __tablename__ = "rollup_survey_branch_day"

    day: date = _key()
    ooad_id: uuid.UUID = _key()
    umae_id: uuid.UUID = _key()
    fingerprint: str = string(16, primary_key=True)


_OPEN_COLUMNS = ("ooad_id", "umae_id", "unit_id", "module_id", "service_code", "day",
                 "resolution_due", "cases")


class CaseDay(SQLModel, table=True):
    __tablename__ = "rollup_case_day"
    __table_args__ = (
        sa.Index("ix_rollup_case_day_unit", "unit_id", "day"),
        sa.Index("ix_rollup_case_day_ooad", "ooad_id", "day"),
        sa.Index("ix_rollup_case_day_umae", "umae_id", "day"),
        # The open quejas carry what the board counts of them (index-only scans).
        partial_index("ix_rollup_case_day_open_unit", "unit_id", OPEN_QUEJA, _OPEN_COLUMNS),
        partial_index("ix_rollup_case_day_open_ooad", "ooad_id", OPEN_QUEJA, _OPEN_COLUMNS),
        partial_index("ix_rollup_case_day_open_umae", "umae_id", OPEN_QUEJA, _OPEN_COLUMNS),
        partial_index("ix_rollup_case_day_open_module", "module_id", OPEN_QUEJA, _OPEN_COLUMNS),
    )

    day: date = _key()
    module_id: uuid.UUID = _key()
    unit_id: uuid.UUID = _key()
    ooad_id: uuid.UUID = _key()
    umae_id: uuid.UUID = _key()
    case_type: str = string(32, primary_key=True)
    service_code: str = string(64, primary_key=True)
    stage: str = string(16, primary_key=True)
    resolution_due: date = _key()
    cases: int = _measure()


@lru_cache(maxsize=16)
def key_columns(table: Any) -> tuple[str, ...]:
    """The key of a rollup table (its primary key, in declaration order)."""
    return tuple(c.name for c in table.primary_key.columns)


@lru_cache(maxsize=16)
def measure_columns(table: Any) -> tuple[str, ...]:
    return tuple(c.name for c in table.columns if not c.primary_key)
