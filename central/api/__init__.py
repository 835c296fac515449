"""The kiosk API under /api/v1 plus /healthz (see trato/protocol/wire.py for the protocol)."""

from fastapi import FastAPI


def include_api(app: FastAPI) -> None:
    from central.api.errors import install_error_handlers
    from central.api.kiosk import router

    install_error_handlers(app)
    app.include_router(router)
