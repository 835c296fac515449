"""``/alertas``: the alerts of the viewer's branch, active and past, each with its history;
acknowledging one with a note; the branch's rules (``/alertas/reglas``), kept by an entitled
user. Rules and alerts are evaluated by :mod:`central.web.alert_eval`.

Who may acknowledge and keep rules: administrators, Nivel Central and the OOAD/UMAE
committees within their branch (:data:`ALERT_ROLES`); units and agents see the alerts of their
branch only. Every acknowledgement and every change of a rule writes an audit entry.
"""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, select

from central.db import utcnow, write_session
from central.models import Alert, AlertKind, AlertRule, AuditLog, OrgLevel, OrgNode, Role
from central.web.alert_eval import RULE_LEVELS, alert_row, describe, rule_text
from central.web.alert_forms import DEFAULTS, RuleEntry, parse_rule
from central.web.alert_monitor import alert_event
from central.web.auth import CurrentViewer, Viewer, check_csrf
from central.web.display import MX
from central.web.errors import WebError, not_found
from central.web.filters import Paging, day_range, page_number, within_days
from central.web.i18n import t
from central.web.nodes import (
    BoardNode,
    branch_options,
    node_filter,
    node_names,
    resolve_node,
)
from central.web.scope import get_scoped
from central.web.state import render
from central.web.tallies import MIN_GROUP

router = APIRouter()

ALERT_ROLES = frozenset({Role.ADMIN.value, Role.NACIONAL.value, Role.OOAD.value,
                         Role.UMAE.value})
PAST_SHOWN = 50
ACTIVE_SHOWN = 200
NOTE_MAX = 2000
AUDIT_ACK = "alert_acknowledge"
AUDIT_RULE = "alert_rule_save"


def entitled(viewer: Viewer) -> bool:
    return viewer.role in ALERT_ROLES


def _require_entitled(viewer: Viewer) -> None:
    if not entitled(viewer):
        raise WebError(403, "error.forbidden.title", "alerts.forbidden")


def _when(moment: Any) -> str:
    return moment.astimezone(MX).strftime("%d/%m/%Y %H:%M") if moment else "—"


def _listed(session: Session, alerts: list[Alert]) -> list[dict[str, Any]]:
    units = node_names(session, {a.unit_id for a in alerts})
    return [dict(alert_row(a), unit=units.get(a.unit_id, "—"), opened=_when(a.opened_at),
                 closed_at=_when(a.closed_at)) for a in alerts]


#: The state filter: sin atender (nobody acknowledged it yet) or atendida.
STATES = {"sin_atender": False, "atendida": True}


@dataclass
class AlertFilters:
    """What ``/alertas`` is narrowed to: the kind, the state, a branch inside the viewer's
    (an OOAD, UMAE or unit), the days it was raised on, and the page of the closed ones."""

    kind: str = ""
    state: str = ""
    branch: str = ""
    since: date | None = None
    until: date | None = None
    page: int = 1

    @property
    def narrowed(self) -> bool:
        return bool(self.kind or self.state or self.branch or self.since or self.until)

    def query(self, page: int = 1) -> str:
        values = {"tipo": self.kind, "estado": self.state, "rama": self.branch,
                  "desde": self.since.isoformat() if self.since else "",
                  "hasta": self.until.isoformat() if self.until else "",
                  "pagina": str(page) if page > 1 else ""}
        return urlencode({k: v for k, v in values.items() if v})


def parse_alert_filters(session: Session, viewer: Viewer, params: Any
                        ) -> tuple[AlertFilters, BoardNode | None, list[str]]:
    """The filters of the query string, the branch node they name (None: the viewer's
    whole branch) and the problems found (each in plain Spanish)."""
    problems: list[str] = []
    f = AlertFilters(kind=str(params.get("tipo", "")).strip()[:24],
                     state=str(params.get("estado", "")).strip()[:16],
                     branch=str(params.get("rama", "")).strip()[:40])
    if f.kind and f.kind not in {k.value for k in AlertKind}:
        problems.append(t("alerts.filter.bad_kind"))
    if f.state and f.state not in STATES:
        problems.append(t("alerts.filter.bad_state"))
    node = None
    if f.branch:
        # Unknown and out-of-branch answer alike: nothing is told about another branch.
        node = resolve_node(session, viewer.scope, f.branch)
        if node is None:
            problems.append(t("alerts.filter.bad_branch"))
    f.since, f.until = day_range(params, problems)
    f.page = page_number(params)
    return f, node, problems


def _where(viewer: Viewer, f: AlertFilters, node: BoardNode | None) -> list[Any]:
    clauses = [viewer.scope.where(Alert)]
    if node is not None:
        clauses.append(node_filter(Alert, node))
    if f.kind:
        clauses.append(Alert.kind == f.kind)
    if f.state:
        acknowledged = Alert.acknowledged_at.is_not(None)  # type: ignore[union-attr]
        clauses.append(acknowledged if STATES[f.state] else sa.not_(acknowledged))
    clauses += within_days(Alert.opened_at, f.since, f.until)
    return clauses


