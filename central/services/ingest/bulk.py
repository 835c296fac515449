"""Bulk writes for each engine. PostgreSQL: the idempotency ledger in one ``INSERT … SELECT
FROM unnest(…)`` and the new rows by ``COPY`` in the same transaction. SQLite (the embedded
server): ``INSERT … ON CONFLICT DO NOTHING RETURNING`` and executemany."""

import json
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy import types as sa_types
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from central.models import IngestedRecord
from central.services.ingest.parse import ParsedRecord

_EMPTY_JSON = {list: "[]", dict: "{}"}


def on_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


# ---------------------------------------------------------------------------- the ledger


def insert_ledger(session: Session, kiosk_id: uuid.UUID, batch_id: uuid.UUID,
                  received_at: datetime, items: list[ParsedRecord]) -> set[uuid.UUID]:
    """Insert the ingested_record row of every item unless its id is stored already; answers
    the ids that were NOT inserted (the usual all-new batch: none)."""
    if on_postgres(session):
        for it in items:
            it.id_text = str(it.id)
            # In UTC: PostgreSQL refuses offsets beyond ±15:59, which the wire allows.
            it.created_text = (it.record.created_at  # type: ignore[union-attr]
                               .astimezone(UTC).isoformat())
        return _pg_insert_ledger(session, kiosk_id, batch_id, received_at, items)
    rows = [{
        "id": it.id, "kiosk_id": kiosk_id, "seq": it.record.seq,  # type: ignore[union-attr]
        "kind": it.record.body.kind.value,  # type: ignore[union-attr]
        "content_hash": it.hash, "batch_id": batch_id,
        "kiosk_created_at": it.record.created_at,  # type: ignore[union-attr]
        "received_at": received_at,
    } for it in items]
    new_ids = _insert_ignore(session, IngestedRecord.__table__, rows, "id")
    return {it.id for it in items if it.id not in new_ids}


def _insert_ignore(session: Session, table: Any, rows: list[dict[str, Any]], key: str
                   ) -> set[Any]:
    """INSERT … ON CONFLICT DO NOTHING RETURNING key; the keys actually inserted."""
    if not rows:
        return set()
    ins = pg_insert(table) if on_postgres(session) else sqlite_insert(table)
    stmt = ins.on_conflict_do_nothing().returning(table.c[key])
    return {row[0] for row in session.execute(stmt, rows)}


def _array(values: Iterable[str]) -> str:
    return "{" + ",".join(values) + "}"


def _pg_insert_ledger(session: Session, kiosk_id: uuid.UUID, batch_id: uuid.UUID,
                      received_at: datetime, items: list[ParsedRecord]) -> set[uuid.UUID]:
    """One INSERT … SELECT FROM unnest(arrays) ON CONFLICT DO NOTHING; answers the ids that
    were NOT inserted (already stored), so the usual all-new batch sends no rows back."""
    result = session.execute(
        text(
            "WITH ins AS (INSERT INTO ingested_record "
            "(id, kiosk_id, seq, kind, content_hash, batch_id, kiosk_created_at, received_at) "
            "SELECT u.id, :kiosk_id, u.seq, u.kind, u.hash, :batch_id, u.created, :received "
            "FROM unnest(CAST(:ids AS uuid[]), CAST(:seqs AS bigint[]), "
            "CAST(:kinds AS text[]), CAST(:hashes AS text[]), "
            "CAST(:created AS timestamptz[])) WITH ORDINALITY AS u(id, seq, kind, hash, "
            "created, n) ORDER BY u.n "
            "ON CONFLICT (id) DO NOTHING RETURNING id) "
            "SELECT x.id FROM unnest(CAST(:ids AS uuid[])) AS x(id) "
            "WHERE NOT EXISTS (SELECT 1 FROM ins WHERE ins.id = x.id)"
        ),
        {
            "kiosk_id": kiosk_id, "batch_id": batch_id, "received": received_at,
            # Array literals as text: far cheaper to build than element-wise adaptation, and
            # every element is a UUID, an integer, a fixed identifier, hex or ISO timestamp.
            "ids": _array(it.id_text for it in items),
            "seqs": _array(str(it.record.seq) for it in items),  # type: ignore[union-attr]
            "kinds": _array(it.record.body.kind.value for it in items),  # type: ignore[union-attr]
            "hashes": _array(it.hash for it in items),
            "created": _array(f'"{it.created_text}"' for it in items),
        },
    )
    return {row[0] for row in result}


# ---------------------------------------------------------------------------- new rows


def json_text(value: Any) -> str:
    """A JSON column's value as the text COPY writes."""
    if not value:
        return _EMPTY_JSON.get(type(value), "null")
    if type(value) is list:
        try:
            return _json_list(tuple(value))
        except TypeError:  # not a list of codes (unhashable items)
            pass
    return json.dumps(value, ensure_ascii=False)


@lru_cache(maxsize=1024)
def _json_list(values: tuple[str, ...]) -> str:
    """JSON text of a short list of codes (survey reasons repeat a lot)."""
    return json.dumps(list(values), ensure_ascii=False)


def bulk_insert(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    """Insert rows known to be new: COPY on PostgreSQL (same transaction), executemany
    elsewhere."""
    if not rows:
        return
    if not on_postgres(session):
        session.execute(insert(table), rows)
        return
    columns = list(rows[0])
    json_columns = [c for c in columns if isinstance(table.c[c].type, sa_types.JSON)]
    for row in rows:
        for c in json_columns:
            row[c] = json_text(row[c])
    copy_tuples(session, table, columns, [tuple(row.values()) for row in rows])


def copy_tuples(session: Session, table: Any, columns: Sequence[str],
                rows: list[tuple[Any, ...]]) -> None:
    """COPY rows already in column order, JSON columns already as text (PostgreSQL only)."""
    conn = session.connection().connection.driver_connection
    assert conn is not None
    names = ", ".join(f'"{c}"' for c in columns)
    statement = f'COPY "{table.name}" ({names}) FROM STDIN'
    import psycopg

    try:
        with conn.cursor() as cur, cur.copy(statement) as copy:
            write_row = copy.write_row
            for row in rows:
                write_row(row)
    except psycopg.Error as exc:
        # Speak SQLAlchemy's exceptions (IntegrityError, DataError, …) like every other path.
        raise DBAPIError.instance(statement, None, exc, psycopg.Error) from exc
