"""The outbox state machine and its backoff, on a real SQLite file."""

import random
import tempfile
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from sqlmodel import select

from kiosk.clock import FixedClock
from kiosk.services.cases import CaseService
from kiosk.storage.db import Database, open_database
from kiosk.storage.models import Case, CaseEvent, OutboxEntry, SurveyResponse
from kiosk.storage.outbox import (
    OutboxState,
    enqueue,
    next_batch,
    outbox_counts,
    set_aside_entries,
)
from kiosk.sync import outbox
from kiosk.sync.outbox import (
    InvalidTransition,
    backoff_delay,
    can_transition,
    state_after_result,
    transition,
)
from tests.kiosk.storage.factories import START, add_surveys, case_draft, outbox_entries
from trato.domain.enums import RecordKind
from trato.protocol.wire import CaseEventBody, RecordResult, RecordStatus

W, S, D, A = OutboxState.WAITING, OutboxState.SENDING, OutboxState.SENT, OutboxState.SET_ASIDE


class Constant:
    """A deterministic rng: always the top of the interval (the ceiling)."""

    def uniform(self, a: float, b: float) -> float:
        return b


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (W, S, True),
        (W, D, False),
        (W, A, False),
        (W, W, False),
        (S, W, True),
        (S, D, True),
        (S, A, True),
        (S, S, False),
        (D, W, True),  # only when the server lost it (resend_lost: a restored database)
        (D, S, False),
        (D, A, False),
        (D, D, False),
        (A, W, True),
        (A, S, False),
        (A, D, False),
        (A, A, False),
    ],
)
def test_transition_table(current: OutboxState, target: OutboxState, allowed: bool) -> None:
    assert can_transition(current, target) is allowed
    if allowed:
        assert transition(current, target) is target
    else:
        with pytest.raises(InvalidTransition):
            transition(current, target)


def test_transitions_accept_the_stored_string_values() -> None:
    assert transition("waiting", "sending") is S  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("status", "state"),
    [
        (RecordStatus.STORED, D),
        (RecordStatus.DUPLICATE, D),
        (RecordStatus.CONFLICT, A),
        (RecordStatus.REJECTED, A),
    ],
)
def test_state_after_result(status: RecordStatus, state: OutboxState) -> None:
    assert state_after_result(status) is state


def test_backoff_ceiling_doubles_up_to_the_cap() -> None:
    rng = Constant()
    assert [backoff_delay(n, rng=rng) for n in range(1, 11)] == [
        2,
        4,
        8,
        16,
        32,
        64,
        128,
        256,
        300,
        300,
    ]
    assert backoff_delay(10_000, rng=rng) == 300  # no overflow for absurd attempts
    assert backoff_delay(3, base=0.5, cap=1.0, rng=rng) == 1.0


@given(
    attempt=st.integers(min_value=1, max_value=200),
    base=st.floats(min_value=0.01, max_value=60),
    cap=st.floats(min_value=0.01, max_value=3600),
    seed=st.integers(),
)
def test_backoff_is_full_jitter_within_bounds(
    attempt: int, base: float, cap: float, seed: int
) -> None:
    delay = backoff_delay(attempt, base=base, cap=cap, rng=random.Random(seed))
    assert 0.0 <= delay <= min(cap, base * 2 ** min(attempt - 1, 64))


def test_backoff_without_rng_uses_the_module_random() -> None:
    random.seed(7)
    first = backoff_delay(5)
    random.seed(7)
    assert backoff_delay(5) == first
    assert 0 <= first <= 32


@pytest.mark.parametrize(
    "kwargs", [{"attempt": 0}, {"attempt": 1, "base": 0}, {"attempt": 1, "cap": -1}]
)
def test_backoff_refuses_nonsense(kwargs: dict) -> None:
    attempt = kwargs.pop("attempt")
    with pytest.raises(ValueError):
        backoff_delay(attempt, **kwargs)


def test_mark_sending_counts_attempts_and_skips_non_waiting(
    database: Database, clock: FixedClock
) -> None:
    ids = add_surveys(database, clock, 2)
    now = clock.now()
    with database.write() as session:
        moved = outbox.mark_sending(session, ids=ids, now=now)
        assert [e.id for e in moved] == ids
        again = outbox.mark_sending(session, ids=[*ids, uuid.uuid4()], now=now)
        assert again == []
    for entry in outbox_entries(database).values():
        assert entry.state == S and entry.attempts == 1 and entry.last_attempt_at == now