def _count(session: Session, where: list[Any]) -> int:
    return int(session.execute(select(sa.func.count()).select_from(Alert)
                               .where(*where)).scalar_one())


@router.get("/alertas", include_in_schema=False)
def alerts_page(request: Request, viewer: CurrentViewer) -> Response:
    with Session(request.app.state.engine) as session:
        f, node, problems = parse_alert_filters(session, viewer, request.query_params)
        where = _where(viewer, f, node) if not problems else [sa.false()]
        active_where = [*where, Alert.closed_at.is_(None)]  # type: ignore[union-attr]
        active = list(session.exec(
            select(Alert).where(*active_where)
            .order_by(Alert.acknowledged_at.is_not(None), Alert.opened_at.desc())  # type: ignore[union-attr]
            .limit(ACTIVE_SHOWN)))
        total = len(active) if len(active) < ACTIVE_SHOWN else _count(session, active_where)
        past_where = [*where, Alert.closed_at.is_not(None)]  # type: ignore[union-attr]
        past_total = _count(session, past_where)
        paging = Paging.of(past_total, f.page, PAST_SHOWN)
        past = list(session.exec(
            select(Alert).where(*past_where)
            .order_by(Alert.opened_at.desc(), Alert.id)  # type: ignore[attr-defined]
            .offset(paging.offset).limit(PAST_SHOWN)))
        context = {"active": _listed(session, active), "past": _listed(session, past),
                   "active_total": total, "past_total": past_total,
                   "f": f, "problems": problems,
                   "kinds": [k.value for k in AlertKind], "states": list(STATES),
                   "branches": branch_options(session, viewer.scope),
                   **paging.context(lambda n: f"/alertas?{f.query(n)}"),
                   "entitled": entitled(viewer), "section": "alerts"}
    return render(request, "alerts.html", context, status_code=400 if problems else 200,
                  headers={"Cache-Control": "no-store"})


# ---------------------------------------------------------------------------- rules


def _rule_nodes(session: Session, viewer: Viewer) -> list[tuple[str, str]]:
    """(id, name) of the nodes a rule of this viewer may watch: the branch's root and its
    OOADs and UMAEs; units too below Nivel Central."""
    levels = list(RULE_LEVELS if not viewer.scope.everything else RULE_LEVELS[:3])
    rows = session.exec(select(OrgNode).where(OrgNode.level.in_(levels),
                                              viewer.scope.where_node())).all()
    order = {level: i for i, level in enumerate(RULE_LEVELS)}
    rows = sorted(rows, key=lambda n: (order[n.level], n.name))
    return [(str(n.id), n.name) for n in rows]


def _rules(session: Session, viewer: Viewer) -> list[dict[str, Any]]:
    rows = session.exec(
        select(AlertRule, OrgNode.name).join(OrgNode, OrgNode.id == AlertRule.node_id)
        .where(viewer.scope.where_node()).order_by(OrgNode.name, AlertRule.kind)).all()
    return [{"id": str(r.id), "node": name, "kind": r.kind, "text": rule_text(r),
             "active": r.active, "notify": r.notify} for r, name in rows]


def _rules_page(request: Request, viewer: Viewer, entry: RuleEntry | None = None,
                rule_id: str | None = None, status: int = 200) -> Response:
    with Session(request.app.state.engine) as session:
        context = {"rules": _rules(session, viewer), "nodes": _rule_nodes(session, viewer),
                   "kinds": [k.value for k in AlertKind], "defaults": DEFAULTS,
                   "entry": entry or RuleEntry(), "rule_id": rule_id, "min_group": MIN_GROUP,
                   "errors": {k: t(key, **v) for k, (key, v) in
                              (entry.errors.items() if entry else [])},
                   "section": "alerts"}
    return render(request, "alert_rules.html", context, status_code=status,
                  headers={"Cache-Control": "no-store"})


@router.get("/alertas/reglas", include_in_schema=False)
def rules_page(request: Request, viewer: CurrentViewer, regla: str | None = None) -> Response:
    _require_entitled(viewer)
    if not regla:
        return _rules_page(request, viewer)
    with Session(request.app.state.engine) as session:
        rule = _scoped_rule(session, viewer, regla)
        entry = RuleEntry(kind=rule.kind, node_id=str(rule.node_id), threshold=rule.threshold,
                          min_responses=rule.min_responses, notify=rule.notify,
                          active=rule.active, threshold_text=f"{rule.threshold:g}",
                          minimum_text=str(rule.min_responses or MIN_GROUP))
    return _rules_page(request, viewer, entry, regla)


def _scoped_rule(session: Session, viewer: Viewer, rule_id: str) -> AlertRule:
    try:
        rule = session.get(AlertRule, uuid.UUID(rule_id))
    except ValueError:
        rule = None
    node = session.get(OrgNode, rule.node_id) if rule else None
    if rule is None or node is None or not viewer.scope.contains_node(node):
        raise not_found()
    return rule


