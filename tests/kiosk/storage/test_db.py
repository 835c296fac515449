"""Opening the store on real files: pragmas on every connection, explicit transactions, the
start-up check and quarantine, and known errors for a busy, full or read-only database."""

import errno
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlmodel import select

from kiosk.storage.connection import create_sqlite_engine
from kiosk.storage.db import Database, OpenResult, open_database
from kiosk.storage.errors import (
    StorageBusy,
    StorageError,
    StorageFull,
    StorageReadOnly,
    translate_error,
)
from kiosk.storage.models import Counter
from tests.kiosk.storage.factories import START


def test_every_connection_is_configured(database: Database) -> None:
    # Two connections at once: both come from the pool's connect event, not from luck.
    with database.engine.connect() as a, database.engine.connect() as b:
        for conn in (a, b):
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    assert database.pragma("journal_mode") == "wal"
    with pytest.raises(ValueError):
        database.pragma("user_version; DROP TABLE counter")


def test_wal_mode_is_persistent_in_the_file(database: Database) -> None:
    conn = sqlite3.connect(database.path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


def test_write_takes_the_write_lock_at_begin(database: Database) -> None:
    """BEGIN IMMEDIATE: inside ``write()`` another writer is locked out before any SQL ran."""
    other = sqlite3.connect(database.path, timeout=0, isolation_level=None)
    try:
        with database.write():
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # free again after the block
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_reads_do_not_take_the_write_lock(database: Database) -> None:
    other = sqlite3.connect(database.path, timeout=0, isolation_level=None)
    try:
        with database.read() as session:
            session.exec(select(Counter)).all()
            other.execute("BEGIN IMMEDIATE")
            other.execute("INSERT INTO counter VALUES ('x', 1)")
            other.execute("COMMIT")
            # Same read transaction: still the snapshot taken before the other commit.
            assert session.exec(select(Counter)).all() == []
        with database.read() as session:
            assert [c.name for c in session.exec(select(Counter)).all()] == ["x"]
    finally:
        other.close()


def test_a_failed_write_leaves_nothing(database: Database) -> None:
    with pytest.raises(RuntimeError), database.write() as session:
        session.add(Counter(name="half", value=1))
        session.flush()
        raise RuntimeError("bug in the middle of a write")
    with database.read() as session:
        assert session.exec(select(Counter)).all() == []


def test_foreign_keys_are_enforced(database: Database) -> None:
    import uuid

    from kiosk.storage.models import CaseEvent

    with pytest.raises(Exception, match="FOREIGN KEY"), database.write() as session:
        session.add(CaseEvent(case_id=uuid.uuid4(), created_at=START, event_type="note"))
    with database.read() as session:
        assert session.exec(select(CaseEvent)).all() == []


def test_a_writer_held_elsewhere_gives_storage_busy(db_path: Path) -> None:
    db = open_database(db_path, busy_timeout_ms=100).database
    other = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(StorageBusy) as info, db.write() as session:
            session.add(Counter(name="x", value=1))
        assert info.value.code == "storage_busy"
        other.execute("ROLLBACK")
        with db.write() as session:  # and it recovers
            session.add(Counter(name="x", value=1))
    finally:
        other.close()
        db.close()


def test_the_database_is_shared_across_threads(database: Database) -> None:
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(20):
                with database.write() as session:
                    session.add(Counter(name=f"t{n}-{i}", value=i))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with database.read() as session:
        assert len(session.exec(select(Counter)).all()) == 60


# ---------------------------------------------------------------------------- start-up check


def test_a_fresh_database_needs_no_quarantine(db_path: Path) -> None:
    result = open_database(db_path)
    assert isinstance(result, OpenResult)
    assert result.quarantined_to is None and result.revision_before is None
    assert db_path.exists()
    result.database.close()


@pytest.mark.parametrize("with_sidecars", [False, True])
def test_a_file_that_is_not_a_database_is_set_aside_never_deleted(
    db_path: Path, with_sidecars: bool
) -> None:
    db_path.parent.mkdir(parents=True)
    garbage = b"this is not an SQLite file at all" * 200
    db_path.write_bytes(garbage)
    if with_sidecars:
        db_path.with_name("kiosk.db-wal").write_bytes(b"wal bytes")
        db_path.with_name("kiosk.db-shm").write_bytes(b"shm bytes")
    result = open_database(db_path, now=START)
    assert result.quarantined_to == db_path.with_name("kiosk.db.damaged-20260302T153000Z")
    assert result.quarantined_to.read_bytes() == garbage
    if with_sidecars:
        assert (
            db_path.with_name("kiosk.db.damaged-20260302T153000Z-wal").read_bytes() == b"wal bytes"
        )
        assert (
            db_path.with_name("kiosk.db.damaged-20260302T153000Z-shm").read_bytes() == b"shm bytes"
        )
    # A fresh, working database took its place.
    db = result.database
    assert db.integrity_check() == ["ok"]
    with db.write() as session:
        session.add(Counter(name="x", value=1))
    db.close()


def test_a_corrupted_page_is_caught_and_set_aside(db_path: Path) -> None:
    db = open_database(db_path).database
    with db.write() as session:
        for i in range(300):
            session.add(Counter(name=f"c{i:04d}", value=i))
    db.close()
    data = bytearray(db_path.read_bytes())
    assert len(data) > 3 * 4096
    page_size = int.from_bytes(data[16:18], "big")
    # Scribble over the second page (a b-tree page) but keep the header intact.
    data[page_size : page_size + 200] = b"\xff" * 200
    db_path.write_bytes(bytes(data))

    result = open_database(db_path, now=START)
    assert result.quarantined_to is not None
    assert result.quarantined_to.read_bytes() == bytes(data)
    assert result.database.integrity_check() == ["ok"]
    result.database.close()


def test_two_quarantines_in_the_same_second_keep_both(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    names = []
    for content in (b"first damaged file" * 100, b"second damaged file" * 100):
        result = open_database(db_path, now=START)
        result.database.close()
        db_path.write_bytes(content)
        db_path.with_name("kiosk.db-wal").unlink(missing_ok=True)
        db_path.with_name("kiosk.db-shm").unlink(missing_ok=True)
    for _ in range(2):
        result = open_database(db_path, now=START)
        if result.quarantined_to:
            names.append(result.quarantined_to.name)
        result.database.close()
        db_path.write_bytes(b"again damaged" * 100)
    assert names[0] != names[1]
    assert all(n.startswith("kiosk.db.damaged-20260302T153000Z") for n in names)


# ---------------------------------------------------------------------------- known errors


def test_a_full_disk_gives_storage_full_and_nothing_half_written(database: Database) -> None:
    """SQLite's ``max_page_count`` caps the file exactly as a full disk does (SQLITE_FULL,
    the same error path as ENOSPC in its unix VFS) without filling the machine's disk."""
    pages = database.pragma("page_count")

    @event.listens_for(database.engine, "connect")
    def _cap(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    database.engine.dispose()
    with pytest.raises(StorageFull) as info, database.write() as session:
        for i in range(500):
            session.add(Counter(name=f"{i:04d}" + "x" * 20, value=i))
    assert info.value.code == "storage_full"
    event.remove(database.engine, "connect", _cap)
    database.engine.dispose()
    with database.read() as session:
        assert session.exec(select(Counter)).all() == []
    assert database.integrity_check() == ["ok"]


def test_error_translation() -> None:
    assert isinstance(translate_error(OSError(errno.ENOSPC, "No space")), StorageFull)
    assert isinstance(translate_error(OSError(errno.EROFS, "Read-only fs")), StorageReadOnly)
    assert translate_error(OSError(errno.ENOENT, "gone")) is None
    assert translate_error(ValueError("a bug")) is None
    known = StorageBusy("x")
    assert translate_error(known) is known
    io_error = sqlite3.OperationalError("disk I/O error")
    io_error.sqlite_errorcode = 778  # type: ignore[attr-defined]  # SQLITE_IOERR_WRITE
    translated = translate_error(io_error)
    assert type(translated) is StorageError and translated.code == "storage_error"
    readonly = sqlite3.OperationalError("attempt to write a readonly database")
    assert isinstance(translate_error(readonly), StorageReadOnly)


def test_pooled_and_unpooled_engines_are_configured_alike(tmp_path: Path) -> None:
    engine = create_sqlite_engine(tmp_path / "x.db", busy_timeout_ms=1234, pooled=False)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 1234
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
