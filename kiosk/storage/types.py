"""Column types shared by the models and the migrations.

Timestamps are stored as ISO 8601 text in UTC with an explicit offset
(``2026-11-23T10:57:49.123456+00:00``): they sort as text, read back timezone-aware, and a naive
datetime is refused instead of silently taken as local time.
"""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

#: Width of ``YYYY-MM-DDTHH:MM:SS.ffffff+00:00``.
UTC_TEXT_LENGTH = 32


def utc_text(value: datetime) -> str:
    """The stored spelling of an aware datetime (converted to UTC, microseconds always)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("naive datetime: timestamps must be timezone-aware")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as fixed-width ISO 8601 UTC text."""

    impl = String(UTC_TEXT_LENGTH)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return utc_text(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:  # written by something else: it was UTC by contract
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC)
