"""The follow-up of one case on the web: detail with timeline, stage changes, assignment,
notes, the impacto institucional flag, restricted reading of sensitive cases and the audited
opening of personal data. The list of cases is :mod:`central.web.case_list`.

Every change appends to the case's timeline and a ``case_status`` change for the kiosks of its
unit (:func:`central.services.changes.publish_case_status`), then tells open boards.
"""

import logging
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, select

from central.db import write_session
from central.models import (
    Case,
    CaseEvent,
    CaseEventType,
    OrgNode,
    Role,
    User,
)
from central.security import PERSONAL_DATA_ROLES, PersonalDataUnavailable, open_personal
from central.services.changes import publish_case_status
from central.web.auth import CurrentViewer, Viewer, check_csrf
from central.web.case_clock import case_clock
from central.web.display import MX, display_folio, service_name, today_mx
from central.web.errors import WebError, not_found
from central.web.i18n import t
from central.web.recognised_staff import link_context, link_recognition
from central.web.scope import get_scoped
from central.web.state import render
from trato.domain.enums import CaseStage
from trato.domain.stages import REOPEN_STAGE, next_stage, transition_problem

log = logging.getLogger(__name__)
router = APIRouter()

#: Roles that read the text of a sensitive case (harassment, discrimination, violence).
SENSITIVE_READ_ROLES = frozenset({Role.ADMIN.value, Role.NACIONAL.value, Role.OOAD.value,
                                  Role.UMAE.value})
#: Roles that open sealed personal data (always audited).
PERSONAL_ROLES = frozenset(r.value for r in PERSONAL_DATA_ROLES)
_STAGES = frozenset(s.value for s in CaseStage)
PERSONAL_FIELDS = ("nombre", "nss", "curp", "telefono", "correo", "domicilio")


def can_read_sensitive(viewer: Viewer) -> bool:
    return viewer.role in SENSITIVE_READ_ROLES


def can_open_personal(viewer: Viewer, case: Case) -> bool:
    if viewer.role not in PERSONAL_ROLES:
        return False
    return not case.sensitive or can_read_sensitive(viewer)


def _assignable_users(session: Session, viewer: Viewer, case: Case) -> list[User]:
    users = session.exec(select(User).where(User.active == sa.true()).order_by(User.username)
                         ).all()
    out = []
    for u in users:
        if u.role == Role.NACIONAL.value or (u.role == Role.ADMIN.value and u.scope_id is None):
            out.append(u)  # a branch administrator only for the cases of the branch (below)
            continue
        if u.scope_id in (case.unit_id, case.ooad_id, case.umae_id):
            out.append(u)
    return out


def _detail_context(session: Session, viewer: Viewer, case: Case,
                    personal: dict[str, Any] | None = None, message: str = "") -> dict[str, Any]:
    today = today_mx()
    clock = case_clock(case, today)
    unit = session.get(OrgNode, case.unit_id)
    module = session.get(OrgNode, case.module_id)
    events = session.exec(select(CaseEvent).where(CaseEvent.case_id == case.id)
                          .order_by(CaseEvent.at, CaseEvent.id)).all()
    assignee = session.get(User, case.assigned_to_id) if case.assigned_to_id else None
    readable = not case.sensitive or can_read_sensitive(viewer)
    following = next_stage(CaseStage(case.stage))
    timeline = []
    for e in events:
        timeline.append({
            "at": e.at.astimezone(MX).strftime("%d/%m/%Y %H:%M"),
            "type": e.event_type, "from": e.stage_from, "to": e.stage_to,
            "note": e.note if readable else "", "by": e.by_name or t("timeline.system"),
            "source": e.source, "person": (e.detail or {}).get("staff") or ""
            if e.event_type == CaseEventType.RECOGNITION_LINKED.value else "",
        })
    return {
        "section": "cases", "c": case, "folio": display_folio(case.folio), "clock": clock,
        "unit": unit.name if unit else "—", "module": module.name if module else "—",
        "service": service_name(case.service_code or ""), "timeline": timeline,
        "readable": readable, "assignee": assignee.display_name or assignee.username
        if assignee else "", "users": _assignable_users(session, viewer, case),
        "next_stage": following.value if following else None,
        "closed": case.stage == CaseStage.CERRADO.value,
        "can_open_personal": can_open_personal(viewer, case) and bool(case.sealed_personal),
        "has_personal": bool(case.sealed_personal or case.has_contact),
        "personal": personal, "personal_fields": PERSONAL_FIELDS, "message": message,
        "received": case.received_at.astimezone(MX).strftime("%d/%m/%Y %H:%M"), "mx": MX,
        **link_context(session, viewer, case),
    }


@router.get("/casos/{case_id}", include_in_schema=False)
def case_page(request: Request, viewer: CurrentViewer, case_id: str
              ) -> Response:
    with Session(request.app.state.engine) as session:
        case = get_scoped(session, Case, case_id, viewer.scope)
        ctx = _detail_context(session, viewer, case, message=request.query_params.get("m", ""))
        return render(request, "case_detail.html", ctx)


