"""What the analysts' export and the OData feed read: survey responses and cases without
personal data, in Arrow record batches read a batch at a time from the database.

Never exported: the sealed personal data, every free text a person wrote (comment, narrative,
request, the staff involved, the person recognised, the unit named), the folio, the agent's
roster id, the kiosk and its sequence, and exact times (rows carry the local day). A row's
place in the tree follows the small-number rule (:mod:`central.web.export_rule`); responses
flagged as probable misuse keep no rating (the board does not count them either).

Rows are read with ``yield_per`` (a server-side cursor on PostgreSQL), so the server holds one
batch whatever the period.
"""

import json
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import sqlalchemy as sa
from sqlmodel import Session, select

from central.db import LOCAL_ZONE, local_day_sql
from central.models import Case, OrgLevel, OrgNode, SurveyResponse
from central.models.rollups import RATING_COLUMNS, SurveyModuleDay
from central.web.export_rule import WITHHELD, branch_placement, describe, placements
from central.web.nodes import BoardNode, node_filter
from central.web.scope import Scope

RESPONSES, CASES = "respuestas", "casos"
DATASETS = (RESPONSES, CASES)
BATCH_ROWS = 50_000
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
    ("uso_indebido_probable", _BOOL)])
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
    withheld: Arrow arrays indexed like ``keys`` (modules unknown to the decision: withheld)."""

    keys: pa.Array
    columns: list[pa.Array]
    level: pa.Array
    withheld: pa.Array
    index: dict[str, int] = field(default_factory=dict)


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


def _key(value: Any) -> str:
    return str(value) if value is not None else ""


def _root_level(scope: Scope) -> int:
    return {None: 0, "ooad_id": 1, "umae_id": 1, "unit_id": 2}.get(scope.column, 2)


def module_places(session: Session, query: ExportQuery) -> Places:
    """The rule's decision over the period from the viewer's root, for the query's branch."""
    # The scope's nodes, and every OOAD and UMAE (a unit's user sees its unit's OOAD code).
    tops = OrgNode.level.in_([OrgLevel.OOAD.value, OrgLevel.UMAE.value])  # type: ignore[attr-defined]
    nodes = {n.id: n for n in session.exec(select(OrgNode).where(
        sa.or_(query.scope.where_node(), tops)))}
    modules = [n for n in nodes.values() if n.level == OrgLevel.MODULE.value]
    root = _root_level(query.scope)
    paths: dict[uuid.UUID, tuple[Any, ...]] = {
        m.id: (m.ooad_id or m.umae_id, m.unit_id, m.id)[root:] for m in modules}
    sizes: dict[tuple[Any, ...], int] = {}
    if query.dataset == RESPONSES:
        t = SurveyModuleDay
        rated = sum((getattr(t, c) for c in RATING_COLUMNS), sa.literal(0))
        stmt = (sa.select(t.module_id, sa.func.sum(rated))
                .where(t.day >= query.start, t.day <= query.end, query.scope.where(t))
                .group_by(t.module_id))
        for module_id, n in session.execute(stmt):
            if module_id in paths:
                sizes[paths[module_id]] = int(n or 0)
    placed = placements(sizes) if query.dataset == RESPONSES else {}
    branch_depth = _DEPTH.get(query.branch.kind, 0) - root
    leaves = 3 - root
    keys, cols, levels, withheld = [], [[] for _ in PLACE], [], []
    for m in modules:
        unit, top = nodes.get(m.unit_id), nodes.get(m.ooad_id or m.umae_id)
        full = [top.code if top and top.level == OrgLevel.OOAD.value else None,
                top.code if top and top.level == OrgLevel.UMAE.value else None,
                unit.clues if unit else None, unit.name if unit else None, m.code, m.name]
        if query.dataset == RESPONSES:
            p = branch_placement(placed.get(paths[m.id], WITHHELD), branch_depth)
        else:
            p = leaves  # cases are not subject to the rule (docs/small-numbers.md)
        shown = 3 if p == WITHHELD else root + p  # absolute levels shown: 1 top .. 3 module
        values = [v if (i // 2) + 1 <= shown else None for i, v in enumerate(full)]
        keys.append(str(m.id))
        for col, v in zip(cols, values, strict=True):
            col.append(v)
        levels.append(describe(p, leaves))
        withheld.append(p == WITHHELD)
    return Places(pa.array(keys, _STR), [pa.array(c, _STR) for c in cols],
                  pa.array(levels, _STR), pa.array(withheld, _BOOL),
                  {k: i for i, k in enumerate(keys)})


def _text_id(column: Any, dialect: str) -> Any:
    return sa.cast(column, sa.Text) if dialect == "postgresql" else column


def _survey_columns(dialect: str) -> list[Any]:
    r = SurveyResponse
    return [_text_id(r.id, dialect), local_day_sql(r.received_at, dialect),
            _text_id(r.module_id, dialect), r.instrument_id, r.instrument_version, r.language,
            r.channel, r.service_code, r.rating, r.reasons, r.answers, r.duration_ms,
            r.probable_misuse]


def _case_columns(dialect: str) -> list[Any]:
    c = Case
    return [_text_id(c.id, dialect), local_day_sql(c.received_at, dialect),
            _text_id(c.module_id, dialect), c.case_type, c.channel, c.language, c.service_code,
            c.categories, c.sensitive, c.stage, c.impacto_institucional, c.completion_due,
            c.resolution_due, local_day_sql(c.closed_at, dialect), c.reopened_count,
            c.registered_by != "", c.outcome, c.recognition_status, c.consent_given,
            c.publish_recognition, c.from_survey_id.is_not(None), c.catalogue_version]


def statement(query: ExportQuery, dialect: str, *, after: tuple[datetime, str] | None = None,
              skip: int = 0, limit: int | None = None) -> Any:
    """The rows of the query in the order of receipt (``after``: a keyset position)."""
    model = SurveyResponse if query.dataset == RESPONSES else Case
    columns = _survey_columns(dialect) if model is SurveyResponse else _case_columns(dialect)
    start, end = query.moments
    stmt = (sa.select(*columns, model.received_at)
            .where(model.received_at >= start, model.received_at < end,
                   query.scope.where(model), node_filter(model, query.branch))
            .order_by(model.received_at, model.id))
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


def _joined(values: Sequence[Any]) -> list[str | None]:
    return ["|".join(map(str, v)) if v else None for v in values]


def _scale(values: Sequence[Any]) -> list[str | None]:
    """Scale answers only (numbers): an answer given as text may hold anything."""
    out: list[str | None] = []
    for a in values:
        kept = {k: v for k, v in a.items() if type(v) is int} if a else None
        out.append(json.dumps(kept, separators=(",", ":")) if kept else None)
    return out


def _date(values: Sequence[Any]) -> pa.Array:
    if values and any(isinstance(v, str) for v in values):  # SQLite gives ISO text
        return pa.array(values, _STR).cast(_DATE)
    return pa.array(values, _DATE)


def _place(places: Places, module_keys: Sequence[Any]) -> tuple[list[pa.Array], pa.Array,
                                                                 pa.Array]:
    keys = pa.array([_key(k) for k in module_keys] if module_keys and not isinstance(
        module_keys[0], str) else module_keys, _STR)
    where = pc.index_in(keys, value_set=places.keys)
    return ([pc.take(c, where) for c in places.columns], pc.take(places.level, where),
            pc.fill_null(pc.take(places.withheld, where), True))


def to_batch(query: ExportQuery, places: Places, rows: Sequence[Any]) -> pa.RecordBatch:
    """One batch of rows (from :func:`statement`) as the dataset's Arrow record batch."""
    cols = list(zip(*rows, strict=True)) if rows else [()] * 30
    ids = [_key(v) for v in cols[0]] if cols[0] and not isinstance(cols[0][0], str) \
        else list(cols[0])
    place, level, withheld = _place(places, cols[2])
    if query.dataset == RESPONSES:
        misuse = pa.array(cols[12], _BOOL)
        hide = pc.or_(withheld, misuse)
        null_int, null_str = pa.scalar(None, _INT), pa.scalar(None, _STR)
        arrays = [pa.array(ids, _STR), _date(cols[1]), *place, level,
                  pa.array(cols[3], _STR), pa.array(cols[4], _INT), pa.array(cols[5], _STR),
                  pa.array(cols[6], _STR), pa.array(cols[7], _STR),
                  pc.if_else(hide, null_int, pa.array(cols[8], _INT)),
                  pc.if_else(hide, null_str, pa.array(_joined(cols[9]), _STR)),
                  pc.if_else(hide, null_str, pa.array(_scale(cols[10]), _STR)),
                  pa.array(cols[11], _INT), misuse]
        return pa.RecordBatch.from_arrays(arrays, schema=SURVEY_SCHEMA)
    sensitive = pa.array(cols[8], _BOOL)
    categories = pa.array(_joined(cols[7]), _STR)
    if not query.sensitive:
        categories = pc.if_else(sensitive, pa.scalar(None, _STR), categories)
    arrays = [pa.array(ids, _STR), _date(cols[1]), *place, pa.array(cols[3], _STR),
              pa.array(cols[4], _STR), pa.array(cols[5], _STR), pa.array(cols[6], _STR),
              categories, sensitive, pa.array(cols[9], _STR), pa.array(cols[10], _BOOL),
              _date(cols[11]), _date(cols[12]), _date(cols[13]), pa.array(cols[14], _INT),
              pa.array(cols[15], _BOOL), pa.array(cols[16], _STR), pa.array(cols[17], _STR),
              pa.array(cols[18], _BOOL), pa.array(cols[19], _BOOL), pa.array(cols[20], _BOOL),
              pa.array(cols[21], _INT)]
    return pa.RecordBatch.from_arrays(arrays, schema=CASE_SCHEMA)


def read_batches(engine: Any, query: ExportQuery, *, batch_rows: int = BATCH_ROWS,
                 places: Places | None = None, **window: Any
                 ) -> Iterator[tuple[pa.RecordBatch, tuple[datetime, str]]]:
    """The query's rows, ``batch_rows`` at a time, each batch with the keyset position of its
    last row. One connection and one statement (one snapshot) for the whole read."""
    dialect = engine.dialect.name
    with Session(engine) as session:
        if places is None:
            places = module_places(session, query)
        result = session.connection().execution_options(yield_per=batch_rows).execute(
            statement(query, dialect, **window))
        for rows in result.partitions(batch_rows):
            last = rows[-1]
            yield to_batch(query, places, rows), (last[-1], _key(last[0]))
