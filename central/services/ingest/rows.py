"""Rows from records. The central row of a survey response or a case is its body's fields, by
the one list of :mod:`trato.records`, plus the columns only the server has: the kiosk's branch,
the receipt time and, for a case, the follow-up (stage, deadlines, moderation)."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from operator import attrgetter
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from central.models import CaseEventType, Kiosk, RecognitionStatus, SurveyResponse
from central.services.changes import case_status_change_row
from central.services.ingest.bulk import json_text
from central.services.ingest.parse import ParsedRecord
from trato.domain.deadlines import completion_due, resolution_due
from trato.domain.enums import CaseStage, CaseType, SensitiveCategory
from trato.domain.folio import parse_folio
from trato.protocol.wire import CaseBody, CaseEventBody, SurveyResponseBody, WireRecord
from trato.records import SURVEY_FIELDS, record_values

#: The kiosk's place in the tree, copied into every survey response and case row.
BRANCH_COLUMNS = ("kiosk_id", "module_id", "unit_id", "ooad_id", "umae_id")
#: A survey response row in the order the PostgreSQL COPY writes it.
SURVEY_COLUMNS = ("id", *BRANCH_COLUMNS, "seq", *SURVEY_FIELDS, "kiosk_created_at",
                  "received_at")
#: Case types with the Art. 19 deadlines (5 business days to complete, 50 to resolve).
DEADLINE_TYPES = frozenset({CaseType.QUEJA.value})
_SENSITIVE = frozenset(c.value for c in SensitiveCategory)

_survey_values = attrgetter(*SURVEY_FIELDS)
#: Positions of the JSON columns among the survey fields (COPY writes them as text).
_SURVEY_JSON = tuple(i for i, name in enumerate(SURVEY_FIELDS)
                     if isinstance(SurveyResponse.__table__.c[name].type, sa.JSON))


@dataclass(frozen=True)
class Receipt:
    """What every row of one batch shares: the kiosk's branch and the receipt time (also as
    the text PostgreSQL parses), and the local day deadlines count from."""

    branch: dict[str, Any]
    branch_text: tuple[str | None, ...]
    received_at: datetime
    received_text: str
    day: date

    @classmethod
    def of(cls, kiosk: Kiosk, received_at: datetime, timezone: str) -> "Receipt":
        branch = {"kiosk_id": kiosk.id, **{c: getattr(kiosk, c) for c in BRANCH_COLUMNS[1:]}}
        return cls(
            branch=branch,
            branch_text=tuple(None if v is None else str(v) for v in branch.values()),
            received_at=received_at,
            received_text=received_at.isoformat(),
            day=received_at.astimezone(ZoneInfo(timezone)).date(),
        )


def survey_copy_row(it: ParsedRecord, receipt: Receipt) -> tuple[Any, ...]:
    """A survey response as a COPY row in :data:`SURVEY_COLUMNS` order: ids, timestamps and
    JSON as text (``it.id_text`` and ``it.created_text`` set by the ledger insert)."""
    rec: WireRecord = it.record  # type: ignore[assignment]
    values = list(_survey_values(rec.body))
    for i in _SURVEY_JSON:
        values[i] = json_text(values[i])
    return (it.id_text, *receipt.branch_text, rec.seq, *values, it.created_text,
            receipt.received_text)


def survey_row(it: ParsedRecord, receipt: Receipt) -> dict[str, Any]:
    rec: WireRecord = it.record  # type: ignore[assignment]
    body: SurveyResponseBody = rec.body  # type: ignore[assignment]
    return {"id": it.id, **receipt.branch, "seq": rec.seq, **record_values(body),
            "kiosk_created_at": rec.created_at, "received_at": receipt.received_at}


@lru_cache(maxsize=512)
def _deadlines(day: date) -> tuple[date, date]:
    return completion_due(day), resolution_due(day)


def case_row(it: ParsedRecord, receipt: Receipt) -> dict[str, Any]:
    rec: WireRecord = it.record  # type: ignore[assignment]
    body: CaseBody = rec.body  # type: ignore[assignment]
    received_at = receipt.received_at
    completion, resolution = (_deadlines(receipt.day) if body.case_type.value in DEADLINE_TYPES
                              else (None, None))
    recognition = (
        RecognitionStatus.PENDING.value
        if body.case_type == CaseType.RECONOCIMIENTO and body.publish_recognition
        and body.consent_given
        else RecognitionStatus.NOT_REQUESTED.value
    )
    return {
        "id": it.id, **receipt.branch, "seq": rec.seq, **record_values(body),
        "folio": it.folio or parse_folio(body.folio).compact,
        "sensitive": body.sensitive or bool(_SENSITIVE.intersection(body.categories)),
        "sealed_personal": rec.sealed, "kiosk_created_at": rec.created_at,
        "received_at": received_at, "stage": CaseStage.RECEPCION.value,
        "stage_changed_at": received_at, "assigned_to_id": None,
        "impacto_institucional": False, "completion_due": completion,
        "resolution_due": resolution, "closed_at": None, "reopened_count": 0,
        "recognition_status": recognition, "content_hash": it.hash, "status_version": 1,
        "updated_at": received_at,
    }


def received_event_row(case: dict[str, Any], received_at: datetime) -> dict[str, Any]:
    """The first entry of a new case's timeline."""
    return {
        "id": uuid.uuid4(), "case_id": case["id"], "at": received_at,
        "event_type": CaseEventType.RECEIVED.value, "stage_to": case["stage"],
        "stage_from": None, "note": "", "by_user_id": None, "by_name": "",
        "source": "kiosk", "record_id": None, "kiosk_event_type": "",
        "detail": {"channel": case["channel"]},
    }


def new_case_status_change(case: dict[str, Any]) -> dict[str, Any]:
    """The case_status change telling the unit's kiosks about a case just stored."""
    return case_status_change_row(SimpleNamespace(**case))


def kiosk_event_row(it: ParsedRecord, body: CaseEventBody, received_at: datetime, *,
                    stage_from: str | None) -> dict[str, Any]:
    """A case event from a kiosk in the case's timeline; ``stage_from`` is set when its stage
    moved the case."""
    rec: WireRecord = it.record  # type: ignore[assignment]
    moved = stage_from is not None
    return {
        "id": it.id, "case_id": body.case_id, "at": received_at,
        "event_type": (CaseEventType.STAGE_CHANGED if moved else CaseEventType.KIOSK).value,
        "stage_from": stage_from,
        "stage_to": body.stage.value if body.stage else None,
        "note": body.note, "by_name": body.agent, "source": "kiosk", "record_id": it.id,
        "kiosk_event_type": body.event_type,
        "detail": {"kiosk_created_at": rec.created_at.isoformat()},
    }
