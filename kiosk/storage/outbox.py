"""The outbox table: its states, how a record's entry is added, and the queries on it.

A service writes a record and its outbox entry in ONE transaction (:func:`enqueue`, which
numbers the entry with :func:`next_counter`). The entry holds the exact wire JSON of its
:class:`~trato.protocol.wire.WireRecord`, frozen at capture: every retry sends the same
bytes, so the server can tell a resend (``duplicate``) from a different record with the
same id (``conflict``).

How an entry moves between the states (the sync engine's state machine) is in
:mod:`kiosk.sync.outbox`. Functions here are keyword-only and take the session of the
caller's transaction.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from kiosk.storage.models import Counter, OutboxEntry
from trato.domain.enums import RecordKind
from trato.protocol.wire import WireRecord

#: Counter row holding the last outbox sequence number used.
OUTBOX_SEQ_COUNTER = "outbox_seq"

#: Longer than any wait the sync engine schedules (backoff capped at 5 minutes, a server's
#: ``Retry-After`` at one hour plus its spread). An entry due further ahead than this was
#: scheduled by a clock that has since been put back, so it is due now.
LONGEST_WAIT = timedelta(hours=2)


class OutboxState(StrEnum):
    """The values of ``OutboxEntry.state``."""

    WAITING = "waiting"
    SENDING = "sending"
    SENT = "sent"
    SET_ASIDE = "set_aside"


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
    """Waiting entries that are due, oldest ``seq`` first.

    Due means never tried yet (a record goes out as soon as it is saved, whatever the clock
    said when it was), or its backoff has passed (``next_attempt_at <= now``), or its wait
    ends further ahead than :data:`LONGEST_WAIT`: a clock that ran ahead and was corrected
    must not hold records back for hours."""
    if limit < 1:
        return []
    statement = (
        select(OutboxEntry)
        .where(OutboxEntry.state == OutboxState.WAITING)
        .where(or_(col(OutboxEntry.attempts) == 0,
                   col(OutboxEntry.next_attempt_at) <= now,
                   col(OutboxEntry.next_attempt_at) > now + LONGEST_WAIT))
        .order_by(col(OutboxEntry.seq))
        .limit(limit)
    )
    return list(session.exec(statement).all())


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
