"""The outbox: records waiting for the central server, as a state machine (docs/design/style.md).

States::

    waiting ──mark_sending──▶ sending ──stored/duplicate──▶ sent
       ▲                         │ ──rejected/conflict──▶ set_aside
       └──── failure / crash ────┘

* A record and its outbox entry are written in ONE transaction by the service (:func:`enqueue`).
* The entry holds the exact wire JSON of its :class:`~trato.protocol.wire.WireRecord`, frozen at
  capture: every retry sends the same bytes, so the server can tell a resend (``duplicate``)
  from a different record with the same id (``conflict``).
* Entries are marked ``sending`` BEFORE the request (ODK marks a record before uploading it);
  a crash leaves them ``sending`` and :func:`recover_interrupted` puts them back to
  ``waiting`` at start. Only a per-record answer marks an entry sent, never a bare HTTP 200.
* Failures back off exponentially with full jitter, capped (:func:`backoff_delay`).

Transition and backoff functions are pure; storage functions are keyword-only and take the
session of the caller's transaction.
"""

import json
import random
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from kiosk.storage.models import Case, CaseEvent, Counter, OutboxEntry, SurveyResponse
from trato.domain.enums import RecordKind
from trato.protocol.wire import RecordResult, RecordStatus, WireRecord

#: Counter row holding the last outbox sequence number used.
OUTBOX_SEQ_COUNTER = "outbox_seq"
DEFAULT_BACKOFF_BASE = 2.0
DEFAULT_BACKOFF_CAP = 300.0
_REASON_MAX = 500


class OutboxState(StrEnum):
    WAITING = "waiting"
    SENDING = "sending"
    SENT = "sent"
    SET_ASIDE = "set_aside"


class InvalidTransition(ValueError):  # noqa: N818  (names fixed by the team contract)
    """An outbox entry was asked to move where the state machine does not go."""


# ---------------------------------------------------------------------------- pure functions

_ALLOWED: dict[OutboxState, frozenset[OutboxState]] = {
    OutboxState.WAITING: frozenset({OutboxState.SENDING}),
    OutboxState.SENDING: frozenset({OutboxState.WAITING, OutboxState.SENT, OutboxState.SET_ASIDE}),
    OutboxState.SENT: frozenset(),
    # A set-aside entry goes back to waiting only when staff ask to retry it.
    OutboxState.SET_ASIDE: frozenset({OutboxState.WAITING}),
}


def can_transition(current: OutboxState, target: OutboxState) -> bool:
    """True when the state machine allows ``current`` → ``target``."""
    return target in _ALLOWED[OutboxState(current)]


def transition(current: OutboxState, target: OutboxState) -> OutboxState:
    """``target`` if allowed from ``current``; raises :class:`InvalidTransition` otherwise."""
    current, target = OutboxState(current), OutboxState(target)
    if not can_transition(current, target):
        raise InvalidTransition(f"{current} -> {target}")
    return target


def state_after_result(status: RecordStatus) -> OutboxState:
    """Where a ``sending`` entry goes after the server's answer for that record."""
    if RecordStatus(status).acknowledged:
        return OutboxState.SENT
    return OutboxState.SET_ASIDE


class RandomSource(Protocol):
    def uniform(self, a: float, b: float) -> float: ...


def backoff_delay(
    attempt: int,
    *,
    base: float = DEFAULT_BACKOFF_BASE,
    cap: float = DEFAULT_BACKOFF_CAP,
    rng: RandomSource | None = None,
) -> float:
    """Seconds to wait before retry number ``attempt`` (1 = after the first failure).

    "Full jitter": uniform in ``[0, min(cap, base * 2**(attempt-1))]``, so kiosks that lost
    the network together do not come back together. ``rng`` makes it deterministic in tests.
    """
    if attempt < 1:
        raise ValueError("attempt starts at 1")
    if base <= 0 or cap <= 0:
        raise ValueError("base and cap must be positive")
    # Bound the exponent: 2**64 * base is far above any sane cap.
    ceiling = min(cap, base * (2 ** min(attempt - 1, 64)))
    source = rng if rng is not None else random
    return source.uniform(0.0, ceiling)