def test_apply_results_per_record(database: Database, clock: FixedClock) -> None:
    ids = add_surveys(database, clock, 5)
    now = clock.now()
    with database.write() as session:
        outbox.mark_sending(session, ids=ids[:4], now=now)
    results = [
        RecordResult(id=ids[0], status=RecordStatus.STORED),
        RecordResult(id=ids[1], status=RecordStatus.DUPLICATE),
        RecordResult(id=ids[2], status=RecordStatus.REJECTED, reason="rating out of range"),
        RecordResult(id=ids[3], status=RecordStatus.CONFLICT),
        RecordResult(id=ids[4], status=RecordStatus.STORED),  # still waiting: ignored
        RecordResult(id=uuid.uuid4(), status=RecordStatus.STORED),  # unknown: ignored
    ]
    with database.write() as session:
        outcome = outbox.apply_results(session, results=results, now=now)
    assert outcome == outbox.ApplyOutcome(sent=2, set_aside=2, ignored=2)
    entries = outbox_entries(database)
    assert [entries[i].state for i in ids] == [D, D, A, A, W]
    assert entries[ids[0]].sent_at == now and entries[ids[2]].sent_at is None
    assert entries[ids[2]].set_aside_reason == "rejected: rating out of range"
    assert entries[ids[3]].set_aside_reason == "conflict"
    with database.read() as session:
        acks = {r.id: r.acknowledged_at for r in session.exec(select(SurveyResponse)).all()}
        assert [acks[i] for i in ids] == [now, now, None, None, None]
        assert [e.id for e in set_aside_entries(session)] == [ids[2], ids[3]]
        counts = outbox_counts(session)
    assert (counts.waiting, counts.sending, counts.sent, counts.set_aside) == (1, 0, 2, 2)
    assert counts.pending == 1
    assert counts.oldest_waiting_at == START + timedelta(seconds=240)


def test_acknowledgement_reaches_cases_and_case_events(
    enrolled: Database, clock: FixedClock
) -> None:
    saved = CaseService(enrolled, clock).submit(case_draft())
    event_id = uuid.uuid4()
    with enrolled.write() as session:
        session.add(CaseEvent(id=event_id, case_id=saved.id, created_at=START, event_type="note"))
        session.flush()
        enqueue(
            session,
            record_id=event_id,
            kind=RecordKind.CASE_EVENT,
            created_at=START,
            body=CaseEventBody(case_id=saved.id, event_type="note"),
        )
        outbox.mark_sending(session, ids=[saved.id, event_id], now=START)
        outbox.apply_results(
            session,
            results=[
                RecordResult(id=saved.id, status=RecordStatus.STORED),
                RecordResult(id=event_id, status=RecordStatus.DUPLICATE),
            ],
            now=START,
        )
    with enrolled.read() as session:
        assert session.get(Case, saved.id).acknowledged_at == START  # type: ignore[union-attr]
        assert session.get(CaseEvent, event_id).acknowledged_at == START  # type: ignore[union-attr]


def test_record_failure_backs_off_with_jitter_and_retry_after(
    database: Database, clock: FixedClock
) -> None:
    ids = add_surveys(database, clock, 3)
    now = clock.now()
    with database.write() as session:
        outbox.mark_sending(session, ids=ids[:2], now=now)
        moved = outbox.record_failure(session, ids=ids, error="network", now=now, rng=Constant())
    assert [e.id for e in moved] == ids[:2]  # the waiting one is untouched
    entries = outbox_entries(database)
    assert entries[ids[0]].state == W and entries[ids[0]].last_error == "network"
    assert entries[ids[0]].next_attempt_at == now + timedelta(seconds=2)  # attempt 1
    assert entries[ids[2]].last_error is None
    # Second failure: attempt 2 → up to 4 s; a longer Retry-After wins.
    with database.write() as session:
        outbox.mark_sending(session, ids=[ids[0], ids[1]], now=now)
        outbox.record_failure(session, ids=[ids[0]], error="http_503", now=now, rng=Constant())
        outbox.record_failure(
            session, ids=[ids[1]], error="http_429", now=now, rng=Constant(), retry_after=120
        )
    entries = outbox_entries(database)
    assert entries[ids[0]].next_attempt_at == now + timedelta(seconds=4)
    assert entries[ids[1]].next_attempt_at == now + timedelta(seconds=120)
    assert entries[ids[0]].attempts == 2


def test_recover_interrupted_puts_sending_back_to_waiting(
    database: Database, clock: FixedClock
) -> None:
    ids = add_surveys(database, clock, 3)
    with database.write() as session:
        outbox.mark_sending(session, ids=ids[:2], now=clock.now())
    # The process dies here; at the next start:
    with database.write() as session:
        assert outbox.recover_interrupted(session) == 2
        assert outbox.recover_interrupted(session) == 0
    assert {e.state for e in outbox_entries(database).values()} == {W}
    with database.read() as session:
        assert len(next_batch(session, limit=10, now=clock.now())) == 3


