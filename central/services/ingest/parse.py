"""Parse and hash: each record of a batch validated on its own, its content hash taken from
its canonical JSON, and what the wire allows but no column can hold turned away."""

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from pydantic import ValidationError

from central.services.validation import MAX_BIGINT, describe_validation
from trato.protocol.wire import (
    CaseBody,
    RecordResult,
    RecordStatus,
    SurveyResponseBody,
    WireRecord,
)


class BadBatch(ValueError):  # noqa: N818 - reads as a sentence
    """The batch as a whole cannot be answered record by record (e.g. a record without id)."""


def content_hash(record: WireRecord) -> str:
    """SHA-256 of the record's canonical JSON (id, seq, kiosk clock, body, sealed box): the
    validated model serialised in field order, so key order and spacing do not matter."""
    return hash_and_dump(record)[0]


#: ``WireRecord.model_dump_json()`` as UTF-8 bytes, byte for byte, without the Python-level
#: wrapper (half the cost per record; tests/central/services/test_ingest_parse.py checks it).
dump_record = WireRecord.__pydantic_serializer__.to_json


def hash_and_dump(record: WireRecord) -> tuple[str, bytes]:
    dumped = dump_record(record)
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

    def reject(self, reason: str, status: RecordStatus = RecordStatus.REJECTED) -> None:
        self.result = RecordResult(id=self.id, status=status, reason=reason)


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
            vouched = nul_free
        else:  # a plain object: validated here, always scanned for NUL
            item = _validated(index, raw)
            vouched = False
        if item.record is not None:
            item.hash, dumped = hash_and_dump(item.record)
            problem = storable_problem(item.record, dumped, nul_free=vouched)
            if problem:
                item.reject(problem)
        append(item)
    return parsed


def _validated(index: int, raw: Any) -> ParsedRecord:
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
        item.reject(describe_validation(exc.errors()))
    return item


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
                                        else dump_record(record)):
        return "text must not contain NUL characters"
    if record.created_at.year in (1, 9999):  # only these can fall outside UTC's range
        try:
            record.created_at.astimezone(UTC)
        except OverflowError:
            return "created_at: out of range"
    return None
