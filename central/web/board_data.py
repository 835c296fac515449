"""Figures of the board, computed for one node of the hierarchy inside a viewer's scope.

One function per panel (satisfaction, trend, drill-down, complaints by unit with their aging
and by service, high-impact cases, recognitions, certification, kiosk health); :func:`build_board`
composes them. Satisfaction and complaint counts come from the rollups through
:mod:`central.web.tallies` (a page costs the same with a month or ten years of history); the
lists of cases (high impact, recognitions) are read from the case table through partial
indexes. What the case pages and reports share with the board (the case clock, folios, nodes)
lives in :mod:`central.web.case_clock`, :mod:`central.web.display` and :mod:`central.web.nodes`.

Periods are local days (Mexico City): the index covers today and the
:data:`INDEX_DAYS` - 1 days before; the trend the last :data:`TREND_WEEKS` ISO weeks.

Small-number protection: a group with fewer than :data:`MIN_GROUP` rated responses shows
"Menos de 5 respuestas" instead of its figures (``suppressed``), and a sibling, a week or the
node itself is withheld too where the hidden one could otherwise be worked out by difference
(:mod:`central.web.protection`, the rule in :mod:`central.web.suppression`). Complaint counts
are counts of cases that committees must act on (the same viewer reads each case in the case
list) and are always shown. The index, its periods and the
rule are :mod:`trato.domain.satisfaction`, shared with the kiosk's own board.
"""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from central.models import (
    Case,
    Kiosk,
    KioskStatus,
    OrgLevel,
    OrgNode,
    RecognitionStatus,
    StaffMember,
)
from central.web.alert_eval import board_alerts
from central.web.case_clock import AGING_EDGES, deadline_clock
from central.web.charts import bar_chart, line_chart
from central.web.decisions import DecisionCache
from central.web.display import MX, display_folio, format_offset, service_name, today_mx
from central.web.i18n import t
from central.web.nodes import (
    CHILD_LEVEL,
    LEVEL_COLUMN,
    BoardNode,
    crumbs_for,
    node_filter,
    node_names,
)
from central.web.protection import CHILD_KEYS, children_rows, grid_of, node_row, withhold
from central.web.recognised_staff import staff_names
from central.web.scope import Scope
from central.web.suppression import WINDOW
from central.web.tallies import (
    EARLY,
    MIN_GROUP,
    Group,
    OpenComplaints,
    Period,
    by_node,
    fold,
    open_complaints,
    rated_groups,
    survey_periods,
)
from trato.domain.enums import CaseStage, CaseType

__all__ = ["MIN_GROUP", "Board", "Group", "build_board"]

KIOSK_STALE_HOURS = 24
KIOSKS_SHOWN = 20
HIGH_IMPACT_SHOWN = 10
#: A kiosk clock further off than this is flagged (requests are signed in server time).
CLOCK_WARN_SECONDS = 300


@dataclass
class Board:
    node: BoardNode
    crumbs: list[BoardNode]
    satisfaction: Group
    totals: dict[str, int]
    trend: list[tuple[str, Group]]
    child_kind: str | None
    children: list[dict[str, Any]]
    complaints_unit: list[dict[str, Any]]
    complaints_service: list[dict[str, Any]]
    high_impact: list[dict[str, Any]]  # the first HIGH_IMPACT_SHOWN
    high_impact_total: int
    recognitions: list[dict[str, Any]]
    certification: list[dict[str, Any]]
    kiosks: list[dict[str, Any]]
    generated_at: str
    aging_labels: list[str] = field(default_factory=list)
    alerts: dict[str, Any] = field(default_factory=dict)  # active alerts (central.web.alert_eval)
    #: The node's own hidden figures as its ancestors' tables decided them (``row``), over
    #: ``periods`` and its rated responses per period (``own``): what :func:`own_row` decides
    #: again when an ancestor has news (a sibling's batch may hide or show this node).
    row: frozenset[str] = frozenset()
    periods: dict[str, Period] = field(default_factory=dict)
    own: dict[str, int] = field(default_factory=dict)

    @property
    def kiosks_shown(self) -> list[dict[str, Any]]:
        """Kiosks that need attention first; the CSV export has them all."""
        rank = {"stale": 0, "never": 1, "clock": 2, "revoked": 3, "ok": 4}
        return sorted(self.kiosks, key=lambda k: rank.get(k["state"], 9))[:KIOSKS_SHOWN]

    @property
    def kiosk_summary(self) -> list[tuple[tuple[str, str], int]]:
        counts: dict[tuple[str, str], int] = {}
        for k in self.kiosks:
            key = (k["state"], k["state_class"])
            counts[key] = counts.get(key, 0) + 1
        order = ["ok", "stale", "never", "clock", "revoked"]
        return sorted(counts.items(), key=lambda i: order.index(i[0][0]))

    @property
    def trend_svg(self) -> Any:
        pts = [(label, g.index) for label, g in self.trend]
        return line_chart(pts, title=t("board.trend"))

    @property
    def aging_svg(self) -> Any:
        rows = [(r["name"], r["aging"]) for r in self.complaints_unit[:15]]
        return bar_chart(rows, title=t("board.complaints_unit"), series=self.aging_labels)


