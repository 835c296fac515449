"""Web side of the central server: people's pages (board, cases, reports, public folio).

``include_web(app)`` is called by ``central.app.create_app`` to mount every web router. It
needs ``app.state.engine``, ``app.state.events``, ``app.state.settings`` and
``app.state.sealing_key``; it adds ``app.state.web`` (:class:`central.web.state.WebState`).

Pages (all Spanish, server-rendered, nothing loaded from the internet):
``/entrar`` ``/salir`` · ``/tablero`` (+ ``/parcial``, ``/datos``, ``/eventos`` SSE,
``/csv/<tabla>``) · ``/casos`` (+ ``.csv``) · ``/casos/<id>`` and its POST actions ·
``/registrar`` (+ ``/<tipo>``, ``/folio/<id>``: a case registered by an agent) ·
``/reconocimientos`` (moderation) · ``/personal`` (+ ``/importar``, ``.csv``, ``/nuevo``,
``/<id>``: staff roster) ·
``/reporte`` (+ ``.pdf``) · ``/comites`` (+ ``/nueva``, ``/<id>``, ``/acuerdos``,
``/recomendaciones``: committee sessions and agreements) · ``/campanas`` (+ ``/<id>``:
perception campaigns) ·
``/kioscos`` · ``/auditoria`` (admin) · ``/alertas`` (+ ``/<id>``, ``/reglas``) ·
``/instrumentos`` (+ ``/nuevo``, ``/<id>/<versión>``, ``/publicar``: survey instruments) ·
``/esquemas/instrumento-v1.json`` (public: the instruments' JSON Schema) ·
``/usuarios`` (admin: users of the branch) · ``/contrasena`` (one's own password) ·
``/folio/<folio>`` (public, rate-limited) · ``/muro/<CLUES>`` (public Muro of a unit for its
waiting room, rate-limited).
"""

from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

#: Every web page: only this server's own scripts, styles, fonts and images; no framing.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'self'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def include_web(app: FastAPI) -> None:
    """Mount the web routers on ``app``."""
    from central.web import models  # noqa: F401  (tables on the shared metadata)
    from central.web.alerts import router as alerts_router
    from central.web.audit import router as audit_router
    from central.web.auth import router as auth_router
    from central.web.board import router as board_router
    from central.web.campaigns import router as campaigns_router
    from central.web.case_list import router as case_list_router
    from central.web.cases import router as cases_router
    from central.web.committees import router as committees_router
    from central.web.desk import router as desk_router
    from central.web.errors import API_PREFIXES, install_web_errors
    from central.web.fleet import router as fleet_router
    from central.web.instruments import router as instruments_router
    from central.web.public import router as public_router
    from central.web.public_wall import router as public_wall_router
    from central.web.reports import router as reports_router
    from central.web.roster import router as roster_router
    from central.web.roster_edit import router as roster_edit_router
    from central.web.state import WebState, load_secret, make_templates
    from central.web.users import router as users_router

    settings = getattr(app.state, "settings", None)
    secret = load_secret(
        getattr(settings, "session_secret", "") or "",
        Path(settings.data_dir) if settings is not None else None,
    )
    import central

    templates = make_templates()
    app.state.web = WebState(secret=secret, templates=templates,
                             static_version=central.__version__, **_login_settings(settings))
    app.state.board_hub = _board_hub(app, templates, settings)
    static = Path(__file__).resolve().parents[1] / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    for router in (auth_router, board_router, case_list_router, cases_router, desk_router,
                   reports_router, fleet_router, public_router, public_wall_router,
                   roster_router, roster_edit_router, instruments_router, campaigns_router,
                   committees_router, *_analyst_routers()):
        app.include_router(router)
    for router in (users_router, audit_router):  # /usuarios, /contrasena, /auditoria
        app.include_router(router)
    install_web_errors(app)
    # Alerts: the rules evaluated as data arrives and on a timer (central/web/alert_monitor.py).
    from central.web.alert_monitor import AlertMonitor

    app.include_router(alerts_router)
    app.state.alert_monitor = AlertMonitor(app.state.engine, app.state.events, settings)

    app.add_middleware(_WebHeaders, api_prefixes=API_PREFIXES)


def _analyst_routers() -> tuple[Any, ...]:
    """``/exportar`` (+ ``/archivo``): the analysts' export; ``/odata/``: its OData feed."""
    from central.web.export import router as export_router
    from central.web.odata import router as odata_router

    return export_router, odata_router


def _login_settings(settings: Any) -> dict[str, Any]:
    from central.web.sign_in import LoginLimits

    if settings is None:
        return {}
    limits = LoginLimits(per_account=settings.login_max_failures_per_account,
                         per_address=settings.login_max_failures_per_address,
                         window_minutes=settings.login_window_minutes)
    return {"login_limits": limits, "password_hash_threads": settings.password_hash_threads}


def _board_hub(app: FastAPI, templates: Any, settings: Any) -> Any:
    """The process's live-board hub (started and stopped with the app's lifespan)."""
    from central.web.live import BoardHub

    live = templates.env.get_template("_board_live.html")
    return BoardHub(app.state.engine, app.state.events, lambda b: live.render(b=b),
                    tick_seconds=getattr(settings, "board_tick_seconds", 1.0),
                    max_age_seconds=getattr(settings, "board_cache_seconds", 30.0),
                    decision_seconds=getattr(settings, "decision_cache_seconds", 300.0))


class _WebHeaders:
    """Security headers on every non-API response. Plain ASGI (not ``@app.middleware``):
    request bodies and SSE streams pass through untouched, which keeps the kiosk API's large
    batches cheap."""

    def __init__(self, app: Any, api_prefixes: tuple[str, ...]) -> None:
        self.app = app
        self.api_prefixes = api_prefixes
        self.headers = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.api_prefixes):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(k, v) for k, v in self.headers if k not in present]
                message = dict(message, headers=headers)
            await send(message)

        await self.app(scope, receive, send_with_headers)
