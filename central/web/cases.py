"""Case follow-up on the web: list ("due first"), detail with timeline, stage changes,
assignment, notes, the impacto institucional flag, restricted reading of sensitive cases and
the audited opening of personal data.

Every change appends to the case's timeline and a ``case_status`` change for the kiosks of its
unit (:func:`central.services.changes.publish_case_status`), then tells open boards.
"""

import logging
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
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
    OrgLevel,
    OrgNode,
    Role,
    User,
)
from central.security import PERSONAL_DATA_ROLES, PersonalDataUnavailable, open_personal
from central.services.changes import publish_case_status
from central.web.auth import CurrentViewer, Viewer, check_csrf
from central.web.board_data import (
    COMPLETION_NEAR_BUSINESS_DAYS,
    MX,
    case_clock,
    display_folio,
    service_name,
    today_mx,
)
from central.web.csvout import csv_stream
from central.web.errors import WebError, not_found
from central.web.i18n import t
from central.web.scope import Scope, get_scoped
from central.web.state import render
from trato.domain.deadlines import NEAR_DEADLINE_BUSINESS_DAYS, add_business_days
from trato.domain.enums import CASE_STAGE_ORDER, CaseStage, CaseType

log = logging.getLogger(__name__)
router = APIRouter()

#: Roles that read the text of a sensitive case (harassment, discrimination, violence).
SENSITIVE_READ_ROLES = frozenset({Role.ADMIN.value, Role.NACIONAL.value, Role.OOAD.value,
                                  Role.UMAE.value})
#: Roles that open sealed personal data (always audited).
PERSONAL_ROLES = frozenset(r.value for r in PERSONAL_DATA_ROLES)
PAGE_SIZE = 100
CSV_CHUNK = 1000
EARLY_STAGES = (CaseStage.RECEPCION.value, CaseStage.INTEGRACION.value)
REOPEN_STAGE = CaseStage.INVESTIGACION
PERSONAL_FIELDS = ("nombre", "nss", "curp", "telefono", "correo", "domicilio")


def can_read_sensitive(viewer: Viewer) -> bool:
    return viewer.role in SENSITIVE_READ_ROLES


def can_open_personal(viewer: Viewer, case: Case) -> bool:
    if viewer.role not in PERSONAL_ROLES:
        return False
    return not case.sensitive or can_read_sensitive(viewer)


@dataclass
class CaseFilters:
    tipo: str = ""
    etapa: str = ""
    unidad: str = ""
    vencidos: bool = False
    proximos: bool = False
    sensible: bool = False
    impacto: bool = False
    desde: date | None = None
    hasta: date | None = None

    @classmethod
    def from_query(cls, q: Any) -> "CaseFilters":
        def flag(name: str) -> bool:
            return q.get(name, "") in ("1", "on", "true", "si")

        def day(name: str) -> date | None:
            try:
                return date.fromisoformat(q.get(name, ""))
            except ValueError:
                return None

        tipo = q.get("tipo", "")
        etapa = q.get("etapa", "")
        return cls(
            tipo=tipo if tipo in {c.value for c in CaseType} else "",
            etapa=etapa if etapa in {s.value for s in CaseStage} or etapa == "abiertos" else "",
            unidad=q.get("unidad", "")[:40],
            vencidos=flag("vencidos"), proximos=flag("proximos"), sensible=flag("sensible"),
            impacto=flag("impacto"), desde=day("desde"), hasta=day("hasta"),
        )

    def query_string(self) -> str:
        from urllib.parse import urlencode

        out: dict[str, str] = {}
        for name in ("tipo", "etapa", "unidad"):
            if getattr(self, name):
                out[name] = getattr(self, name)
        for name in ("vencidos", "proximos", "sensible", "impacto"):
            if getattr(self, name):
                out[name] = "1"
        for name in ("desde", "hasta"):
            if getattr(self, name):
                out[name] = getattr(self, name).isoformat()
        return urlencode(out)


def _day_start(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=MX).astimezone(UTC)


