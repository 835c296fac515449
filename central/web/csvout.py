"""CSV exports (UTF-8 with BOM so spreadsheet programs read the accents; formula-safe)."""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from fastapi.responses import Response, StreamingResponse

MEDIA_TYPE = "text/csv; charset=utf-8"
_FORMULA = frozenset("=+-@\t\r")


def _cell(value: Any) -> str:
    kind = type(value)
    if kind is str:
        text = value
    elif value is None:
        return ""
    elif kind is int:
        return str(value)  # a plain number is never a formula
    elif isinstance(value, float):
        return f"{value:.2f}"
    else:
        text = str(value)
    if text and text[0] in _FORMULA and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _lines(header: Sequence[str], rows: Iterable[Sequence[Any]],
           chunk: int = 500) -> Iterator[bytes]:
    """The CSV document in pieces: BOM and header first, then ``chunk`` rows at a time."""
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    for n, row in enumerate(rows, 1):
        writer.writerow([_cell(v) for v in row])
        if n % chunk == 0:
            yield buf.getvalue().encode("utf-8")
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue().encode("utf-8")


def _headers(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store"}


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    """A small table (the board's), built whole."""
    return Response(b"".join(_lines(header, rows)), media_type=MEDIA_TYPE,
                    headers=_headers(filename))


def csv_stream(filename: str, header: Sequence[str],
               rows: Iterable[Sequence[Any]]) -> StreamingResponse:
    """A table of any length (every case in scope), sent as it is read from the database."""
    return StreamingResponse(_lines(header, rows), media_type=MEDIA_TYPE,
                             headers=_headers(filename))
