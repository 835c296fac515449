"""A queja's deadlines on the day it is filed, and "Consultar un folio" from the kiosk's own
store: the folio as people type it, what was pulled (through the real change applier), what
waits in the outbox, and only the stage where the dates are not to be shown."""

import dataclasses
import uuid
from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from kiosk.clock import FixedClock
from kiosk.services.cases import CaseService
from kiosk.services.lookup import validate_folio
from kiosk.storage.db import Database
from kiosk.storage.models import SINGLE_ROW_ID, Case, SyncState
from kiosk.sync import outbox
from kiosk.sync.changes import apply_change
from tests.kiosk.storage.factories import START, case_draft
from trato.domain.enums import CaseStage, CaseType
from trato.domain.folio import make_folio
from trato.protocol.wire import Change, ChangeKind, RecordResult, RecordStatus

#: (filed at, UTC) -> filing day in Mexico City, completion due (+5), resolution due (+50),
#: counted by hand over weekends and Mexico's official holidays (LFT Art. 74): 25 Dec, 1 Jan,
#: the first Monday of February, the third Monday of March and of November.
DEADLINES = [
    # Monday: a plain week, then Benito Juárez day (16 Mar 2026) and 1 May (a Friday).
    (datetime(2026, 3, 2, 15, 30, tzinfo=UTC),
     date(2026, 3, 2), date(2026, 3, 9), date(2026, 5, 13)),
    # 23:30 on Thursday 24 Dec in Mexico City is already the 25th in UTC; Christmas and New
    # Year are Fridays, Constitution day is Monday 1 Feb 2027.
    (datetime(2026, 12, 25, 5, 30, tzinfo=UTC),
     date(2026, 12, 24), date(2027, 1, 4), date(2027, 3, 9)),
    # Friday 12 Mar 2027: the weekend, then Benito Juárez day on Monday 15 Mar.
    (datetime(2027, 3, 12, 18, 0, tzinfo=UTC),
     date(2027, 3, 12), date(2027, 3, 22), date(2027, 5, 24)),
    # A Saturday before Revolution day (Monday 16 Nov 2026), through Christmas and New Year.
    (datetime(2026, 11, 14, 17, 0, tzinfo=UTC),
     date(2026, 11, 14), date(2026, 11, 23), date(2027, 1, 27)),
]


@pytest.mark.parametrize(("filed_at", "day", "completion", "resolution"), DEADLINES,
                         ids=[d[1].isoformat() for d in DEADLINES])
def test_a_queja_gets_its_deadlines_from_the_filing_day(
        enrolled: Database, filed_at: datetime, day: date, completion: date,
        resolution: date) -> None:
    saved = CaseService(enrolled, FixedClock(filed_at)).submit(case_draft())
    assert (saved.received_on, saved.completion_due, saved.resolution_due) == (
        day, completion, resolution)
    assert saved.case_type == CaseType.QUEJA


@pytest.mark.parametrize("case_type", [CaseType.SUGERENCIA, CaseType.RECONOCIMIENTO])
def test_only_a_queja_has_deadlines(enrolled: Database, clock: FixedClock,
                                    case_type: CaseType) -> None:
    saved = CaseService(enrolled, clock).submit(case_draft(case_type=case_type))
    assert saved.received_on == date(2026, 3, 2)
    assert (saved.completion_due, saved.resolution_due) == (None, None)


def test_a_folio_as_people_type_it() -> None:
    folio = str(make_folio(unit_number=1234, kiosk_number=7, sequence=41))
    assert validate_folio(folio).value == folio
    sloppy = folio.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert validate_folio(sloppy).ok and validate_folio(sloppy).value == folio
    last = folio[-1]
    typo = folio[:-1] + ("2" if last != "2" else "3")
    assert validate_folio(typo).problem.code == "folio_check"  # type: ignore[union-attr]
    swapped = folio[:5] + folio[6] + folio[5] + folio[7:]
    if swapped != folio:
        assert validate_folio(swapped).problem.code == "folio_check"  # type: ignore[union-attr]
    short = validate_folio(folio[:9])
    assert short.problem is not None and short.problem.code == "folio_too_short"
    assert short.problem.params == {"missing": 4}
    assert validate_folio(folio + "7").problem.code == "folio_too_long"  # type: ignore[union-attr]
    assert validate_folio("UUUU").problem.code == "folio_character"  # type: ignore[union-attr]


