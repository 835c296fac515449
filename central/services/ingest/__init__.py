"""Ingest of a pushed batch: one result per record, idempotent in the database.

For each record of a batch (docs/design/principles.md, principle 2):

* not valid for its kind → ``rejected`` with a reason (nothing stored, a fixed resend may pass);
* new id → ``stored`` (an :class:`~central.models.IngestedRecord` row plus the row of its kind);
* known id, same content hash → ``duplicate`` (a success for the kiosk);
* known id, other content → ``conflict`` (the stored original is untouched).

Idempotency lives in the database: ``ingested_record.id`` is the primary key and rows are
inserted with ``INSERT … ON CONFLICT DO NOTHING`` (PostgreSQL and SQLite), so 50 concurrent
resends of one record leave exactly one row. Rows are inserted in id order so two batches that
overlap lock in the same order (no deadlock). If a rare race still raises an integrity error
(two different records with one folio) the caller rolls back and calls :func:`ingest` again
with ``one_by_one=True``, which uses a savepoint per record.

=============  ===============================================================================
``parse``      validation of each record, its content hash, what no column can hold
``checks``     what needs the database: folios, the case of a kiosk event, ids already stored
``rows``       the central rows of each record kind (the body's fields plus the server's)
``bulk``       writes for each engine: unnest + COPY on PostgreSQL, executemany on SQLite
``core``       :func:`ingest` on top
=============  ===============================================================================
"""

from central.services.ingest.core import IngestOutcome, ingest
from central.services.ingest.parse import (
    BadBatch,
    ParsedRecord,
    content_hash,
    parse_records,
    storable_problem,
)

__all__ = ["BadBatch", "IngestOutcome", "ParsedRecord", "content_hash", "ingest",
           "parse_records", "storable_problem"]
