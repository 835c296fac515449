"""Reading the analysts' export from the database a batch at a time (memory stays flat).

* A file (no order needed) on PostgreSQL: ``COPY (SELECT …) TO STDOUT`` gathered in blocks of
  whole rows, each parsed by Arrow's CSV reader, so no row becomes Python objects on the way
  (the fastest path: the database writes text in C, Arrow parses it in C).
* The feed's ordered pages on PostgreSQL: a server-side cursor of the driver (binary).
* SQLite: SQLAlchemy's ``yield_per``.

Each read fetches the next batch in a thread while the current one is encoded and sent.
"""

import queue
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv
from sqlmodel import Session

from central.web.export_data import (
    BATCH_ROWS,
    SOURCE_TYPES,
    ExportQuery,
    Places,
    key_text,
    module_places,
    python_columns,
    statement,
    to_batch,
)

#: About 25,000 rows of survey responses per block of COPY text.
COPY_BLOCK_BYTES = 4 << 20


def read_batches(engine: Any, query: ExportQuery, *, batch_rows: int = BATCH_ROWS,
                 places: Places | None = None, **window: Any
                 ) -> Iterator[tuple[pa.RecordBatch, tuple[datetime, str] | None]]:
    """The query's rows, about ``batch_rows`` at a time, each batch with the keyset position
    of its last row (None for an unordered read). One connection and one statement (one
    snapshot) for the whole read; the next batch is fetched while one is encoded."""
    dialect = engine.dialect.name
    types = SOURCE_TYPES[query.dataset]
    with Session(engine) as session:
        if places is None:
            places = module_places(session, query)
        stmt = statement(query, dialect, counted=places.counted, **window)
        connection = session.connection()
        ordered = window.get("ordered", True)
        if dialect == "postgresql" and not ordered:
            with prefetched(copy_columns(connection, stmt, types)) as columns:
                for cols in columns:
                    yield to_batch(query, places, cols), None
            return
        fetched = (_server_cursor(connection, stmt, batch_rows) if dialect == "postgresql"
                   else connection.execution_options(yield_per=batch_rows).execute(stmt)
                   .partitions(batch_rows))
        with prefetched(fetched) as batches:
            for rows in batches:
                last = rows[-1]
                yield (to_batch(query, places, python_columns(rows, types)),
                       (last[-1], key_text(last[0])) if ordered else None)


@contextmanager
def prefetched(source: Iterator[Any]) -> Iterator[Iterator[Any]]:
    """``source`` read one item ahead in a thread: the database prepares the next batch
    while this one is encoded and sent (at most two batches held). The thread is stopped and
    joined when the reader leaves, early or not, before the connection is given back."""
    items: queue.Queue[Any] = queue.Queue(maxsize=1)
    stop = threading.Event()
    done = object()

    def produce() -> None:
        try:
            for item in source:
                while not stop.is_set():
                    try:
                        items.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            items.put(done)
        except BaseException as exc:  # handed to the reader
            items.put(exc)

    def consume() -> Iterator[Any]:
        while (item := items.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item

    worker = threading.Thread(target=produce, name="export-fetch", daemon=True)
    worker.start()
    try:
        yield consume()
    finally:
        stop.set()
        while worker.is_alive():
            try:
                items.get(timeout=0.1)
            except queue.Empty:
                pass
        worker.join()


def _server_cursor(connection: Any, stmt: Any, batch_rows: int) -> Iterator[list[Any]]:
    """PostgreSQL: the driver's own server-side cursor in binary, plain tuples made in C (no
    per-row work in Python before the rows reach Arrow), inside the session's transaction."""
    compiled = stmt.compile(dialect=connection.dialect)
    raw = connection.connection.driver_connection
    with raw.cursor(name=f"td_export_{uuid.uuid4().hex}", binary=True) as cursor:
        cursor.itersize = batch_rows
        cursor.execute(str(compiled), compiled.params)
        while rows := cursor.fetchmany(batch_rows):
            yield rows


def copy_blocks(copy: Any, size: int) -> Iterator[bytearray]:
    """The rows of a running ``COPY … TO STDOUT`` (a message each) joined into blocks of
    whole rows of about ``size`` bytes: each row's bytes are copied at once (holding the
    driver's buffers for a block cost twice the reading), nothing else done per row."""
    block = bytearray()
    for row in copy:
        block += row
        if len(block) >= size:
            yield block
            block = bytearray()
    if block:
        yield block


def copy_columns(connection: Any, stmt: Any, types: Sequence[pa.DataType]
                 ) -> Iterator[list[pa.Array]]:
    """PostgreSQL: the statement's rows as Arrow columns, through COPY … (FORMAT csv): each
    block of whole rows parsed by Arrow's CSV reader in C (no Python object per row)."""
    compiled = stmt.compile(dialect=connection.dialect)
    raw = connection.connection.driver_connection
    names = [f"c{i}" for i in range(len(types))]
    parse = pa_csv.ParseOptions(newlines_in_values=True)
    convert = pa_csv.ConvertOptions(column_types=dict(zip(names, types, strict=True)),
                                    true_values=["t"], false_values=["f"],
                                    strings_can_be_null=True)
    with raw.cursor() as cursor, cursor.copy(
            f"COPY ({compiled}) TO STDOUT (FORMAT csv)", compiled.params) as copy:
        for block in copy_blocks(copy, COPY_BLOCK_BYTES):
            # One parse block per COPY block: a batch (a Parquet row group) per block.
            read = pa_csv.ReadOptions(column_names=names, block_size=len(block) + 1,
                                      use_threads=False)
            table = pa_csv.read_csv(pa.py_buffer(block), read_options=read,
                                    parse_options=parse, convert_options=convert)
            for batch in table.to_batches():
                yield batch.columns
