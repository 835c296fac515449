"""The outbox table: entries numbered and frozen at capture, the due batch, the counts."""

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.clock import FixedClock
from kiosk.storage import outbox
from kiosk.storage.db import Database
from kiosk.storage.models import OutboxEntry
from kiosk.sync.client import MAX_RETRY_AFTER_SECONDS
from kiosk.sync.outbox import DEFAULT_BACKOFF_CAP, mark_sending
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
        # Entry 2 failed once and waits 5 s; entry 3 is already sending.
        backed_off = session.get(OutboxEntry, ids[1])
        assert backed_off is not None
        backed_off.attempts, backed_off.next_attempt_at = 1, now + timedelta(seconds=5)
        mark_sending(session, ids=[ids[2]], now=now)
    with database.read() as session:
        batch = outbox.next_batch(session, limit=10, now=now)
        assert [e.id for e in batch] == [ids[0], ids[3], ids[4]]
        assert [e.id for e in outbox.next_batch(session, limit=2, now=now)] == [ids[0], ids[3]]
        later = now + timedelta(seconds=5)
        assert [e.id for e in outbox.next_batch(session, limit=10, now=later)] == [
            ids[0], ids[1], ids[3], ids[4]]


def test_a_clock_put_back_holds_nothing_back(database: Database, clock: FixedClock) -> None:
    """Records saved while the clock ran a day ahead go out once it is corrected: never-tried
    ones at once, and a backoff that would end further ahead than any real wait."""
    ids = add_surveys(database, clock, 3)
    now = clock.now()
    with database.write() as session:
        for entry_id, wait in ((ids[1], timedelta(minutes=4)), (ids[2], timedelta(seconds=5))):
            entry = session.get(OutboxEntry, entry_id)
            assert entry is not None
            entry.attempts, entry.next_attempt_at = 2, now + wait
    corrected = now - timedelta(days=1)
    with database.read() as session:
        assert [e.id for e in outbox.next_batch(session, limit=10, now=corrected)] == ids
        # A real backoff still waits when the clock is right.
        assert [e.id for e in outbox.next_batch(session, limit=10, now=now)] == [ids[0]]


def test_no_wait_the_engine_schedules_reaches_the_longest_wait() -> None:
    """Otherwise a real backoff would be mistaken for a clock put back."""
    spread = 60.0  # the most the engine adds to a Retry-After (SyncEngine.next_delay)
    longest = max(DEFAULT_BACKOFF_CAP, MAX_RETRY_AFTER_SECONDS + spread)
    assert timedelta(seconds=longest) < outbox.LONGEST_WAIT


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
