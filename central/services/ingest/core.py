"""``ingest()``: one pushed batch, one answer per record, in the caller's transaction."""

import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import case, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from central.db import local_day, utcnow
from central.models import Case, CaseEvent, Kiosk, SurveyResponse
from central.models.rollup_sync import (
    add_case_counts,
    add_survey_counts,
    case_key,
    count_response,
    survey_counts,
    survey_key,
)
from central.services.changes import case_status_change_row, record_changes
from central.services.ingest.bulk import bulk_insert, copy_tuples, insert_ledger, on_postgres
from central.services.ingest.campaigns import (
    Counts,
    add_campaign_counts,
    campaign_of,
    check_campaign_responses,
    count_campaign_response,
)
from central.services.ingest.checks import answer_existing, check_semantics
from central.services.ingest.parse import ParsedRecord, parse_records
from central.services.ingest.rows import (
    SURVEY_COLUMNS,
    Receipt,
    case_row,
    kiosk_event_row,
    new_case_status_change,
    received_event_row,
    survey_copy_row,
    survey_row,
)
from central.services.instruments import instrument_fingerprints
from trato.domain.enums import CaseStage, RecordKind
from trato.protocol.wire import (
    CaseBody,
    CaseEventBody,
    RecordResult,
    RecordStatus,
    SurveyResponseBody,
)

_KIOSK = Kiosk.__table__


@dataclass
class IngestOutcome:
    results: list[RecordResult]
    stored: dict[str, int] = field(default_factory=dict)
    case_ids: list[uuid.UUID] = field(default_factory=list)
    status_changed_case_ids: list[uuid.UUID] = field(default_factory=list)
    #: Change-log rows to write (case_status); :func:`ingest` writes them last, so the
    #: change-log lock is held as briefly as possible.
    changes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def stored_total(self) -> int:
        return sum(self.stored.values())


def ingest(
    session: Session,
    kiosk: Kiosk,
    raw_records: Sequence[Any],
    *,
    batch_id: uuid.UUID,
    received_at: datetime | None = None,
    clock_offset: float = 0.0,
    timezone: str = "America/Mexico_City",
    one_by_one: bool = False,
    health: dict[str, Any] | None = None,
    nul_free: bool = False,
) -> IngestOutcome:
    """Store what is new; answer every record. Runs in the caller's transaction (no commit).
    ``health``: kiosk columns to update in the same statement (last_sync_at, backlog, …).
    ``nul_free``: see :func:`~central.services.ingest.parse.parse_records`.
    ``clock_offset``: the batch's, server ``received_at`` minus the kiosk's ``sent_at`` in
    seconds: the records' ``created_at`` corrected by it say when each was recorded (a
    campaign's window, :mod:`central.services.ingest.campaigns`)."""
    receipt = Receipt.of(kiosk, received_at or utcnow(), timezone)
    parsed = parse_records(raw_records, nul_free=nul_free)
    outcome = IngestOutcome(results=[])
    by_id: dict[uuid.UUID, ParsedRecord] = {}
    candidates: list[ParsedRecord] = []
    repeats: list[ParsedRecord] = []
    for item in parsed:
        if item.result is not None:
            continue
        if item.id in by_id:
            repeats.append(item)  # the same id twice in one batch: answered after the first
            continue
        by_id[item.id] = item
        candidates.append(item)

    check_semantics(session, kiosk, candidates)
    check_campaign_responses(session, kiosk.unit_id, candidates,
                             received_at=receipt.received_at, clock_offset=clock_offset,
                             timezone=timezone)
    todo = [c for c in candidates if c.result is None]
    todo.sort(key=lambda c: c.id.int)  # byte order, as the database orders uuids
    if one_by_one:
        for item in todo:
            try:
                with session.begin_nested():
                    _store(session, kiosk, [item], batch_id, receipt, outcome)
            except IntegrityError:
                item.result = None
                answer_existing(session, [item], folio_clash=True)
    else:
        _store(session, kiosk, todo, batch_id, receipt, outcome)

    for item in repeats:
        _answer_repeat(item, by_id[item.id])
    outcome.results = [item.result for item in parsed if item.result is not None]
    assert len(outcome.results) == len(parsed)

    _update_kiosk(session, kiosk, parsed, health)
    if outcome.changes:
        # One COPY on PostgreSQL: a statement per case cost more than the rest of it.
        record_changes(session, outcome.changes, write=bulk_insert)
    return outcome


def _answer_repeat(item: ParsedRecord, first: ParsedRecord) -> None:
    """A record whose id came earlier in the same batch."""
    assert first.result is not None and item.record is not None
    if item.hash != first.hash:
        item.reject("the same id appears twice with other content", RecordStatus.CONFLICT)
    elif first.result.status.acknowledged:
        item.result = RecordResult(id=item.id, status=RecordStatus.DUPLICATE)
    else:
        item.result = first.result