def build_board(session: Session, scope: Scope, node: BoardNode,
                decisions: DecisionCache | None = None) -> Board:
    """The board of ``node`` for ``scope`` (``decisions``: the hub's small-number tables)."""
    stamp = decisions.stamp(node) if decisions else -1  # before the node's grid is read
    now = datetime.now(UTC)
    today = today_mx()
    periods = survey_periods(today)
    child_kind = CHILD_LEVEL.get(node.kind)
    # One pass over the survey rollup: per child and period; the node's own figures are the
    # sum over its children (every response under a node is under one of its children).
    keys = CHILD_KEYS.get(child_kind or "", ())
    groups = rated_groups(session, scope, node, keys, periods)
    summary = fold(groups)
    window = Group()
    for g in summary.values():
        window.merge(g)
    # Small numbers (central.web.suppression): the node's window and weeks as its parent's
    # table decided them, then its children's under them.
    crumbs = crumbs_for(session, node, scope)
    # The window's days before the first week are not drawn but are the window minus the
    # weeks: they count as a shown figure (hidden under five, like any other).
    own = {name: g.n for name, g in summary.items()}
    row = node_row(session, scope, node, crumbs, periods, (), own, decisions)
    window.withheld = WINDOW in row
    withhold(summary, row)
    children = by_node(groups)
    below = children_rows(row, grid_of(groups), periods, cache=decisions, scope=scope,
                          node=node, stamp=stamp)
    withhold(children, [c for c in children if WINDOW in below.get(c, {WINDOW})])
    complaints = open_complaints(session, scope, node, today)
    child_rows = drill_down(session, scope, node, children, complaints)
    open_n, overdue_n = complaints.totals
    return Board(
        node=node, crumbs=crumbs,
        satisfaction=window,
        totals={"open": open_n, "overdue": overdue_n},
        trend=[(date.fromisoformat(name).strftime("%d/%m"), summary.get(name, Group()))
               for name in periods if name != EARLY],
        child_kind=("ooad" if child_kind == "ooad_umae" else child_kind), children=child_rows,
        complaints_unit=complaints_by_unit(session, complaints),
        complaints_service=complaints_by_service(complaints),
        high_impact=high_impact_cases(session, scope, node, today, HIGH_IMPACT_SHOWN),
        high_impact_total=high_impact_count(session, scope, node),
        recognitions=recognitions(session, scope, node),
        certification=certification(session, scope, node),
        kiosks=kiosk_health(session, scope, node, now),
        generated_at=datetime.now(MX).strftime("%H:%M:%S"),
        aging_labels=[t("aging.0"), t("aging.1"), t("aging.2"), t("aging.3")],
        alerts=board_alerts(session, scope, node),
        row=row, periods=periods, own=own,
    )


def own_row(session: Session, scope: Scope, board: Board,
            decisions: DecisionCache | None = None) -> frozenset[str]:
    """The board's node's hidden figures decided now, over the numbers its ancestors' tables
    hold now: the board stands while this equals ``board.row`` and its node has no news."""
    return node_row(session, scope, board.node, board.crumbs, board.periods, (), board.own,
                    decisions)


# ---------------------------------------------------------------------------- satisfaction


