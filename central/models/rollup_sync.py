"""Keeping the rollups equal to the raw rows, in the transaction that changes the raw rows.

* Survey responses never change once stored: the ingest adds each batch's counts
  (:func:`add_survey_counts`) right after it inserted the rows.
* Cases are inserted by the ingest (:func:`add_case_counts`) and then move: a stage change, a
  reopened case, a deadline set by hand. Whatever ORM session changes a case's key column
  (the web follow-up, a kiosk's case event, the demo, a test), the ``after_flush`` hook below
  moves its count from the old key to the new one in the same transaction. Writes that
  bypass the ORM (``UPDATE "case" …`` in SQL) must call :func:`add_case_counts` themselves;
  ``trato-central rebuild-rollups`` repairs the tables from the raw rows in any case.

Counts are added with one ``INSERT … ON CONFLICT DO UPDATE`` (PostgreSQL and SQLite), rows in
key order so concurrent batches lock shared rows in the same order (no deadlock). A case count
that falls to zero is deleted, so the open-complaint rows stay as few as the open complaints.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from central.db import local_day
from central.models.records import Case
from central.models.rollups import (
    NO_DUE,
    NO_NODE,
    NO_SERVICE,
    RATINGS,
    CaseDay,
    SurveyBranchDay,
    SurveyModuleDay,
    SurveyUnitDay,
    key_columns,
    measure_columns,
)

_SURVEY_MODULE = SurveyModuleDay.__table__
_SURVEY_UNIT = SurveyUnitDay.__table__
_SURVEY_BRANCH = SurveyBranchDay.__table__
_CASE = CaseDay.__table__
#: The case columns a rollup key is made of.
CASE_KEY_SOURCES = ("received_at", "module_id", "unit_id", "ooad_id", "umae_id", "case_type",
                    "service_code", "stage", "resolution_due")


@lru_cache(maxsize=16)
def _upsert_statement(table: Any, dialect: str) -> Any:
    """``INSERT … ON CONFLICT (key) DO UPDATE SET m = m + excluded.m`` for ``table`` (built
    once: a batch runs three or four of these)."""
    ins = pg_insert(table) if dialect == "postgresql" else sqlite_insert(table)
    return ins.on_conflict_do_update(
        index_elements=list(key_columns(table)),
        set_={m: table.c[m] + ins.excluded[m] for m in measure_columns(table)},
    )


def _upsert(conn: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    """Add each row's measures to the row with its key (inserted when missing)."""
    if not rows:
        return
    keys = key_columns(table)
    rows.sort(key=lambda r: tuple(str(r[k]) for k in keys))
    conn.execute(_upsert_statement(table, conn.dialect.name), rows)


# ---------------------------------------------------------------------------- surveys


def survey_key(branch: Mapping[str, Any], day: date, service_code: str | None,
               instrument_id: str, instrument_version: int, fingerprint: str
               ) -> tuple[Any, ...]:
    """A ``rollup_survey_module_day`` key (``branch``: module, unit, OOAD and UMAE ids;
    ``fingerprint``: the instrument version's, ``""`` when unknown)."""
    return (day, branch["module_id"], branch["unit_id"], branch["ooad_id"] or NO_NODE,
            branch["umae_id"] or NO_NODE, service_code or NO_SERVICE, instrument_id,
            instrument_version, fingerprint)


def survey_counts(key: tuple[Any, ...]) -> dict[str, Any]:
    """A zero row of ``rollup_survey_module_day`` with ``key``."""
    row = dict(zip(key_columns(_SURVEY_MODULE), key, strict=True))
    row.update({m: 0 for m in measure_columns(_SURVEY_MODULE)})
    return row


def count_response(row: dict[str, Any], rating: int | None, misuse: bool) -> None:
    row["responses"] += 1
    if misuse:
        row["misuse"] += 1
    elif rating in RATINGS:
        row[f"rating_{rating}"] += 1


