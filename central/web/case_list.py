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
from central.web.case_query import CaseQuery, Clock, RowMaker
from central.web.csvout import csv_stream
from central.web.display import MX, today_mx
from central.web.i18n import t
from central.web.scope import Scope
from central.web.state import render
from trato.domain.enums import CaseStage, CaseType

router = APIRouter()

PAGE_SIZE = 100


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


def case_query(scope: Scope, f: CaseFilters, today: date) -> CaseQuery | None:
    """Cases in scope that match the filters, due first (so pages and the CSV export cover
    every case, however many); None when nothing can match."""
    clock = Clock(today)
    where: list[Any] = [scope.where(Case)]
    if f.unidad:
        try:
            where.append(Case.unit_id == uuid.UUID(f.unidad))
        except ValueError:
            return None
    if f.tipo:
        where.append(Case.case_type == f.tipo)
    if f.etapa and f.etapa != "abiertos":
        where.append(Case.stage == f.etapa)
    if f.sensible:
        where.append(Case.sensitive == sa.true())
    if f.impacto:
        where.append(Case.impacto_institucional == sa.true())
    if f.desde:
        where.append(Case.received_at >= _day_start(f.desde))
    if f.hasta:
        where.append(Case.received_at < _day_start(f.hasta + timedelta(days=1)))
    if f.vencidos:
        where.append(clock.overdue)
    if f.proximos:
        where.append(clock.near)
    open_only = f.etapa not in ("", CaseStage.CERRADO.value) or f.vencidos or f.proximos
    return CaseQuery(where, clock, open_only=bool(open_only),
                     closed_only=f.etapa == CaseStage.CERRADO.value)


@dataclass
class CasePage:
    rows: list[dict[str, Any]]
    total: int
    page: int
    pages: int


def list_cases(session: Session, scope: Scope, f: CaseFilters, page: int = 1) -> CasePage:
    """One page (PAGE_SIZE cases) of the due-first list, with the total."""
    today = today_mx()
    query = case_query(scope, f, today)
    if query is None:
        return CasePage([], 0, 1, 1)
    page = max(1, page)
    cases, total = query.page(session, (page - 1) * PAGE_SIZE, PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    if page > pages:  # past the end: the last page
        page = pages
        cases, total = query.page(session, (page - 1) * PAGE_SIZE, PAGE_SIZE)
    return CasePage(RowMaker(session, today).rows(cases), total, page, pages)


def iter_csv_lines(engine: Any, scope: Scope, f: CaseFilters) -> Iterator[list[Any]]:
    """Every case of the list as a CSV line, read in chunks while it is sent."""
    today = today_mx()
    query = case_query(scope, f, today)
    if query is None:
        return
    labels = {c.value: t("type." + c.value) for c in CaseType}
    labels.update({s.value: t("stage." + s.value) for s in CaseStage})
    yes, no = t("common.yes"), t("common.no")
    with Session(engine) as session:
        maker = RowMaker(session, today)
        for chunk in query.stream(session):
            yield from maker.csv_lines(chunk, labels, yes, no)


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
    header = [t("col.folio"), t("col.type"), t("col.stage"), t("col.unit"), t("col.service"),
              t("col.received"), t("col.due"), t("col.days_left"), t("col.overdue"),
              t("col.impacto"), t("col.sensitive")]
    return csv_stream("casos.csv", header,
                      iter_csv_lines(request.app.state.engine, viewer.scope, f))
