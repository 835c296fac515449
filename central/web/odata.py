"""``/odata/``: the analysts' export as an OData v4 feed that Excel and Power BI read (as ODK
Central offers one): the service document, ``$metadata`` (CSDL XML), the entity sets
``Respuestas`` and ``Casos`` in JSON with server-driven paging (``@odata.nextLink`` with a
keyset ``$skiptoken``), ``$top``, ``$skip``, ``$count``, ``$select`` and ``$filter`` on the date.

The same rows as ``/exportar`` (:mod:`central.web.export_data`): the viewer's whole scope, the
small-number rule decided over the period the filter asks for (all time without one). The
caller signs in with HTTP Basic and the board account's user name and password
(:mod:`central.web.feed_auth`); every read of an entity set (not its continuation pages) is
audited. Bad options are answered 400 with an OData error body, never 5xx.
"""

import base64
import json
import re
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import anyio.to_thread
import pyarrow as pa
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from sqlmodel import Session

from central.web.cases import can_read_sensitive
from central.web.export import audit
from central.web.export_data import (
    CASES,
    RESPONSES,
    SCHEMAS,
    ExportQuery,
    Places,
    count_statement,
    module_places,
)
from central.web.export_read import read_batches
from central.web.export_source import export_source
from central.web.feed_auth import FeedRefusal, feed_viewer
from central.web.i18n import t
from central.web.nodes import root_node

router = APIRouter(prefix="/odata")

NAMESPACE = "TratoDigno"
ENTITY_SETS = {"Respuestas": (RESPONSES, "Respuesta", "fecha"),
               "Casos": (CASES, "Caso", "fecha_recepcion")}
PAGE_ROWS = 10_000
HEADERS = {"OData-Version": "4.0", "Cache-Control": "no-store"}
JSON_TYPE = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false"
_EDM = {pa.string(): "Edm.String", pa.int64(): "Edm.Int64", pa.bool_(): "Edm.Boolean",
        pa.date32(): "Edm.Date"}
_ALLOWED = {"$filter", "$top", "$skip", "$count", "$select", "$skiptoken", "$format"}
_CLAUSE = re.compile(r"^\(*\s*(\w+)\s+(eq|ge|gt|le|lt)\s+'?(\d{4}-\d{2}-\d{2})'?\s*\)*$",
                     re.IGNORECASE)
_FIRST_DAY = date(2000, 1, 1)
_NOT_NULL = ' Nullable="false"'
#: The rule's decision per (scope, dataset, period), kept while an analyst pages through.
_DECISIONS: dict[tuple[Any, ...], tuple[float, Places]] = {}
_DECISION_SECONDS = 300.0