def _summed(rows: list[dict[str, Any]], table: Any) -> list[dict[str, Any]]:
    """``rows`` summed by the key of the coarser rollup ``table``."""
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    keys = key_columns(table)
    measures = measure_columns(table)
    for row in rows:
        key = tuple(row[k] for k in keys)
        total = out.get(key)
        if total is None:
            total = out[key] = {**dict(zip(keys, key, strict=True)), **{m: 0 for m in measures}}
        for m in measures:
            total[m] += row[m]
    return list(out.values())


def add_survey_counts(conn: Any, rows: Iterable[dict[str, Any]]) -> None:
    """Add module-day rows (from :func:`survey_counts`) to every survey rollup (module,
    unit, branch: in that order in every transaction)."""
    module_rows = list(rows)
    _upsert(conn, _SURVEY_MODULE, module_rows)
    _upsert(conn, _SURVEY_UNIT, _summed(module_rows, _SURVEY_UNIT))
    _upsert(conn, _SURVEY_BRANCH, _summed(module_rows, _SURVEY_BRANCH))


# ---------------------------------------------------------------------------- cases


def case_key(values: Mapping[str, Any]) -> tuple[Any, ...]:
    """The ``rollup_case_day`` key of a case given its columns (a row or a mapping)."""
    received: datetime = values["received_at"]
    return (local_day(received), values["module_id"], values["unit_id"],
            values["ooad_id"] or NO_NODE, values["umae_id"] or NO_NODE, values["case_type"],
            values["service_code"] or NO_SERVICE, values["stage"],
            values["resolution_due"] or NO_DUE)


def add_case_counts(conn: Any, deltas: Mapping[tuple[Any, ...], int]) -> None:
    """Add ``deltas`` (case key -> +n/-n) to ``rollup_case_day``; rows left at 0 go."""
    keys = key_columns(_CASE)
    rows = [{**dict(zip(keys, key, strict=True)), "cases": n} for key, n in deltas.items() if n]
    _upsert(conn, _CASE, rows)
    emptied = [dict(zip(keys, key, strict=True)) for key, n in deltas.items() if n < 0]
    if emptied:
        conn.execute(
            sa.delete(_CASE).where(_CASE.c.cases == 0,
                                   *(_CASE.c[k] == sa.bindparam(f"k_{k}") for k in keys)),
            [{f"k_{k}": row[k] for k in keys} for row in emptied],
        )


def _current(case: Case) -> dict[str, Any]:
    return {a: getattr(case, a) for a in CASE_KEY_SOURCES}


def _before_flush_values(case: Case) -> dict[str, Any] | None:
    """The key columns as the database held them before this flush; None if none changed."""
    state = sa.inspect(case)
    old: dict[str, Any] = {}
    changed = False
    for name in CASE_KEY_SOURCES:
        history = state.attrs[name].history
        if history.has_changes():
            changed = True
            old[name] = history.deleted[0] if history.deleted else None
        else:
            old[name] = getattr(case, name)
    return old if changed else None


def _case_deltas(session: Session) -> Counter[tuple[Any, ...]]:
    deltas: Counter[tuple[Any, ...]] = Counter()
    for obj in session.new:
        if isinstance(obj, Case):
            deltas[case_key(_current(obj))] += 1
    for obj in session.deleted:
        if isinstance(obj, Case):
            old = _before_flush_values(obj) or _current(obj)
            deltas[case_key(old)] -= 1
    for obj in session.dirty:
        if isinstance(obj, Case) and obj not in session.new:
            old = _before_flush_values(obj)
            if old is not None and old["received_at"] is not None:
                before, after = case_key(old), case_key(_current(obj))
                if before != after:
                    deltas[before] -= 1
                    deltas[after] += 1
    return deltas


@event.listens_for(Session, "after_flush")
def _move_case_counts(session: Session, _context: Any) -> None:
    deltas = _case_deltas(session)
    if any(deltas.values()):
        add_case_counts(session.connection(), deltas)


def _keep_old_value(_target: Any, value: Any, _old: Any, _initiator: Any) -> Any:
    return value


# The old value of every key column is loaded before it is replaced, so the flush above knows
# which rollup row a case leaves even when the attribute had not been read.
for _name in CASE_KEY_SOURCES:
    event.listen(getattr(Case, _name), "set", _keep_old_value, active_history=True,
                 retval=True)
