"""After a quarantine, readable rows come back and folios are never handed out twice."""

from datetime import timedelta
from pathlib import Path

from sqlmodel import select

from kiosk.clock import FixedClock
from kiosk.services.cases import CaseService
from kiosk.storage.db import Database, open_database
from kiosk.storage.models import Case, KioskIdentity, OutboxEntry
from kiosk.storage.salvage import sequence_floor
from tests.kiosk.storage.factories import START, case_draft
from trato.domain.folio import parse_folio


def _fill(db: Database, n: int) -> list[str]:
    service = CaseService(db, FixedClock(START))
    return [service.submit(case_draft(narrative=f"caso {i} " + "x" * 1500)).folio for i in range(n)]


def test_a_damaged_page_loses_only_what_it_held(enrolled: Database) -> None:
    issued = _fill(enrolled, 60)
    path = enrolled.path
    enrolled.close()
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    pages = len(data) // page
    victim = pages * 2 // 3
    data[victim * page + 8 : victim * page + 400] = b"\xa5" * 392  # a leaf in the middle
    path.write_bytes(bytes(data))

    result = open_database(path, now=START)
    assert result.quarantined_to is not None
    report = result.salvaged
    assert report is not None and report.rows["kiosk_identity"] == 1
    assert 0 < report.rows.get("case_record", 0) <= 60
    assert report.counters_from_floor == []
    db = result.database
    with db.read() as session:
        assert session.get(KioskIdentity, 1) is not None
        salvaged = session.exec(select(Case)).all()
        entries = {e.id: e for e in session.exec(select(OutboxEntry)).all()}
    for case in salvaged:  # what came back is whole
        assert case.folio in issued and case.narrative.startswith("caso ")
        if case.id in entries:
            assert entries[case.id].wire_record().body.folio == case.folio  # type: ignore[union-attr]
    # Still enrolled, and the next folio is new.
    saved = CaseService(db, FixedClock(START)).submit(case_draft())
    assert saved.folio not in issued
    assert parse_folio(saved.folio).sequence == 61
    assert db.integrity_check() == ["ok"]
    db.close()


def test_an_unreadable_file_restarts_counters_above_anything_used(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"\x00garbage" * 1000)
    now = START + timedelta(days=10)
    result = open_database(db_path, now=now)
    report = result.salvaged
    assert report is not None and report.total == 0
    assert sorted(report.counters_from_floor) == ["case_seq", "outbox_seq"]
    floor = sequence_floor(now)
    assert floor == int((now - START).total_seconds() // 60) + sequence_floor(START)
    from kiosk.storage import outbox

    with result.database.write() as session:
        assert outbox.next_counter(session, name="case_seq") == floor + 1
    result.database.close()


def test_sequence_floor_grows_with_time() -> None:
    assert sequence_floor(START) < sequence_floor(START + timedelta(minutes=1))
    assert sequence_floor(START - timedelta(days=3650)) == 1  # a clock at 2015 still works


def test_without_room_for_a_scratch_copy_the_damaged_file_is_read_in_place(
    enrolled: Database, monkeypatch
) -> None:
    import shutil

    from kiosk.storage import salvage as salvage_module

    issued = _fill(enrolled, 3)
    path = enrolled.path
    enrolled.close()
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[-page + 8 : -page + 300] = b"\x5a" * 292  # damage the last page
    path.write_bytes(bytes(data))

    def no_space(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(salvage_module.shutil, "copyfile", no_space)
    result = open_database(path, now=START)
    monkeypatch.setattr(salvage_module.shutil, "copyfile", shutil.copyfile)
    assert result.quarantined_to is not None
    report = result.salvaged
    assert report is not None and report.rows.get("kiosk_identity") == 1
    saved = CaseService(result.database, FixedClock(START)).submit(case_draft())
    assert saved.folio not in issued
    result.database.close()


def test_rows_that_break_a_constraint_are_skipped(tmp_path: Path) -> None:
    """An event whose case was lost is skipped; everything else still comes back."""
    import sqlite3
    import uuid

    from kiosk.storage.salvage import salvage

    damaged = tmp_path / "old.db"
    old = open_database(damaged).database
    old.close()
    conn = sqlite3.connect(damaged)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(
        "INSERT INTO case_event (id, case_id, created_at, event_type, note, agent) "
        "VALUES (?, ?, '2026-01-01T00:00:00.000000+00:00', 'note', '', '')",
        (uuid.uuid4().hex, uuid.uuid4().hex),
    )
    conn.execute("INSERT INTO counter VALUES ('case_seq', 41)")
    conn.commit()
    conn.close()
    fresh = open_database(tmp_path / "new.db").database
    report = salvage(damaged, fresh, now=START)
    assert "case_event" not in report.rows and report.rows["counter"] == 1
    assert "case_seq" not in report.counters_from_floor
    assert "outbox_seq" in report.counters_from_floor
    from kiosk.storage import outbox

    with fresh.write() as session:
        assert outbox.next_counter(session, name="case_seq") == 42
    fresh.close()
