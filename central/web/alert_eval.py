"""The alert rules evaluated: what holds now for each rule, and the alerts that follow from it.

:func:`evaluate` runs every rule over its branch (the periodic check) or only over the units
where data just arrived (``units``: the ingest's and the case pages' events). For each rule
and each *domain* (the rule's node, or one unit of its branch) it finds the subjects for
which the condition holds, then reconciles: an active alert whose subject no longer holds is
closed, a subject without one gets a new alert (the partial unique index ``uq_alert_active``
makes a second process's identical insert a no-op). So an alert is raised once per (rule,
subject) while its condition holds and closes itself when it clears; an acknowledgement is
recorded on it and does not close it (docs/operations.md, "Alertas").

Every finder reads indexed rows whose number follows the branch and the window, never the
history: the survey rollups over the index window (:mod:`central.web.tallies`), the open
quejas of the case rollup, the open high-impact cases (``ix_case_open_impact``), the kiosks.

The small-number rule (docs/small-numbers.md): a satisfaction alert needs at least
``max(N, MIN_GROUP)`` rated responses; fewer never raise one. Nor does a unit whose index the
board withholds ("Reservado", to protect a small sibling) for any viewer who may read the
alert (from Nivel Central, from its OOAD or UMAE): saying it is below a threshold would bound
the hidden figure, and rules with several thresholds would give it away. The alert never
carries the index; its text and its mail state the rule (``alerts.small_n``).
"""

import logging
import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from central.db import local_day
from central.models import (
    Alert,
    AlertKind,
    AlertMail,
    AlertRule,
    Case,
    Kiosk,
    KioskStatus,
    OrgLevel,
    OrgNode,
)
from central.models.records import OPEN_IMPACT_CASE
from central.web.decisions import DecisionCache
from central.web.display import display_folio
from central.web.i18n import t
from central.web.nodes import LEVEL_COLUMN, BoardNode, crumbs_for, node_filter
from central.web.protection import node_row
from central.web.scope import Scope
from central.web.suppression import WINDOW
from central.web.tallies import MIN_GROUP, open_complaints, rated_groups, survey_periods
from trato.domain.satisfaction import INDEX_DAYS

log = logging.getLogger(__name__)
EVERYTHING = Scope(None, None)
#: The levels a rule may watch.
RULE_LEVELS = (OrgLevel.NIVEL_CENTRAL.value, OrgLevel.OOAD.value, OrgLevel.UMAE.value,
               OrgLevel.UNIT.value)


@dataclass
class Finding:
    """A subject for which a rule's condition holds, with its branch and its figures."""

    subject_type: str
    subject_id: uuid.UUID
    label: str
    unit_id: uuid.UUID
    module_id: uuid.UUID | None
    ooad_id: uuid.UUID | None
    umae_id: uuid.UUID | None
    figures: dict[str, Any]


@dataclass
class Outcome:
    opened: list[Alert] = field(default_factory=list)
    closed: list[Alert] = field(default_factory=list)

    @property
    def changed(self) -> list[Alert]:
        return [*self.opened, *self.closed]


def board_node(row: OrgNode) -> BoardNode:
    return BoardNode(str(row.id), row.name, row.level, row)


def branch_scope(row: OrgNode) -> Scope:
    """The rows under the node ``row`` as a scope (everything for Nivel Central)."""
    column = LEVEL_COLUMN.get(row.level)
    return Scope(column, row.id) if column else EVERYTHING


# ---------------------------------------------------------------------------- finders


def _units(session: Session, ids: Collection[Any]) -> dict[Any, OrgNode]:
    if not ids:
        return {}
    return {u.id: u for u in session.exec(select(OrgNode).where(OrgNode.id.in_(list(ids))))}


def _unit_finding(unit: OrgNode, figures: dict[str, Any]) -> Finding:
    return Finding("unit", unit.id, unit.name, unit.id, None, unit.ooad_id, unit.umae_id,
                   figures)


