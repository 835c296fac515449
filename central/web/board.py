"""The live board: page, live partial, server-sent events and CSV exports.

Every view of a board goes through the process's :class:`~central.web.live.BoardHub`: one
build per node while nothing changes under it, shared by every viewer, every CSV of the board
and the report."""

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from sqlmodel import Session

from central.web.auth import CurrentViewer, Viewer, session_alive
from central.web.board_data import Board, high_impact_cases
from central.web.csvout import csv_response
from central.web.display import hidden_text, today_mx
from central.web.errors import not_found
from central.web.i18n import t
from central.web.instrument_versions import mixed_versions
from central.web.live import BoardHub
from central.web.nodes import BoardNode, resolve_node
from central.web.state import render
from central.web.tallies import survey_model

log = logging.getLogger(__name__)
router = APIRouter()

#: An events stream ends after this long; the browser reconnects by itself (EventSource).
STREAM_MAX_SECONDS = 300.0
KEEPALIVE_SECONDS = 5.0


def hub(request: Request) -> BoardHub:
    board_hub: BoardHub = request.app.state.board_hub
    return board_hub


def _node(request: Request, viewer: Viewer, nodo: str | None) -> BoardNode:
    with Session(request.app.state.engine) as session:
        node = resolve_node(session, viewer.scope, nodo)
    if node is None:
        raise not_found()
    return node


def _board(request: Request, viewer: Viewer, nodo: str | None) -> Board:
    return hub(request).board(viewer.scope, _node(request, viewer, nodo))


@router.get("/tablero", include_in_schema=False)
def board_page(request: Request, viewer: CurrentViewer, nodo: str | None = None
               ) -> Response:
    b = _board(request, viewer, nodo)
    with Session(request.app.state.engine) as session:
        mixed = mixed_versions(session, b.node, viewer.scope, survey_model(b.node),
                               today_mx())
    return render(request, "board.html", {"b": b, "section": "board", "mixed": mixed})


@router.get("/tablero/parcial", include_in_schema=False)
def board_partial(request: Request, viewer: CurrentViewer, nodo: str | None = None
                  ) -> Response:
    html = hub(request).live_html(viewer.scope, _node(request, viewer, nodo))
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


@router.get("/tablero/datos", include_in_schema=False)
def board_json(request: Request, viewer: CurrentViewer, nodo: str | None = None
               ) -> dict[str, Any]:
    b = _board(request, viewer, nodo)
    s = b.satisfaction
    return {
        "node": {"id": b.node.id, "name": b.node.name, "kind": b.node.kind},
        "responses": s.n,
        "suppressed": s.suppressed,
        "satisfaction_index": s.index,
        "satisfaction_mean": s.mean,
        "complaints_open": b.totals["open"],
        "complaints_overdue": b.totals["overdue"],
        "children": [{k: c[k] for k in ("id", "name", "n", "index", "suppressed", "open",
                                        "overdue")} for c in b.children],
    }


@router.get("/tablero/eventos", include_in_schema=False)
async def board_events(request: Request, viewer: CurrentViewer, nodo: str | None = None
                       ) -> Response:
    """Server-sent events: ``ready``, then an ``update`` with the blocks of the live section
    that changed, at most once per tick of the hub (docs/scaling.md)."""
    node = await asyncio.to_thread(_node, request, viewer, nodo)
    board_hub = hub(request)
    queue = board_hub.watch(viewer.scope, node)

    async def stream() -> AsyncIterator[str]:
        started = time.monotonic()
        try:
            yield "retry: 1000\nevent: ready\ndata: {}\n\n"
            checked = started
            while time.monotonic() - started < STREAM_MAX_SECONDS:
                try:
                    message = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
                except TimeoutError:
                    message = None
                # A user disabled (or signed out) meanwhile gets nothing more: the session is
                # looked at again at least every KEEPALIVE_SECONDS.
                if time.monotonic() - checked >= KEEPALIVE_SECONDS:
                    checked = time.monotonic()
                    if not await asyncio.to_thread(session_alive, request, viewer):
                        break
                if message is None:
                    if await request.is_disconnected():
                        break
                    yield ": keep-alive\n\n"
                    continue
                yield f"event: update\ndata: {json.dumps(message)}\n\n"
        finally:
            board_hub.unwatch(viewer.scope, node, queue)

    return StreamingResponse(
        stream(), media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


# ---------------------------------------------------------------------------- CSV exports


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


CSV_TABLES = ("tendencia", "desglose", "quejas-unidad", "quejas-servicio", "alto-impacto",
              "certificacion", "kioscos")


def board_csv(b: Board, name: str, high_impact: list[dict[str, Any]] | None = None
              ) -> tuple[list[str], list[list[Any]]]:
    """The board's table ``name`` as CSV (``high_impact``: every high-impact case, which the
    board itself keeps only the first of)."""
    if name == "tendencia":
        return ([t("col.week"), t("col.responses"), t("col.index"), t("col.mean")],
                [[w, g.n, hidden_text(g.n) if g.suppressed else _pct(g.index),
                  hidden_text(g.n) if g.suppressed else f"{g.mean:.2f}"] for w, g in b.trend])
    if name == "desglose":
        return ([t("col.name"), t("col.responses"), t("col.index"), t("col.open"),
                 t("col.overdue")],
                [[c["name"], c["n"], hidden_text(c["n"]) if c["suppressed"] else _pct(c["index"]),
                  c["open"], c["overdue"]] for c in b.children])
    if name == "quejas-unidad":
        return ([t("col.unit"), *b.aging_labels, t("col.open"), t("col.overdue")],
                [[r["name"], *r["aging"], r["open"], r["overdue"]] for r in b.complaints_unit])
    if name == "quejas-servicio":
        return ([t("col.service"), t("col.open"), t("col.overdue")],
                [[r["name"], r["open"], r["overdue"]] for r in b.complaints_service])
    if name == "alto-impacto":
        return ([t("col.folio"), t("col.unit"), t("col.stage"), t("col.days_left")],
                [[c["folio"], c["unit"], t("stage." + c["stage"]), c["days_left"]]
                 for c in (b.high_impact if high_impact is None else high_impact)])
    if name == "certificacion":
        return ([t("col.unit"), t("col.certified"), t("col.staff"), t("col.share")],
                [[r["name"], r["certified"], r["total"], _pct(r["share"])]
                 for r in b.certification])
    if name == "kioscos":
        return ([t("col.kiosk"), t("col.unit"), t("col.last_sync"), t("col.version"),
                 t("col.clock_offset"), t("col.backlog"), t("col.state")],
                [[k["name"], k["unit"], k["last_sync"], k["version"], k["offset"], k["backlog"],
                  t("kiosk.state." + k["state"])] for k in b.kiosks])
    raise not_found()


@router.get("/tablero/csv/{name}", include_in_schema=False)
def board_csv_export(request: Request, viewer: CurrentViewer, name: str,
                     nodo: str | None = None) -> Response:
    if name not in CSV_TABLES:
        raise not_found()
    node = _node(request, viewer, nodo)
    b = hub(request).board(viewer.scope, node)
    every = None
    if name == "alto-impacto":
        with Session(request.app.state.engine) as session:
            every = high_impact_cases(session, viewer.scope, node, today_mx())
    header, rows = board_csv(b, name, every)
    return csv_response(f"{name}.csv", header, rows)