class ODataError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _error(exc: ODataError, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse({"error": {"code": exc.code, "message": exc.message}},
                        status_code=exc.status, headers={**HEADERS, **(headers or {})})


def _base(request: Request) -> str:
    settings = request.app.state.settings
    base = getattr(settings, "public_base_url", "") or str(request.base_url)
    return base.rstrip("/") + "/odata/"


def metadata_xml() -> str:
    types = []
    for _name, (dataset, entity, _field) in ENTITY_SETS.items():
        props = "".join(
            f'<Property Name="{f.name}" Type="{_EDM[f.type]}"'
            f'{_NOT_NULL if f.name == "id" else ""}/>' for f in SCHEMAS[dataset])
        types.append(f'<EntityType Name="{entity}"><Key><PropertyRef Name="id"/></Key>'
                     f'{props}</EntityType>')
    sets = "".join(f'<EntitySet Name="{name}" EntityType="{NAMESPACE}.{entity}"/>'
                   for name, (_d, entity, _f) in ENTITY_SETS.items())
    return ('<?xml version="1.0" encoding="utf-8"?>'
            '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">'
            '<edmx:DataServices>'
            f'<Schema Namespace="{NAMESPACE}" xmlns="http://docs.oasis-open.org/odata/ns/edm">'
            f'{"".join(types)}<EntityContainer Name="Contenedor">{sets}</EntityContainer>'
            '</Schema></edmx:DataServices></edmx:Edmx>')


async def _viewer(request: Request) -> Any:
    found = await feed_viewer(request)
    if isinstance(found, FeedRefusal):
        raise ODataError(found.status, found.code, t(found.message_key))
    return found


async def _signed_in(request: Request, answer: Any) -> Response:
    """``answer()`` for a reader of the feed, else the OData error (401 with the challenge)."""
    try:
        await _viewer(request)
    except ODataError as exc:
        return _error(exc, _challenge(exc))
    return answer()  # type: ignore[no-any-return]


@router.get("/", include_in_schema=False)
async def service_document(request: Request) -> Response:
    return await _signed_in(request, lambda: JSONResponse(
        {"@odata.context": _base(request) + "$metadata",
         "value": [{"name": n, "kind": "EntitySet", "url": n} for n in ENTITY_SETS]},
        headers=HEADERS, media_type=JSON_TYPE))


@router.get("/$metadata", include_in_schema=False)
async def metadata(request: Request) -> Response:
    return await _signed_in(request, lambda: Response(
        metadata_xml(), media_type="application/xml", headers=HEADERS))


def _challenge(exc: ODataError) -> dict[str, str]:
    return {"WWW-Authenticate": 'Basic realm="Trato Digno", charset="UTF-8"'} \
        if exc.status == 401 else {}


def period(text: str, field: str) -> tuple[date, date]:
    """The period a ``$filter`` on the date asks for (inclusive); all time without one."""
    start, end = _FIRST_DAY, date.today() + timedelta(days=1)
    if not text.strip():
        return start, end
    for clause in re.split(r"\s+and\s+", text.strip(), flags=re.IGNORECASE):
        match = _CLAUSE.match(clause.strip())
        if match is None or match.group(1) != field:
            raise ODataError(400, "BadFilter", t("odata.error.filter", field=field))
        try:
            day = date.fromisoformat(match.group(3))
        except ValueError as exc:
            raise ODataError(400, "BadFilter", t("odata.error.filter", field=field)) from exc
        op = match.group(2).lower()
        if op in ("ge", "gt", "eq"):
            start = max(start, day + timedelta(days=1) if op == "gt" else day)
        if op in ("le", "lt", "eq"):
            end = min(end, day - timedelta(days=1) if op == "lt" else day)
    return start, end


def _number(params: Any, name: str) -> int | None:
    raw = params.get(name)
    if raw is None:
        return None
    if not raw.isdigit() or len(raw) > 12:
        raise ODataError(400, "BadOption", t("odata.error.number", option=name))
    return int(raw)


def _token(raw: str | None) -> tuple[datetime, str] | None:
    if not raw:
        return None
    try:
        moment, ident = json.loads(base64.urlsafe_b64decode(raw.encode()))
        parsed = datetime.fromisoformat(moment)
        if parsed.tzinfo is None:  # SQLite keeps UTC without its offset
            parsed = parsed.replace(tzinfo=UTC)
        return parsed, str(uuid.UUID(ident))
    except (ValueError, TypeError, json.JSONDecodeError, UnicodeError) as exc:
        raise ODataError(400, "BadSkipToken", t("odata.error.token")) from exc


def _places(engine: Any, query: ExportQuery) -> Places:
    key = (query.scope, query.dataset, query.start, query.end, query.branch.id)
    now = time.monotonic()
    kept = _DECISIONS.get(key)
    if kept and now - kept[0] < _DECISION_SECONDS:
        return kept[1]
    with Session(engine) as session:
        places = module_places(session, query)
    if len(_DECISIONS) > 64:
        _DECISIONS.clear()
    _DECISIONS[key] = (now, places)
    return places


def _max_page(prefer: str) -> int:
    """``Prefer: odata.maxpagesize=N`` (the client's page size, at most :data:`PAGE_ROWS`)."""
    match = re.search(r"odata\.maxpagesize\s*=\s*(\d{1,9})", prefer)
    return max(1, min(int(match.group(1)), PAGE_ROWS)) if match else PAGE_ROWS


def _json_default(value: Any) -> str:
    return value.isoformat()  # dates


def read_page(request: Request, viewer: Any, name: str, count_only: bool) -> Response:
    dataset, _entity, field = ENTITY_SETS[name]
    params = request.query_params
    unknown = [k for k in params if k.startswith("$") and k not in _ALLOWED]
    if unknown:
        raise ODataError(400, "NotSupported", t("odata.error.option", option=unknown[0]))
    start, end = period(params.get("$filter", ""), field)
    top, skip = _number(params, "$top"), _number(params, "$skip") or 0
    after = _token(params.get("$skiptoken"))
    columns = [c.strip() for c in params.get("$select", "").split(",") if c.strip()]
    names = set(SCHEMAS[dataset].names)
    for c in columns:
        if c not in names:
            raise ODataError(400, "BadSelect", t("odata.error.select", name=c[:64]))
    engine = request.app.state.engine  # the audit entry is written there
    source = export_source(request.app)  # the rows and the count are read there
    with Session(source.engine) as session:
        branch = root_node(session, viewer.scope)
        query = ExportQuery(dataset, start, end, viewer.scope, branch,
                            sensitive=can_read_sensitive(viewer))
        counted = session.execute(count_statement(query)).scalar_one() \
            if count_only or params.get("$count", "").lower() == "true" else None
    if count_only:
        return Response(str(counted), media_type="text/plain", headers=HEADERS)
    if after is None:
        audit(engine, viewer, "odata_read", query, conjunto=name,
              filtro=params.get("$filter", "")[:200], top=top, skip=skip,
              **source.audit_detail())
    page = _max_page(request.headers.get("prefer", ""))
    limit = page if top is None else min(top, page)
    rows: list[dict[str, Any]] = []
    last = None
    if start <= end and limit > 0:
        for batch, end_key in read_batches(source.engine, query, batch_rows=limit,
                                           places=_places(source.engine, query), after=after,
                                           skip=skip if after is None else 0, limit=limit):
            rows.extend((batch.select(columns) if columns else batch).to_pylist())
            last = end_key
    body: dict[str, Any] = {"@odata.context": f"{_base(request)}$metadata#{name}"}
    if counted is not None:
        body["@odata.count"] = counted
    body["value"] = rows
    left = None if top is None else top - len(rows)
    if last is not None and len(rows) == limit and (left is None or left > 0):
        nxt = {k: v for k, v in params.items() if k in ("$filter", "$select")}
        if left is not None:
            nxt["$top"] = str(left)
        nxt["$skiptoken"] = base64.urlsafe_b64encode(
            json.dumps([last[0].isoformat(), last[1]]).encode()).decode()
        body["@odata.nextLink"] = f"{_base(request)}{name}?{urlencode(nxt)}"
    content = json.dumps(body, ensure_ascii=False, default=_json_default,
                         separators=(",", ":")).encode()
    return Response(content, media_type=JSON_TYPE, headers=HEADERS)


@router.get("/{name}", include_in_schema=False)
@router.get("/{name}/$count", include_in_schema=False)
async def entity_set(request: Request, name: str) -> Response:
    try:
        viewer = await _viewer(request)
        if name not in ENTITY_SETS:
            raise ODataError(404, "NotFound", t("odata.error.not_found"))
        count_only = request.url.path.endswith("/$count")
        return await anyio.to_thread.run_sync(read_page, request, viewer, name, count_only)
    except ODataError as exc:
        return _error(exc, _challenge(exc))


__all__ = ["ENTITY_SETS", "metadata_xml", "period", "router"]
