"""Timestamps are stored as aware UTC text, one spelling, sortable."""

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy.dialects import sqlite

from kiosk.storage.db import open_database
from kiosk.storage.migrate import SCHEMA_HEAD, current_revision, head_revision
from kiosk.storage.types import UTCDateTime, utc_text


def test_utc_text_is_fixed_width_utc() -> None:
    mexico = timezone(timedelta(hours=-6))
    assert (
        utc_text(datetime(2026, 1, 2, 3, 4, 5, tzinfo=mexico)) == "2026-01-02T09:04:05.000000+00:00"
    )
    assert len(utc_text(datetime(2026, 1, 2, tzinfo=UTC))) == 32


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        utc_text(datetime(2026, 1, 2))
    with pytest.raises(ValueError):
        UTCDateTime().process_bind_param(datetime(2026, 1, 2), sqlite.dialect())


def test_reading_back() -> None:
    t = UTCDateTime()
    d = sqlite.dialect()
    assert t.process_bind_param(None, d) is None and t.process_result_value(None, d) is None
    # Text written without an offset by some other tool was UTC by contract.
    assert t.process_result_value("2026-01-02T03:04:05", d) == datetime(
        2026, 1, 2, 3, 4, 5, tzinfo=UTC
    )
    back = t.process_result_value("2026-01-02T03:04:05.000000-06:00", d)
    assert back == datetime(2026, 1, 2, 9, 4, 5, tzinfo=UTC) and back.tzinfo == UTC


def test_current_revision_is_head_after_open(tmp_path: Path) -> None:
    db = open_database(tmp_path / "k.db").database
    assert current_revision(db.engine) == head_revision() == "0004"
    db.close()


def test_the_fast_path_head_matches_the_migrations() -> None:
    assert SCHEMA_HEAD == head_revision()


def test_opening_a_current_database_does_not_import_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    open_database(tmp_path / "k.db").database.close()
    code = (
        "import sys; from kiosk.storage.db import open_database; "
        f"r = open_database({str(tmp_path / 'k.db')!r}); "
        "print(r.revision, 'alembic' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.split() == [SCHEMA_HEAD, "False"]
