"""``/exportar``: the analysts' export of responses and cases without personal data, for a
period and a branch of the viewer's scope, as CSV or Parquet streamed from the database
(:mod:`central.web.export_data`, :mod:`central.web.export_files`). Every export is audited."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse
from sqlmodel import Session

from central.db import write_session
from central.models import AuditLog
from central.web.auth import EXPORT_ROLES, CurrentViewer, Viewer
from central.web.cases import can_read_sensitive
from central.web.display import today_mx
from central.web.errors import not_found
from central.web.export_data import DATASETS, SCHEMAS, ExportQuery
from central.web.export_files import MEDIA_TYPES, chunks
from central.web.export_read import read_batches
from central.web.export_source import export_source
from central.web.i18n import t
from central.web.nodes import BoardNode, branch_options, resolve_node
from central.web.scope import Scope
from central.web.state import render

router = APIRouter()

#: The longest period one export covers (a year, leap day included).
MAX_DAYS = 366
FORMATS = tuple(MEDIA_TYPES)
AUDIT_EXPORT = "export"


def may_export(viewer: Viewer) -> bool:
    return viewer.role in EXPORT_ROLES


@dataclass
class ExportForm:
    dataset: str
    start: str
    end: str
    branch: str
    fmt: str


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def check_form(session: Session, scope: Scope, form: ExportForm
               ) -> tuple[dict[str, str], BoardNode | None, date | None, date | None]:
    """The form's errors by field (Spanish), and the branch and dates when they are good."""
    errors: dict[str, str] = {}
    if form.dataset not in DATASETS:
        errors["conjunto"] = t("export.error.dataset")
    if form.fmt not in FORMATS:
        errors["formato"] = t("export.error.format")
    start, end = _date(form.start), _date(form.end)
    if start is None:
        errors["desde"] = t("export.error.date")
    if end is None:
        errors["hasta"] = t("export.error.date")
    if start and end:
        if end < start:
            errors["hasta"] = t("export.error.order")
        elif (end - start).days + 1 > MAX_DAYS:
            errors["hasta"] = t("export.error.span", days=MAX_DAYS)
        elif start.year < 2000 or end.year > 2100:
            errors["desde"] = t("export.error.date")
    node = resolve_node(session, scope, form.branch or None)
    if node is None:
        errors["rama"] = t("export.error.branch")
    return errors, node, start, end


def _page(request: Request, session: Session, viewer: Viewer, form: ExportForm,
          errors: dict[str, str], status: int = 200) -> Response:
    return render(request, "export.html", {
        "section": "export", "form": form, "errors": errors,
        "branches": branch_options(session, viewer.scope), "max_days": MAX_DAYS,
        "source": export_source(request.app).describe(),
        "datasets": DATASETS, "formats": FORMATS, "feed_url": feed_url(request),
    }, status_code=status)


def feed_url(request: Request) -> str:
    base = getattr(request.app.state.settings, "public_base_url", "") or str(request.base_url)
    return base.rstrip("/") + "/odata/"


@router.get("/exportar", include_in_schema=False)
def export_page(request: Request, viewer: CurrentViewer) -> Response:
    if not may_export(viewer):
        raise not_found()
    today = today_mx()
    form = ExportForm("respuestas", (today - timedelta(days=29)).isoformat(),
                      today.isoformat(), "", "csv")
    with Session(request.app.state.engine) as session:
        return _page(request, session, viewer, form, {})


def audit(engine: Any, viewer: Any, action: str, query: ExportQuery, **detail: Any) -> None:
    with write_session(engine) as session:
        session.add(AuditLog(
            user_id=viewer.id, username=viewer.user.username, action=action,
            target_type=query.dataset, target_id=query.branch.id,
            detail={"desde": query.start.isoformat(), "hasta": query.end.isoformat(),
                    "rama": query.branch.name, **detail}))
        session.commit()


@router.get("/exportar/archivo", include_in_schema=False)
def export_file(request: Request, viewer: CurrentViewer, conjunto: str = "", desde: str = "",
                hasta: str = "", rama: str = "", formato: str = "") -> Response:
    if not may_export(viewer):
        raise not_found()
    form = ExportForm(conjunto, desde, hasta, rama, formato)
    engine = request.app.state.engine
    with Session(engine) as session:
        errors, node, start, end = check_form(session, viewer.scope, form)
        if errors or node is None or start is None or end is None:
            return _page(request, session, viewer, form, errors, status=400)
    query = ExportQuery(conjunto, start, end, viewer.scope, node,
                        sensitive=can_read_sensitive(viewer))
    source = export_source(request.app)
    audit(engine, viewer, AUDIT_EXPORT, query, formato=formato, **source.audit_detail())
    batches = (batch for batch, _ in read_batches(source.engine, query, ordered=False))
    name = f"trato-digno-{conjunto}-{start.isoformat()}-{end.isoformat()}.{formato}"
    return StreamingResponse(chunks(formato, SCHEMAS[conjunto], batches),
                             media_type=MEDIA_TYPES[formato],
                             headers={"Content-Disposition": f'attachment; filename="{name}"',
                                      "Cache-Control": "no-store"})
