"""The same faults on a real small filesystem, where the machine allows mounting one: a
tmpfs of a few hundred kilobytes really runs out of space (ENOSPC → SQLITE_FULL), and
remounting it read-only gives EROFS, exactly as a failing disk remounted by the kernel.

Needs CAP_SYS_ADMIN (root in the CI container); skipped with the reason elsewhere. The
``max_page_count`` and ``chattr`` variants in test_storage_faults.py run everywhere.
"""

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from nacl.public import PrivateKey
from sqlmodel import col, select

from kiosk.clock import FixedClock
from kiosk.services.cases import CaseService
from kiosk.services.errors import StorageFull, StorageReadOnly
from kiosk.services.surveys import SurveyService
from kiosk.storage.db import Database, open_database
from kiosk.storage.identity import save_identity
from kiosk.storage.models import Case, OutboxEntry, SurveyResponse
from tests.kiosk.storage.factories import START, case_draft, make_enrolment, survey_draft
from trato.domain.folio import parse_folio
from trato.protocol.sealing import public_key_b64

SIZE = "1m"


def _run(*args: str) -> bool:
    done = subprocess.run(list(args), capture_output=True, check=False)
    return done.returncode == 0


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[Path]:
    mount_point = tmp_path / "mnt"
    mount_point.mkdir()
    if not _run("mount", "-t", "tmpfs", "-o", f"size={SIZE}", "tmpfs", str(mount_point)):
        pytest.skip("cannot mount a small tmpfs here (needs CAP_SYS_ADMIN)")
    try:
        yield mount_point
    finally:
        _run("umount", "-l", str(mount_point))


def _store(folder: Path) -> Database:
    db = open_database(folder / "kiosk.db").database
    with db.write() as session:
        save_identity(
            session,
            enrolment=make_enrolment(public_key_b64(PrivateKey.generate())),
            server_url="https://central.example.mx",
        )
    return db


def _consistent(db: Database) -> int:
    with db.read() as session:
        cases = session.exec(select(Case).order_by(col(Case.sequence))).all()
        surveys = session.exec(select(SurveyResponse)).all()
        entries = session.exec(select(OutboxEntry).order_by(col(OutboxEntry.seq))).all()
    assert [c.sequence for c in cases] == list(range(1, len(cases) + 1))
    assert {e.id for e in entries} == {c.id for c in cases} | {s.id for s in surveys}
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert db.integrity_check() == ["ok"]
    return len(cases)


def test_a_disk_that_really_fills_up(small_fs: Path) -> None:
    db = _store(small_fs)
    filler = small_fs / "old-logs.bin"  # something staff can delete later
    filler.write_bytes(b"\0" * 160 * 1024)
    cases = CaseService(db, FixedClock(START))
    surveys = SurveyService(db, FixedClock(START))
    stored = []
    with pytest.raises(StorageFull) as info:
        for i in range(2000):
            stored.append(cases.submit(case_draft(narrative="ñ" * 3000)).folio)
            if i % 3 == 0:
                surveys.submit(survey_draft())
    assert info.value.code == "storage_full"
    assert len(stored) >= 3
    # Nothing half written: every case has its entry, numbers have no gaps.
    assert _consistent(db) == len(stored)
    # Space comes back (the old logs are deleted): the kiosk carries on with the next number.
    filler.unlink()
    saved = cases.submit(case_draft())
    assert parse_folio(saved.folio).sequence == len(stored) + 1
    assert _consistent(db) == len(stored) + 1
    db.close()


def test_a_filesystem_remounted_read_only(small_fs: Path) -> None:
    db = _store(small_fs)
    first = CaseService(db, FixedClock(START)).submit(case_draft())
    db.engine.dispose()
    if not _run("mount", "-o", "remount,ro", str(small_fs)):
        pytest.skip("cannot remount the tmpfs read-only here")
    with pytest.raises(StorageReadOnly):
        CaseService(db, FixedClock(START)).submit(case_draft())
    with pytest.raises(StorageReadOnly):
        SurveyService(db, FixedClock(START)).submit(survey_draft())
    assert _run("mount", "-o", "remount,rw", str(small_fs))
    db.engine.dispose()
    second = CaseService(db, FixedClock(START)).submit(case_draft())
    assert parse_folio(second.folio).sequence == parse_folio(first.folio).sequence + 1
    assert _consistent(db) == 2
    db.close()
