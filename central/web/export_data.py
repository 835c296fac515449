"""What the analysts' export and the OData feed read: survey responses and cases without
personal data, in Arrow record batches read a batch at a time from the database.

Never exported: the sealed personal data, every free text a person wrote (comment, narrative,
request, the staff involved, the person recognised, the unit named), the folio, the agent's
roster id, the kiosk and its sequence, and exact times (rows carry the local day). A row's
place in the tree follows the small-number rule (:mod:`central.web.export_rule`), decided over
the counts the board decides over (:func:`central.web.tallies.rated_groups`: the rated
responses of the board's instrument fingerprint); responses flagged as probable misuse keep no
rating (the board does not count them either), and the responses the board does not count (to
a version of another fingerprint, or to a perception campaign) keep no answer at all: the
rule never decided over them. ``cuenta_en_tablero`` says which rows the board's figures count.

:mod:`central.web.export_read` reads the rows a batch at a time, so the server holds one or two
batches whatever the period.
"""

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import sqlalchemy as sa
from sqlmodel import Session, select

from central.db import LOCAL_ZONE, local_day_sql
from central.models import Case, OrgLevel, OrgNode, SurveyResponse
from central.services.ingest.campaigns import campaign_clause
from central.web.export_rule import WITHHELD, branch_placement, describe, placements
from central.web.nodes import BoardNode, node_filter, root_node
from central.web.scope import Scope
from central.web.tallies import rated_groups

RESPONSES, CASES = "respuestas", "casos"
DATASETS = (RESPONSES, CASES)
BATCH_ROWS = 25_000
_DEPTH = {OrgLevel.NIVEL_CENTRAL.value: 0, OrgLevel.OOAD.value: 1, OrgLevel.UMAE.value: 1,
          OrgLevel.UNIT.value: 2, OrgLevel.MODULE.value: 3}
_STR, _INT, _BOOL, _DATE = pa.string(), pa.int64(), pa.bool_(), pa.date32()
#: Where a row is (the columns the small-number rule may blank, from the top).
PLACE = [("ooad", _STR), ("umae", _STR), ("clues", _STR), ("unidad", _STR),
         ("modulo_codigo", _STR), ("modulo", _STR)]
SURVEY_SCHEMA = pa.schema([
    ("id", _STR), ("fecha", _DATE), *PLACE, ("nivel_detalle", _STR), ("instrumento", _STR),
    ("version_instrumento", _INT), ("idioma", _STR), ("canal", _STR), ("servicio", _STR),
    ("calificacion", _INT), ("motivos", _STR), ("respuestas", _STR), ("duracion_ms", _INT),
    ("uso_indebido_probable", _BOOL), ("cuenta_en_tablero", _BOOL)])
CASE_SCHEMA = pa.schema([
    ("id", _STR), ("fecha_recepcion", _DATE), *PLACE, ("tipo", _STR), ("canal", _STR),
    ("idioma", _STR), ("servicio", _STR), ("categorias", _STR), ("sensible", _BOOL),
    ("etapa", _STR), ("impacto_institucional", _BOOL), ("fecha_limite_integracion", _DATE),
    ("fecha_limite_resolucion", _DATE), ("fecha_cierre", _DATE), ("reaperturas", _INT),
    ("registrado_por_agente", _BOOL), ("desenlace", _STR), ("estado_reconocimiento", _STR),
    ("consentimiento", _BOOL), ("publicar_reconocimiento", _BOOL), ("desde_encuesta", _BOOL),
    ("version_catalogo", _INT)])
SCHEMAS = {RESPONSES: SURVEY_SCHEMA, CASES: CASE_SCHEMA}


@dataclass
class Places:
    """Each module's place columns as the rule leaves them, and whether its answers are
    withheld: Arrow arrays indexed like ``keys`` (modules unknown to the decision: withheld).
    The arrays are twice as long as ``keys``: the second half is where a response the board
    does not count is put (its module's full place, its answers withheld)."""

    keys: pa.Array
    columns: list[pa.Array]
    level: pa.Array
    withheld: pa.Array
    index: dict[str, int] = field(default_factory=dict)
    #: The (instrument, version) pairs whose responses the board counts in the period.
    counted: frozenset[tuple[str, int]] = frozenset()


@dataclass(frozen=True)
class ExportQuery:
    dataset: str
    start: date
    end: date  # inclusive
    scope: Scope
    branch: BoardNode
    #: The viewer reads sensitive cases (their categories are blank otherwise).
    sensitive: bool = True

    @property
    def moments(self) -> tuple[datetime, datetime]:
        """The period as UTC-comparable local moments [start, end + 1 day)."""
        return (datetime.combine(self.start, time(), LOCAL_ZONE),
                datetime.combine(self.end + timedelta(days=1), time(), LOCAL_ZONE))


