"""Column helpers of the central tables (SQLModel fields with their SQL types)."""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field

from central.db import UtcDateTime


def timestamp(**kwargs: Any) -> Any:
    """A timezone-aware UTC timestamp column."""
    return Field(sa_type=UtcDateTime, **kwargs)


def string(length: int, **kwargs: Any) -> Any:
    return Field(sa_type=sa.String(length), **kwargs)


def json_field(**kwargs: Any) -> Any:
    return Field(sa_type=sa.JSON, **kwargs)


def bigint(**kwargs: Any) -> Any:
    """A 64-bit integer column (values a kiosk sends: sequences, durations, versions)."""
    return Field(sa_type=sa.BigInteger, **kwargs)


def partial_index(name: str, column: str, where: str, include: Sequence[str] = ()
                  ) -> sa.Index:
    """An index of the rows matching ``where`` only (PostgreSQL and SQLite); ``include``:
    columns PostgreSQL keeps in the index too, for index-only scans."""
    clause = sa.text(where)
    extra = {"postgresql_include": [c for c in include if c != column]} if include else {}
    return sa.Index(name, column, postgresql_where=clause, sqlite_where=clause, **extra)
