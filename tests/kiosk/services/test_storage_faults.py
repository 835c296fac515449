"""A full disk or a read-only database folder: the known error, a notice for the staff, and
no half record.

How the conditions are made real (tests run as root, so chmod 0555 would not stop a write):

* full disk: ``PRAGMA max_page_count`` on every connection caps the database file at its
  current size; SQLite then fails the commit with SQLITE_FULL exactly as when the disk is
  full (its unix VFS maps ENOSPC to the same code), without filling the machine's disk;
* read-only: ``chattr +i`` (immutable) on the database file and its folder, which stops
  root too. SQLite can then open neither the file for writing nor its -wal/-shm, as on a
  read-only mount. Skipped where the filesystem has no immutable flag (not on ext4 in CI).
"""

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlmodel import select

from kiosk.clock import FixedClock
from kiosk.services.cases import CaseService
from kiosk.services.errors import KnownError, StorageFull, StorageReadOnly
from kiosk.services.notify import Notice, Notifier
from kiosk.services.surveys import SurveyService
from kiosk.storage.db import Database, open_database
from kiosk.storage.models import Case, Counter, OutboxEntry, SurveyResponse
from tests.kiosk.storage.factories import case_draft, survey_draft
from trato.domain.folio import parse_folio


def _snapshot(db: Database) -> tuple[int, int, int, dict[str, int]]:
    with db.read() as session:
        return (
            len(session.exec(select(Case)).all()),
            len(session.exec(select(SurveyResponse)).all()),
            len(session.exec(select(OutboxEntry)).all()),
            {c.name: c.value for c in session.exec(select(Counter)).all()},
        )


@pytest.fixture
def notices() -> tuple[Notifier, list[Notice]]:
    notifier = Notifier()
    seen: list[Notice] = []
    notifier.subscribe(seen.append)
    return notifier, seen


def test_full_disk(enrolled: Database, clock: FixedClock, notices) -> None:
    notifier, seen = notices
    cases = CaseService(enrolled, clock, notifier=notifier)
    surveys = SurveyService(enrolled, clock, notifier=notifier)
    cases.submit(case_draft())
    before = _snapshot(enrolled)
    pages = enrolled.pragma("page_count")

    def cap(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(enrolled.engine, "connect", cap)
    enrolled.engine.dispose()
    big = "ñ" * 4000  # a case that needs new pages
    with pytest.raises(StorageFull) as info:
        cases.submit(case_draft(narrative=big))
    assert isinstance(info.value, KnownError) and info.value.code == "storage_full"
    with pytest.raises(StorageFull):
        for _ in range(50):
            surveys.submit(survey_draft(comment=big[:1000]))
    assert [n.code for n in seen][:2] == ["storage_full", "storage_full"]
    assert all(n.level == "error" for n in seen)

    event.remove(enrolled.engine, "connect", cap)
    enrolled.engine.dispose()
    after = _snapshot(enrolled)
    assert after[0] == before[0]  # no half case
    assert after[2] == before[2] + after[1] - before[1]  # every survey has its entry
    assert enrolled.integrity_check() == ["ok"]
    # Space is back: the next case gets the next folio, no number was burnt.
    saved = cases.submit(case_draft())
    assert parse_folio(saved.folio).sequence == 2
    assert _snapshot(enrolled)[3]["case_seq"] == 2


def _chattr(flag: str, *paths: Path) -> bool:
    tool = shutil.which("chattr")
    if tool is None:
        return False
    command = [tool, flag, *map(str, paths)]
    done = subprocess.run(command, capture_output=True, check=False)
    return done.returncode == 0


@pytest.fixture
def frozen_store(tmp_path: Path, server_key) -> Iterator[tuple[Database, Path]]:
    """An enrolled store whose file and folder are then made immutable."""
    from kiosk.storage.identity import save_identity
    from tests.kiosk.storage.factories import make_enrolment
    from trato.protocol.sealing import public_key_b64

    folder = tmp_path / "ro"
    db = open_database(folder / "kiosk.db").database
    with db.write() as session:
        save_identity(
            session,
            enrolment=make_enrolment(public_key_b64(server_key)),
            server_url="https://central.example.mx",
        )
    CaseService(db, FixedClock()).submit(case_draft())
    db.engine.dispose()  # the last connection checkpoints and removes -wal/-shm
    targets = [folder / "kiosk.db", folder]
    if not _chattr("+i", *targets):
        pytest.skip("this filesystem has no immutable attribute (chattr +i)")
    try:
        yield db, folder
    finally:
        _chattr("-i", *targets)
        db.close()


def test_read_only_folder(frozen_store, clock: FixedClock, notices) -> None:
    db, folder = frozen_store
    notifier, seen = notices
    before = sorted(p.name for p in folder.iterdir()), (folder / "kiosk.db").read_bytes()
    with pytest.raises(StorageReadOnly) as info:
        CaseService(db, clock, notifier=notifier).submit(case_draft())
    assert info.value.code == "storage_read_only"
    with pytest.raises(StorageReadOnly):
        SurveyService(db, clock, notifier=notifier).submit(survey_draft())
    assert [n.code for n in seen] == ["storage_read_only", "storage_read_only"]
    # Opening it again at start says the same, instead of crashing or quarantining.
    with pytest.raises(StorageReadOnly):
        open_database(folder / "kiosk.db")
    after = sorted(p.name for p in folder.iterdir()), (folder / "kiosk.db").read_bytes()
    assert after == before


def test_read_only_folder_then_writable_again(frozen_store, clock: FixedClock) -> None:
    db, folder = frozen_store
    with pytest.raises(StorageReadOnly):
        CaseService(db, clock).submit(case_draft())
    _chattr("-i", folder / "kiosk.db", folder)
    db.engine.dispose()
    saved = CaseService(db, clock).submit(case_draft())
    assert _snapshot(db)[:3] == (2, 0, 2)
    assert saved.folio
