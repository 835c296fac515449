"""The outbox state machine the sync engine drives (docs/design/style.md).

States (:class:`~kiosk.storage.outbox.OutboxState`, stored in ``OutboxEntry.state``)::

    waiting ──mark_sending──▶ sending ──stored/duplicate──▶ sent
       ▲                         │ ──rejected/conflict──▶ set_aside
       └──── failure / crash ────┘

* A record and its outbox entry are written in ONE transaction by the service
  (:func:`kiosk.storage.outbox.enqueue`), with the wire JSON frozen at capture.
* Entries are marked ``sending`` BEFORE the request (ODK marks a record before uploading it);
  a crash leaves them ``sending`` and :func:`recover_interrupted` puts them back to
  ``waiting`` at start. Only a per-record answer marks an entry sent, never a bare HTTP 200.
* Failures back off exponentially with full jitter, capped (:func:`backoff_delay`).

Transition and backoff functions are pure; storage functions are keyword-only and take the
session of the caller's transaction.
"""

import random
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import update
from sqlmodel import Session, col, select

from kiosk.storage.models import Case, CaseEvent, OutboxEntry, SurveyResponse
from kiosk.storage.outbox import OutboxState
from trato.domain.enums import RecordKind
from trato.protocol.wire import RecordResult, RecordStatus

DEFAULT_BACKOFF_BASE = 2.0
DEFAULT_BACKOFF_CAP = 300.0
_REASON_MAX = 500


class InvalidTransition(ValueError):  # noqa: N818  (names fixed by the team contract)
    """An outbox entry was asked to move where the state machine does not go."""


# ---------------------------------------------------------------------------- pure functions

_ALLOWED: dict[OutboxState, frozenset[OutboxState]] = {
    OutboxState.WAITING: frozenset({OutboxState.SENDING}),
    OutboxState.SENDING: frozenset({OutboxState.WAITING, OutboxState.SENT, OutboxState.SET_ASIDE}),
    # A sent entry goes back to waiting only when the server no longer holds it (its
    # database was restored from a backup older than the entry: resend_lost).
    OutboxState.SENT: frozenset({OutboxState.WAITING}),
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


def _acknowledge_records(session: Session, entries: Sequence[OutboxEntry], now: datetime) -> None:
    """Set ``acknowledged_at`` of the entries' records (when not set yet) with one UPDATE per
    kind and chunk of 500 ids."""
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


def resend_lost(session: Session, *, above_seq: int, sent_since: datetime,
                now: datetime) -> int:
    """The server says it holds this kiosk's records only up to ``above_seq``, yet entries
    after it were acknowledged: its database was restored from a backup. Every entry sent
    since ``sent_since`` (this enrolment) with a higher ``seq`` goes back to ``waiting``, due
    now, with the same frozen bytes (the server stores each once, whatever comes again).
    Returns how many."""
    entries = session.exec(
        select(OutboxEntry)
        .where(col(OutboxEntry.state) == OutboxState.SENT)
        .where(col(OutboxEntry.seq) > above_seq)
        .where(col(OutboxEntry.sent_at) >= sent_since)
    ).all()
    for entry in entries:
        entry.state = transition(OutboxState.SENT, OutboxState.WAITING)
        entry.next_attempt_at = now
        entry.last_error = "server_restored"
        session.add(entry)
    session.flush()
    return len(entries)


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
