"""Ingest of a pushed batch: one result per record, idempotent in the database.

For each record of a batch (docs/design/principles.md, principle 2):

* not valid for its kind → ``rejected`` with a reason (nothing stored, a fixed resend may pass);
* new id → ``stored`` (an :class:`IngestedRecord` row plus the row of its kind);
* known id, same content hash → ``duplicate`` (a success for the kiosk);
* known id, other content → ``conflict`` (the stored original is untouched).

Idempotency lives in the database: ``ingested_record.id`` is the primary key and rows are
inserted with ``INSERT … ON CONFLICT DO NOTHING RETURNING id`` (PostgreSQL and SQLite), so 50
concurrent resends of one record leave exactly one row. Rows are inserted in id order so two
batches that overlap lock in the same order (no deadlock). If a rare race still raises an
integrity error (two different records with one folio) the caller rolls back and calls
:func:`ingest` again with ``one_by_one=True``, which uses a savepoint per record.
"""

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlalchemy import insert, select, text, update
from sqlalchemy import types as sa_types
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session

from central.api.errors import describe_validation
from central.db import utcnow
from central.models import (
    Case,
    CaseEvent,
    CaseEventType,
    IngestedRecord,
    Kiosk,
    RecognitionStatus,
    SurveyResponse,
)
from central.services.changes import record_changes
from trato.domain.deadlines import completion_due, resolution_due
from trato.domain.enums import CaseStage, CaseType, RecordKind, SensitiveCategory
from trato.domain.folio import FolioError, parse_folio
from trato.protocol.wire import (
    CaseBody,
    CaseEventBody,
    CaseStatusData,
    RecordResult,
    RecordStatus,
    SurveyResponseBody,
    WireRecord,
)

_SENSITIVE = frozenset(c.value for c in SensitiveCategory)
_KIOSK = Kiosk.__table__
#: Case types with the Art. 19 deadlines (5 business days to complete, 50 to resolve).
DEADLINE_TYPES = frozenset({CaseType.QUEJA.value})


class BadBatch(ValueError):  # noqa: N818 - reads as a sentence
    """The batch as a whole cannot be answered record by record (e.g. a record without id)."""


def content_hash(record: WireRecord) -> str:
    """SHA-256 of the record's canonical JSON (id, seq, kiosk clock, body, sealed box): the
    validated model serialised in field order, so key order and spacing do not matter."""
    return _hash_and_dump(record)[0]


#: ``WireRecord.model_dump_json()`` as UTF-8 bytes, byte for byte, without the Python-level
#: wrapper (half the cost per record; tests/central/test_ingest_hash.py checks equality).
_dump_record = WireRecord.__pydantic_serializer__.to_json


def _hash_and_dump(record: WireRecord) -> tuple[str, bytes]:
    dumped = _dump_record(record)
    return hashlib.sha256(dumped).hexdigest(), dumped


@dataclass
class ParsedRecord:
    index: int
    id: uuid.UUID
    record: WireRecord | None = None
    hash: str = ""
    result: RecordResult | None = None
    folio: str = ""  # a case's folio in compact form, once checked
    #: The id and kiosk timestamp as text, made once for the PostgreSQL statements (the
    #: ingested_record arrays and the COPY rows; PostgreSQL parses both from text anyway).
    id_text: str = ""
    created_text: str = ""


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


def parse_records(raw_records: Sequence[Any], *, nul_free: bool = False) -> list[ParsedRecord]:
    """Validate each record on its own; a record without a usable id fails the batch.

    ``nul_free``: the caller knows no string of the batch holds a NUL character (its raw JSON
    has no ``\\u0000`` escape, the only way JSON can carry one), so the per-record scan of the
    canonical form for NUL is skipped; every other check still runs."""
    parsed: list[ParsedRecord] = []
    append = parsed.append
    for index, raw in enumerate(raw_records):
        if isinstance(raw, WireRecord):  # already validated (the API's fast path)
            item = ParsedRecord(index=index, id=raw.id, record=raw)
            item.hash, dumped = _hash_and_dump(raw)
            problem = storable_problem(raw, dumped, nul_free=nul_free)
            if problem:
                item.result = RecordResult(id=raw.id, status=RecordStatus.REJECTED,
                                           reason=problem)
            append(item)
            continue
        if not isinstance(raw, dict):
            raise BadBatch(f"records.{index}: not an object")
        try:
            rid = uuid.UUID(str(raw.get("id")))
        except (ValueError, TypeError, AttributeError):
            raise BadBatch(f"records.{index}.id: not a UUID") from None
        item = ParsedRecord(index=index, id=rid)
        try:
            item.record = WireRecord.model_validate(raw)
        except ValidationError as exc:
            item.result = RecordResult(id=rid, status=RecordStatus.REJECTED,
                                       reason=describe_validation(exc.errors()))
        else:
            item.hash, dumped = _hash_and_dump(item.record)
            problem = storable_problem(item.record, dumped)
            if problem:
                item.result = RecordResult(id=item.id, status=RecordStatus.REJECTED,
                                           reason=problem)
        append(item)
    return parsed


