"""Salvage from a quarantined database: copy every row that can still be read into the fresh
store, so a damaged file does not strand records the server has not acknowledged yet, nor
the kiosk's identity.

Also keeps folios unique: a fresh database would restart the case sequence at 1 and hand out
folios people already hold. The counters are carried over (never below the highest number
found in salvaged rows); when they cannot be read at all they restart from a floor that grows
one per minute since 2025-01-01 (:func:`sequence_floor`), far above what a kiosk files in a
minute on average, so numbers already used are not given again.

The damaged file is opened read-only and left where quarantine put it.
"""

import logging
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kiosk.storage.connection import Database

log = logging.getLogger(__name__)

#: Parents before children (case_event needs its case_record).
TABLES = (
    "kiosk_identity",
    "kiosk_setting",
    "sync_state",
    "counter",
    "survey_response",
    "case_record",
    "case_event",
    "outbox_entry",
    "instrument",
    "catalogue",
    "case_status",
    "staff_member",
)
#: Counters and the column whose maximum they must never fall below.
COUNTER_SOURCES = {"case_seq": ("case_record", "sequence"), "outbox_seq": ("outbox_entry", "seq")}
FLOOR_EPOCH = datetime(2025, 1, 1, tzinfo=UTC)


def sequence_floor(now: datetime) -> int:
    """Minutes since 2025-01-01: where a counter restarts when its value is lost."""
    return max(int((now - FLOOR_EPOCH).total_seconds() // 60), 1)


@dataclass
class SalvageReport:
    rows: dict[str, int] = field(default_factory=dict)
    unreadable_tables: list[str] = field(default_factory=list)
    counters_from_floor: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]


def salvage(damaged: Path, database: Database, *, now: datetime) -> SalvageReport:
    """Copy readable rows of ``damaged`` into ``database`` (fresh, at head revision).

    Reads a scratch copy of the damaged file and its -wal (so rows committed only in the WAL
    come back too) and leaves the quarantined files byte-identical. If there is no room for
    the copy, the damaged file itself is read as immutable (its WAL is then not used).
    """
    with tempfile.TemporaryDirectory(prefix=".salvage-", dir=damaged.parent) as scratch:
        try:
            copy = Path(scratch) / "damaged.db"
            shutil.copyfile(damaged, copy)
            wal = damaged.with_name(damaged.name + "-wal")
            if wal.exists():
                shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
            uri = f"file:{copy}?mode=ro"
        except OSError:
            uri = f"file:{damaged}?mode=ro&immutable=1"
        return _salvage_from(uri, database, now=now)


def _salvage_from(uri: str, database: Database, *, now: datetime) -> SalvageReport:
    report = SalvageReport()
    source: sqlite3.Connection | None
    try:
        source = sqlite3.connect(uri, uri=True)
    except sqlite3.Error:
        report.unreadable_tables = list(TABLES)
        source = None
    with database.engine.connect() as conn:
        dest = conn.connection.dbapi_connection
        assert dest is not None
        dest.execute("BEGIN IMMEDIATE")
        try:
            if source is not None:
                for table in TABLES:
                    _copy_table(source, dest, table, report)  # type: ignore[arg-type]
            _fix_counters(dest, report, now)  # type: ignore[arg-type]
            dest.execute("COMMIT")
        except BaseException:
            dest.execute("ROLLBACK")
            raise
        finally:
            if source is not None:
                source.close()
    if report.total or report.counters_from_floor:
        log.warning(
            "salvaged %d rows from the damaged database (%d tables unreadable, counters "
            "from floor: %s)",
            report.total,
            len(report.unreadable_tables),
            ",".join(report.counters_from_floor) or "none",
        )
    return report


def _copy_table(
    source: sqlite3.Connection, dest: sqlite3.Connection, table: str, report: SalvageReport
) -> None:
    try:
        wanted = set(_columns(dest, table))
        columns = [c for c in _columns(source, table) if c in wanted]
    except sqlite3.DatabaseError:
        report.unreadable_tables.append(table)
        return
    if not columns:
        report.unreadable_tables.append(table)
        return
    # Table names come from TABLES and columns are those of our own schema: nothing the
    # damaged file says reaches the SQL unless it names one of our columns.
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" * len(columns))
    insert = f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({marks})'  # noqa: S608
    copied = 0
    try:
        # Table and column names come from this release's schema, never from the file.
        for row in source.execute(f'SELECT {names} FROM "{table}"'):  # noqa: S608  # nosec B608
            try:
                copied += dest.execute(insert, row).rowcount
            except sqlite3.IntegrityError:
                continue  # e.g. an event whose case was lost: skip it, keep going
    except sqlite3.DatabaseError:
        report.unreadable_tables.append(table)  # rows read before the damage are kept
    if copied:
        report.rows[table] = copied


def _fix_counters(dest: sqlite3.Connection, report: SalvageReport, now: datetime) -> None:
    for name, (table, column) in COUNTER_SOURCES.items():
        row = dest.execute("SELECT value FROM counter WHERE name = ?", (name,)).fetchone()
        query = f'SELECT MAX("{column}") FROM "{table}"'  # noqa: S608  # constants  # nosec B608
        highest = dest.execute(query).fetchone()[0] or 0
        if row is not None:
            value = max(row[0], highest)
        else:
            value = max(highest, sequence_floor(now))
            report.counters_from_floor.append(name)
        dest.execute(
            "INSERT INTO counter (name, value) VALUES (?, ?) "
            "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            (name, value),
        )