def _acknowledge(database: Database, record_id: uuid.UUID) -> None:
    with database.write() as session:
        outbox.mark_sending(session, ids=[record_id], now=START)
        outbox.apply_results(
            session, results=[RecordResult(id=record_id, status=RecordStatus.STORED)], now=START)


def _pull_status(database: Database, case_id: uuid.UUID, folio: str, *, synced: datetime,
                 **data: object) -> None:
    """A case_status change as the central server sends it, applied by the real applier,
    then a successful sync round recorded."""
    change = Change(cursor=1, kind=ChangeKind.CASE_STATUS, key=str(case_id), version=2,
                    data={"case_id": str(case_id), "folio": folio, **data})
    with database.write() as session:
        assert apply_change(session, change, synced)
        state = session.get(SyncState, SINGLE_ROW_ID) or SyncState(id=SINGLE_ROW_ID)
        state.last_success_at = synced
        session.add(state)


def test_a_pulled_status_with_its_dates_and_as_of(enrolled: Database, clock: FixedClock) -> None:
    service = CaseService(enrolled, clock)
    saved = service.submit(case_draft())
    _acknowledge(enrolled, saved.id)
    found = service.lookup(saved.folio)
    assert found.sent and found.stage is None and found.as_of is None
    synced = datetime(2026, 3, 4, 16, 40, tzinfo=UTC)
    _pull_status(enrolled, saved.id, saved.folio, synced=synced, stage="integracion",
                 updated_at="2026-03-03T17:05:00+00:00", completion_due="2026-03-10",
                 resolution_due="2026-05-14")
    found = service.lookup(saved.folio.lower())
    assert found.stage == CaseStage.INTEGRACION
    # The server's dates win over the kiosk's own count (it received the case a day later).
    assert (found.completion_due, found.resolution_due) == (date(2026, 3, 10), date(2026, 5, 14))
    assert found.received_on == date(2026, 3, 2)
    # Times in the unit's time zone (Mexico City, UTC-6).
    assert found.as_of == synced and (found.as_of.hour, found.as_of.minute) == (10, 40)
    assert found.status_updated_at is not None and found.status_updated_at.hour == 11


def test_a_sensitive_case_shows_only_its_stage(enrolled: Database, clock: FixedClock) -> None:
    service = CaseService(enrolled, clock)
    saved = service.submit(case_draft(categories=("acoso",)))
    assert saved.sensitive
    found = service.lookup(saved.folio)
    assert found.only_stage and found.filed_here and not found.sent
    _acknowledge(enrolled, saved.id)
    _pull_status(enrolled, saved.id, saved.folio, synced=START, stage="investigacion",
                 updated_at="2026-03-03T17:05:00+00:00", completion_due="2026-03-10")
    found = service.lookup(saved.folio)
    assert found.stage == CaseStage.INVESTIGACION and found.only_stage
    hidden = {f.name: getattr(found, f.name) for f in dataclasses.fields(found)
              if f.name in ("received_on", "completion_due", "resolution_due",
                            "status_updated_at", "created_at")}
    assert set(hidden.values()) == {None}


def test_the_lookup_reads_nothing_personal(enrolled: Database, clock: FixedClock) -> None:
    service = CaseService(enrolled, clock)
    saved = service.submit(case_draft())
    with enrolled.read() as session:
        row = session.exec(select(Case).where(Case.folio == saved.folio)).one()
    found = service.lookup(saved.folio)
    values = [str(getattr(found, f.name)) for f in dataclasses.fields(found)]
    assert row.narrative and not any(row.narrative in v for v in values)
