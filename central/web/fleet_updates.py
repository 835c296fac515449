"""Signed updates on the Kioscos page: each kiosk's update state, the rollouts staged in the
branch shown, and the form an administrator stages a rollout with
(``POST /kioscos/actualizacion``: version X to the node on screen, or none to take it away).
Only administrators stage (a rollout changes the program of every kiosk below the node);
every user sees the states of the kiosks of their own branch."""

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from central.db import write_session
from central.models import AuditLog, Kiosk, OrgNode, Role
from central.updates.repository import Repository
from central.updates.rollout import rollouts, stage
from central.web.auth import CurrentViewer, Viewer, check_csrf
from central.web.display import MX
from central.web.errors import WebError, not_found
from central.web.i18n import has_key, t
from central.web.nodes import BoardNode, node_names

router = APIRouter()
AUDIT_STAGE = "stage_update_rollout"
#: The badge of each update state (kiosk.update_state; "" = none reported).
STATE_CLASS = {"downloading": "grey", "ready": "orange", "installed": "green",
               "rolled_back": "red", "refused": "red", "": "grey"}


def update_cells(k: Kiosk) -> dict[str, Any]:
    """What the kiosk row shows of its update (fleet_data.fleet_row)."""
    state = k.update_state or ""
    detail = k.update_detail or ""
    return {
        "update_state": state,
        "update_label": t(f"updates.state.{state or 'none'}"),
        "update_class": STATE_CLASS.get(state, "grey"),
        "update_version": k.update_version,
        "update_detail": t(f"updates.detail.{detail}") if has_key(f"updates.detail.{detail}")
        else detail,
        "update_problem": state in ("rolled_back", "refused"),
    }


def publishable(repository: Repository) -> list[dict[str, str]]:
    """The published versions to choose from, newest first, each with the platforms it was
    built for ("0.3.0 (kioscos Linux y Windows)"): a kiosk of another platform stays put."""
    platforms: dict[str, list[str]] = {}
    for build in repository.versions():  # newest first, Linux before Windows
        platforms.setdefault(build["version"], []).append(build["platform"])
    joiner = t("updates.platforms_joiner")
    return [{"version": version, "label": t("updates.choice", version=version,
                                            platforms=joiner.join(
                                                t(f"updates.platform.{p}") for p in names))}
            for version, names in platforms.items()]


def update_panel(session: Session, viewer: Viewer, node: BoardNode,
                 data_dir: Any) -> dict[str, Any]:
    """The rollouts of the node shown and (administrators) the versions to stage there."""
    node_id = uuid.UUID(node.id) if node.id else None
    staged = []  # the rollouts of nodes inside the viewer's branch (a small table)
    for row in rollouts(session, None):
        target = session.get(OrgNode, row.node_id)
        if target is not None and viewer.scope.contains_node(target):
            staged.append(row)
    names = node_names(session, {r.node_id for r in staged})
    return {
        "may_stage": viewer.role == Role.ADMIN.value and node_id is not None,
        "current": next((r.version for r in staged if r.node_id == node_id), None),
        "versions": publishable(Repository(data_dir)) if viewer.role == Role.ADMIN.value
        else [],
        "rollouts": [{"node": names.get(r.node_id, "—"), "version": r.version,
                      "by": r.staged_by,
                      "at": r.staged_at.astimezone(MX).strftime("%d/%m/%Y %H:%M")}
                     for r in staged],
    }


@router.post("/kioscos/actualizacion", include_in_schema=False)
async def stage_rollout(request: Request, viewer: CurrentViewer) -> Response:
    form = await check_csrf(request, viewer)
    if viewer.role != Role.ADMIN.value:
        raise not_found()
    try:
        node_id = uuid.UUID(str(form.get("nodo", "")))
    except ValueError:
        raise WebError(400, "error.bad_request.title", "updates.no_node") from None
    version = str(form.get("version", "")).strip() or None
    data_dir = request.app.state.settings.data_dir
    if version is not None and version not in {
            v["version"] for v in Repository(data_dir).versions()}:
        raise WebError(400, "error.bad_request.title", "updates.unknown_version")
    with write_session(request.app.state.engine) as session:
        node = session.get(OrgNode, node_id)
        if node is None or not viewer.scope.contains_node(node):
            raise not_found()
        stage(session, node.id, version, viewer.user.username)
        session.add(AuditLog(user_id=viewer.id, username=viewer.user.username,
                             action=AUDIT_STAGE, target_type="org_node", target_id=str(node.id),
                             detail={"version": version}))
        session.commit()
    return RedirectResponse(f"/kioscos?nodo={node_id}", status_code=303)