def find_satisfaction(session: Session, rule: AlertRule, domain: BoardNode, now: datetime
                      ) -> list[Finding]:
    """Units whose satisfaction index over the board's window is below the threshold, with
    at least ``max(N, MIN_GROUP)`` rated responses."""
    today = local_day(now)
    window = {"w": (today - timedelta(days=INDEX_DAYS - 1), today + timedelta(days=1))}
    groups = rated_groups(session, EVERYTHING, domain, ("unit_id",), window)
    minimum = max(rule.min_responses, MIN_GROUP)
    low = {key[0]: g["w"] for key, g in groups.items()
           if g["w"].n >= minimum and g["w"].index is not None
           and g["w"].index < rule.threshold}
    units = _units(session, low)
    # One evaluation reads one state of the rollups: its ancestors' tables are read once.
    tables = DecisionCache(lambda _node: 0)
    # The index itself is not kept nor shown, and a unit whose index the board withholds to
    # protect a small sibling raises nothing (docs/small-numbers.md): the alert says only
    # that a shown index is below the threshold.
    return [_unit_finding(units[u], {"threshold": _threshold(rule), "responses": g.n})
            for u, g in low.items()
            if u in units and not reserved(session, units[u], today, tables)]


def reserved(session: Session, unit: OrgNode, today: Any,
             tables: DecisionCache | None = None) -> bool:
    """Whether the board withholds the unit's index over its window for a viewer who may
    read an alert about it: from Nivel Central or from the unit's OOAD or UMAE, decided as
    the board decides it (:func:`central.web.protection.node_row`; the unit's own root shows
    a window of five or more). ``tables``: the ancestors' tables kept across the units of one
    evaluation."""
    periods = survey_periods(today)
    target = board_node(unit)
    roots = [EVERYTHING, *(Scope(column, getattr(unit, column)) for column in
                           ("ooad_id", "umae_id") if getattr(unit, column, None))]
    return any(WINDOW in node_row(session, scope, target, crumbs_for(session, target, scope),
                                  periods, (), {}, tables)
               for scope in roots)


def find_overdue(session: Session, rule: AlertRule, domain: BoardNode, now: datetime
                 ) -> list[Finding]:
    """Units with more overdue quejas than the threshold (the case rollup's open rows)."""
    complaints = open_complaints(session, EVERYTHING, domain, local_day(now))
    per_unit: dict[Any, list[int]] = {}
    for r in complaints.rows:
        counts = per_unit.setdefault(r.unit_id, [0, 0])
        counts[0] += r.open
        counts[1] += r.overdue
    late = {u: c for u, c in per_unit.items() if c[1] > rule.threshold}
    units = _units(session, late)
    return [_unit_finding(units[u], {"overdue": c[1], "open": c[0]})
            for u, c in late.items() if u in units]


def find_high_impact(session: Session, rule: AlertRule, domain: BoardNode, now: datetime
                     ) -> list[Finding]:
    """Open quejas flagged impacto institucional (through ``ix_case_open_impact``)."""
    rows = session.execute(
        select(Case.id, Case.folio, Case.unit_id, Case.module_id, Case.ooad_id, Case.umae_id,
               Case.stage)
        .where(sa.text(OPEN_IMPACT_CASE), node_filter(Case, domain))
    ).all()
    return [Finding("case", r.id, display_folio(r.folio), r.unit_id, r.module_id, r.ooad_id,
                    r.umae_id, {"folio": display_folio(r.folio), "stage": r.stage})
            for r in rows]


_KIOSK_COLUMNS = (Kiosk.id, Kiosk.hostname, Kiosk.kiosk_number, Kiosk.unit_id, Kiosk.module_id,
                  Kiosk.ooad_id, Kiosk.umae_id, Kiosk.last_sync_at, Kiosk.enrolled_at,
                  Kiosk.clock_offset_seconds)


