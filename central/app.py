"""The composition root of the central server: ``create_app(settings) -> FastAPI``.

``create_app`` builds the engine, upgrades the schema to head (unless ``auto_migrate`` is off)
and loads the sealing key, so a TestClient works with or without the lifespan. The lifespan
starts and stops the event bus. Everything lives on ``app.state``:

* ``settings`` (:class:`CentralSettings`), ``engine`` (SQLAlchemy), ``events`` (:class:`EventBus`),
  ``board_hub`` (:class:`central.web.live.BoardHub`, started and stopped with the event bus),
* ``sealing_key`` (nacl PrivateKey) and ``sealing_public_key`` (base64 text).
"""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

import central
from central.db import make_engine
from central.events import EventBus
from central.keys import load_or_create_sealing_key, sealing_public_key_b64
from central.settings import CentralSettings, load_settings

log = logging.getLogger(__name__)


def create_app(settings: CentralSettings | None = None) -> FastAPI:
    settings = settings or load_settings()
    Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    engine = make_engine(
        settings.database_url, pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
    )
    if settings.auto_migrate:
        from central.migrations import upgrade_to_head

        upgrade_to_head(engine)
    sealing_key = load_or_create_sealing_key(settings)
    _warm_up()
    events = EventBus(engine, channel=settings.pg_notify_channel)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await events.start()
        board_hub = getattr(app.state, "board_hub", None)
        if board_hub is not None:
            await board_hub.start()
        alert_monitor = getattr(app.state, "alert_monitor", None)
        if alert_monitor is not None:
            await alert_monitor.start()
        try:
            yield
        finally:
            if alert_monitor is not None:
                await alert_monitor.stop()
            if board_hub is not None:
                await board_hub.stop()
            await events.stop()
            engine.dispose()
            if app.state.export_engine is not None:
                app.state.export_engine.dispose()

    app = FastAPI(
        title="Trato Digno — servidor central",
        version=central.__version__,
        description="Kiosk API (signed, idempotent push; cursor pull; enrolment) and board.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    # The analysts' export reads a replica when one is named (central.web.export_source).
    from central.web.export_source import replica_engine

    app.state.export_engine = (replica_engine(settings.export_database_url)
                               if settings.export_database_url else None)
    app.state.events = events
    app.state.sealing_key = sealing_key
    app.state.sealing_public_key = sealing_public_key_b64(sealing_key)

    from central.api import include_api

    include_api(app)

    from central.web import include_web

    include_web(app)

    from central.updates.web import include_updates  # signed kiosk updates (TUF)
    from central.web.fleet_updates import router as fleet_updates_router

    include_updates(app)
    app.include_router(fleet_updates_router)  # the rollouts on the Kioscos page

    from central.metrics import install_metrics  # /readyz and /metrics (cluster layout)

    install_metrics(app)
    return app


def _warm_up() -> None:
    """Load the holiday calendar now, not inside the first kiosk's request."""
    from datetime import date

    from trato.domain.deadlines import resolution_due

    resolution_due(date.today())


def app_factory() -> FastAPI:
    """For ``uvicorn --factory central.app:app_factory`` (settings from the environment).

    ``trato-central serve`` is the way to run it: it believes forwarded headers only from
    ``TD_CENTRAL_TRUSTED_PROXIES``. Bare uvicorn trusts them from loopback unless it is given
    ``--no-proxy-headers`` (or ``--forwarded-allow-ips`` with the proxy's address)."""
    app = create_app()
    _freeze_startup_heap()
    return app


def _freeze_startup_heap() -> None:
    """Keep what start-up built (modules, models, routes, engine) out of the garbage
    collector's full passes. In a serving process those passes walked this whole heap every
    few batches (~100 ms with the worker's every request stalled); objects made later are
    collected as usual. Only for the server process (``app_factory``), not for tests."""
    import gc

    gc.collect()
    gc.freeze()