@router.post("/alertas/reglas", include_in_schema=False)
async def save_rule(request: Request, viewer: CurrentViewer) -> Response:
    """Create a rule, or change one (``regla``: its id), then evaluate it at once."""
    form = await check_csrf(request, viewer)
    _require_entitled(viewer)
    rule_id = str(form.get("regla", "")).strip() or None
    entry = parse_rule(form)
    if rule_id is None:
        entry.active = True
    with write_session(request.app.state.engine) as session:
        rule = _scoped_rule(session, viewer, rule_id) if rule_id else None
        node = None
        if "nodo" not in entry.errors:
            try:
                node = session.get(OrgNode, uuid.UUID(entry.node_id))
            except ValueError:
                node = None
            if node is None or node.level not in RULE_LEVELS \
                    or not viewer.scope.contains_node(node):
                entry.errors["nodo"] = ("alerts.error.node", {})
        if entry.errors or node is None:
            session.rollback()
            return _rules_page(request, viewer, entry, rule_id, status=422)
        if rule is None:
            rule = AlertRule(node_id=node.id, kind=entry.kind, created_by=viewer.user.username)
        rule.node_id, rule.kind, rule.threshold = node.id, entry.kind, entry.threshold
        rule.min_responses = entry.min_responses if entry.kind == AlertKind.SATISFACTION else 0
        rule.notify, rule.active, rule.updated_at = entry.notify, entry.active, utcnow()
        session.add(rule)
        session.flush()
        session.add(AuditLog(user_id=viewer.id, username=viewer.user.username,
                             action=AUDIT_RULE, target_type="alert_rule",
                             target_id=str(rule.id),
                             detail={"kind": rule.kind, "node": str(node.id),
                                     "threshold": rule.threshold, "active": rule.active,
                                     "min_responses": rule.min_responses,
                                     "new": rule_id is None}))
        session.commit()
        saved = rule.id
    monitor = getattr(request.app.state, "alert_monitor", None)
    if monitor is not None:
        await monitor.run(rule_ids=[saved])
    return RedirectResponse("/alertas/reglas", status_code=303)


# ---------------------------------------------------------------------------- one alert


def _detail(request: Request, viewer: Viewer, alert_id: str, error: str = "",
            note: str = "", status: int = 200) -> Response:
    with Session(request.app.state.engine) as session:
        alert = get_scoped(session, Alert, alert_id, viewer.scope)
        rule = session.get(AlertRule, alert.rule_id)
        unit = session.get(OrgNode, alert.unit_id)
        context = {"a": alert, "row": alert_row(alert), "says": describe(alert.kind,
                                                                        alert.figures),
                   "rule": rule_text(rule) if rule else "—", "unit": unit.name if unit else "—",
                   "opened": _when(alert.opened_at), "closed": _when(alert.closed_at),
                   "acknowledged": _when(alert.acknowledged_at), "entitled": entitled(viewer),
                   "error": error, "note": note, "note_max": NOTE_MAX, "section": "alerts",
                   "board_node": alert.unit_id if unit and unit.level == OrgLevel.UNIT else None}
    return render(request, "alert_detail.html", context, status_code=status,
                  headers={"Cache-Control": "no-store"})


@router.get("/alertas/{alert_id}", include_in_schema=False)
def alert_page(request: Request, viewer: CurrentViewer, alert_id: str) -> Response:
    return _detail(request, viewer, alert_id)


@router.post("/alertas/{alert_id}/atender", include_in_schema=False)
async def acknowledge(request: Request, viewer: CurrentViewer, alert_id: str) -> Response:
    """Acknowledge with a required note (who, when and the note stay in the history)."""
    form = await check_csrf(request, viewer)
    note = str(form.get("nota", "")).strip()
    with write_session(request.app.state.engine) as session:
        alert = get_scoped(session, Alert, alert_id, viewer.scope)
        _require_entitled(viewer)
        if not note or len(note) > NOTE_MAX:
            session.rollback()
            key = "alerts.error.note" if not note else "alerts.error.note_long"
            return _detail(request, viewer, alert_id, t(key, n=NOTE_MAX), note[:NOTE_MAX], 422)
        if alert.acknowledged_at is not None:
            session.rollback()
            return _detail(request, viewer, alert_id, t("alerts.error.already"), status=409)
        alert.acknowledged_at = utcnow()
        alert.acknowledged_by = viewer.display_name[:150]
        alert.acknowledged_note = note
        session.add(alert)
        session.add(AuditLog(user_id=viewer.id, username=viewer.user.username,
                             action=AUDIT_ACK, target_type="alert", target_id=str(alert.id),
                             detail={"kind": alert.kind, "subject": alert.subject_label}))
        session.commit()
        event = alert_event(alert)
    await request.app.state.events.apublish(event)
    return RedirectResponse(f"/alertas/{alert_id}", status_code=303)