def drill_down(session: Session, scope: Scope, node: BoardNode, groups: dict[Any, Group],
               complaints: OpenComplaints) -> list[dict[str, Any]]:
    """The node's children with their satisfaction (``groups``: the index window by node id)
    and their open complaints."""
    child_kind = CHILD_LEVEL.get(node.kind)
    if not child_kind:
        return []
    if child_kind == "ooad_umae":
        levels = [OrgLevel.OOAD.value, OrgLevel.UMAE.value]
        child_rows = session.exec(
            select(OrgNode).where(OrgNode.level.in_(levels), scope.where_node())
            .order_by(OrgNode.level, OrgNode.name)
        ).all()
    else:
        child_rows = session.exec(
            select(OrgNode).where(OrgNode.parent_id == uuid.UUID(node.id),
                                  scope.where_node()).order_by(OrgNode.name)
        ).all()
    children = []
    for c in child_rows:
        g = groups.get(c.id, Group())
        open_n, overdue_n = complaints.count(
            complaints.under(LEVEL_COLUMN.get(c.level, "unit_id"), c.id))
        children.append({
            "id": str(c.id), "name": c.name, "kind": c.level,
            "active": bool(g.n or open_n),
            "n": g.n, "index": g.index, "suppressed": g.suppressed,
            "open": open_n, "overdue": overdue_n,
        })
    return children


# ---------------------------------------------------------------------------- complaints


def complaints_by_unit(session: Session, complaints: OpenComplaints) -> list[dict[str, Any]]:
    """Open complaints per unit by age (business days), most overdue first."""
    names = node_names(session, {r.unit_id for r in complaints.rows})
    by_unit: dict[Any, dict[str, Any]] = {}
    for r in complaints.rows:
        u = by_unit.setdefault(r.unit_id, {"id": str(r.unit_id),
                                           "name": names.get(r.unit_id, "—"),
                                           "aging": [0] * (len(AGING_EDGES) + 1),
                                           "open": 0, "overdue": 0})
        u["aging"] = [a + b for a, b in zip(u["aging"], r.aging, strict=True)]
        u["open"] += r.open
        u["overdue"] += r.overdue
    return sorted(by_unit.values(), key=lambda r: (-r["overdue"], -r["open"], r["name"]))


def complaints_by_service(complaints: OpenComplaints) -> list[dict[str, Any]]:
    rows = ({"code": code, "name": service_name(code), "open": n, "overdue": late, "total": n}
            for code, n, late in complaints.by_service)
    return sorted(rows, key=lambda r: (-r["open"], r["name"]))


_HIGH_IMPACT_COLUMNS = (Case.id, Case.folio, Case.unit_id, Case.stage, Case.completion_due,
                        Case.resolution_due)


def _high_impact(scope: Scope, node: BoardNode) -> list[Any]:
    """Open quejas flagged impacto institucional under the node (ix_case_open_impact)."""
    return [scope.where(Case), node_filter(Case, node),
            Case.impacto_institucional == sa.true(), Case.case_type == CaseType.QUEJA.value,
            Case.stage != CaseStage.CERRADO.value]


def high_impact_count(session: Session, scope: Scope, node: BoardNode) -> int:
    return int(session.exec(select(sa.func.count()).select_from(Case).where(
        *_high_impact(scope, node))).one())


def high_impact_cases(session: Session, scope: Scope, node: BoardNode, today: date,
                      limit: int | None = None) -> list[dict[str, Any]]:
    """Open complaints flagged impacto institucional, nearest resolution deadline first (all
    of them, or the first ``limit``)."""
    high = session.exec(
        select(*_HIGH_IMPACT_COLUMNS).where(*_high_impact(scope, node))
        .order_by(Case.resolution_due.asc().nulls_last(), Case.folio).limit(limit)
    ).all()
    names = node_names(session, {c.unit_id for c in high})
    out = []
    for c in high:
        _due, days_left, overdue, _near = deadline_clock(c.stage, c.completion_due,
                                                         c.resolution_due, today)
        out.append({"id": str(c.id), "folio": display_folio(c.folio),
                    "unit": names.get(c.unit_id, "—"), "stage": c.stage,
                    "days_left": days_left, "overdue": overdue})
    return out


# ---------------------------------------------------------------------------- people


_RECOGNITION_COLUMNS = (Case.recognised_person, Case.recognised_staff_id, Case.unit_id,
                        Case.received_at)


def recognitions(session: Session, scope: Scope, node: BoardNode) -> list[dict[str, Any]]:
    """The latest reconocimientos approved for the Muro del Trato Digno."""
    rows = session.exec(
        select(*_RECOGNITION_COLUMNS).where(
            scope.where(Case), node_filter(Case, node),
            Case.case_type == CaseType.RECONOCIMIENTO.value,
                           Case.publish_recognition == sa.true(),
                           Case.consent_given == sa.true(),
                           Case.recognition_status == RecognitionStatus.APPROVED.value)
        .order_by(Case.received_at.desc()).limit(10)
    ).all()
    names = node_names(session, {c.unit_id for c in rows})
    # The roster's name when the reconocimiento was tied to a staff member (as the wall and
    # the Muro page show it), else what the person wrote.
    staff = staff_names(session, {c.recognised_staff_id for c in rows})
    return [
        {"person": staff.get(c.recognised_staff_id) or c.recognised_person or t("wall.area"),
         "unit": names.get(c.unit_id, "—"),
         "date": c.received_at.astimezone(MX).strftime("%d/%m/%Y")}
        for c in rows
    ]


