"""One member of the roster on the web: ``/personal/nuevo`` adds a person, ``/personal/<id>``
edits one (name, job title, module, employee number, kiosk role, Buen Trato certification and
its expiry, active or not). The rules are the CSV import's
(:mod:`central.services.roster_edit`); a refused form comes back with every problem in plain
Spanish and nothing saved. A member outside the user's branch is answered 404."""

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, select

from central.models import OrgLevel, OrgNode, StaffMember
from central.services.roster_edit import MemberForm, save_member
from central.web.auth import CurrentViewer, Viewer, check_csrf
from central.web.errors import not_found
from central.web.roster import entitled, problem_text
from central.web.state import render
from trato.domain.enums import StaffRole

router = APIRouter()


def _scoped_member(session: Session, viewer: Viewer, member_id: str
                   ) -> tuple[StaffMember, OrgNode]:
    try:
        key = uuid.UUID(member_id)
    except ValueError:
        raise not_found() from None
    member = session.get(StaffMember, key)
    unit = session.get(OrgNode, member.unit_id) if member is not None else None
    if member is None or unit is None or not viewer.scope.contains_node(unit):
        raise not_found()
    return member, unit


def _modules(session: Session, unit: OrgNode | None) -> list[tuple[str, str]]:
    if unit is None:
        return []
    rows = session.exec(select(OrgNode.code, OrgNode.name).where(
        OrgNode.level == OrgLevel.MODULE.value, OrgNode.unit_id == unit.id)
        .order_by(OrgNode.code)).all()
    return [(code, name) for code, name in rows if code]


def _form_page(request: Request, session: Session, form: MemberForm, *,
               member: StaffMember | None = None, unit: OrgNode | None = None,
               problems: list[str] | None = None, status_code: int = 200) -> Response:
    return render(request, "roster_member.html", {
        "section": "staff", "form": form, "member": member, "unit": unit,
        "modules": _modules(session, unit), "problems": problems or [],
        "kiosk_roles": [r.value for r in StaffRole],
        "action": f"/personal/{member.id}" if member is not None else "/personal/nuevo",
    }, status_code=status_code)


async def _read_form(request: Request, viewer: Viewer) -> MemberForm:
    data = await check_csrf(request, viewer)

    def text(name: str, limit: int = 200) -> str:
        return str(data.get(name, ""))[:limit]

    return MemberForm(employee_number=text("numero"), name=text("nombre"),
                      clues=text("clues", 32), module=text("modulo", 64),
                      title=text("puesto"), kiosk_role=text("rol_kiosco", 32),
                      certified_on=text("certificacion", 32),
                      certified_until=text("vigencia", 32), active=data.get("activo") == "1")


def _staff_event(unit: OrgNode) -> dict[str, Any]:
    """What tells open boards that the unit's roster changed (as an import does)."""
    return {"type": "staff", "unit_id": str(unit.id),
            "ooad_id": str(unit.ooad_id) if unit.ooad_id else None,
            "umae_id": str(unit.umae_id) if unit.umae_id else None}


def _submit(request: Request, viewer: Viewer, form: MemberForm, member_id: str | None
            ) -> Response:
    with Session(request.app.state.engine) as session:
        member, unit = (_scoped_member(session, viewer, member_id) if member_id
                        else (None, None))
        result = save_member(session, form, viewer.scope.contains_node, member=member,
                             by_user_id=viewer.id, by_username=viewer.user.username)
        if not result.ok:
            session.rollback()
            return _form_page(request, session, form, member=member, unit=unit,
                              problems=[problem_text(p) for p in result.problems],
                              status_code=422)
        assert result.member is not None and result.unit is not None
        number, event = result.member.employee_number or "", _staff_event(result.unit)
    request.app.state.events.publish(event)
    return RedirectResponse(f"/personal?guardado={number}", status_code=303)


@router.get("/personal/nuevo", include_in_schema=False)
def new_member_page(request: Request, viewer: CurrentViewer, clues: str = "") -> Response:
    entitled(viewer)
    with Session(request.app.state.engine) as session:
        return _form_page(request, session, MemberForm(clues=clues[:32].upper()))


@router.post("/personal/nuevo", include_in_schema=False)
async def new_member(request: Request, viewer: CurrentViewer) -> Response:
    entitled(viewer)
    return _submit(request, viewer, await _read_form(request, viewer), None)


@router.get("/personal/{member_id}", include_in_schema=False)
def member_page(request: Request, viewer: CurrentViewer, member_id: str) -> Response:
    entitled(viewer)
    with Session(request.app.state.engine) as session:
        member, unit = _scoped_member(session, viewer, member_id)
        module = session.get(OrgNode, member.module_id) if member.module_id else None
        return _form_page(request, session, MemberForm.of(member, unit, module),
                          member=member, unit=unit)


@router.post("/personal/{member_id}", include_in_schema=False)
async def edit_member(request: Request, viewer: CurrentViewer, member_id: str) -> Response:
    entitled(viewer)
    form = await _read_form(request, viewer)
    return _submit(request, viewer, form, member_id)
