"""``/kioscos``: the kiosks of the viewer's branch, their version, last contact and last
self-test, with a filter for the kiosks that need attention."""

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from central.db import utcnow
from central.web.auth import CurrentViewer
from central.web.errors import not_found
from central.web.fleet_data import build_fleet
from central.web.nodes import resolve_node
from central.web.state import render

router = APIRouter()


@router.get("/kioscos", include_in_schema=False)
def fleet_page(request: Request, viewer: CurrentViewer, nodo: str | None = None,
               problemas: str | None = None) -> Response:
    with Session(request.app.state.engine) as session:
        node = resolve_node(session, viewer.scope, nodo)
        if node is None:
            raise not_found()
        fleet = build_fleet(session, viewer.scope, node, utcnow(),
                            only_problems=problemas in ("1", "si", "sí"))
    return render(request, "fleet.html", {"fleet": fleet, "section": "fleet"})
