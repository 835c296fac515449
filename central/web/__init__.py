"""Web side of the central server: people's pages (board, cases, reports, public folio).

``include_web(app)`` is called by ``central.app.create_app`` to mount every web router.
"""

from fastapi import FastAPI


def include_web(app: FastAPI) -> None:
    """Mount the web routers on ``app`` (filled in by the web package)."""
