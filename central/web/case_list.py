"""The case list ("due first"): filters, one page at a time, and the CSV export of every case
that matches. The follow-up of one case is in :mod:`central.web.cases`."""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session, select

from central.models import Case, OrgLevel, OrgNode
from central.web.auth import CurrentViewer
from central.web.case_clock import case_clock
from central.web.csvout import csv_stream
from central.web.display import MX, display_folio, service_name, today_mx
from central.web.i18n import t
from central.web.nodes import node_names
from central.web.scope import Scope
from central.web.state import render
from trato.domain.case_clock import EARLY_STAGES, near_limits
from trato.domain.enums import CaseStage, CaseType

router = APIRouter()

PAGE_SIZE = 100
CSV_CHUNK = 1000


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
    on_completion = sa.and_(Case.stage.in_([s.value for s in EARLY_STAGES]),
                            Case.completion_due.is_not(None), Case.completion_due >= today)
    due = sa.case((on_completion, Case.completion_due), else_=Case.resolution_due)
    overdue = sa.and_(open_, Case.resolution_due.is_not(None), Case.resolution_due < today)
    # "Near": 0..N business days left, i.e. due before the (N+1)th business day from today.
    limits = near_limits(today)
    near = sa.and_(open_, sa.not_(overdue), sa.or_(
        sa.and_(on_completion, Case.completion_due < limits.completion_before),
        sa.and_(sa.not_(on_completion), Case.resolution_due.is_not(None),
                Case.resolution_due >= today, Case.resolution_due < limits.resolution_before),
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
    names = node_names(session, {c.unit_id for c in cases})
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
            names = node_names(session, {c.unit_id for c in chunk})
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
