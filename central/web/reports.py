"""Muro del Trato Digno and its moderation, and the quarterly report."""

from datetime import UTC, datetime
from functools import partial
from typing import Any

import anyio.to_thread
import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, select

from central.db import write_session
from central.models import (
    Case,
    CaseEvent,
    CaseEventType,
    Kiosk,
    KioskStatus,
    RecognitionStatus,
)
from central.web.auth import MODERATOR_ROLES, CurrentViewer, Viewer, check_csrf
from central.web.board import hub
from central.web.board_data import high_impact_cases
from central.web.charts import bar_chart, line_chart
from central.web.committee_data import report_block
from central.web.display import MX, display_folio, today_mx
from central.web.errors import WebError, not_found
from central.web.i18n import t
from central.web.nodes import crumbs_for, node_names, resolve_node
from central.web.pdf import html_to_pdf
from central.web.recognised_staff import counts_by_person, staff_names
from central.web.report_data import month_end, quarter_months, report_figures
from central.web.scope import get_scoped
from central.web.state import render, web_state
from trato.domain.enums import CaseType

router = APIRouter()



# ---------------------------------------------------------------------------- wall


@router.get("/reconocimientos", include_in_schema=False)
def wall_page(request: Request, viewer: CurrentViewer) -> Response:
    base = sa.and_(viewer.scope.where(Case), Case.case_type == CaseType.RECONOCIMIENTO.value,
                   Case.publish_recognition == sa.true(), Case.consent_given == sa.true())
    with Session(request.app.state.engine) as session:
        approved = session.exec(select(Case).where(
            base, Case.recognition_status == RecognitionStatus.APPROVED.value)
            .order_by(Case.received_at.desc()).limit(100)).all()
        pending = session.exec(select(Case).where(
            base, Case.recognition_status == RecognitionStatus.PENDING.value)
            .order_by(Case.received_at).limit(100)).all() \
            if viewer.role in MODERATOR_ROLES else []
        names = node_names(session, {c.unit_id for c in [*approved, *pending]})
        staff = staff_names(session, {c.recognised_staff_id for c in [*approved, *pending]})
        people = counts_by_person(session, viewer.scope.where(Case))

    def item(c: Case) -> dict[str, Any]:
        return {"id": str(c.id), "person": staff.get(c.recognised_staff_id)
                or c.recognised_person or t("wall.area"),
                "unit": names.get(c.unit_id, "—"), "text": c.narrative[:600],
                "date": c.received_at.astimezone(MX).strftime("%d/%m/%Y"),
                "folio": display_folio(c.folio)}

    return render(request, "wall.html", {
        "section": "wall", "approved": [item(c) for c in approved],
        "pending": [item(c) for c in pending], "can_moderate": viewer.role in MODERATOR_ROLES,
        "people": people,
    })


@router.post("/reconocimientos/{case_id}", include_in_schema=False)
async def moderate(request: Request, viewer: CurrentViewer, case_id: str
                   ) -> Response:
    form = await check_csrf(request, viewer)
    if viewer.role not in MODERATOR_ROLES:
        raise not_found()
    decision = str(form.get("decision", ""))
    status = {"aprobar": RecognitionStatus.APPROVED, "rechazar": RecognitionStatus.REJECTED}.get(
        decision)
    if status is None:
        raise WebError(400, "error.bad_request.title", "wall.bad_decision")
    with write_session(request.app.state.engine) as session:
        case = get_scoped(session, Case, case_id, viewer.scope)
        if case.recognition_status != RecognitionStatus.PENDING.value:
            raise not_found()
        case.recognition_status = status.value
        case.updated_at = datetime.now(UTC)
        session.add(case)
        session.add(CaseEvent(case_id=case.id, event_type=CaseEventType.RECOGNITION_MODERATED,
                              by_user_id=viewer.id, by_name=viewer.display_name, source="web",
                              detail={"decision": status.value}))
        session.commit()
        event = {"type": "recognition", "unit_id": str(case.unit_id),
                 "module_id": str(case.module_id),
                 "ooad_id": str(case.ooad_id) if case.ooad_id else None,
                 "umae_id": str(case.umae_id) if case.umae_id else None}
    request.app.state.events.publish(event)
    return RedirectResponse("/reconocimientos", status_code=303)


