"""What the kiosk knows about a folio ("Consultar un folio"), offline, and the deadlines a
queja is given on the day it is filed.

The answer comes from the kiosk's own store: a case filed here (whether the central server
has acknowledged it yet) and the case statuses the kiosk last pulled
(:func:`kiosk.sync.changes.apply_case_status`), with the time of the last successful sync as
"as of". Never any text or personal data. The dates are given only for a case filed here
that is not sensitive: for a sensitive case (harassment, discrimination, violence), or one
filed elsewhere whose sensitivity this kiosk cannot know, only the stage.
"""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import select

from kiosk.services.errors import InvalidDraft
from kiosk.storage.db import Database
from kiosk.storage.identity import get_identity
from kiosk.storage.models import SINGLE_ROW_ID, Case, CaseStatus, SyncState
from trato.domain import deadlines
from trato.domain.enums import CaseStage, CaseType
from trato.domain.folio import ALPHABET, FOLIO_LEN, FolioError, normalise, parse_folio
from trato.domain.validators import Check, Problem
from trato.domain.zones import DEFAULT_TIMEZONE

#: Types with the Instructivo's deadlines (Art. 19): the central server sets them for these.
DEADLINE_TYPES = frozenset({CaseType.QUEJA})


def local_time(moment: datetime, timezone: str | None) -> datetime:
    """``moment`` in the unit's time zone (from the enrolment), else the PC's."""
    if timezone:
        try:
            return moment.astimezone(ZoneInfo(timezone))
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return moment.astimezone()


def case_deadlines(case_type: CaseType | str, received_on: date) -> tuple[date | None,
                                                                          date | None]:
    """(complete missing information by, resolve by) for a case received on ``received_on``:
    5 and 50 business days (Mexican holidays from the ``holidays`` library) for a queja,
    none for the other types."""
    if CaseType(case_type) not in DEADLINE_TYPES:
        return None, None
    return deadlines.completion_due(received_on), deadlines.resolution_due(received_on)


def validate_folio(text: str) -> Check:
    """A folio as typed: lower case, spaces, hyphens and the look-alikes O (0) and I/L (1)
    are fine; the check character catches a mistyped or swapped character."""
    compact = normalise(text)
    if any(ch not in ALPHABET for ch in compact):
        return Check(text, Problem("folio_character"))
    if len(compact) < FOLIO_LEN:
        return Check(text, Problem("folio_too_short", {"missing": FOLIO_LEN - len(compact)}))
    if len(compact) > FOLIO_LEN:
        return Check(text, Problem("folio_too_long", {"extra": len(compact) - FOLIO_LEN}))
    try:
        return Check(str(parse_folio(compact)))
    except FolioError:
        return Check(text, Problem("folio_check"))


@dataclass(frozen=True)
class FolioLookup:
    """The answer to "Consultar un folio". ``known`` is False for a well-formed folio this
    kiosk has never seen (filed elsewhere, or its status not pulled yet). Times are in the
    unit's time zone; dates are None where they are not to be shown (see the module)."""

    folio: str
    known: bool
    filed_here: bool = False
    case_type: CaseType | None = None
    created_at: datetime | None = None
    sent: bool = False  # the central server acknowledged the case
    stage: CaseStage | None = None
    received_on: date | None = None
    completion_due: date | None = None
    resolution_due: date | None = None
    status_updated_at: datetime | None = None  # the last change the server told about
    as_of: datetime | None = None  # the last successful sync: what the kiosk knows dates from
    only_stage: bool = False  # sensitive, or sensitivity unknown: no dates shown


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def look_up(database: Database, folio_text: str) -> FolioLookup:
    """Raises :class:`InvalidDraft` (``folio``, ``folio_invalid``) when the text is not a
    folio or its check character is wrong."""
    try:
        folio = str(parse_folio(folio_text))
    except FolioError as exc:
        raise InvalidDraft("folio", "folio_invalid") from exc
    with database.read() as session:
        case = session.exec(select(Case).where(Case.folio == folio)).first()
        status = session.exec(select(CaseStatus).where(CaseStatus.folio == folio)).first()
        sync = session.get(SyncState, SINGLE_ROW_ID)
        identity = get_identity(session)
    if case is None and status is None:
        return FolioLookup(folio=folio, known=False)
    zone = identity.timezone if identity is not None else DEFAULT_TIMEZONE
    as_of = local_time(sync.last_success_at, zone) if sync and sync.last_success_at else None
    stage = CaseStage(status.stage) if status is not None else None
    changed = local_time(status.updated_at, zone) if status is not None else None
    if case is None or case.sensitive:
        return FolioLookup(folio=folio, known=True, filed_here=case is not None,
                           case_type=CaseType(case.case_type) if case is not None else None,
                           sent=case is not None and case.acknowledged_at is not None,
                           stage=stage, as_of=as_of, only_stage=True)
    received = local_time(case.created_at, zone).date()
    completion, resolution = case_deadlines(case.case_type, received)
    if status is not None and (status.completion_due or status.resolution_due):
        completion, resolution = _date(status.completion_due), _date(status.resolution_due)
    return FolioLookup(
        folio=folio,
        known=True,
        filed_here=True,
        case_type=CaseType(case.case_type),
        created_at=case.created_at,
        sent=case.acknowledged_at is not None,
        stage=stage,
        received_on=received,
        completion_due=completion,
        resolution_due=resolution,
        status_updated_at=changed,
        as_of=as_of,
    )