def key_text(value: Any) -> str:
    return str(value) if value is not None else ""


def _root_level(scope: Scope) -> int:
    return {None: 0, "ooad_id": 1, "umae_id": 1, "unit_id": 2}.get(scope.column, 2)


def module_places(session: Session, query: ExportQuery) -> Places:
    """The rule's decision over the period from the viewer's root, for the query's branch,
    over the board's counts (:func:`central.web.tallies.rated_groups`, one fingerprint)."""
    # The scope's nodes, and every OOAD and UMAE (a unit's user sees its unit's OOAD code).
    tops = OrgNode.level.in_([OrgLevel.OOAD.value, OrgLevel.UMAE.value])  # type: ignore[attr-defined]
    nodes = {n.id: n for n in session.exec(select(OrgNode).where(
        sa.or_(query.scope.where_node(), tops)))}
    modules = [n for n in nodes.values() if n.level == OrgLevel.MODULE.value]
    root = _root_level(query.scope)
    paths: dict[uuid.UUID, tuple[Any, ...]] = {
        m.id: (m.ooad_id or m.umae_id, m.unit_id, m.id)[root:] for m in modules}
    sizes: dict[tuple[Any, ...], int] = {}
    counted: set[tuple[str, int]] = set()
    if query.dataset == RESPONSES:
        # The board's own query: the rated responses of its fingerprint, per module and per
        # version (the versions it counts are those it returns).
        groups = rated_groups(session, query.scope, root_node(session, query.scope),
                              ("module_id", "instrument_id", "instrument_version"),
                              {"period": (query.start, query.end + timedelta(days=1))})
        for (module_id, instrument_id, version), periods in groups.items():
            counted.add((instrument_id, int(version)))
            if module_id in paths:
                path = paths[module_id]
                sizes[path] = sizes.get(path, 0) + periods["period"].n
    placed = placements(sizes) if query.dataset == RESPONSES else {}
    branch_depth = _DEPTH.get(query.branch.kind, 0) - root
    leaves = 3 - root
    keys, cols, levels, withheld = [], [[] for _ in PLACE], [], []
    full_cols: list[list[str | None]] = [[] for _ in PLACE]
    for m in modules:
        unit, top = nodes.get(m.unit_id), nodes.get(m.ooad_id or m.umae_id)
        full = [safe_text(v) for v in (
            top.code if top and top.level == OrgLevel.OOAD.value else None,
            top.code if top and top.level == OrgLevel.UMAE.value else None,
            unit.clues if unit else None, unit.name if unit else None, m.code, m.name)]
        if query.dataset == RESPONSES:
            p = branch_placement(placed.get(paths[m.id], WITHHELD), branch_depth)
        else:
            p = leaves  # cases are not subject to the rule (docs/small-numbers.md)
        shown = 3 if p == WITHHELD else root + p  # absolute levels shown: 1 top .. 3 module
        values = [v if (i // 2) + 1 <= shown else None for i, v in enumerate(full)]
        keys.append(str(m.id))
        for col, v in zip(cols, values, strict=True):
            col.append(v)
        for col, v in zip(full_cols, full, strict=True):
            col.append(v)
        levels.append(describe(p, leaves))
        withheld.append(p == WITHHELD)
    reserved = describe(WITHHELD, leaves)
    return Places(pa.array(keys, _STR),
                  [pa.array(c + f, _STR) for c, f in zip(cols, full_cols, strict=True)],
                  pa.array(levels + [reserved] * len(keys), _STR),
                  pa.array(withheld + [True] * len(keys), _BOOL),
                  {k: i for i, k in enumerate(keys)}, frozenset(counted))


#: The text columns that come from kiosks: a CSV checks them for formulas batch by batch (the
#: catalogue's names are checked once, :func:`safe_text`; the rest are ids, dates and enums).
KIOSK_TEXT = frozenset({"instrumento", "idioma", "servicio", "motivos", "categorias"})
_FORMULA = frozenset("=+-@\t\r")


def safe_text(value: str | None) -> str | None:
    """A catalogue name or code that starts like a formula gets a leading apostrophe (in
    every format: the place columns are built once per export)."""
    return "'" + value if value and value[0] in _FORMULA else value


def _text_id(column: Any, dialect: str) -> Any:
    return sa.cast(column, sa.Text) if dialect == "postgresql" else column


def _json_text(column: Any, dialect: str) -> Any:
    """A JSON column as its text (parsed in bulk by Arrow, not row by row by the driver)."""
    return sa.cast(column, sa.Text) if dialect == "postgresql" else sa.type_coerce(column,
                                                                                  sa.Text)


def _board_counts(counted: frozenset[tuple[str, int]]) -> Any:
    """SQL: the response is one the board counts (a version of its fingerprint, as the
    rollup says, and no campaign's: campaigns are kept out of the board's rollups)."""
    r = SurveyResponse
    versions = sa.or_(*(sa.and_(r.instrument_id == i, r.instrument_version == v)
                        for i, v in sorted(counted))) if counted else sa.false()
    return sa.and_(versions, sa.not_(campaign_clause(r.answers)))


def _survey_columns(dialect: str, counted: frozenset[tuple[str, int]]) -> list[Any]:
    r = SurveyResponse
    return [_text_id(r.id, dialect), local_day_sql(r.received_at, dialect),
            _text_id(r.module_id, dialect), r.instrument_id, r.instrument_version, r.language,
            r.channel, r.service_code, r.rating, _json_text(r.reasons, dialect),
            _json_text(r.answers, dialect), r.duration_ms, r.probable_misuse,
            _board_counts(counted)]


def _case_columns(dialect: str) -> list[Any]:
    c = Case
    return [_text_id(c.id, dialect), local_day_sql(c.received_at, dialect),
            _text_id(c.module_id, dialect), c.case_type, c.channel, c.language, c.service_code,
            _json_text(c.categories, dialect), c.sensitive, c.stage, c.impacto_institucional,
            c.completion_due, c.resolution_due, local_day_sql(c.closed_at, dialect),
            c.reopened_count, c.registered_by != "", c.outcome, c.recognition_status,
            c.consent_given, c.publish_recognition, c.from_survey_id.is_not(None),
            c.catalogue_version]


def statement(query: ExportQuery, dialect: str, *, counted: frozenset[tuple[str, int]] =
              frozenset(), after: tuple[datetime, str] | None = None, skip: int = 0,
              limit: int | None = None, ordered: bool = True) -> Any:
    """The rows of the query, in the order of receipt when ``ordered`` (the feed's pages,
    each row then with its moment of receipt last, the keyset; a file needs no order and
    spares the database a sort and the moment's text); ``after``: a keyset position;
    ``counted``: the versions the board counts (:attr:`Places.counted`)."""
    model = SurveyResponse if query.dataset == RESPONSES else Case
    columns = (_survey_columns(dialect, counted) if model is SurveyResponse
               else _case_columns(dialect))
    start, end = query.moments
    if ordered:
        columns.append(sa.type_coerce(model.received_at, sa.DateTime(timezone=True)))
    stmt = (sa.select(*columns)
            .where(model.received_at >= start, model.received_at < end,
                   query.scope.where(model), node_filter(model, query.branch)))
    if ordered:
        stmt = stmt.order_by(model.received_at, model.id)
    if after is not None:
        stmt = stmt.where(sa.tuple_(model.received_at, model.id)
                          > sa.tuple_(sa.literal(after[0], model.received_at.type),
                                      sa.literal(uuid.UUID(after[1]), model.id.type)))
    if skip:
        stmt = stmt.offset(skip)
    if limit is not None:
        stmt = stmt.limit(limit)
    return stmt


def count_statement(query: ExportQuery) -> Any:
    model = SurveyResponse if query.dataset == RESPONSES else Case
    start, end = query.moments
    return sa.select(sa.func.count()).select_from(model).where(
        model.received_at >= start, model.received_at < end, query.scope.where(model),
        node_filter(model, query.branch))


def _joined(raw: pa.Array) -> pa.Array:
    """JSON lists of codes (``["a","b"]``) as ``a|b``, in bulk (literal replacements: a
    regular expression cost three times as much); a list whose text has an escape in it is
    read by the JSON parser. A batch of empty lists (``[]``) costs one pass."""
    if not pc.any(pc.greater(pc.binary_length(raw), 2)).as_py():
        return pa.nulls(len(raw), _STR)
    plain = raw
    for mark in '[]"':
        plain = pc.replace_substring(plain, mark, "")
    plain = pc.replace_substring(pc.replace_substring(plain, ", ", "|"), ",", "|")
    escaped = pc.fill_null(pc.match_substring(raw, "\\"), False)
    if pc.any(escaped).as_py():
        exact = ["|".join(map(str, json.loads(t))) if t else None for t in raw.to_pylist()]
        plain = pc.if_else(escaped, pa.array(exact, _STR), plain)
    return pc.if_else(pc.equal(plain, ""), pa.scalar(None, _STR), plain)


def _scale(raw: pa.Array) -> pa.Array:
    """Scale answers only (numbers): an answer given as text may hold anything. Most
    responses have none (``{}``) and cost no parsing."""
    some = pc.fill_null(pc.greater(pc.utf8_length(raw), 2), False)
    if not pc.any(some).as_py():
        return pa.nulls(len(raw), _STR)
    texts = raw.to_pylist()
    out: list[str | None] = [None] * len(raw)
    for i in pc.indices_nonzero(some).to_pylist():
        answers = json.loads(texts[i])
        kept = {k: v for k, v in answers.items() if type(v) is int} \
            if isinstance(answers, dict) else {}
        out[i] = json.dumps(kept, separators=(",", ":")) if kept else None
    return pa.array(out, _STR)


def _date(values: Sequence[Any]) -> pa.Array:
    first = next((v for v in values if v is not None), None)
    if isinstance(first, str):  # SQLite gives ISO text
        return pa.array(values, _STR).cast(_DATE)
    return pa.array(values, _DATE)


#: The Arrow type of each column :func:`statement` reads (an ordered read's moment aside).
SOURCE_TYPES = {
    RESPONSES: [_STR, _DATE, _STR, _STR, _INT, _STR, _STR, _STR, _INT, _STR, _STR, _INT, _BOOL,
                _BOOL],
    CASES: [_STR, _DATE, _STR, _STR, _STR, _STR, _STR, _STR, _BOOL, _STR, _BOOL, _DATE, _DATE,
            _DATE, _INT, _BOOL, _STR, _STR, _BOOL, _BOOL, _BOOL, _INT],
}


def python_columns(rows: Sequence[Any], types: Sequence[pa.DataType]) -> list[pa.Array]:
    """Rows of Python values as Arrow columns (an ordered read's moment left out)."""
    out = []
    for values, kind in zip(zip(*rows, strict=True), types, strict=False):
        if kind == _DATE:
            out.append(_date(values))
            continue
        first = next((v for v in values if v is not None), None)
        if kind == _STR and first is not None and not isinstance(first, str):
            values = tuple(key_text(v) if v is not None else None for v in values)  # SQLite ids
        out.append(pa.array(values, kind))
    return out


def _place(places: Places, keys: pa.Array, counts: pa.Array | None = None
           ) -> tuple[list[pa.Array], pa.Array, pa.Array]:
    """The place columns, level and withheld flag of each row of the modules ``keys``; a row
    that ``counts`` is false for takes its module's full place, answers withheld."""
    where = pc.index_in(keys, value_set=places.keys)
    if counts is not None:
        where = pc.add(where, pc.if_else(counts, 0, len(places.keys)).cast(where.type))
    return ([pc.take(c, where) for c in places.columns], pc.take(places.level, where),
            pc.fill_null(pc.take(places.withheld, where), True))


def to_batch(query: ExportQuery, places: Places, cols: Sequence[pa.Array]) -> pa.RecordBatch:
    """One batch of the columns :func:`statement` reads as the dataset's record batch."""
    if query.dataset == RESPONSES:
        counts = pc.fill_null(cols[13], False)
        place, level, withheld = _place(places, cols[2], counts)
        misuse = pc.fill_null(cols[12], False)
        hide = pc.or_(withheld, misuse)
        null_int, null_str = pa.scalar(None, _INT), pa.scalar(None, _STR)
        rating = pc.if_else(hide, null_int, cols[8])
        # In the board's figures: a rated response of its fingerprint, not misuse.
        on_board = pc.and_(pc.and_(counts, pc.invert(misuse)), pc.is_valid(cols[8]))
        arrays = [cols[0], cols[1], *place, level, *cols[3:8], rating,
                  pc.if_else(hide, null_str, _joined(cols[9])),
                  pc.if_else(hide, null_str, _scale(cols[10])), cols[11], misuse, on_board]
        return pa.RecordBatch.from_arrays(arrays, schema=SURVEY_SCHEMA)
    place, level, withheld = _place(places, cols[2])
    sensitive = cols[8]
    categories = _joined(cols[7])
    if not query.sensitive:
        categories = pc.if_else(sensitive, pa.scalar(None, _STR), categories)
    arrays = [cols[0], cols[1], *place, *cols[3:7], categories, *cols[8:22]]
    return pa.RecordBatch.from_arrays(arrays, schema=CASE_SCHEMA)