def _update_kiosk(session: Session, kiosk: Kiosk, parsed: list[ParsedRecord],
                  health: dict[str, Any] | None) -> None:
    """The kiosk's health columns and record counters, in one UPDATE."""
    stored = [p for p in parsed if p.result and p.result.status == RecordStatus.STORED]
    values: dict[str, Any] = dict(health or {})
    if stored:
        top = max(p.record.seq for p in stored if p.record)
        values["records_received"] = _KIOSK.c.records_received + len(stored)
        if top > kiosk.last_seq:
            # The greater of the stored value and this batch's, in the UPDATE itself: two
            # batches of one kiosk stored at once must not leave the lower (the kiosk reads
            # it back to tell a restored database, kiosk.sync.engine).
            values["last_seq"] = case((_KIOSK.c.last_seq < top, top), else_=_KIOSK.c.last_seq)
    if values:
        # A Core UPDATE: the ORM's bulk UPDATE would evaluate the new values against the
        # objects of the session on each batch; instead the kiosk's updated attributes are
        # expired, so a later read (another batch in the same session) loads them.
        session.execute(update(_KIOSK).where(_KIOSK.c.id == kiosk.id).values(**values))
        if kiosk in session:
            session.expire(kiosk, list(values))


def _store(session: Session, kiosk: Kiosk, items: list[ParsedRecord], batch_id: uuid.UUID,
           receipt: Receipt, outcome: IngestOutcome) -> None:
    if not items:
        return
    old_ids = insert_ledger(session, kiosk.id, batch_id, receipt.received_at, items)
    if old_ids:
        answer_existing(session, [it for it in items if it.id in old_ids])
        items = [it for it in items if it.id not in old_ids]

    on_pg = on_postgres(session)
    surveys: list[Any] = []
    survey_rollup: dict[tuple[Any, ...], dict[str, Any]] = {}
    campaign_rollup: Counts = {}
    day = local_day(receipt.received_at)
    cases: list[dict[str, Any]] = []
    events: list[tuple[ParsedRecord, CaseEventBody]] = []
    stored = RecordStatus.STORED
    fingerprints = instrument_fingerprints(session, {
        (b.instrument_id, b.instrument_version) for it in items
        if isinstance(b := it.record.body, SurveyResponseBody)})  # type: ignore[union-attr]
    for it in items:
        it.result = RecordResult(id=it.id, status=stored)
        body = it.record.body  # type: ignore[union-attr]
        if isinstance(body, SurveyResponseBody):
            surveys.append(survey_copy_row(it, receipt) if on_pg else survey_row(it, receipt))
            if campaign_of(body) is not None:  # no headline question: its own counts
                count_campaign_response(campaign_rollup, receipt.branch["unit_id"], body.answers)
                continue
            version = (body.instrument_id, body.instrument_version)
            key = survey_key(receipt.branch, day, body.service_code, *version,
                             fingerprints.get(version, ""))
            row = survey_rollup.get(key) or survey_rollup.setdefault(key, survey_counts(key))
            count_response(row, body.rating, body.probable_misuse)
        elif isinstance(body, CaseBody):
            cases.append(case_row(it, receipt))
        elif isinstance(body, CaseEventBody):
            events.append((it, body))

    if surveys:
        if on_pg:
            copy_tuples(session, SurveyResponse.__table__, SURVEY_COLUMNS, surveys)
        else:
            bulk_insert(session, SurveyResponse.__table__, surveys)
        add_survey_counts(session.connection(), survey_rollup.values())
        add_campaign_counts(session.connection(), campaign_rollup)
        outcome.stored[RecordKind.SURVEY_RESPONSE.value] = len(surveys)
    changes: list[dict[str, Any]] = []
    if cases:
        bulk_insert(session, Case.__table__, cases)
        add_case_counts(session.connection(), Counter(case_key(c) for c in cases))
        bulk_insert(session, CaseEvent.__table__,
                    [received_event_row(c, receipt.received_at) for c in cases])
        changes.extend(new_case_status_change(c) for c in cases)
        outcome.stored[RecordKind.CASE.value] = len(cases)
        outcome.case_ids.extend(c["id"] for c in cases)
    if events:
        changes.extend(_apply_case_events(session, events, receipt.received_at, outcome))
        outcome.stored[RecordKind.CASE_EVENT.value] = len(events)
    # Last: a savepoint that failed above (one_by_one) leaves no change to write.
    outcome.changes.extend(changes)


def _apply_case_events(session: Session, events: list[tuple[ParsedRecord, CaseEventBody]],
                       received_at: datetime, outcome: IngestOutcome
                       ) -> list[dict[str, Any]]:
    """Store kiosk case events in the timeline; a stage given moves the case. Answers the
    case_status changes of the cases moved."""
    rows = []
    changes = []
    for it, body in sorted(events, key=lambda e: e[0].record.seq):  # type: ignore[union-attr]
        case = session.get(Case, body.case_id)
        assert case is not None
        stage_from = None
        if body.stage is not None and body.stage.value != case.stage:
            stage_from = case.stage
            case.stage = body.stage.value
            case.stage_changed_at = received_at
            if body.stage == CaseStage.CERRADO:
                case.closed_at = received_at
            elif case.closed_at is not None:
                case.closed_at = None
                case.reopened_count += 1
            case.status_version += 1
            case.updated_at = received_at
            session.add(case)
            session.flush()
            changes.append(case_status_change_row(case))
            outcome.status_changed_case_ids.append(case.id)
        rows.append(kiosk_event_row(it, body, received_at, stage_from=stage_from))
    bulk_insert(session, CaseEvent.__table__, rows)
    return changes
