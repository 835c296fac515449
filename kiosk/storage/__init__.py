"""The kiosk's local store: SQLModel tables on SQLite, Alembic migrations run at start, and
the storage functions services call inside one transaction. No Qt, no requests.

Map:

* ``db``         open_database() → OpenResult(database, quarantined_to, salvaged, ...): the
                 start-up check, quarantine of a damaged file, migrations, salvage.
* ``connection`` every connection configured (WAL, synchronous=FULL, foreign keys, busy
                 timeout); Database.write() (BEGIN IMMEDIATE ... COMMIT) and Database.read().
* ``migrate``    the Alembic migrations run programmatically; SCHEMA_HEAD.
* ``models``     the tables; ``types`` the aware-UTC timestamp column.
* ``outbox``     the outbox table: states, enqueue() in the record's transaction, queries.
                 How entries move between states is sync's job (``kiosk.sync.outbox``).
* ``retention``  free text of acknowledged records blanked after the retention period.
* ``identity``   this kiosk's enrolment, server settings and sync state.
* ``salvage``    rows copied back from a quarantined file; folio counters carried over.
* ``errors``     StorageFull / StorageReadOnly / StorageBusy / DatabaseNewerThanCode, and
                 known_errors() that turns driver failures into them.
* ``migrations`` Alembic scripts (0001 = first release; never edit a released one).

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
