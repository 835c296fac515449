"""``/kioscos``: the kiosks of the viewer's branch, their version, last contact and last
self-test, with a filter for the kiosks that need attention; and the short enrolment code
an entitled user issues for a module of the branch (``POST /kioscos/codigo``), shown once."""

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session, select

from central.db import utcnow, write_session
from central.models import AuditLog, OrgLevel, OrgNode, Role
from central.services.enrolment import CODE_HOURS, issue_code
from central.web.auth import CurrentViewer, Viewer, check_csrf
from central.web.display import MX
from central.web.errors import WebError, not_found
from central.web.fleet_data import build_fleet
from central.web.fleet_updates import update_panel
from central.web.nodes import node_names, resolve_node
from central.web.state import render

router = APIRouter()

#: Who may issue an enrolment code (for a module inside their branch).
CODE_ROLES = frozenset({Role.ADMIN.value, Role.OOAD.value, Role.UMAE.value, Role.UNIDAD.value})
AUDIT_ISSUE_CODE = "issue_enrolment_code"


def _modules(session: Session, viewer: Viewer) -> list[tuple[str, str]]:
    """(id, "Unit · Module") of every module in the viewer's branch, by unit."""
    if viewer.role not in CODE_ROLES:
        return []
    rows = session.exec(select(OrgNode).where(
        OrgNode.level == OrgLevel.MODULE.value, viewer.scope.where_node())).all()
    units = node_names(session, {m.unit_id for m in rows})
    named = [(str(m.id), f"{units.get(m.unit_id, '—')} · {m.name}") for m in rows]
    return sorted(named, key=lambda item: item[1])


def _page(request: Request, viewer: Viewer, nodo: str | None, problemas: str | None,
          issued: dict[str, Any] | None = None) -> Response:
    with Session(request.app.state.engine) as session:
        node = resolve_node(session, viewer.scope, nodo)
        if node is None:
            raise not_found()
        fleet = build_fleet(session, viewer.scope, node, utcnow(),
                            only_problems=problemas in ("1", "si", "sí"))
        modules = _modules(session, viewer)
        updates = update_panel(session, viewer, node, request.app.state.settings.data_dir)
    return render(request, "fleet.html", {"fleet": fleet, "section": "fleet",
                                          "modules": modules, "issued": issued,
                                          "code_hours": CODE_HOURS, "updates": updates},
                  headers={"Cache-Control": "no-store"})


@router.get("/kioscos", include_in_schema=False)
def fleet_page(request: Request, viewer: CurrentViewer, nodo: str | None = None,
               problemas: str | None = None) -> Response:
    return _page(request, viewer, nodo, problemas)


@router.post("/kioscos/codigo", include_in_schema=False)
async def issue_enrolment_code(request: Request, viewer: CurrentViewer) -> Response:
    """A short code for the chosen module, shown on the page that answers (never in a URL)."""
    form = await check_csrf(request, viewer)
    if viewer.role not in CODE_ROLES:
        raise not_found()
    try:
        module_id = uuid.UUID(str(form.get("modulo", "")))
    except ValueError:
        raise WebError(400, "error.bad_request.title", "fleet.code.no_module") from None
    with write_session(request.app.state.engine) as session:
        module = session.get(OrgNode, module_id)
        if module is None or module.level != OrgLevel.MODULE.value \
                or not viewer.scope.contains_node(module):
            raise not_found()
        code, expires_at = issue_code(session, module, created_by=viewer.user.username)
        session.add(AuditLog(user_id=viewer.id, username=viewer.user.username,
                             action=AUDIT_ISSUE_CODE, target_type="org_node",
                             target_id=str(module.id),
                             detail={"expires_at": expires_at.isoformat()}))
        session.commit()
        label = dict(_modules(session, viewer)).get(str(module.id), module.name)
    issued = {"code": code, "module": label,
              "expires": expires_at.astimezone(MX).strftime("%d/%m/%Y %H:%M")}
    return _page(request, viewer, None, None, issued)