# The audit page is central/web/audit.py.


# ---------------------------------------------------------------------------- report


@router.get("/reporte", include_in_schema=False)
def report_page(request: Request, viewer: CurrentViewer, anio: int | None = None,
                trimestre: int | None = None,
                nodo: str | None = None) -> Response:
    return render(request, "report.html", _report_context(request, viewer, anio, trimestre,
                                                          nodo))


@router.get("/reporte.pdf", include_in_schema=False)
async def report_pdf(request: Request, viewer: CurrentViewer, anio: int | None = None,
                     trimestre: int | None = None, nodo: str | None = None) -> Response:
    """The same page as a PDF (its print styles), for sending or filing; one rendering at a
    time per process (WebState.pdf_limiter), off the event loop."""
    ctx = await anyio.to_thread.run_sync(partial(_report_context, request, viewer, anio,
                                                 trimestre, nodo))
    html = bytes(render(request, "report.html", ctx).body).decode("utf-8")
    pdf = await anyio.to_thread.run_sync(html_to_pdf, html,
                                         limiter=web_state(request).pdf_limiter())
    name = f"reporte-{ctx['year']}-T{ctx['quarter']}.pdf"
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store"})


def _report_context(request: Request, viewer: Viewer, anio: int | None, trimestre: int | None,
                    nodo: str | None) -> dict[str, Any]:
    today = today_mx()
    year = anio or today.year
    quarter = trimestre or (today.month - 1) // 3 + 1
    if not (2000 <= year <= 2100 and 1 <= quarter <= 4):
        raise WebError(400, "error.bad_request.title", "report.bad_period")
    months = quarter_months(year, quarter)
    scope = viewer.scope
    with Session(request.app.state.engine) as session:
        node = resolve_node(session, scope, nodo)
        if node is None:
            raise not_found()
        board_hub = hub(request)
        figures = report_figures(session, scope, node, months, crumbs_for(session, node, scope),
                                 board_hub.small_number_tables())
        unit_groups, unit_cases = figures.units, figures.unit_cases
        month_groups, total = figures.months, figures.total
        names = node_names(session, set(unit_groups) | set(unit_cases))
        board = board_hub.board(scope, node, session)
        high_impact = high_impact_cases(session, scope, node, today)
        kiosk_n = session.exec(select(sa.func.count()).select_from(Kiosk).where(
            scope.where(Kiosk), Kiosk.status != KioskStatus.DESK.value)).one()
        committee = report_block(session, node.id, node.kind, months[0],
                                 month_end(months[-1]), today)
    month_names = [t(f"month.{m.month}") for m in months]
    trend_svg = line_chart([(name, month_groups[m].index) for name, m in zip(month_names, months,
                                                                               strict=True)],
                           title=t("report.trend"))
    unit_rows = sorted(
        ({"name": names.get(u, "—"), "n": g.n, "index": g.index, "suppressed": g.suppressed,
          "received": unit_cases.get(u, [0, 0])[0], "closed": unit_cases.get(u, [0, 0])[1]}
         for u, g in unit_groups.items()), key=lambda r: r["name"])
    cases_svg = bar_chart([(names.get(u, "—"), [v[1], v[0] - v[1]])
                           for u, v in sorted(unit_cases.items(), key=lambda i: -i[1][0])[:15]],
                          title=t("report.cases_chart"),
                          series=[t("report.closed"), t("report.open")])
    return {
        "section": "report", "year": year, "quarter": quarter, "node": node,
        "total": total, "months": list(zip(month_names, [month_groups[m] for m in months],
                                           strict=True)),
        "trend_svg": trend_svg, "cases_svg": cases_svg, "unit_rows": unit_rows,
        "received_n": figures.received, "closed_n": figures.closed,
        "open_now": board.totals["open"], "overdue_now": board.totals["overdue"],
        "by_type": figures.by_type, "board": board, "high_impact": high_impact,
        "kiosk_n": kiosk_n,
        "years": list(range(today.year - 3, today.year + 1)),
        "generated": datetime.now(MX).strftime("%d/%m/%Y %H:%M"),
        "committee": committee, "query": request.url.query,
    }
