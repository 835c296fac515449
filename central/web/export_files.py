"""The analysts' export written as it is read: CSV (UTF-8 with BOM, formula-safe, as
:mod:`central.web.csvout`) and Parquet (a row group per batch), each batch sent as soon as it
is encoded, so the server holds one batch at a time."""

import io
from collections.abc import Iterable, Iterator

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from central.web.export_data import KIOSK_TEXT

#: Text a spreadsheet would take for a formula (central.web.csvout's set).
_FORMULA = r"^[=+\-@\t\r]"
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet"}
#: Rows Arrow's CSV writer turns into text at a time: more than a batch holds.
CSV_ROWS = 1 << 16


class _Sink(io.RawIOBase):
    """A write-only file whose bytes are taken away after each batch."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.position = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        chunk = bytes(data)
        self.parts.append(chunk)
        self.position += len(chunk)
        return len(chunk)

    def tell(self) -> int:
        return self.position

    def take(self) -> bytes:
        out = b"".join(self.parts)
        self.parts.clear()
        return out


def formula_safe(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Text cells from kiosks that start like a formula get a leading apostrophe."""
    arrays = []
    for name, column in zip(batch.schema.names, batch.columns, strict=True):
        if name in KIOSK_TEXT:
            risky = pc.fill_null(pc.match_substring_regex(column, _FORMULA), False)
            if pc.any(risky).as_py():
                column = pc.if_else(risky, pc.binary_join_element_wise("'", column, ""),
                                    column)
        arrays.append(column)
    return pa.RecordBatch.from_arrays(arrays, schema=batch.schema)


def csv_chunks(schema: pa.Schema, batches: Iterable[pa.RecordBatch]) -> Iterator[bytes]:
    sink = _Sink()
    sink.write("\ufeff".encode())
    # A whole batch converted at once (Arrow's default, 1,024 rows, cost three times more).
    options = pa_csv.WriteOptions(include_header=True, eol="\r\n", batch_size=CSV_ROWS)
    with pa_csv.CSVWriter(sink, schema, write_options=options) as writer:
        yield sink.take()
        for batch in batches:
            writer.write_batch(formula_safe(batch))
            yield sink.take()
    yield sink.take()


def parquet_chunks(schema: pa.Schema, batches: Iterable[pa.RecordBatch]) -> Iterator[bytes]:
    sink = _Sink()
    # No dictionary for the row id (unique: one would be built for each page and dropped).
    coded = [name for name in schema.names if name != "id"]
    with pq.ParquetWriter(sink, schema, compression="zstd", use_dictionary=coded) as writer:
        for batch in batches:
            writer.write_batch(batch, row_group_size=max(batch.num_rows, 1))
            yield sink.take()
    yield sink.take()


def chunks(fmt: str, schema: pa.Schema, batches: Iterable[pa.RecordBatch]) -> Iterator[bytes]:
    encode = csv_chunks if fmt == "csv" else parquet_chunks
    for chunk in encode(schema, batches):
        if chunk:
            yield chunk