# ---------------------------------------------------------------------------- storage


def next_counter(session: Session, *, name: str) -> int:
    """Increment and return the counter ``name`` (starting at 1) inside the caller's
    write transaction. The write lock (BEGIN IMMEDIATE) makes it race-free."""
    counter = session.get(Counter, name)
    if counter is None:
        counter = Counter(name=name, value=0)
    counter.value += 1
    session.add(counter)
    session.flush()
    return counter.value


def enqueue(
    session: Session,
    *,
    record_id: uuid.UUID,
    kind: RecordKind,
    created_at: datetime,
    body: object,
    sealed: str | None = None,
) -> OutboxEntry:
    """Add a record's outbox entry in the caller's transaction (the same one that writes the
    record). Allocates the next per-kiosk ``seq`` and freezes the wire JSON."""
    seq = next_counter(session, name=OUTBOX_SEQ_COUNTER)
    record = WireRecord(id=record_id, seq=seq, created_at=created_at, body=body, sealed=sealed)  # type: ignore[arg-type]
    entry = OutboxEntry(
        id=record_id,
        seq=seq,
        kind=RecordKind(kind),
        payload=record.model_dump_json(),
        state=OutboxState.WAITING,
        attempts=0,
        created_at=created_at,
        next_attempt_at=created_at,
    )
    session.add(entry)
    session.flush()
    return entry


def next_batch(session: Session, *, limit: int, now: datetime) -> list[OutboxEntry]:
    """Waiting entries that are due (``next_attempt_at <= now``), oldest ``seq`` first."""
    if limit < 1:
        return []
    statement = (
        select(OutboxEntry)
        .where(OutboxEntry.state == OutboxState.WAITING)
        .where(OutboxEntry.next_attempt_at <= now)
        .order_by(col(OutboxEntry.seq))
        .limit(limit)
    )
    return list(session.exec(statement).all())


def _entries(session: Session, ids: Iterable[uuid.UUID]) -> list[OutboxEntry]:
    id_list = list(ids)
    if not id_list:
        return []
    return list(
        session.exec(
            select(OutboxEntry)
            .where(col(OutboxEntry.id).in_(id_list))
            .order_by(col(OutboxEntry.seq))
        ).all()
    )


def mark_sending(session: Session, *, ids: Sequence[uuid.UUID], now: datetime) -> list[OutboxEntry]:
    """Move waiting entries to ``sending`` and count the attempt; commit BEFORE the request.
    Entries not waiting any more are skipped (and not returned)."""
    moved = []
    for entry in _entries(session, ids):
        if not can_transition(OutboxState(entry.state), OutboxState.SENDING):
            continue
        entry.state = OutboxState.SENDING
        entry.attempts += 1
        entry.last_attempt_at = now
        session.add(entry)
        moved.append(entry)
    session.flush()
    return moved


_RECORD_TABLES: dict[str, type[SurveyResponse] | type[Case] | type[CaseEvent]] = {
    RecordKind.SURVEY_RESPONSE: SurveyResponse,
    RecordKind.CASE: Case,
    RecordKind.CASE_EVENT: CaseEvent,
}


def _acknowledge_record(session: Session, entry: OutboxEntry, now: datetime) -> None:
    table = _RECORD_TABLES[entry.kind]
    record = session.get(table, entry.id)
    if record is not None and record.acknowledged_at is None:
        record.acknowledged_at = now
        session.add(record)


def _acknowledge_records(session: Session, entries: Sequence[OutboxEntry], now: datetime) -> None:
    """Set ``acknowledged_at`` of the entries' records with one UPDATE per kind and chunk
    (what :func:`_acknowledge_record` does, without a SELECT and a flush per record)."""
    by_kind: dict[str, list[uuid.UUID]] = {}
    for entry in entries:
        by_kind.setdefault(entry.kind, []).append(entry.id)
    for kind, ids in by_kind.items():
        table = _RECORD_TABLES[kind]
        for start in range(0, len(ids), 500):
            session.execute(
                update(table)
                .where(col(table.id).in_(ids[start : start + 500]))
                .where(col(table.acknowledged_at).is_(None))
                .values(acknowledged_at=now)
            )


@dataclass(frozen=True)
class ApplyOutcome:
    sent: int = 0
    set_aside: int = 0
    ignored: int = 0


def apply_results(
    session: Session, *, results: Sequence[RecordResult], now: datetime
) -> ApplyOutcome:
    """Apply the server's per-record answers to entries in ``sending``.

    ``stored``/``duplicate`` → ``sent`` and the record's ``acknowledged_at`` is set;
    ``rejected``/``conflict`` → ``set_aside`` with the reason; the others go on. Answers for
    unknown ids or entries not in ``sending`` are ignored (counted in ``ignored``).
    """
    by_id = {entry.id: entry for entry in _entries(session, [r.id for r in results])}
    sent = set_aside = ignored = 0
    acknowledged: list[OutboxEntry] = []
    for result in results:
        entry = by_id.get(result.id)
        if entry is None or OutboxState(entry.state) is not OutboxState.SENDING:
            ignored += 1
            continue
        target = state_after_result(result.status)
        entry.state = transition(OutboxState(entry.state), target)
        if target is OutboxState.SENT:
            entry.sent_at = now
            entry.last_error = None
            acknowledged.append(entry)
            sent += 1
        else:
            reason = f"{result.status}: {result.reason or ''}".strip().rstrip(":")
            entry.set_aside_reason = reason[:_REASON_MAX]
            set_aside += 1
        session.add(entry)
    session.flush()
    _acknowledge_records(session, acknowledged, now)
    return ApplyOutcome(sent=sent, set_aside=set_aside, ignored=ignored)


def record_failure(
    session: Session,
    *,
    ids: Sequence[uuid.UUID],
    error: str,
    now: datetime,
    rng: RandomSource | None = None,
    base: float = DEFAULT_BACKOFF_BASE,
    cap: float = DEFAULT_BACKOFF_CAP,
    retry_after: float | None = None,
) -> list[OutboxEntry]:
    """A batch did not get per-record answers (network, 5xx, timeout): its ``sending``
    entries go back to ``waiting``, due after a jittered backoff (or the server's
    ``Retry-After`` when that is longer). ``error`` is a short code, never personal data."""
    moved = []
    for entry in _entries(session, ids):
        if OutboxState(entry.state) is not OutboxState.SENDING:
            continue
        delay = backoff_delay(max(entry.attempts, 1), base=base, cap=cap, rng=rng)
        if retry_after is not None:
            delay = max(delay, retry_after)
        entry.state = transition(OutboxState.SENDING, OutboxState.WAITING)
        entry.last_error = error[:_REASON_MAX]
        entry.next_attempt_at = now + timedelta(seconds=delay)
        session.add(entry)
        moved.append(entry)
    session.flush()
    return moved