def test_empty_id_lists_and_entries_without_a_record_row(database: Database) -> None:
    entry_id = uuid.uuid4()
    with database.write() as session:
        assert outbox.mark_sending(session, ids=[], now=START) == []
        assert outbox.record_failure(session, ids=[], error="x", now=START) == []
        enqueue(
            session,
            record_id=entry_id,
            kind=RecordKind.CASE_EVENT,
            created_at=START,
            body=CaseEventBody(case_id=uuid.uuid4(), event_type="note"),
        )
        outbox.mark_sending(session, ids=[entry_id], now=START)
        outcome = outbox.apply_results(
            session, results=[RecordResult(id=entry_id, status=RecordStatus.STORED)], now=START
        )
    assert outcome.sent == 1
    assert outbox_entries(database)[entry_id].state == D


def test_staff_can_retry_set_aside_entries(database: Database, clock: FixedClock) -> None:
    ids = add_surveys(database, clock, 2)
    now = clock.now()
    with database.write() as session:
        outbox.mark_sending(session, ids=ids, now=now)
        outbox.apply_results(session, results=[RecordResult(id=ids[0], status="rejected")], now=now)  # type: ignore[list-item]
        assert outbox.retry_set_aside(session, ids=ids, now=now + timedelta(hours=1)) == 1
    entry = outbox_entries(database)[ids[0]]
    assert entry.state == W and entry.set_aside_reason is None
    assert entry.next_attempt_at == now + timedelta(hours=1)


class OutboxMachine(RuleBasedStateMachine):
    """Random sequences of what sync and services do, on a real SQLite file, checked
    against a plain model: no entry is ever lost, ``sent`` is final, and the counts and
    the next batch agree with the model after every step."""

    def __init__(self) -> None:
        super().__init__()
        self._dir = tempfile.TemporaryDirectory()
        self.db = open_database(Path(self._dir.name) / "kiosk.db").database
        self.model: dict[uuid.UUID, OutboxState] = {}
        self.now = START
        self.rng = random.Random(0)

    def teardown(self) -> None:
        self.db.close()
        self._dir.cleanup()

    def _in(self, state: OutboxState) -> list[uuid.UUID]:
        return [i for i, s in self.model.items() if s is state]

    @rule()
    def capture(self) -> None:
        record_id = uuid.uuid4()
        with self.db.write() as session:
            enqueue(
                session,
                record_id=record_id,
                kind=RecordKind.CASE_EVENT,
                created_at=self.now,
                body=CaseEventBody(case_id=uuid.uuid4(), event_type="note"),
            )
        self.model[record_id] = W

    @rule(limit=st.integers(1, 5))
    def send_batch(self, limit: int) -> None:
        with self.db.write() as session:
            batch = next_batch(session, limit=limit, now=self.now)
            moved = outbox.mark_sending(session, ids=[e.id for e in batch], now=self.now)
        for entry in moved:
            assert self.model[entry.id] is W
            self.model[entry.id] = S

    @rule(data=st.data())
    def answer(self, data: st.DataObject) -> None:
        sending = self._in(S)
        if not sending:
            return
        chosen = data.draw(st.lists(st.sampled_from(sending), unique=True, max_size=len(sending)))
        statuses = data.draw(
            st.lists(
                st.sampled_from(list(RecordStatus)), min_size=len(chosen), max_size=len(chosen)
            )
        )
        with self.db.write() as session:
            outbox.apply_results(
                session,
                results=[
                    RecordResult(id=i, status=s) for i, s in zip(chosen, statuses, strict=True)
                ],
                now=self.now,
            )
        for i, status in zip(chosen, statuses, strict=True):
            self.model[i] = state_after_result(status)

    @rule()
    def network_fails(self) -> None:
        sending = self._in(S)
        with self.db.write() as session:
            outbox.record_failure(session, ids=sending, error="network", now=self.now, rng=self.rng)
        for i in sending:
            self.model[i] = W

    @rule()
    def crash_and_restart(self) -> None:
        with self.db.write() as session:
            outbox.recover_interrupted(session)
        for i in self._in(S):
            self.model[i] = W

    @rule()
    def staff_retries(self) -> None:
        aside = self._in(A)
        with self.db.write() as session:
            outbox.retry_set_aside(session, ids=aside, now=self.now)
        for i in aside:
            self.model[i] = W

    @rule(seconds=st.integers(0, 400))
    def time_passes(self, seconds: int) -> None:
        self.now += timedelta(seconds=seconds)

    @invariant()
    def store_matches_model(self) -> None:
        with self.db.read() as session:
            stored = {e.id: OutboxState(e.state) for e in session.exec(select(OutboxEntry))}
            counts = outbox_counts(session)
            due = next_batch(session, limit=1000, now=self.now + timedelta(seconds=301))
        assert stored == self.model
        assert (counts.waiting, counts.sending, counts.sent, counts.set_aside) == (
            len(self._in(W)),
            len(self._in(S)),
            len(self._in(D)),
            len(self._in(A)),
        )
        # Backoff is capped at 300 s: every waiting entry is due within the cap.
        assert {e.id for e in due} == set(self._in(W))


OutboxMachine.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_outbox_state_machine = OutboxMachine.TestCase
