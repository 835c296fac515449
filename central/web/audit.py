"""The audit log (``/auditoria``): who did what, filtered by user, action, date range and
target, a page at a time, within the viewer's branch for a branch administrator (each
entry's branch: :mod:`central.models.audit_branch`)."""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session, select

from central.models import AuditLog, Case, User
from central.services.user_admin import USER_ACTIONS
from central.web.auth import CurrentViewer, Viewer
from central.web.display import MX, display_folio
from central.web.errors import not_found
from central.web.filters import Paging, day_range, page_number, within_days
from central.web.i18n import has_key, t
from central.web.state import render
from trato.domain.folio import FolioError, parse_folio

router = APIRouter()

PAGE_SIZE = 50
#: The filter value that stands for every user-management action.
USERS_GROUP = "usuarios"
#: Detail keys shown on the page (never a password or a hash: none is ever written).
_SHOWN_KEYS = ("username", "result", "reason", "folio", "case_type", "channel", "rows", "new",
               "updated", "units", "display_name")


@dataclass
class Filters:
    user: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None
    target: str = ""
    page: int = 1

    def query(self, page: int) -> str:
        values = {"usuario": self.user, "accion": self.action, "objetivo": self.target,
                  "desde": self.since.isoformat() if self.since else "",
                  "hasta": self.until.isoformat() if self.until else "", "pagina": str(page)}
        return urlencode({k: v for k, v in values.items() if v})


def parse_filters(params: Any) -> tuple[Filters, list[str]]:
    """The filters of the query string, and the problems found in it (each in Spanish)."""
    problems: list[str] = []
    f = Filters(user=str(params.get("usuario", "")).strip()[:150],
                action=str(params.get("accion", "")).strip()[:64],
                target=str(params.get("objetivo", "")).strip()[:64])
    f.since, f.until = day_range(params, problems)
    f.page = page_number(params)
    return f, problems


def _target_ids(session: Session, text: str) -> list[str]:
    """What the target filter stands for: the id itself, a case by its folio, a user by
    their username."""
    ids = [text]
    try:
        compact = parse_folio(text).compact
    except FolioError:
        compact = ""
    if compact:
        ids += [str(i) for i in session.exec(select(Case.id).where(Case.folio == compact))]
    ids += [str(i) for i in session.exec(select(User.id).where(
        sa.func.lower(User.username) == text.lower()))]
    return ids


def _where(session: Session, viewer: Viewer, f: Filters) -> list[Any]:
    clauses = [viewer.scope.where(AuditLog)]
    if f.user:
        clauses.append(sa.func.lower(AuditLog.username) == f.user.lower())
    if f.action == USERS_GROUP:
        clauses.append(AuditLog.action.in_(USER_ACTIONS))  # type: ignore[attr-defined]
    elif f.action:
        clauses.append(AuditLog.action == f.action)
    clauses += within_days(AuditLog.at, f.since, f.until)
    if f.target:
        clauses.append(AuditLog.target_id.in_(_target_ids(session, f.target)))  # type: ignore[attr-defined]
    return clauses


def action_label(action: str) -> str:
    key = f"audit.action.{action}"
    return t(key) if has_key(key) else action


def _shown(field: str, value: Any) -> str:
    if field == "role":
        return t(f"users.role.{value}") if has_key(f"users.role.{value}") else str(value)
    if field == "active":
        return t("audit.yes") if value else t("audit.no")
    return str(value) if value else t("scope.nivel_central")


def _change(detail: dict[str, Any]) -> list[str]:
    """Before → after of a user change, one line per field that changed."""
    before, after = detail.get("before") or {}, detail.get("after") or {}
    lines = []
    for key in ("role", "scope", "active"):
        if key not in after or (key in before and before[key] == after[key]) or (
                key == "active" and not before):  # a new user is active: nothing to say
            continue
        old = f"{_shown(key, before[key])} → " if key in before else ""
        lines.append(f"{t('audit.field.' + key)}: {old}{_shown(key, after[key])}")
    return lines


def describe(detail: dict[str, Any], target_type: str = "") -> list[str]:
    lines = _change(detail)
    for key in _SHOWN_KEYS:
        if key == "username" and target_type == "user":
            continue  # the target column names the user already
        if key in detail and detail[key] not in ("", None):
            lines.append(f"{t('audit.field.' + key)}: {detail[key]}")
    return lines


def _rows(session: Session, rows: list[AuditLog]) -> list[dict[str, Any]]:
    case_ids = []
    for r in rows:
        if r.target_type == "case":
            try:
                case_ids.append(uuid.UUID(r.target_id))
            except ValueError:
                pass
    folios = {str(i): display_folio(f) for i, f in session.exec(
        select(Case.id, Case.folio).where(Case.id.in_(case_ids)))} if case_ids else {}  # type: ignore[attr-defined]
    out = []
    for r in rows:
        detail = r.detail or {}
        target = folios.get(r.target_id) or (detail.get("username") if r.target_type == "user"
                                             else "") or r.target_id
        out.append({"at": r.at.astimezone(MX).strftime("%d/%m/%Y %H:%M:%S"), "user": r.username,
                    "action": r.action, "action_label": action_label(r.action),
                    "target": target, "target_type": r.target_type,
                    "case_id": r.target_id if r.target_id in folios else "",
                    "detail": describe(detail, r.target_type)})
    return out


@router.get("/auditoria", include_in_schema=False)
def audit_page(request: Request, viewer: CurrentViewer) -> Response:
    if not viewer.is_admin:
        raise not_found()
    f, problems = parse_filters(request.query_params)
    with Session(request.app.state.engine) as session:
        where = _where(session, viewer, f) if not problems else [sa.false()]
        total = int(session.exec(select(sa.func.count()).select_from(AuditLog)
                                 .where(*where)).one())
        paging = Paging.of(total, f.page, PAGE_SIZE)
        found = session.exec(select(AuditLog).where(*where)
                             .order_by(AuditLog.at.desc(), AuditLog.id)  # type: ignore[attr-defined]
                             .offset(paging.offset).limit(PAGE_SIZE)).all()
        items = _rows(session, list(found))
        actions = sorted(session.exec(select(AuditLog.action).distinct()).all())
    return render(request, "audit.html", {
        "section": "audit", "rows": items, "f": f, "problems": problems, "total": total,
        "actions": [(a, action_label(a)) for a in actions], "users_group": USERS_GROUP,
        **paging.context(lambda n: f"/auditoria?{f.query(n)}"),
    }, status_code=400 if problems else 200)