def recover_interrupted(session: Session) -> int:
    """At start: entries left ``sending`` by a crash go back to ``waiting`` (due now, as
    they were). Returns how many."""
    result = session.execute(
        update(OutboxEntry)
        .where(col(OutboxEntry.state) == OutboxState.SENDING)
        .values(state=OutboxState.WAITING)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def retry_set_aside(session: Session, *, ids: Sequence[uuid.UUID], now: datetime) -> int:
    """Staff asked to retry set-aside entries: back to ``waiting``, due now."""
    count = 0
    for entry in _entries(session, ids):
        if OutboxState(entry.state) is not OutboxState.SET_ASIDE:
            continue
        entry.state = transition(OutboxState.SET_ASIDE, OutboxState.WAITING)
        entry.next_attempt_at = now
        entry.set_aside_reason = None
        session.add(entry)
        count += 1
    session.flush()
    return count


@dataclass(frozen=True)
class OutboxCounts:
    waiting: int = 0
    sending: int = 0
    sent: int = 0
    set_aside: int = 0
    oldest_waiting_at: datetime | None = None

    @property
    def pending(self) -> int:
        """Records the server does not hold yet (waiting + sending)."""
        return self.waiting + self.sending


def outbox_counts(session: Session) -> OutboxCounts:
    """How many entries are in each state, and when the oldest waiting one was made."""
    rows = session.exec(
        select(OutboxEntry.state, func.count()).group_by(OutboxEntry.state)  # type: ignore[call-overload]
    ).all()
    counts = {OutboxState(state).value: int(n) for state, n in rows}
    oldest = session.exec(
        select(OutboxEntry)
        .where(OutboxEntry.state == OutboxState.WAITING)
        .order_by(col(OutboxEntry.seq))
        .limit(1)
    ).first()
    return OutboxCounts(
        waiting=counts.get("waiting", 0),
        sending=counts.get("sending", 0),
        sent=counts.get("sent", 0),
        set_aside=counts.get("set_aside", 0),
        oldest_waiting_at=oldest.created_at if oldest is not None else None,
    )


def set_aside_entries(session: Session, *, limit: int | None = None) -> list[OutboxEntry]:
    """Entries the server refused (rejected/conflict), for staff to look at, oldest first."""
    stmt = (
        select(OutboxEntry)
        .where(OutboxEntry.state == OutboxState.SET_ASIDE)
        .order_by(col(OutboxEntry.seq))
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.exec(stmt).all())


# ---------------------------------------------------------------------------- retention

_PURGED_TEXT_FIELDS = ("narrative", "request", "staff_involved")


def purge_acknowledged_case_text(session: Session, *, now: datetime, retention: timedelta) -> int:
    """Blank narrative, request and staff text of cases the server acknowledged more than
    ``retention`` ago (architecture principle 4). Folio, dates, type and status stay. The
    frozen wire JSON of their (already sent) outbox entries is blanked the same way; an entry
    not sent yet is never touched, and neither is its case. Returns how many cases."""
    cutoff = now - retention
    cases = session.exec(
        select(Case)
        .where(col(Case.acknowledged_at).is_not(None))
        .where(col(Case.acknowledged_at) <= cutoff)
        .where(col(Case.text_purged_at).is_(None))
    ).all()
    count = 0
    for case in cases:
        entry = session.get(OutboxEntry, case.id)
        if entry is not None:
            if OutboxState(entry.state) is not OutboxState.SENT:
                continue
            payload = json.loads(entry.payload)
            for name in _PURGED_TEXT_FIELDS:
                payload["body"][name] = ""
            entry.payload = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
            session.add(entry)
        for name in _PURGED_TEXT_FIELDS:
            setattr(case, name, "")
        case.text_purged_at = now
        session.add(case)
        count += 1
    session.flush()
    return count


def purge_acknowledged_survey_comments(
    session: Session, *, now: datetime, retention: timedelta
) -> int:
    """Blank the free-text comment of survey responses the server acknowledged more than
    ``retention`` ago: a comment can name people or reveal health, like case text. Ratings,
    reasons and dates stay for the kiosk's own figures. As for cases, an entry not sent yet is
    never touched. Returns how many responses."""
    cutoff = now - retention
    responses = session.exec(
        select(SurveyResponse)
        .where(col(SurveyResponse.acknowledged_at).is_not(None))
        .where(col(SurveyResponse.acknowledged_at) <= cutoff)
        .where(SurveyResponse.comment != "")
    ).all()
    count = 0
    for response in responses:
        entry = session.get(OutboxEntry, response.id)
        if entry is not None:
            if OutboxState(entry.state) is not OutboxState.SENT:
                continue
            payload = json.loads(entry.payload)
            payload["body"]["comment"] = ""
            entry.payload = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
            session.add(entry)
        response.comment = ""
        session.add(response)
        count += 1
    session.flush()
    return count