def certification(session: Session, scope: Scope, node: BoardNode, day: date | None = None
                  ) -> list[dict[str, Any]]:
    """Active module staff per unit and how many hold a Buen Trato certification valid on
    ``day`` (today by default: obtained on or before it, expiring on or after it or never;
    the roster of ``/personal``), least certified first."""
    day = day or today_mx()
    staff_where = scope.where_unit_id(StaffMember.unit_id)
    if node.kind != OrgLevel.NIVEL_CENTRAL.value and node.id:
        if node.kind == OrgLevel.MODULE.value:
            staff_node = StaffMember.module_id == uuid.UUID(node.id)
        else:
            node_units = select(OrgNode.id).where(
                sa.or_(OrgNode.id == uuid.UUID(node.id),
                       getattr(OrgNode, LEVEL_COLUMN[node.kind]) == uuid.UUID(node.id)),
                OrgNode.level == OrgLevel.UNIT.value)
            staff_node = StaffMember.unit_id.in_(node_units)
    else:
        staff_node = sa.true()
    rows = session.exec(
        select(StaffMember.unit_id, sa.func.count(),
               sa.func.sum(sa.case((_certified_on(day), 1), else_=0)))
        .where(staff_where, staff_node, StaffMember.active == sa.true())
        .group_by(StaffMember.unit_id)
    ).all()
    names = node_names(session, {r[0] for r in rows})
    return sorted(
        ({"name": names.get(u, "—"), "total": int(n), "certified": int(k or 0),
          "share": 100.0 * int(k or 0) / int(n) if n else None} for u, n, k in rows),
        key=lambda r: (r["share"] if r["share"] is not None else 0, r["name"]),
    )


def _certified_on(day: date) -> Any:
    """Members whose certification is valid on ``day`` (one without a date counts as
    certified from always, as rosters imported before the date was kept)."""
    return sa.and_(StaffMember.certified_buen_trato == sa.true(),
                   sa.or_(StaffMember.certified_at.is_(None), StaffMember.certified_at <= day),
                   sa.or_(StaffMember.certified_until.is_(None),
                          StaffMember.certified_until >= day))


# ---------------------------------------------------------------------------- kiosks


_KIOSK_COLUMNS = (Kiosk.unit_id, Kiosk.status, Kiosk.last_sync_at, Kiosk.clock_offset_seconds,
                  Kiosk.hostname, Kiosk.kiosk_number, Kiosk.app_version, Kiosk.backlog)


def kiosk_health(session: Session, scope: Scope, node: BoardNode, now: datetime
                 ) -> list[dict[str, Any]]:
    rows = session.exec(
        select(*_KIOSK_COLUMNS).where(scope.where(Kiosk), node_filter(Kiosk, node),
                                      Kiosk.status != KioskStatus.DESK.value)
        .order_by(Kiosk.last_sync_at.desc())
    ).all()
    names = node_names(session, {k.unit_id for k in rows})
    return [kiosk_row(k, names.get(k.unit_id, "—"), now) for k in rows]


def kiosk_row(k: Any, unit_name: str, now: datetime) -> dict[str, Any]:
    if k.status == KioskStatus.REVOKED.value:
        state, cls = "revoked", "red"
    elif k.last_sync_at is None:
        state, cls = "never", "orange"
    elif now - k.last_sync_at > timedelta(hours=KIOSK_STALE_HOURS):
        state, cls = "stale", "orange"
    elif k.clock_offset_seconds is not None and abs(k.clock_offset_seconds) > CLOCK_WARN_SECONDS:
        state, cls = "clock", "orange"
    else:
        state, cls = "ok", "green"
    return {
        "name": k.hostname or f"#{k.kiosk_number}",
        "unit": unit_name,
        "last_sync": k.last_sync_at.astimezone(MX).strftime("%d/%m/%Y %H:%M")
        if k.last_sync_at else t("kiosk.never"),
        "version": k.app_version or "—",
        "offset": format_offset(k.clock_offset_seconds),
        "backlog": k.backlog,
        "state": state,
        "state_class": cls,
    }