def _case_query(scope: Scope, f: CaseFilters, today: date) -> Any:
    """Cases in scope that match the filters, due first, as one SQL statement (so pages and
    the CSV export cover every case, however many)."""
    stmt = select(Case).where(scope.where(Case))
    if f.unidad:
        try:
            stmt = stmt.where(Case.unit_id == uuid.UUID(f.unidad))
        except ValueError:
            return None
    open_ = Case.stage != CaseStage.CERRADO.value
    # As case_clock: the 5-day completion deadline while the case is still being received and
    # completed, the 50-day resolution deadline after that.
    on_completion = sa.and_(Case.stage.in_(EARLY_STAGES), Case.completion_due.is_not(None),
                            Case.completion_due >= today)
    due = sa.case((on_completion, Case.completion_due), else_=Case.resolution_due)
    overdue = sa.and_(open_, Case.resolution_due.is_not(None), Case.resolution_due < today)
    # "Near": 0..N business days left, i.e. due before the (N+1)th business day from today.
    near = sa.and_(open_, sa.not_(overdue), sa.or_(
        sa.and_(on_completion, Case.completion_due
                < add_business_days(today, COMPLETION_NEAR_BUSINESS_DAYS + 1)),
        sa.and_(sa.not_(on_completion), Case.resolution_due.is_not(None),
                Case.resolution_due >= today,
                Case.resolution_due < add_business_days(today, NEAR_DEADLINE_BUSINESS_DAYS + 1)),
    ))
    if f.tipo:
        stmt = stmt.where(Case.case_type == f.tipo)
    if f.etapa == "abiertos":
        stmt = stmt.where(open_)
    elif f.etapa:
        stmt = stmt.where(Case.stage == f.etapa)
    if f.sensible:
        stmt = stmt.where(Case.sensitive == sa.true())
    if f.impacto:
        stmt = stmt.where(Case.impacto_institucional == sa.true())
    if f.desde:
        stmt = stmt.where(Case.received_at >= _day_start(f.desde))
    if f.hasta:
        stmt = stmt.where(Case.received_at < _day_start(f.hasta + timedelta(days=1)))
    if f.vencidos:
        stmt = stmt.where(overdue)
    if f.proximos:
        stmt = stmt.where(near)
    # Due first: open before closed, overdue first, then the nearest deadline.
    return stmt.order_by(sa.case((open_, 0), else_=1), sa.case((overdue, 0), else_=1),
                         due.is_(None), due, Case.received_at.desc(), Case.id)


def _unit_names(session: Session, cases: Sequence[Case]) -> dict[uuid.UUID, str]:
    if not cases:
        return {}
    return dict(session.exec(  # type: ignore[arg-type]
        select(OrgNode.id, OrgNode.name).where(OrgNode.id.in_({c.unit_id for c in cases}))
    ).all())


def _row(c: Case, names: dict[uuid.UUID, str], today: date) -> dict[str, Any]:
    clock = case_clock(c, today)
    return {
        "id": str(c.id), "folio": display_folio(c.folio), "type": c.case_type,
        "stage": c.stage, "unit": names.get(c.unit_id, "—"),
        "service": service_name(c.service_code or ""),
        "received": c.received_at.astimezone(MX).strftime("%d/%m/%Y"),
        "due": clock["due"].strftime("%d/%m/%Y") if clock["due"] else "—",
        "days_left": clock["days_left"], "overdue": clock["overdue"], "near": clock["near"],
        "sensitive": c.sensitive, "impacto": c.impacto_institucional,
        "open": c.stage != CaseStage.CERRADO.value,
    }


@dataclass
class CasePage:
    rows: list[dict[str, Any]]
    total: int
    page: int
    pages: int