@router.post("/casos/{case_id}/datos-personales", include_in_schema=False)
async def case_personal(request: Request, viewer: CurrentViewer, case_id: str
                        ) -> Response:
    form = await check_csrf(request, viewer)
    with write_session(request.app.state.engine) as session:
        case = get_scoped(session, Case, case_id, viewer.scope)
        if not can_open_personal(viewer, case):
            raise WebError(403, "error.forbidden.title", "case.personal.forbidden")
        user = session.get(User, viewer.id)
        assert user is not None
        try:
            data = open_personal(case, user, session, private_key=request.app.state.sealing_key,
                                 reason=str(form.get("motivo", ""))[:500])
            message = ""
        except PersonalDataUnavailable:
            data, message = None, t("case.personal.unavailable")
        ctx = _detail_context(session, viewer, case, personal=data, message=message)
    response = render(request, "case_detail.html", ctx)
    response.headers["Cache-Control"] = "no-store"
    return response


def _event(case: Case, viewer: Viewer, event_type: CaseEventType, *, note: str = "",
           stage_from: str | None = None, stage_to: str | None = None,
           detail: dict[str, Any] | None = None) -> CaseEvent:
    return CaseEvent(case_id=case.id, event_type=event_type.value, note=note[:4000],
                     stage_from=stage_from, stage_to=stage_to, by_user_id=viewer.id,
                     by_name=viewer.display_name, source="web", detail=detail or {})


def _after_change(request: Request, case: Case) -> None:
    request.app.state.events.publish({
        "type": "case", "unit_id": str(case.unit_id),
        "ooad_id": str(case.ooad_id) if case.ooad_id else None,
        "umae_id": str(case.umae_id) if case.umae_id else None,
        "module_id": str(case.module_id),
    })


@router.post("/casos/{case_id}/{action}", include_in_schema=False)
async def case_action(request: Request, viewer: CurrentViewer, case_id: str, action: str
                      ) -> Response:
    form = await check_csrf(request, viewer)
    note = str(form.get("nota", "")).strip()[:4000]
    with write_session(request.app.state.engine) as session:
        case = get_scoped(session, Case, case_id, viewer.scope)
        now = datetime.now(UTC)
        message = "saved"
        if action == "etapa":
            target = str(form.get("etapa", ""))
            # The next stage only (trato.domain.stages); a closed case has "reabrir".
            if target not in _STAGES or target == case.stage or \
                    case.stage == CaseStage.CERRADO.value or \
                    transition_problem(CaseStage(case.stage), CaseStage(target)):
                raise WebError(400, "error.bad_request.title", "case.stage.invalid")
            event_type = (CaseEventType.CLOSED if target == CaseStage.CERRADO.value
                          else CaseEventType.STAGE_CHANGED)
            session.add(_event(case, viewer, event_type, note=note, stage_from=case.stage,
                               stage_to=target))
            case.stage = target
            case.stage_changed_at = now
            if target == CaseStage.CERRADO.value:
                case.closed_at = now
        elif action == "reabrir":
            if transition_problem(CaseStage(case.stage), REOPEN_STAGE, reopen=True):
                raise WebError(400, "error.bad_request.title", "case.reopen.invalid")
            session.add(_event(case, viewer, CaseEventType.REOPENED, note=note,
                               stage_from=case.stage, stage_to=REOPEN_STAGE.value))
            case.stage = REOPEN_STAGE.value
            case.stage_changed_at = now
            case.closed_at = None
            case.reopened_count += 1
        elif action == "asignar":
            target_id = str(form.get("usuario", ""))
            if not target_id:
                case.assigned_to_id = None
                session.add(_event(case, viewer, CaseEventType.ASSIGNED, note=note,
                                   detail={"to": None}))
            else:
                allowed = {str(u.id): u for u in _assignable_users(session, viewer, case)}
                user = allowed.get(target_id)
                if user is None:
                    raise WebError(400, "error.bad_request.title", "case.assign.invalid")
                case.assigned_to_id = user.id
                session.add(_event(case, viewer, CaseEventType.ASSIGNED, note=note,
                                   detail={"to": user.display_name or user.username}))
        elif action == "nota":
            if not note:
                raise WebError(400, "error.bad_request.title", "case.note.empty")
            session.add(_event(case, viewer, CaseEventType.NOTE, note=note))
        elif action == "impacto":
            value = str(form.get("valor", "")) == "1"
            if value != case.impacto_institucional:
                case.impacto_institucional = value
                session.add(_event(case, viewer, CaseEventType.FLAGGED if value
                                   else CaseEventType.UNFLAGGED, note=note))
        elif action == "persona":  # a reconocimiento linked to a member of the roster
            link_recognition(session, viewer, case, str(form.get("persona", "")), note)
        else:
            raise not_found()
        case.updated_at = now
        session.add(case)
        # Every change reaches the kiosks of the unit (stage, deadlines, flag, last update).
        publish_case_status(session, case)
        session.commit()
        log.info("case %s: %s by user %s", case.id, action, viewer.id)
    _after_change(request, case)
    return RedirectResponse(f"/casos/{case_id}?m={message}", status_code=303)
