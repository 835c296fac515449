"""The module staff and their Buen Trato certification (``/personal``): the roster of the
user's branch and its import from the CSV of Human Resources, with a dry run that names every
bad row (:mod:`central.services.roster_import`). Imported rows reach the kiosks of their units
through the roster change feed, and the board's certified share is counted from them."""

import asyncio
import re
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm
from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session, select
from starlette.datastructures import UploadFile

from central.models import OrgNode, StaffMember
from central.services.roster_import import COLUMNS, Problem, RosterReport, import_roster
from central.web.auth import ROSTER_ROLES, CurrentViewer, Viewer, check_csrf
from central.web.csvout import csv_response
from central.web.display import today_mx
from central.web.errors import WebError, not_found
from central.web.i18n import t
from central.web.state import render

router = APIRouter()

#: Largest CSV accepted (a national roster is well under this).
MAX_UPLOAD_BYTES = 4 * 1024 * 1024
#: The employee number a saved edit names on the page (anything else in the address is ignored).
SAVED_NUMBER = re.compile(r"[A-Za-z0-9._-]{1,64}")
#: Members listed on the page (the rest are counted).
LIST_LIMIT = 300


def entitled(viewer: Viewer) -> None:
    if viewer.role not in ROSTER_ROLES:
        raise not_found()


def problem_text(problem: Problem) -> str:
    return t(f"roster.problem.{problem.code}", **problem.values)


def _members(session: Session, viewer: Viewer) -> tuple[list[dict[str, Any]], int]:
    where = viewer.scope.where_unit_id(StaffMember.unit_id)
    total = session.exec(select(sa.func.count()).select_from(StaffMember).where(where)).one()
    rows = session.exec(
        select(StaffMember, OrgNode.name).join(OrgNode, OrgNode.id == StaffMember.unit_id)
        .where(where).order_by(OrgNode.name, StaffMember.name).limit(LIST_LIMIT)).all()
    today = today_mx()
    out = []
    for m, unit_name in rows:
        if not m.certified_buen_trato or (m.certified_at is not None and m.certified_at > today):
            state = "none"
        elif m.certified_until is not None and m.certified_until < today:
            state = "expired"
        else:
            state = "valid"
        out.append({"id": str(m.id), "unit": unit_name, "number": m.employee_number or "—",
                    "name": m.name, "title": m.role, "active": m.active, "state": state,
                    "on": m.certified_at.strftime("%d/%m/%Y") if m.certified_at else "",
                    "until": m.certified_until.strftime("%d/%m/%Y")
                    if m.certified_until and m.certified_buen_trato else ""})
    return out, int(total)


def _page(request: Request, viewer: Viewer, report: RosterReport | None = None,
          dry_run: bool = True, status_code: int = 200) -> Response:
    with Session(request.app.state.engine) as session:
        members, total = _members(session, viewer)
    return render(request, "roster.html", {
        "section": "staff", "members": members, "total": total, "report": report,
        "dry_run": dry_run, "problem_text": problem_text,
        "saved": saved if SAVED_NUMBER.fullmatch(saved := request.query_params.get(
            "guardado", "")) else "",
        "columns": [spellings[0] for spellings in COLUMNS.values()],
    }, status_code=status_code)


@router.get("/personal", include_in_schema=False)
def roster_page(request: Request, viewer: CurrentViewer) -> Response:
    entitled(viewer)
    return _page(request, viewer)


@router.get("/personal.csv", include_in_schema=False)
def roster_csv(request: Request, viewer: CurrentViewer) -> Response:
    """The branch's roster in the import's own columns: Human Resources can download it,
    correct it and send it back."""
    entitled(viewer)
    module = sa.orm.aliased(OrgNode)
    with Session(request.app.state.engine) as session:
        rows = session.exec(
            select(StaffMember, OrgNode.clues, module.code)
            .join(OrgNode, OrgNode.id == StaffMember.unit_id)
            .outerjoin(module, module.id == StaffMember.module_id)
            .where(viewer.scope.where_unit_id(StaffMember.unit_id))
            .order_by(OrgNode.clues, StaffMember.name)).all()

    def day(value: Any) -> str:
        return value.strftime("%d/%m/%Y") if value else ""

    return csv_response("personal.csv", [spellings[0] for spellings in COLUMNS.values()], [
        [m.employee_number or "", m.name, clues, code or "", m.role,
         day(m.certified_at) if m.certified_buen_trato else "",
         day(m.certified_until) if m.certified_buen_trato else "",
         "sí" if m.active else "no"] for m, clues, code in rows])


@router.post("/personal/importar", include_in_schema=False)
async def roster_import(request: Request, viewer: CurrentViewer) -> Response:
    entitled(viewer)
    form = await check_csrf(request, viewer)
    upload = form.get("archivo")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise WebError(400, "error.bad_request.title", "roster.no_file")
    data = await upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise WebError(413, "error.bad_request.title", "roster.too_big",
                       mb=MAX_UPLOAD_BYTES // (1024 * 1024))
    dry_run = form.get("accion") != "importar"
    # A national roster takes a few seconds: off the event loop.
    report, events = await asyncio.to_thread(_import, request, viewer, data, dry_run)
    for event in events:
        request.app.state.events.publish(event)
    refused = not report.ok and not dry_run
    return await asyncio.to_thread(_page, request, viewer, report, dry_run,
                                   422 if refused else 200)


def _import(request: Request, viewer: Viewer, data: bytes, dry_run: bool
            ) -> tuple[RosterReport, list[dict[str, Any]]]:
    with Session(request.app.state.engine) as session:
        report, units = import_roster(session, data, viewer.scope.contains_node,
                                      dry_run=dry_run, by_user_id=viewer.id,
                                      by_username=viewer.user.username)
        events = [{"type": "staff", "unit_id": str(u.id),
                   "ooad_id": str(u.ooad_id) if u.ooad_id else None,
                   "umae_id": str(u.umae_id) if u.umae_id else None} for u in units]
    return report, events
