"""Reading the analysts' export from the database a batch at a time (memory stays flat).

* A file (no order needed) on PostgreSQL: ``COPY (SELECT …) TO STDOUT`` parsed by Arrow's
  streaming CSV reader, so no row becomes Python objects on the way (the fastest path: the
  database writes text in C, Arrow parses it in C).
* The feed's ordered pages on PostgreSQL: a server-side cursor of the driver (binary).
* SQLite: SQLAlchemy's ``yield_per``.

Each read fetches the next batch in a thread while the current one is encoded and sent.
"""

import io
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
        if dialect == "postgresql" and not window.get("ordered", True):
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
                       (last[-1], key_text(last[0])))


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


class _CopyStream(io.RawIOBase):
    """The COPY's blocks as a readable file for Arrow's CSV reader."""

    def __init__(self, blocks: Iterator[Any]) -> None:
        self.blocks, self.left = blocks, b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:  # type: ignore[override]
        while not self.left:
            block = next(self.blocks, None)
            if block is None:
                return 0
            self.left = bytes(block)
        n = min(len(buffer), len(self.left))
        buffer[:n] = self.left[:n]
        self.left = self.left[n:]
        return n


def copy_columns(connection: Any, stmt: Any, types: Sequence[pa.DataType]
                 ) -> Iterator[list[pa.Array]]:
    """PostgreSQL: the statement's rows as Arrow columns, through COPY … (FORMAT csv)."""
    compiled = stmt.compile(dialect=connection.dialect)
    raw = connection.connection.driver_connection
    names = [f"c{i}" for i in range(len(types))]
    with raw.cursor() as cursor, cursor.copy(
            f"COPY ({compiled}) TO STDOUT (FORMAT csv)", compiled.params) as copy:
        blocks = iter(copy)
        first = next(blocks, None)
        if first is None:
            return
        stream = _CopyStream(_chain(first, blocks))
        reader = pa_csv.open_csv(
            io.BufferedReader(stream, COPY_BLOCK_BYTES),
            read_options=pa_csv.ReadOptions(column_names=names, block_size=COPY_BLOCK_BYTES,
                                            use_threads=True),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict(zip(names, types, strict=True)), true_values=["t"],
                false_values=["f"], strings_can_be_null=True))
        for batch in reader:
            yield batch.columns[:-1]


def _chain(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest
