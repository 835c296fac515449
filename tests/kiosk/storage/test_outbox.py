"""The outbox table: entries numbered and frozen at capture, the due batch, the counts."""

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.clock import FixedClock
from kiosk.storage import outbox
from kiosk.storage.db import Database
from kiosk.storage.models import OutboxEntry
from kiosk.sync.outbox import mark_sending
from tests.kiosk.storage.factories import START, add_surveys, outbox_entries
from trato.domain.enums import CaseStage, RecordKind
from trato.protocol.wire import CaseEventBody

W = outbox.OutboxState.WAITING


def test_enqueue_numbers_entries_and_freezes_the_wire_json(database: Database) -> None:
    case_id = uuid.uuid4()
    with database.write() as session:
        first = outbox.enqueue(
            session,
            record_id=uuid.uuid4(),
            kind=RecordKind.CASE_EVENT,
            created_at=START,
            body=CaseEventBody(case_id=case_id, event_type="note", note="ñ 😀"),
        )
        second = outbox.enqueue(
            session,
            record_id=uuid.uuid4(),
            kind=RecordKind.CASE_EVENT,
            created_at=START,
            body=CaseEventBody(case_id=case_id, event_type="stage", stage=CaseStage.DICTAMEN),
            sealed="c2VhbGVk",
        )
    assert (first.seq, second.seq) == (1, 2)
    entries = outbox_entries(database)
    stored = entries[first.id]
    assert stored.payload == first.payload
    assert json.loads(stored.payload)["body"]["note"] == "ñ 😀"
    record = entries[second.id].wire_record()
    assert record.seq == 2 and record.sealed == "c2VhbGVk"
    assert record.body.stage == CaseStage.DICTAMEN  # type: ignore[union-attr]
    assert stored.state == W and stored.attempts == 0 and stored.next_attempt_at == START


def test_sequence_is_never_reused_after_a_rolled_back_write(
    database: Database, clock: FixedClock
) -> None:
    add_surveys(database, clock, 1)
    with pytest.raises(RuntimeError), database.write() as session:
        outbox.enqueue(
            session,
            record_id=uuid.uuid4(),
            kind=RecordKind.CASE_EVENT,
            created_at=START,
            body=CaseEventBody(case_id=uuid.uuid4(), event_type="x"),
        )
        raise RuntimeError("boom")
    add_surveys(database, clock, 1)
    assert sorted(e.seq for e in outbox_entries(database).values()) == [1, 2]


def test_next_batch_takes_due_waiting_entries_in_seq_order(
    database: Database, clock: FixedClock
) -> None:
    ids = add_surveys(database, clock, 5)
    now = clock.now()
    with database.write() as session:
        assert outbox.next_batch(session, limit=0, now=now) == []
        # Entry 2 is not due yet, entry 3 is already sending.
        session.get(OutboxEntry, ids[1]).next_attempt_at = now + timedelta(seconds=5)  # type: ignore[union-attr]
        mark_sending(session, ids=[ids[2]], now=now)
    with database.read() as session:
        batch = outbox.next_batch(session, limit=10, now=now)
        assert [e.id for e in batch] == [ids[0], ids[3], ids[4]]
        assert [e.id for e in outbox.next_batch(session, limit=2, now=now)] == [ids[0], ids[3]]
        # A clock behind the records' time still sends nothing early, but also loses nothing:
        assert outbox.next_batch(session, limit=10, now=START - timedelta(days=1)) == []


def test_counts_of_an_empty_outbox(database: Database) -> None:
    with database.read() as session:
        counts = outbox.outbox_counts(session)
        assert counts == outbox.OutboxCounts()
        assert outbox.set_aside_entries(session) == []


def test_next_counter_starts_at_one_per_name(database: Database) -> None:
    with database.write() as session:
        assert [outbox.next_counter(session, name="a") for _ in range(3)] == [1, 2, 3]
        assert outbox.next_counter(session, name="b") == 1


def test_timestamps_round_trip_as_aware_utc(database: Database) -> None:
    from zoneinfo import ZoneInfo

    local = datetime(2026, 5, 1, 9, 15, 30, 123456, tzinfo=ZoneInfo("America/Mexico_City"))
    with database.write() as session:
        entry = outbox.enqueue(
            session,
            record_id=uuid.uuid4(),
            kind=RecordKind.CASE_EVENT,
            created_at=local,
            body=CaseEventBody(case_id=uuid.uuid4(), event_type="x"),
        )
    stored = outbox_entries(database)[entry.id]
    assert stored.created_at == local
    assert stored.created_at.tzinfo == UTC
    with database.engine.connect() as conn:
        raw = conn.exec_driver_sql("SELECT created_at FROM outbox_entry").scalar()
    assert raw == "2026-05-01T15:15:30.123456+00:00"