MAX_BIGINT = 2**63 - 1


def storable_problem(record: WireRecord, dumped: bytes | None = None, *,
                     nul_free: bool = False) -> str | None:
    """What the wire schema allows but no database column can hold: integers beyond 64 bits,
    NUL characters in text, a kiosk timestamp that cannot be expressed in UTC."""
    body = record.body
    if record.seq > MAX_BIGINT:
        return "seq: number too large"
    if isinstance(body, SurveyResponseBody):
        if body.instrument_version > MAX_BIGINT or body.duration_ms > MAX_BIGINT:
            return "instrument_version or duration_ms: number too large"
    elif isinstance(body, CaseBody) and body.catalogue_version > MAX_BIGINT:
        return "catalogue_version: number too large"
    if not nul_free and b"\\u0000" in (dumped if dumped is not None
                                        else _dump_record(record)):
        return "text must not contain NUL characters"
    if record.created_at.year in (1, 9999):  # only these can fall outside UTC's range
        try:
            record.created_at.astimezone(UTC)
        except OverflowError:
            return "created_at: out of range"
    return None


def _insert_ignore(session: Session, table: Any, rows: list[dict[str, Any]], key: str
                   ) -> set[Any]:
    """INSERT … ON CONFLICT DO NOTHING RETURNING key; the keys actually inserted."""
    if not rows:
        return set()
    dialect = session.get_bind().dialect.name
    ins = pg_insert(table) if dialect == "postgresql" else sqlite_insert(table)
    stmt = ins.on_conflict_do_nothing().returning(table.c[key])
    return {row[0] for row in session.execute(stmt, rows)}


_EMPTY_JSON = {list: "[]", dict: "{}"}


