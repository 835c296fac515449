"""The ingest fast path hashes and scans the record's canonical JSON from the serializer
directly; it must stay byte-identical to ``WireRecord.model_dump_json()`` (stored hashes)."""

import hashlib
import uuid
from datetime import UTC, datetime

from central.services.ingest.parse import content_hash, hash_and_dump, storable_problem
from trato.protocol.wire import WireRecord


def _record(comment: str) -> WireRecord:
    return WireRecord.model_validate({
        "id": str(uuid.uuid4()), "seq": 7, "created_at": datetime.now(UTC).isoformat(),
        "body": {"kind": "survey_response", "instrument_id": "trato-general",
                 "instrument_version": 1, "language": "es", "channel": "kiosk",
                 "service_code": None, "rating": 3, "reasons": ["espera", "trato"],
                 "comment": comment, "answers": {"q1": "sí", "q2": 2, "q3": None},
                 "duration_ms": 9000},
        "sealed": "c2VhbGVk",
    })


def test_hash_is_sha256_of_model_dump_json() -> None:
    record = _record('Atención "rápida" \\ ñandú \u2603')
    digest, dumped = hash_and_dump(record)
    assert dumped == record.model_dump_json().encode("utf-8")
    assert digest == content_hash(record) == hashlib.sha256(dumped).hexdigest()


def test_nul_found_unless_the_caller_vouches_for_the_raw_body() -> None:
    record = _record("a\x00b")
    assert storable_problem(record) == "text must not contain NUL characters"
    assert storable_problem(record, hash_and_dump(record)[1]) is not None
    assert storable_problem(_record("fine")) is None
