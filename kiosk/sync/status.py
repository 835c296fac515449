"""Sync status for people and scripts (no Qt, no personal data).

:class:`SyncStatus` is what the staff screens show (through ``kiosk.ui.sync_bridge``, which
words it in Spanish) and what ``trato-kiosk status`` prints as JSON. ``last_error`` is a stable
code (``network``, ``timeout``, ``server_error``, ``rate_limited``, ``revoked``, ...), never a
message with data in it.
"""

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from kiosk import __version__

#: Set-aside records listed for staff (the count is always complete).
SET_ASIDE_LISTED = 20


@dataclass(frozen=True)
class SetAsideItem:
    """A record the server refused, as staff and support see it: what it is, when it was made,
    why it was refused. A folio is not personal data; nothing else of the record is shown."""

    seq: int
    kind: str  # trato.domain.enums.RecordKind value
    created_at: datetime
    status: str  # "rejected" or "conflict"
    detail: str  # the server's technical reason, for support
    folio: str | None = None

    @property
    def reason_code(self) -> str:
        """The code the server's reason opens with (``campaign_window``, ``body.folio``…;
        the text before its first colon), "" when it has none."""
        code, colon, _ = self.detail.partition(":")
        return code.strip() if colon and " " not in code.strip() else ""


@dataclass(frozen=True)
class SyncStatus:
    enrolled: bool = False
    last_success_at: datetime | None = None
    last_attempt_at: datetime | None = None
    waiting: int = 0  # records not yet acknowledged by the server (set-aside excluded)
    set_aside: int = 0  # records the server refused; kept, shown to staff
    last_error: str | None = None  # stable code
    revoked: bool = False
    revoked_reason: str | None = None
    clock_offset_seconds: float | None = None
    syncing: bool = False  # a round is running right now
    next_attempt_at: datetime | None = None
    oldest_waiting_at: datetime | None = None  # when the oldest record still to send was made
    set_aside_items: tuple[SetAsideItem, ...] = ()  # the oldest SET_ASIDE_LISTED
    # Which kiosk this is, for staff and IT (from the enrolment).
    clues: str | None = None
    unit_name: str | None = None
    module_name: str | None = None
    kiosk_number: int | None = None
    timezone: str | None = None  # the unit's, for showing times
    version: str = __version__

    @property
    def ok(self) -> bool:
        return self.enrolled and not self.revoked and self.last_error is None

    def to_json(self) -> dict[str, Any]:
        return {key: _jsonable(value) for key, value in asdict(self).items()}


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _set_aside_item(entry: Any) -> SetAsideItem:
    status, _, detail = (entry.set_aside_reason or "rejected").partition(":")
    folio = None
    try:
        folio = getattr(entry.wire_record().body, "folio", None)
    except ValueError:  # a payload that no longer parses is still listed
        folio = None
    return SetAsideItem(seq=entry.seq, kind=str(entry.kind), created_at=entry.created_at,
                        status=status.strip(), detail=detail.strip(),
                        folio=str(folio) if folio else None)


def read_status(database: Any, *, enrolled: bool = True) -> SyncStatus:
    """The status as stored: sync state, outbox counts and the identity's revocation."""
    from kiosk.storage import outbox
    from kiosk.storage.models import SINGLE_ROW_ID, KioskIdentity, SyncState

    with database.read() as session:
        state = session.get(SyncState, SINGLE_ROW_ID)
        identity = session.get(KioskIdentity, SINGLE_ROW_ID)
        counts = outbox.outbox_counts(session)
        aside = (outbox.set_aside_entries(session, limit=SET_ASIDE_LISTED)
                 if counts.set_aside else [])
        return SyncStatus(
            enrolled=enrolled and identity is not None,
            last_success_at=state.last_success_at if state else None,
            last_attempt_at=state.last_attempt_at if state else None,
            waiting=counts.pending,
            set_aside=counts.set_aside,
            last_error=state.last_error_code if state else None,
            revoked=bool(identity is not None and identity.revoked_at is not None),
            revoked_reason=identity.revoked_reason if identity is not None else None,
            clock_offset_seconds=state.clock_offset_seconds if state else None,
            oldest_waiting_at=counts.oldest_waiting_at,
            set_aside_items=tuple(_set_aside_item(e) for e in aside),
            clues=identity.clues if identity else None,
            unit_name=identity.unit_name if identity else None,
            module_name=identity.module_name if identity else None,
            kiosk_number=identity.kiosk_number if identity else None,
            timezone=identity.timezone if identity else None,
        )