def list_cases(session: Session, scope: Scope, f: CaseFilters, page: int = 1) -> CasePage:
    """One page (PAGE_SIZE cases) of the due-first list, with the total."""
    today = today_mx()
    stmt = _case_query(scope, f, today)
    if stmt is None:
        return CasePage([], 0, 1, 1)
    total = session.exec(select(sa.func.count()).select_from(stmt.order_by(None).subquery())
                         ).one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    cases = session.exec(stmt.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    names = _unit_names(session, cases)
    return CasePage([_row(c, names, today) for c in cases], total, page, pages)


def iter_cases(engine: Any, scope: Scope, f: CaseFilters) -> Iterator[dict[str, Any]]:
    """Every case of the list, read in chunks while it is sent (the CSV export)."""
    today = today_mx()
    stmt = _case_query(scope, f, today)
    if stmt is None:
        return
    with Session(engine) as session:
        result = session.exec(stmt.execution_options(yield_per=CSV_CHUNK))
        for chunk in result.partitions():
            names = _unit_names(session, chunk)
            for c in chunk:
                yield _row(c, names, today)


def scoped_units(session: Session, scope: Scope) -> list[tuple[str, str]]:
    rows = session.exec(
        select(OrgNode.id, OrgNode.name).where(scope.where_node(),
                                               OrgNode.level == OrgLevel.UNIT.value)
        .order_by(OrgNode.name).limit(2000)
    ).all()
    return [(str(i), n) for i, n in rows]


@router.get("/casos", include_in_schema=False)
def cases_page(request: Request, viewer: CurrentViewer) -> Response:
    f = CaseFilters.from_query(request.query_params)
    with Session(request.app.state.engine) as session:
        listing = list_cases(session, viewer.scope, f, _page_number(request))
        units = scoped_units(session, viewer.scope)
    return render(request, "cases.html", {
        "section": "cases", "rows": listing.rows, "listing": listing, "f": f, "units": units,
        "qs": f.query_string(), "types": [c.value for c in CaseType],
        "stages": [s.value for s in CaseStage],
    })


def _page_number(request: Request) -> int:
    try:
        return int(request.query_params.get("pagina", "1")[:6])
    except ValueError:
        return 1


@router.get("/casos.csv", include_in_schema=False)
def cases_csv(request: Request, viewer: CurrentViewer) -> Response:
    f = CaseFilters.from_query(request.query_params)
    rows = iter_cases(request.app.state.engine, viewer.scope, f)
    header = [t("col.folio"), t("col.type"), t("col.stage"), t("col.unit"), t("col.service"),
              t("col.received"), t("col.due"), t("col.days_left"), t("col.overdue"),
              t("col.impacto"), t("col.sensitive")]
    yes, no = t("common.yes"), t("common.no")
    return csv_stream("casos.csv", header, (
        [r["folio"], t("type." + r["type"]), t("stage." + r["stage"]), r["unit"], r["service"],
         r["received"], r["due"], r["days_left"], yes if r["overdue"] else no,
         yes if r["impacto"] else no, yes if r["sensitive"] else no] for r in rows))


def _assignable_users(session: Session, viewer: Viewer, case: Case) -> list[User]:
    users = session.exec(select(User).where(User.active == sa.true()).order_by(User.username)
                         ).all()
    out = []
    for u in users:
        if u.role in (Role.ADMIN.value, Role.NACIONAL.value):
            out.append(u)
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
    stage_index = CASE_STAGE_ORDER.index(CaseStage(case.stage))
    next_stage = (CASE_STAGE_ORDER[stage_index + 1].value
                  if stage_index + 1 < len(CASE_STAGE_ORDER) else None)
    timeline = []
    for e in events:
        timeline.append({
            "at": e.at.astimezone(MX).strftime("%d/%m/%Y %H:%M"),
            "type": e.event_type, "from": e.stage_from, "to": e.stage_to,
            "note": e.note if readable else "", "by": e.by_name or t("timeline.system"),
            "source": e.source,
        })
    return {
        "section": "cases", "c": case, "folio": display_folio(case.folio), "clock": clock,
        "unit": unit.name if unit else "—", "module": module.name if module else "—",
        "service": service_name(case.service_code or ""), "timeline": timeline,
        "readable": readable, "assignee": assignee.display_name or assignee.username
        if assignee else "", "users": _assignable_users(session, viewer, case),
        "next_stage": next_stage, "closed": case.stage == CaseStage.CERRADO.value,
        "can_open_personal": can_open_personal(viewer, case) and bool(case.sealed_personal),
        "has_personal": bool(case.sealed_personal or case.has_contact),
        "personal": personal, "personal_fields": PERSONAL_FIELDS, "message": message,
        "received": case.received_at.astimezone(MX).strftime("%d/%m/%Y %H:%M"),
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
            order = [s.value for s in CASE_STAGE_ORDER]
            if target not in order or case.stage == CaseStage.CERRADO.value or \
                    order.index(target) != order.index(case.stage) + 1:
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
            if case.stage != CaseStage.CERRADO.value:
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
