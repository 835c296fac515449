"""The kiosk's local store: SQLModel tables on SQLite, Alembic migrations run at start, and
the storage functions services call inside one transaction. No Qt, no requests.

Map:

* ``db``        open_database() → OpenResult(database, quarantined_to, salvaged, ...);
                Database.write() (BEGIN IMMEDIATE ... COMMIT) and Database.read().
* ``models``    the tables; ``types`` the aware-UTC timestamp column.
* ``identity``  this kiosk's enrolment, server settings and sync state.
* ``salvage``   rows copied back from a quarantined file; folio counters carried over.
* ``errors``    StorageFull / StorageReadOnly / StorageBusy / DatabaseNewerThanCode.
* ``migrations`` Alembic scripts (0001 = first release; never edit a released one).
* The outbox state machine lives in ``kiosk.sync.outbox`` (same tables, sync's rules).

Invariants:

1. A record, its outbox entry and the counters that numbered them (folio sequence, outbox
   seq) are written in ONE ``BEGIN IMMEDIATE`` transaction; a receipt (folio) exists only
   after that commit returned. Numbers are never reused, even after a quarantine.
2. Every connection runs WAL, ``synchronous=FULL``, ``foreign_keys=ON`` and a busy timeout.
3. Clear personal identifiers never reach the disk: sealed box plus masks only.
4. A damaged file is renamed, never deleted; a database newer than the code is refused
   untouched.
5. Timestamps are aware UTC, stored as fixed-width ISO text.
"""
