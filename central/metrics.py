"""Readiness and Prometheus metrics of one server process (``/readyz``, ``/metrics``).

Metrics are **per process**: each API process keeps its own registry and Prometheus scrapes
every process on its own port (the production layout runs one ``trato-central serve`` per
port, docs/operations.md), so no shared multiprocess directory is needed and a restarted
process simply starts its counters again (``rate()`` handles that). Under ``--workers N``
the answer comes from whichever worker took the connection: use one process per port when
you scrape.

Labels carry route templates (``/tablero/eventos``, never a filled-in path), methods, status
codes and outcomes: never personal data, folios, kiosk ids or user names.

``/metrics`` answers only peers inside ``metrics_networks`` or a request bearing
``Authorization: Bearer <metrics_token>``; anyone else gets 404, as if it were not there.
"""

import hmac
import ipaddress
import time
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from sqlalchemy import text

router = APIRouter(include_in_schema=False)
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
UNMATCHED = "<unmatched>"


class _EventBusCollector:
    """Events this process's bus handed to its subscribers, by type (counted by the bus)."""

    def __init__(self, app: FastAPI) -> None:
        self._app = app

    def collect(self) -> Any:
        family = CounterMetricFamily(
            "td_event_bus_events", "Events delivered to this process's subscribers "
            "(PostgreSQL LISTEN/NOTIFY or in-process).", labels=["type"])
        for kind, count in sorted(self._app.state.events.delivered.items()):
            family.add_metric([kind], count)
        yield family


class _ExportReplicaCollector:
    """The analysts' export's replica, asked at each scrape (only when one is configured):
    whether it answers, and how many seconds of the primary's commits it has still to
    replay (0 when caught up) — :func:`central.web.export_source.export_source`."""

    def __init__(self, app: FastAPI) -> None:
        self._app = app

    def collect(self) -> Any:
        if getattr(self._app.state, "export_engine", None) is None:
            return
        from central.web.export_source import REPLICA_DOWN, export_source

        source = export_source(self._app)
        up = GaugeMetricFamily("td_export_replica_up", "1 when the export's replica answers "
                               "(the export reads the primary while it does not).")
        up.add_metric([], 0 if source.kind == REPLICA_DOWN else 1)
        yield up
        if source.kind != REPLICA_DOWN:
            lag = GaugeMetricFamily("td_export_replica_lag_seconds", "Seconds since the last "
                                    "transaction the export's replica replayed, while it is "
                                    "behind the primary; 0 when caught up.")
            lag.add_metric([], round(source.lag_seconds, 3))
            yield lag


class Metrics:
    def __init__(self, app: FastAPI) -> None:
        self.registry = registry = CollectorRegistry()
        self.requests = Counter("td_http_requests", "HTTP requests answered.",
                                ["method", "route", "status"], registry=registry)
        self.latency = Histogram("td_http_request_seconds",
                                 "Seconds from a request's arrival to its response's start.",
                                 ["method", "route"], buckets=BUCKETS, registry=registry)
        self.records = Counter("td_ingest_records", "Kiosk records received, by outcome.",
                               ["outcome"], registry=registry)
        self.batches = Counter("td_ingest_batches", "Kiosk batches stored (any outcome of "
                               "their records).", registry=registry)
        viewers = Gauge("td_board_live_viewers", "Live-board (SSE) viewers connected to this "
                        "process.", registry=registry)
        viewers.set_function(lambda: _viewer_count(app))
        pool = Gauge("td_db_pool_connections_in_use",
                     "Database connections checked out of this process's pool.",
                     registry=registry)
        pool.set_function(lambda: _pool_in_use(app))
        registry.register(_EventBusCollector(app))
        registry.register(_ExportReplicaCollector(app))

    def observe_push(self, result: Any) -> None:
        self.batches.inc()
        counts: dict[str, int] = {}
        for item in result.results:
            status = str(getattr(item, "status", "unknown"))
            counts[status] = counts.get(status, 0) + 1
        for status, count in counts.items():
            self.records.labels(outcome=status).inc(count)


def _viewer_count(app: FastAPI) -> int:
    hub = getattr(app.state, "board_hub", None)
    return hub.viewer_count if hub is not None else 0


def _pool_in_use(app: FastAPI) -> int:
    checkedout = getattr(app.state.engine.pool, "checkedout", None)
    return int(checkedout()) if callable(checkedout) else 0


class MetricsMiddleware:
    """Counts and times every HTTP request under its route template (pure ASGI, so the
    server-sent event streams pass through untouched)."""

    def __init__(self, app: Any, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = [500]

        async def send_timed(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status[0] = int(message["status"])
                self.metrics.latency.labels(scope["method"], _route(scope)).observe(
                    time.perf_counter() - start)
            await send(message)

        try:
            await self.app(scope, receive, send_timed)
        finally:
            self.metrics.requests.labels(scope["method"], _route(scope), str(status[0])).inc()


def _route(scope: dict[str, Any]) -> str:
    route = scope.get("route")
    return str(getattr(route, "path", None) or UNMATCHED)


def install_metrics(app: FastAPI) -> None:
    """Add the readiness and metrics endpoints and the request middleware to ``app``."""
    app.state.metrics = Metrics(app)
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    app.include_router(router)


def _allowed(request: Request) -> bool:
    settings = request.app.state.settings
    token = settings.metrics_token
    given = request.headers.get("authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    try:
        peer = ipaddress.ip_address(request.client.host if request.client else "")
    except ValueError:
        return False
    return any(peer in ipaddress.ip_network(net, strict=False)
               for net in settings.metrics_networks)


@router.get("/metrics")
def metrics(request: Request) -> Response:
    if not _allowed(request):
        return JSONResponse({"error": "not_found", "message": "Not Found"}, status_code=404)
    return Response(generate_latest(request.app.state.metrics.registry),
                    media_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})


@router.get("/readyz")
async def readyz(request: Request) -> Response:
    """200 when the database answers and its schema is at this code's head; 503 otherwise
    (the proxy or orchestrator then sends no traffic here)."""
    from central.migrations import current_revision, head_revision

    engine = request.app.state.engine

    def check() -> dict[str, Any]:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        current, head = current_revision(engine), head_revision()
        return {"database": "ok", "schema": current, "head": head,
                "migrations": "ok" if current == head else "behind"}

    try:
        state = await run_in_threadpool(check)
    except Exception:
        return JSONResponse({"status": "unavailable", "database": "unavailable"},
                            status_code=503, headers={"Cache-Control": "no-store"})
    ready = state["migrations"] == "ok"
    return JSONResponse({"status": "ok" if ready else "unavailable", **state},
                        status_code=200 if ready else 503, headers={"Cache-Control": "no-store"})