def _kiosks(session: Session, domain: BoardNode, *where: Any) -> list[Any]:
    """Enrolled kiosks under the domain: revoked ones and the desks' pseudo-kiosks (status
    ``desk``, central.services.desk) are never watched."""
    return list(session.execute(
        select(*_KIOSK_COLUMNS).where(node_filter(Kiosk, domain),
                                      Kiosk.status == KioskStatus.ENROLLED.value, *where)
    ).all())


def _kiosk_finding(k: Any, figures: dict[str, Any]) -> Finding:
    return Finding("kiosk", k.id, k.hostname or f"#{k.kiosk_number}", k.unit_id, k.module_id,
                   k.ooad_id, k.umae_id, figures)


def find_kiosk_silent(session: Session, rule: AlertRule, domain: BoardNode, now: datetime
                      ) -> list[Finding]:
    """Kiosks not heard from (or never, since enrolment) for more than the threshold hours."""
    limit = now - timedelta(hours=rule.threshold)
    heard = sa.func.coalesce(Kiosk.last_sync_at, Kiosk.enrolled_at)
    return [_kiosk_finding(k, {"hours": int((now - (k.last_sync_at or k.enrolled_at))
                                            .total_seconds() // 3600)})
            for k in _kiosks(session, domain, heard < limit)]


def find_kiosk_clock(session: Session, rule: AlertRule, domain: BoardNode, now: datetime
                     ) -> list[Finding]:
    """Kiosks whose clock was off by more than the threshold seconds at their last push (the
    batch's sent-at against the server's time, kept by the push as clock_offset_seconds)."""
    off = sa.func.abs(Kiosk.clock_offset_seconds) > rule.threshold
    return [_kiosk_finding(k, {"offset_seconds": round(k.clock_offset_seconds)})
            for k in _kiosks(session, domain, Kiosk.clock_offset_seconds.is_not(None), off)]


Finder = Callable[[Session, AlertRule, BoardNode, datetime], list[Finding]]
FINDERS: dict[str, Finder] = {
    AlertKind.SATISFACTION.value: find_satisfaction,
    AlertKind.OVERDUE.value: find_overdue,
    AlertKind.HIGH_IMPACT.value: find_high_impact,
    AlertKind.KIOSK_SILENT.value: find_kiosk_silent,
    AlertKind.KIOSK_CLOCK.value: find_kiosk_clock,
}


# ---------------------------------------------------------------------------- reconcile


def reconcile(session: Session, rule: AlertRule, domain: BoardNode, findings: list[Finding],
              now: datetime, outcome: Outcome, mail_to: str = "") -> None:
    """Close the rule's active alerts under ``domain`` that no longer hold; raise the new."""
    active = {a.subject_id: a for a in session.exec(
        select(Alert).where(Alert.rule_id == rule.id, Alert.closed_at.is_(None),
                            node_filter(Alert, domain)))}
    holding = {f.subject_id: f for f in findings}
    for subject, alert in active.items():
        if subject not in holding:
            alert.closed_at = now
            session.add(alert)
            outcome.closed.append(alert)
    for subject, f in holding.items():
        if subject in active:
            continue
        alert = Alert(rule_id=rule.id, kind=rule.kind, subject_type=f.subject_type,
                      subject_id=f.subject_id, subject_label=f.label[:200], unit_id=f.unit_id,
                      module_id=f.module_id, ooad_id=f.ooad_id, umae_id=f.umae_id,
                      figures=f.figures, opened_at=now)
        try:
            with session.begin_nested():
                session.add(alert)
                session.flush()
        except IntegrityError:  # another process raised it a moment ago
            continue
        outcome.opened.append(alert)
        if mail_to and rule.notify:
            session.add(alert_mail(alert, rule, mail_to))


def evaluate(session: Session, now: datetime, *, units: Collection[uuid.UUID] | None = None,
             rule_ids: Collection[uuid.UUID] | None = None, mail_to: str = "") -> Outcome:
    """Every rule (or ``rule_ids``) over its branch, or over the ``units`` of its branch
    only. ``mail_to``: the base address of the alert pages when mails are to be sent (an SMTP
    server is configured). The caller commits."""
    outcome = Outcome()
    stmt = select(AlertRule)
    if rule_ids is not None:
        stmt = stmt.where(AlertRule.id.in_(list(rule_ids)))
    rules = list(session.exec(stmt))
    nodes = _units(session, {r.node_id for r in rules} | set(units or ()))
    for rule in rules:
        root = nodes.get(rule.node_id)
        if root is None or rule.kind not in FINDERS:
            continue
        if units is None:
            domains = [board_node(root)]
        else:
            inside = branch_scope(root)
            domains = [board_node(nodes[u]) for u in units
                       if u in nodes and nodes[u].level == OrgLevel.UNIT.value
                       and inside.contains_node(nodes[u])]
        for domain in domains:
            findings = FINDERS[rule.kind](session, rule, domain, now) if rule.active else []
            reconcile(session, rule, domain, findings, now, outcome, mail_to)
    return outcome


# ---------------------------------------------------------------------------- wording


def describe(kind: str, figures: dict[str, Any]) -> str:
    """What an alert says, in Spanish, from its figures (never personal data)."""
    return t(f"alerts.says.{kind}", **{k: _figure(v) for k, v in figures.items()})


def _figure(value: Any) -> Any:
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return value


def rule_text(rule: AlertRule) -> str:
    """The rule's condition in Spanish."""
    return t(f"alerts.rule.{rule.kind}", threshold=_figure(_threshold(rule)),
             minimum=_figure(max(rule.min_responses, MIN_GROUP)))


def _threshold(rule: AlertRule) -> float | int:
    return int(rule.threshold) if float(rule.threshold).is_integer() else rule.threshold


def alert_mail(alert: Alert, rule: AlertRule, base_url: str) -> AlertMail:
    """The mail of a new alert: the rule, the subject, the figures and a link; nothing else."""
    subject = t("alerts.mail.subject", kind=t(f"alerts.kind.{alert.kind}"),
                subject=alert.subject_label)
    body = "\n".join([
        t("alerts.mail.intro"), "",
        f"{t('alerts.col.rule')}: {rule_text(rule)}",
        f"{t('alerts.col.subject')}: {alert.subject_label}",
        f"{t('alerts.col.figures')}: {describe(alert.kind, alert.figures)}",
        *([t("alerts.small_n")] if alert.kind == AlertKind.SATISFACTION.value else []), "",
        f"{base_url.rstrip('/')}/alertas/{alert.id}",
    ])
    return AlertMail(alert_id=alert.id, recipients=rule.notify, subject=subject[:200],
                     body=body[:4000])


# ---------------------------------------------------------------------------- board


BOARD_ALERTS = 8


def active_alerts(session: Session, scope: Scope, node: BoardNode, limit: int | None = None
                  ) -> list[Alert]:
    """The active alerts under ``node`` inside ``scope``, those not yet acknowledged first,
    newest first (through the partial indexes of active alerts)."""
    return list(session.exec(
        select(Alert).where(Alert.closed_at.is_(None), scope.where(Alert),
                            node_filter(Alert, node))
        .order_by(Alert.acknowledged_at.is_not(None), Alert.opened_at.desc()).limit(limit)))


def board_alerts(session: Session, scope: Scope, node: BoardNode) -> dict[str, Any]:
    """The board's alerts block: the first active alerts and how many there are."""
    shown = active_alerts(session, scope, node, BOARD_ALERTS)
    total = len(shown)
    if total == BOARD_ALERTS:
        total = int(session.execute(
            select(sa.func.count()).select_from(Alert).where(
                Alert.closed_at.is_(None), scope.where(Alert), node_filter(Alert, node))
        ).scalar_one())
    return {"shown": [alert_row(a) for a in shown], "total": total}


def alert_row(a: Alert) -> dict[str, Any]:
    return {"id": str(a.id), "kind": a.kind, "subject": a.subject_label,
            "says": describe(a.kind, a.figures), "opened_at": a.opened_at,
            "acknowledged": a.acknowledged_at is not None, "closed": a.closed_at is not None}
