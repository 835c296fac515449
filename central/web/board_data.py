"""Figures of the board, computed for one node of the hierarchy inside a viewer's scope.

One function per panel (satisfaction, trend, drill-down, complaints by unit with their aging and
by service, high-impact cases, recognitions, certification, kiosk health); :func:`build_board`
composes them. What the case pages and reports share with the board (the case clock, folios,
nodes) lives in :mod:`central.web.case_clock`, :mod:`central.web.display` and
:mod:`central.web.nodes`.

Small-number protection: a group with fewer than :data:`MIN_GROUP` rated responses shows
"Menos de 5 respuestas" instead of its figures (``suppressed``). The index and the rule are
:mod:`trato.domain.satisfaction`, shared with the kiosk's own board. Complaint counts are counts
of cases that committees must act on and are always shown.
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
    SurveyResponse,
)
from central.web.case_clock import AGING_EDGES, aging_bucket, case_clock
from central.web.charts import bar_chart, line_chart
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
from central.web.scope import Scope
from trato.domain.enums import CaseStage, CaseType
from trato.domain.satisfaction import GOOD_RATING_MIN, INDEX_DAYS, trend_weeks
from trato.domain.satisfaction import MIN_GROUP as MIN_GROUP
from trato.domain.satisfaction import RatingGroup as Group

KIOSK_STALE_HOURS = 24
KIOSKS_SHOWN = 20
#: A kiosk clock further off than this is flagged (requests are signed in server time).
CLOCK_WARN_SECONDS = 300
_OPEN_CASE_COLUMNS = (
    Case.id, Case.folio, Case.unit_id, Case.ooad_id, Case.umae_id, Case.module_id,
    Case.service_code, Case.stage, Case.received_at, Case.completion_due, Case.resolution_due,
    Case.impacto_institucional,
)


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
    high_impact: list[dict[str, Any]]
    recognitions: list[dict[str, Any]]
    certification: list[dict[str, Any]]
    kiosks: list[dict[str, Any]]
    generated_at: str
    aging_labels: list[str] = field(default_factory=list)

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


@dataclass
class OpenComplaints:
    """The open quejas under the node (only the columns the figures need, not the case text:
    fast at national scale) and each one's business-day clock."""

    cases: list[Any]
    clocks: dict[uuid.UUID, dict[str, Any]]
    by_branch: dict[tuple[str, Any], list[Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for c in self.cases:
            for column in LEVEL_COLUMN.values():
                self.by_branch.setdefault((column, getattr(c, column)), []).append(c)

    def under(self, column: str, node_id: Any) -> list[Any]:
        """The open complaints whose ``column`` (a branch column) is ``node_id``."""
        return self.by_branch.get((column, node_id), [])

    def overdue(self, cases: list[Any] | None = None) -> int:
        return sum(1 for c in (self.cases if cases is None else cases)
                   if self.clocks[c.id]["overdue"])


def build_board(session: Session, scope: Scope, node: BoardNode) -> Board:
    now = datetime.now(UTC)
    today = today_mx()
    since = now - timedelta(days=INDEX_DAYS)
    sr_where = sa.and_(scope.where(SurveyResponse), node_filter(SurveyResponse, node))
    case_where = sa.and_(scope.where(Case), node_filter(Case, node))
    complaints = open_complaints(session, case_where, today)
    child_kind, children = drill_down(session, scope, node, sr_where, since, complaints)
    return Board(
        node=node, crumbs=crumbs_for(session, node, scope),
        satisfaction=rating_groups(session, sr_where, None, since).get(0, Group()),
        totals={"open": len(complaints.cases), "overdue": complaints.overdue()},
        trend=satisfaction_trend(session, sr_where, today),
        child_kind=child_kind, children=children,
        complaints_unit=complaints_by_unit(session, complaints),
        complaints_service=complaints_by_service(complaints),
        high_impact=high_impact_cases(session, complaints),
        recognitions=recognitions(session, case_where),
        certification=certification(session, scope, node),
        kiosks=kiosk_health(session, scope, node, now),
        generated_at=datetime.now(MX).strftime("%H:%M:%S"),
        aging_labels=[t("aging.0"), t("aging.1"), t("aging.2"), t("aging.3")],
    )


# ---------------------------------------------------------------------------- satisfaction


def rating_groups(session: Session, where: Any, column: Any | None, since: datetime
                  ) -> dict[Any, Group]:
    """Rated responses (misuse left out) since ``since``, grouped by ``column`` (one group
    under key 0 when None)."""
    cols = [
        sa.func.count(SurveyResponse.rating),
        sa.func.sum(sa.case((SurveyResponse.rating >= GOOD_RATING_MIN, 1), else_=0)),
        sa.func.sum(SurveyResponse.rating),
    ]
    key = column if column is not None else sa.literal(0)
    stmt = (
        select(key, *cols)
        .where(where, SurveyResponse.rating.is_not(None),
               SurveyResponse.probable_misuse == sa.false(),
               SurveyResponse.received_at >= since)
        .group_by(key)
    )
    out: dict[Any, Group] = {}
    for k, n, good, total in session.exec(stmt).all():
        out[k] = Group(int(n or 0), int(good or 0), int(total or 0))
    return out


def satisfaction_trend(session: Session, sr_where: Any, today: date
                       ) -> list[tuple[str, Group]]:
    """The satisfaction index week by week (ISO weeks, Mexico City time)."""
    weeks: dict[date, Group] = {monday: Group() for monday in trend_weeks(today)}
    week0 = min(weeks)
    trend_since = datetime(week0.year, week0.month, week0.day, tzinfo=MX)
    rows = session.exec(
        select(SurveyResponse.received_at, SurveyResponse.rating).where(
            sr_where, SurveyResponse.rating.is_not(None),
            SurveyResponse.probable_misuse == sa.false(),
            SurveyResponse.received_at >= trend_since,
        )
    ).all()
    for received_at, rating in rows:
        d = received_at.astimezone(MX).date()
        g = weeks.get(d - timedelta(days=d.weekday()))
        if g is not None:
            g.add(rating)
    return [(w.strftime("%d/%m"), g) for w, g in sorted(weeks.items())]


def drill_down(session: Session, scope: Scope, node: BoardNode, sr_where: Any,
               since: datetime, complaints: OpenComplaints
               ) -> tuple[str | None, list[dict[str, Any]]]:
    """The node's children with their satisfaction and open complaints; (their level, rows)."""
    child_kind = CHILD_LEVEL.get(node.kind)
    if not child_kind:
        return None, []
    if child_kind == "ooad_umae":
        levels = [OrgLevel.OOAD.value, OrgLevel.UMAE.value]
        child_rows = session.exec(
            select(OrgNode).where(OrgNode.level.in_(levels), scope.where_node())
            .order_by(OrgNode.level, OrgNode.name)
        ).all()
        groups = rating_groups(session, sr_where, SurveyResponse.ooad_id, since)
        groups.update(rating_groups(session, sr_where, SurveyResponse.umae_id, since))
    else:
        child_rows = session.exec(
            select(OrgNode).where(OrgNode.parent_id == uuid.UUID(node.id),
                                  scope.where_node()).order_by(OrgNode.name)
        ).all()
        col = SurveyResponse.unit_id if child_kind == OrgLevel.UNIT.value else \
            SurveyResponse.module_id
        groups = rating_groups(session, sr_where, col, since)
    children = []
    for c in child_rows:
        g = groups.get(c.id, Group())
        mine = complaints.under(LEVEL_COLUMN.get(c.level, "unit_id"), c.id)
        children.append({
            "id": str(c.id), "name": c.name, "kind": c.level,
            "active": bool(g.n or mine),
            "n": g.n, "index": g.index, "suppressed": g.suppressed,
            "open": len(mine), "overdue": complaints.overdue(mine),
        })
    return ("ooad" if child_kind == "ooad_umae" else child_kind), children


# ---------------------------------------------------------------------------- complaints


def open_complaints(session: Session, case_where: Any, today: date) -> OpenComplaints:
    cases = list(session.exec(
        select(*_OPEN_CASE_COLUMNS).where(case_where, Case.case_type == CaseType.QUEJA.value,
                                          Case.stage != CaseStage.CERRADO.value)
    ).all())
    return OpenComplaints(cases, {c.id: case_clock(c, today) for c in cases})


def complaints_by_unit(session: Session, complaints: OpenComplaints) -> list[dict[str, Any]]:
    """Open complaints per unit by age (business days), most overdue first."""
    names = node_names(session, {c.unit_id for c in complaints.cases})
    by_unit: dict[Any, dict[str, Any]] = {}
    for c in complaints.cases:
        clock = complaints.clocks[c.id]
        r = by_unit.setdefault(c.unit_id, {"id": str(c.unit_id), "name": names.get(c.unit_id, "—"),
                                           "aging": [0] * (len(AGING_EDGES) + 1),
                                           "open": 0, "overdue": 0})
        r["aging"][aging_bucket(clock["age"])] += 1
        r["open"] += 1
        r["overdue"] += 1 if clock["overdue"] else 0
    return sorted(by_unit.values(), key=lambda r: (-r["overdue"], -r["open"], r["name"]))


def complaints_by_service(complaints: OpenComplaints) -> list[dict[str, Any]]:
    by_service: dict[str, dict[str, Any]] = {}
    for c in complaints.cases:
        code = c.service_code or ""
        s = by_service.setdefault(code, {"code": code, "name": service_name(code), "open": 0,
                                         "overdue": 0, "total": 0})
        s["open"] += 1
        s["total"] += 1
        s["overdue"] += 1 if complaints.clocks[c.id]["overdue"] else 0
    return sorted(by_service.values(), key=lambda r: (-r["open"], r["name"]))


def high_impact_cases(session: Session, complaints: OpenComplaints) -> list[dict[str, Any]]:
    """Open complaints flagged impacto institucional, nearest resolution deadline first."""
    high = [c for c in complaints.cases if c.impacto_institucional]
    names = node_names(session, {c.unit_id for c in high})
    return [
        {"id": str(c.id), "folio": display_folio(c.folio), "unit": names.get(c.unit_id, "—"),
         "stage": c.stage, "days_left": complaints.clocks[c.id]["days_left"],
         "overdue": complaints.clocks[c.id]["overdue"]}
        for c in sorted(high, key=lambda c: (c.resolution_due or date.max))
    ]


# ---------------------------------------------------------------------------- people


def recognitions(session: Session, case_where: Any) -> list[dict[str, Any]]:
    """The latest reconocimientos approved for the Muro del Trato Digno."""
    rows = session.exec(
        select(Case).where(case_where, Case.case_type == CaseType.RECONOCIMIENTO.value,
                           Case.publish_recognition == sa.true(),
                           Case.consent_given == sa.true(),
                           Case.recognition_status == RecognitionStatus.APPROVED.value)
        .order_by(Case.received_at.desc()).limit(10)
    ).all()
    names = node_names(session, {c.unit_id for c in rows})
    return [
        {"person": c.recognised_person or t("wall.area"), "unit": names.get(c.unit_id, "—"),
         "date": c.received_at.astimezone(MX).strftime("%d/%m/%Y")}
        for c in rows
    ]


def certification(session: Session, scope: Scope, node: BoardNode) -> list[dict[str, Any]]:
    """Active module staff per unit and their Buen Trato certification, least certified first."""
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
               sa.func.sum(sa.case((StaffMember.certified_buen_trato == sa.true(), 1), else_=0)))
        .where(staff_where, staff_node, StaffMember.active == sa.true())
        .group_by(StaffMember.unit_id)
    ).all()
    names = node_names(session, {r[0] for r in rows})
    return sorted(
        ({"name": names.get(u, "—"), "total": int(n), "certified": int(k or 0),
          "share": 100.0 * int(k or 0) / int(n) if n else None} for u, n, k in rows),
        key=lambda r: (r["share"] if r["share"] is not None else 0, r["name"]),
    )


# ---------------------------------------------------------------------------- kiosks


def kiosk_health(session: Session, scope: Scope, node: BoardNode, now: datetime
                 ) -> list[dict[str, Any]]:
    rows = session.exec(
        select(Kiosk).where(scope.where(Kiosk), node_filter(Kiosk, node))
        .order_by(Kiosk.last_sync_at.desc())
    ).all()
    names = node_names(session, {k.unit_id for k in rows})
    return [kiosk_row(k, names.get(k.unit_id, "—"), now) for k in rows]


def kiosk_row(k: Kiosk, unit_name: str, now: datetime) -> dict[str, Any]:
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