def _bulk_insert(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    """Insert rows known to be new: COPY on PostgreSQL (same transaction), executemany
    elsewhere."""
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        session.execute(insert(table), rows)
        return
    columns = list(rows[0])
    json_columns = [c for c in columns if isinstance(table.c[c].type, sa_types.JSON)]
    conn = session.connection().connection.driver_connection
    assert conn is not None
    names = ", ".join(f'"{c}"' for c in columns)
    statement = f'COPY "{table.name}" ({names}) FROM STDIN'
    dumps = json.dumps
    import psycopg

    try:
        with conn.cursor() as cur, cur.copy(statement) as copy:
            for row in rows:
                for c in json_columns:
                    value = row[c]
                    row[c] = dumps(value, ensure_ascii=False) if value else _EMPTY_JSON.get(
                        type(value), "null")
                copy.write_row(tuple(row.values()))
    except psycopg.Error as exc:
        # Speak SQLAlchemy's exceptions (IntegrityError, DataError, …) like every other path.
        raise DBAPIError.instance(statement, None, exc, psycopg.Error) from exc


def _copy_tuples(session: Session, table: Any, columns: Sequence[str],
                 rows: list[tuple[Any, ...]]) -> None:
    """COPY rows already in column order, JSON columns already as text (PostgreSQL only)."""
    conn = session.connection().connection.driver_connection
    assert conn is not None
    names = ", ".join(f'"{c}"' for c in columns)
    statement = f'COPY "{table.name}" ({names}) FROM STDIN'
    import psycopg

    try:
        with conn.cursor() as cur, cur.copy(statement) as copy:
            write_row = copy.write_row
            for row in rows:
                write_row(row)
    except psycopg.Error as exc:
        raise DBAPIError.instance(statement, None, exc, psycopg.Error) from exc


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if value else _EMPTY_JSON.get(
        type(value), "null")


@lru_cache(maxsize=1024)
def _json_list(values: tuple[str, ...]) -> str:
    """JSON text of a short list of codes (survey reasons repeat a lot)."""
    return json.dumps(list(values), ensure_ascii=False)


SURVEY_COLUMNS = (
    "id", "kiosk_id", "module_id", "unit_id", "ooad_id", "umae_id", "seq", "instrument_id",
    "instrument_version", "language", "channel", "service_code", "rating", "reasons",
    "comment", "answers", "duration_ms", "probable_misuse", "kiosk_created_at", "received_at",
)


def _array(values: Any) -> str:
    return "{" + ",".join(values) + "}"


def _pg_insert_ingested(session: Session, kiosk_id: uuid.UUID, batch_id: uuid.UUID,
                        received_at: datetime, items: list["ParsedRecord"]) -> set[uuid.UUID]:
    """One INSERT … SELECT FROM unnest(arrays) ON CONFLICT DO NOTHING; answers the ids that
    were NOT inserted (already stored), so the usual all-new batch sends no rows back."""
    result = session.execute(
        text(
            "WITH ins AS (INSERT INTO ingested_record "
            "(id, kiosk_id, seq, kind, content_hash, batch_id, kiosk_created_at, received_at) "
            "SELECT u.id, :kiosk_id, u.seq, u.kind, u.hash, :batch_id, u.created, :received "
            "FROM unnest(CAST(:ids AS uuid[]), CAST(:seqs AS bigint[]), "
            "CAST(:kinds AS text[]), CAST(:hashes AS text[]), "
            "CAST(:created AS timestamptz[])) WITH ORDINALITY AS u(id, seq, kind, hash, "
            "created, n) ORDER BY u.n "
            "ON CONFLICT (id) DO NOTHING RETURNING id) "
            "SELECT x.id FROM unnest(CAST(:ids AS uuid[])) AS x(id) "
            "WHERE NOT EXISTS (SELECT 1 FROM ins WHERE ins.id = x.id)"
        ),
        {
            "kiosk_id": kiosk_id, "batch_id": batch_id, "received": received_at,
            # Array literals as text: far cheaper to build than element-wise adaptation, and
            # every element is a UUID, an integer, a fixed identifier, hex or ISO timestamp.
            "ids": _array(it.id_text for it in items),
            "seqs": _array(str(it.record.seq) for it in items),  # type: ignore[union-attr]
            "kinds": _array(it.record.body.kind.value for it in items),  # type: ignore[union-attr]
            "hashes": _array(it.hash for it in items),
            "created": _array(f'"{it.created_text}"' for it in items),
        },
    )
    return {row[0] for row in result}


def _local_date(moment: datetime, tz: str) -> Any:
    return moment.astimezone(ZoneInfo(tz)).date()


def ingest(
    session: Session,
    kiosk: Kiosk,
    raw_records: Sequence[Any],
    *,
    batch_id: uuid.UUID,
    received_at: datetime | None = None,
    timezone: str = "America/Mexico_City",
    one_by_one: bool = False,
    health: dict[str, Any] | None = None,
    nul_free: bool = False,
) -> IngestOutcome:
    """Store what is new; answer every record. Runs in the caller's transaction (no commit).
    ``health``: kiosk columns to update in the same statement (last_sync_at, backlog, …).
    ``nul_free``: see :func:`parse_records`."""
    received_at = received_at or utcnow()
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

    _check_semantics(session, kiosk, candidates)
    todo = [c for c in candidates if c.result is None]
    todo.sort(key=lambda c: c.id.int)  # byte order, as the database orders uuids
    if one_by_one:
        for item in todo:
            try:
                with session.begin_nested():
                    _store(session, kiosk, [item], batch_id, received_at, timezone, outcome)
            except IntegrityError:
                item.result = None
                _answer_existing(session, [item], folio_clash=True)
    else:
        _store(session, kiosk, todo, batch_id, received_at, timezone, outcome)

    for item in repeats:
        first = by_id[item.id]
        assert first.result is not None and item.record is not None
        if first.result.status in (RecordStatus.STORED, RecordStatus.DUPLICATE) and \
                item.hash == first.hash:
            item.result = RecordResult(id=item.id, status=RecordStatus.DUPLICATE)
        elif item.hash == first.hash:
            item.result = first.result
        else:
            item.result = RecordResult(id=item.id, status=RecordStatus.CONFLICT,
                                       reason="the same id appears twice with other content")
    outcome.results = [item.result for item in parsed if item.result is not None]
    assert len(outcome.results) == len(parsed)

    stored = [p for p in parsed if p.result and p.result.status == RecordStatus.STORED]
    values: dict[str, Any] = dict(health or {})
    if stored:
        top = max(p.record.seq for p in stored if p.record)
        values["records_received"] = _KIOSK.c.records_received + len(stored)
        if top > kiosk.last_seq:
            values["last_seq"] = top
    if values:
        # A Core UPDATE: the ORM's bulk UPDATE would evaluate the new values against the
        # objects of the session on each batch; instead the kiosk's updated attributes are
        # expired, so a later read (another batch in the same session) loads them.
        session.execute(update(_KIOSK).where(_KIOSK.c.id == kiosk.id).values(**values))
        if kiosk in session:
            session.expire(kiosk, list(values))
    if outcome.changes:
        # One COPY on PostgreSQL: a statement per case cost more than the rest of it.
        record_changes(session, outcome.changes, write=_bulk_insert)
    return outcome


def _check_semantics(session: Session, kiosk: Kiosk, items: list[ParsedRecord]) -> None:
    """Rejections that need more than the wire schema: folio check digit, folio already used
    by another record, a case event for a case this kiosk's unit does not hold."""
    folios: dict[str, ParsedRecord] = {}
    new_case_ids: set[uuid.UUID] = set()
    for item in items:
        body = item.record.body if item.record else None
        if isinstance(body, CaseBody):
            try:
                compact = item.folio = parse_folio(body.folio).compact
            except FolioError as exc:
                item.result = RecordResult(id=item.id, status=RecordStatus.REJECTED,
                                           reason=f"body.folio: {exc}")
                continue
            if compact in folios:
                item.result = RecordResult(id=item.id, status=RecordStatus.CONFLICT,
                                           reason="folio repeated in the batch")
                continue
            folios[compact] = item
            new_case_ids.add(item.id)
    if folios:
        taken = session.execute(
            select(Case.folio, Case.id).where(Case.folio.in_(list(folios)))  # type: ignore[attr-defined]
        ).all()
        for folio, case_id in taken:
            item = folios[folio]
            if case_id != item.id:
                item.result = RecordResult(id=item.id, status=RecordStatus.CONFLICT,
                                           reason="folio already used by another record")
    event_case_ids = {
        item.record.body.case_id for item in items
        if item.result is None and item.record and isinstance(item.record.body, CaseEventBody)
    }
    if event_case_ids:
        known = {
            cid for cid, unit_id in session.execute(
                select(Case.id, Case.unit_id).where(Case.id.in_(list(event_case_ids)))  # type: ignore[attr-defined]
            ).all() if unit_id == kiosk.unit_id
        }
        for item in items:
            if item.result is None and item.record and isinstance(item.record.body, CaseEventBody):
                cid = item.record.body.case_id
                if cid not in known and cid not in new_case_ids:
                    item.result = RecordResult(
                        id=item.id, status=RecordStatus.REJECTED,
                        reason="body.case_id: no such case in this kiosk's unit",
                    )


def _answer_existing(session: Session, items: list[ParsedRecord], *, folio_clash: bool = False
                     ) -> None:
    """Duplicate or conflict for records whose id the database already holds."""
    if not items:
        return
    stored = dict(session.execute(
        select(IngestedRecord.id, IngestedRecord.content_hash)
        .where(IngestedRecord.id.in_([i.id for i in items]))  # type: ignore[attr-defined]
    ).all())
    for item in items:
        existing = stored.get(item.id)
        if existing is None:
            item.result = RecordResult(
                id=item.id, status=RecordStatus.CONFLICT,
                reason="folio already used by another record" if folio_clash
                else "record could not be stored",
            )
        elif existing == item.hash:
            item.result = RecordResult(id=item.id, status=RecordStatus.DUPLICATE)
        else:
            item.result = RecordResult(
                id=item.id, status=RecordStatus.CONFLICT,
                reason="a record with this id and other content is stored; the original is kept",
            )


def _store(session: Session, kiosk: Kiosk, items: list[ParsedRecord], batch_id: uuid.UUID,
           received_at: datetime, timezone: str, outcome: IngestOutcome) -> None:
    if not items:
        return
    if session.get_bind().dialect.name == "postgresql":
        for it in items:
            it.id_text = str(it.id)
            it.created_text = it.record.created_at.isoformat()  # type: ignore[union-attr]
        old_ids = _pg_insert_ingested(session, kiosk.id, batch_id, received_at, items)
        if old_ids:
            new = [it for it in items if it.id not in old_ids]
            _answer_existing(session, [it for it in items if it.id in old_ids])
        else:
            new = items
    else:
        rows = [{
            "id": it.id, "kiosk_id": kiosk.id, "seq": it.record.seq,  # type: ignore[union-attr]
            "kind": it.record.body.kind.value,  # type: ignore[union-attr]
            "content_hash": it.hash, "batch_id": batch_id,
            "kiosk_created_at": it.record.created_at,  # type: ignore[union-attr]
            "received_at": received_at,
        } for it in items]
        new_ids = _insert_ignore(session, IngestedRecord.__table__, rows, "id")
        new = [it for it in items if it.id in new_ids]
        _answer_existing(session, [it for it in items if it.id not in new_ids])

    surveys: list[Any] = []
    cases: list[dict[str, Any]] = []
    events: list[Any] = []
    where = {"kiosk_id": kiosk.id, "module_id": kiosk.module_id, "unit_id": kiosk.unit_id,
             "ooad_id": kiosk.ooad_id, "umae_id": kiosk.umae_id}
    on_pg = session.get_bind().dialect.name == "postgresql"
    # On PostgreSQL survey rows go straight to COPY as tuples in SURVEY_COLUMNS order, ids,
    # timestamps and JSON columns as text (the kiosk's ids and receipt time once per batch).
    where_text = tuple(None if v is None else str(v) for v in where.values())
    received_text = received_at.isoformat()
    stored_result = RecordStatus.STORED
    for it in new:
        rec = it.record
        assert rec is not None
        it.result = RecordResult(id=it.id, status=stored_result)
        body = rec.body
        if isinstance(body, SurveyResponseBody):
            if on_pg:
                surveys.append((
                    it.id_text, *where_text, rec.seq, body.instrument_id,
                    body.instrument_version, body.language, body.channel.value,
                    body.service_code, body.rating,
                    _json_list(tuple(body.reasons)) if body.reasons else "[]", body.comment,
                    _json_text(body.answers) if body.answers else "{}", body.duration_ms,
                    body.probable_misuse, it.created_text, received_text,
                ))
                continue
            surveys.append({
                "id": it.id, **where, "seq": rec.seq,
                "instrument_id": body.instrument_id,
                "instrument_version": body.instrument_version, "language": body.language,
                "channel": body.channel.value, "service_code": body.service_code,
                "rating": body.rating, "reasons": list(body.reasons),
                "comment": body.comment, "answers": dict(body.answers),
                "duration_ms": body.duration_ms, "probable_misuse": body.probable_misuse,
                "kiosk_created_at": rec.created_at, "received_at": received_at,
            })
        elif isinstance(body, CaseBody):
            cases.append(_case_row(it, rec, body, where, received_at, timezone))
        elif isinstance(body, CaseEventBody):
            events.append((it, rec, body))

    if surveys:
        if on_pg:
            _copy_tuples(session, SurveyResponse.__table__, SURVEY_COLUMNS, surveys)
        else:
            _bulk_insert(session, SurveyResponse.__table__, surveys)
        outcome.stored[RecordKind.SURVEY_RESPONSE.value] = len(surveys)
    changes: list[dict[str, Any]] = []
    if cases:
        _bulk_insert(session, Case.__table__, cases)
        _bulk_insert(session, CaseEvent.__table__, [{
            "id": uuid.uuid4(), "case_id": c["id"], "at": received_at,
            "event_type": CaseEventType.RECEIVED.value, "stage_to": c["stage"],
            "stage_from": None, "note": "", "by_user_id": None, "by_name": "",
            "source": "kiosk", "record_id": None, "kiosk_event_type": "",
            "detail": {"channel": c["channel"]},
        } for c in cases])
        for c in cases:
            changes.append(_status_change(c))
        outcome.stored[RecordKind.CASE.value] = len(cases)
        outcome.case_ids.extend(c["id"] for c in cases)
    if events:
        _apply_case_events(session, events, received_at, changes, outcome)
        outcome.stored[RecordKind.CASE_EVENT.value] = len(events)
    outcome.changes.extend(changes)


@lru_cache(maxsize=512)
def _deadlines(day: Any) -> tuple[Any, Any]:
    return completion_due(day), resolution_due(day)


def _case_row(it: ParsedRecord, rec: WireRecord, body: CaseBody, where: dict[str, Any],
              received_at: datetime, timezone: str) -> dict[str, Any]:
    day = _local_date(received_at, timezone)
    deadlines = body.case_type.value in DEADLINE_TYPES
    sensitive = body.sensitive or bool(_SENSITIVE.intersection(body.categories))
    recognition = (
        RecognitionStatus.PENDING.value
        if body.case_type == CaseType.RECONOCIMIENTO and body.publish_recognition
        and body.consent_given
        else RecognitionStatus.NOT_REQUESTED.value
    )
    return {
        "id": it.id, **where, "seq": rec.seq,
        "folio": it.folio or parse_folio(body.folio).compact,
        "case_type": body.case_type.value, "channel": body.channel.value,
        "language": body.language, "service_code": body.service_code,
        "categories": list(body.categories), "sensitive": sensitive,
        "narrative": body.narrative, "request": body.request,
        "staff_involved": body.staff_involved, "recognised_person": body.recognised_person,
        "publish_recognition": body.publish_recognition, "has_contact": body.has_contact,
        "privacy_notice_version": body.privacy_notice_version,
        "consent_given": body.consent_given, "catalogue_version": body.catalogue_version,
        "from_survey_id": body.from_survey_id, "sealed_personal": rec.sealed,
        "kiosk_created_at": rec.created_at, "received_at": received_at,
        "stage": CaseStage.RECEPCION.value, "stage_changed_at": received_at,
        "assigned_to_id": None, "impacto_institucional": False,
        "completion_due": _deadlines(day)[0] if deadlines else None,
        "resolution_due": _deadlines(day)[1] if deadlines else None,
        "closed_at": None, "reopened_count": 0, "recognition_status": recognition,
        "content_hash": it.hash, "status_version": 1, "updated_at": received_at,
    }


def _status_change(c: dict[str, Any]) -> dict[str, Any]:
    data = CaseStatusData(
        case_id=c["id"], folio=c["folio"], stage=c["stage"],
        impacto_institucional=c["impacto_institucional"], updated_at=c["updated_at"],
        completion_due=c["completion_due"].isoformat() if c["completion_due"] else None,
        resolution_due=c["resolution_due"].isoformat() if c["resolution_due"] else None,
    ).model_dump(mode="json")
    return {"kind": "case_status", "key": str(c["id"]), "data": data, "unit_id": c["unit_id"],
            "version": c["status_version"]}


def _apply_case_events(session: Session, events: list[tuple[ParsedRecord, WireRecord,
                                                             CaseEventBody]],
                       received_at: datetime, changes: list[dict[str, Any]],
                       outcome: IngestOutcome) -> None:
    """Store kiosk case events in the timeline; a stage given moves the case."""
    rows = []
    for it, rec, body in sorted(events, key=lambda e: e[1].seq):
        case = session.get(Case, body.case_id)
        assert case is not None
        stage_from = case.stage
        moved = body.stage is not None and body.stage.value != case.stage
        if moved:
            assert body.stage is not None
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
            changes.append(_status_change(case.model_dump()))
            outcome.status_changed_case_ids.append(case.id)
        rows.append({
            "id": it.id, "case_id": body.case_id, "at": received_at,
            "event_type": (CaseEventType.STAGE_CHANGED if moved else CaseEventType.KIOSK).value,
            "stage_from": stage_from if moved else None,
            "stage_to": body.stage.value if body.stage else None,
            "note": body.note, "by_name": body.agent, "source": "kiosk", "record_id": it.id,
            "kiosk_event_type": body.event_type, "detail": {"kiosk_created_at":
                                                            rec.created_at.isoformat()},
        })
    _bulk_insert(session, CaseEvent.__table__, rows)


__all__ = ["BadBatch", "IngestOutcome", "content_hash", "ingest", "parse_records"]
