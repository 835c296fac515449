"""Figures of the board, computed for one node of the hierarchy inside a viewer's scope.

Small-number protection: a group with fewer than :data:`MIN_GROUP` rated responses shows
"Menos de 5 respuestas" instead of its figures (``suppressed``). Complaint counts are counts
of cases that committees must act on and are always shown.
"""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

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
from central.web.charts import bar_chart, line_chart
from central.web.i18n import has_key, t
from central.web.scope import Scope
from trato.domain.deadlines import NEAR_DEADLINE_BUSINESS_DAYS
from trato.domain.deadlines import business_days_between as _business_days_between
from trato.domain.enums import CaseStage, CaseType

MIN_GROUP = 5
INDEX_DAYS = 90
TREND_WEEKS = 12
AGING_EDGES = (5, 20, 50)  # business days: 0-5, 6-20, 21-50, >50
KIOSK_STALE_HOURS = 24
KIOSKS_SHOWN = 20
#: A kiosk clock further off than this is flagged (requests are signed in server time).
CLOCK_WARN_SECONDS = 300
LEVEL_COLUMN = {
    OrgLevel.OOAD.value: "ooad_id",
    OrgLevel.UMAE.value: "umae_id",
    OrgLevel.UNIT.value: "unit_id",
    OrgLevel.MODULE.value: "module_id",
}
_CHILD_LEVEL = {
    OrgLevel.NIVEL_CENTRAL.value: "ooad_umae",
    OrgLevel.OOAD.value: OrgLevel.UNIT.value,
    OrgLevel.UMAE.value: OrgLevel.UNIT.value,
    OrgLevel.UNIT.value: OrgLevel.MODULE.value,
}
MX = ZoneInfo("America/Mexico_City")
#: The whole completion period is 5 business days: warn in its last 2.
COMPLETION_NEAR_BUSINESS_DAYS = 2
_OPEN_CASE_COLUMNS = (
    Case.id, Case.folio, Case.unit_id, Case.ooad_id, Case.umae_id, Case.module_id,
    Case.service_code, Case.stage, Case.received_at, Case.completion_due, Case.resolution_due,
    Case.impacto_institucional,
)


@dataclass
class BoardNode:
    id: str
    name: str
    kind: str
    row: OrgNode | None = None


@dataclass
class Group:
    n: int = 0
    good: int = 0
    total: int = 0

    @property
    def suppressed(self) -> bool:
        return self.n < MIN_GROUP

    @property
    def index(self) -> float | None:
        return None if self.suppressed else 100.0 * self.good / self.n

    @property
    def mean(self) -> float | None:
        return None if self.suppressed else self.total / self.n


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


@lru_cache(maxsize=8192)
def business_days_between(start: date, end: date) -> int:
    """Cached: many cases share their received date and deadline."""
    return _business_days_between(start, end)


def today_mx() -> date:
    return datetime.now(MX).date()


def node_filter(model: Any, node: BoardNode) -> Any:
    column = LEVEL_COLUMN.get(node.kind)
    if column is None or not hasattr(model, column):
        return sa.true()
    return getattr(model, column) == uuid.UUID(node.id)


def root_node(session: Session, scope: Scope) -> BoardNode:
    if scope.node_id is not None:
        row = session.get(OrgNode, scope.node_id)
        if row is not None:
            return BoardNode(str(row.id), row.name, row.level, row)
    row = session.exec(
        select(OrgNode).where(OrgNode.level == OrgLevel.NIVEL_CENTRAL.value)
    ).first()
    if row is not None:
        return BoardNode(str(row.id), row.name, row.level, row)
    return BoardNode("", t("scope.nivel_central"), OrgLevel.NIVEL_CENTRAL.value)


def crumbs_for(session: Session, node: BoardNode, scope: Scope) -> list[BoardNode]:
    out: list[BoardNode] = []
    row = node.row
    seen = 0
    while row is not None and row.parent_id is not None and seen < 6:
        seen += 1
        parent = session.get(OrgNode, row.parent_id)
        if parent is None or not scope.contains_node(parent):
            break
        out.append(BoardNode(str(parent.id), parent.name, parent.level, parent))
        row = parent
    return list(reversed(out))


def _names(session: Session, ids: set[Any]) -> dict[Any, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    rows = session.exec(select(OrgNode.id, OrgNode.name).where(OrgNode.id.in_(ids))).all()
    return {i: n for i, n in rows}


def _groups(session: Session, where: Any, column: Any | None, since: datetime) -> dict[Any, Group]:
    rated = SurveyResponse.rating.is_not(None)
    cols = [
        sa.func.count(SurveyResponse.rating),
        sa.func.sum(sa.case((SurveyResponse.rating >= 4, 1), else_=0)),
        sa.func.sum(SurveyResponse.rating),
    ]
    key = column if column is not None else sa.literal(0)
    stmt = (
        select(key, *cols)
        .where(where, rated, SurveyResponse.probable_misuse == sa.false(),
               SurveyResponse.received_at >= since)
        .group_by(key)
    )
    out: dict[Any, Group] = {}
    for k, n, good, total in session.exec(stmt).all():
        out[k] = Group(int(n or 0), int(good or 0), int(total or 0))
    return out


def aging_bucket(age: int) -> int:
    for i, edge in enumerate(AGING_EDGES):
        if age <= edge:
            return i
    return len(AGING_EDGES)


def case_clock(case: Any, today: date) -> dict[str, Any]:
    """Business-day clock of a case: days left to the relevant deadline, overdue, near."""
    received = case.received_at.astimezone(MX).date()
    open_ = case.stage != CaseStage.CERRADO.value
    due = case.resolution_due
    near_days = NEAR_DEADLINE_BUSINESS_DAYS
    if (
        case.stage in (CaseStage.RECEPCION.value, CaseStage.INTEGRACION.value)
        and case.completion_due is not None
        and case.completion_due >= today
    ):
        due = case.completion_due
        near_days = COMPLETION_NEAR_BUSINESS_DAYS
    days_left = business_days_between(today, due) if (due and open_) else None
    return {
        "age": business_days_between(received, today) if open_ else 0,
        "due": due,
        "days_left": days_left,
        "overdue": bool(open_ and case.resolution_due and case.resolution_due < today),
        "near": bool(open_ and days_left is not None and 0 <= days_left <= near_days),
    }


def resolve_node(session: Session, scope: Scope, node_id: str | None) -> BoardNode | None:
    """The board node the viewer asked for; None when it is outside the scope (404)."""
    if not node_id:
        return root_node(session, scope)
    try:
        key = uuid.UUID(node_id)
    except ValueError:
        return None
    row = session.get(OrgNode, key)
    if row is None or not scope.contains_node(row):
        return None
    return BoardNode(str(row.id), row.name, row.level, row)


def build_board(session: Session, scope: Scope, node: BoardNode) -> Board:
    now = datetime.now(UTC)
    today = today_mx()
    since = now - timedelta(days=INDEX_DAYS)
    sr_where = sa.and_(scope.where(SurveyResponse), node_filter(SurveyResponse, node))
    case_where = sa.and_(scope.where(Case), node_filter(Case, node))

    satisfaction = _groups(session, sr_where, None, since).get(0, Group())

    # Trend by ISO week.
    week0 = today - timedelta(days=today.weekday()) - timedelta(weeks=TREND_WEEKS - 1)
    trend_since = datetime(week0.year, week0.month, week0.day, tzinfo=MX)
    weeks: dict[date, Group] = {week0 + timedelta(weeks=i): Group() for i in range(TREND_WEEKS)}
    rows = session.exec(
        select(SurveyResponse.received_at, SurveyResponse.rating).where(
            sr_where, SurveyResponse.rating.is_not(None),
            SurveyResponse.probable_misuse == sa.false(),
            SurveyResponse.received_at >= trend_since,
        )
    ).all()
    for received_at, rating in rows:
        d = received_at.astimezone(MX).date()
        w = d - timedelta(days=d.weekday())
        g = weeks.get(w)
        if g is not None:
            g.n += 1
            g.good += 1 if rating >= 4 else 0
            g.total += rating
    trend = [(w.strftime("%d/%m"), g) for w, g in sorted(weeks.items())]

    # Open complaints with their clocks.
    # Only the columns the figures need (not the case text): fast at national scale.
    open_cases = session.exec(
        select(*_OPEN_CASE_COLUMNS).where(case_where, Case.case_type == CaseType.QUEJA.value,
                                          Case.stage != CaseStage.CERRADO.value)
    ).all()
    clocks = {c.id: case_clock(c, today) for c in open_cases}
    by_branch: dict[tuple[str, Any], list[Any]] = {}
    for c in open_cases:
        for column in ("ooad_id", "umae_id", "unit_id", "module_id"):
            by_branch.setdefault((column, getattr(c, column)), []).append(c)
    totals = {"open": len(open_cases), "overdue": sum(1 for c in clocks.values() if c["overdue"])}

    # Children (drill-down).
    child_kind = _CHILD_LEVEL.get(node.kind)
    children: list[dict[str, Any]] = []
    if child_kind:
        if child_kind == "ooad_umae":
            levels = [OrgLevel.OOAD.value, OrgLevel.UMAE.value]
            child_rows = session.exec(
                select(OrgNode).where(OrgNode.level.in_(levels), scope.where_node())
                .order_by(OrgNode.level, OrgNode.name)
            ).all()
            groups = _groups(session, sr_where, SurveyResponse.ooad_id, since)
            groups.update(_groups(session, sr_where, SurveyResponse.umae_id, since))
        else:
            child_rows = session.exec(
                select(OrgNode).where(OrgNode.parent_id == uuid.UUID(node.id),
                                      scope.where_node()).order_by(OrgNode.name)
            ).all()
            col = SurveyResponse.unit_id if child_kind == OrgLevel.UNIT.value else \
                SurveyResponse.module_id
            groups = _groups(session, sr_where, col, since)
        for c in child_rows:
            g = groups.get(c.id, Group())
            column = LEVEL_COLUMN.get(c.level, "unit_id")
            mine = by_branch.get((column, c.id), [])
            children.append({
                "id": str(c.id), "name": c.name, "kind": c.level,
                "active": bool(g.n or mine),
                "n": g.n, "index": g.index, "suppressed": g.suppressed,
                "open": len(mine), "overdue": sum(1 for k in mine if clocks[k.id]["overdue"]),
            })
        child_kind = "ooad" if child_kind == "ooad_umae" else child_kind

    # Complaints by unit (aging) and by service.
    names = _names(session, {c.unit_id for c in open_cases})
    by_unit: dict[Any, dict[str, Any]] = {}
    by_service: dict[str, dict[str, Any]] = {}
    for c in open_cases:
        clock = clocks[c.id]
        r = by_unit.setdefault(c.unit_id, {"id": str(c.unit_id), "name": names.get(c.unit_id, "—"),
                                           "aging": [0] * (len(AGING_EDGES) + 1),
                                           "open": 0, "overdue": 0})
        r["aging"][aging_bucket(clock["age"])] += 1
        r["open"] += 1
        r["overdue"] += 1 if clock["overdue"] else 0
        code = c.service_code or ""
        s = by_service.setdefault(code, {"code": code, "name": service_name(code), "open": 0,
                                         "overdue": 0, "total": 0})
        s["open"] += 1
        s["total"] += 1
        s["overdue"] += 1 if clock["overdue"] else 0
    complaints_unit = sorted(by_unit.values(), key=lambda r: (-r["overdue"], -r["open"], r["name"]))
    complaints_service = sorted(by_service.values(), key=lambda r: (-r["open"], r["name"]))

    high = [c for c in open_cases if c.impacto_institucional]
    high_names = _names(session, {c.unit_id for c in high})
    high_impact = [
        {"id": str(c.id), "folio": display_folio(c.folio), "unit": high_names.get(c.unit_id, "—"),
         "stage": c.stage, "days_left": clocks[c.id]["days_left"],
         "overdue": clocks[c.id]["overdue"]}
        for c in sorted(high, key=lambda c: (c.resolution_due or date.max))
    ]

    rec_rows = session.exec(
        select(Case).where(case_where, Case.case_type == CaseType.RECONOCIMIENTO.value,
                           Case.publish_recognition == sa.true(),
                           Case.consent_given == sa.true(),
                           Case.recognition_status == RecognitionStatus.APPROVED.value)
        .order_by(Case.received_at.desc()).limit(10)
    ).all()
    rec_names = _names(session, {c.unit_id for c in rec_rows})
    recognitions = [
        {"person": c.recognised_person or t("wall.area"), "unit": rec_names.get(c.unit_id, "—"),
         "date": c.received_at.astimezone(MX).strftime("%d/%m/%Y")}
        for c in rec_rows
    ]

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
    cert_rows = session.exec(
        select(StaffMember.unit_id, sa.func.count(),
               sa.func.sum(sa.case((StaffMember.certified_buen_trato == sa.true(), 1), else_=0)))
        .where(staff_where, staff_node, StaffMember.active == sa.true())
        .group_by(StaffMember.unit_id)
    ).all()
    cert_names = _names(session, {r[0] for r in cert_rows})
    certification = sorted(
        ({"name": cert_names.get(u, "—"), "total": int(n), "certified": int(k or 0),
          "share": 100.0 * int(k or 0) / int(n) if n else None} for u, n, k in cert_rows),
        key=lambda r: (r["share"] if r["share"] is not None else 0, r["name"]),
    )

    kiosk_rows = session.exec(
        select(Kiosk).where(scope.where(Kiosk), node_filter(Kiosk, node))
        .order_by(Kiosk.last_sync_at.desc())
    ).all()
    k_names = _names(session, {k.unit_id for k in kiosk_rows})
    kiosks = [kiosk_row(k, k_names.get(k.unit_id, "—"), now) for k in kiosk_rows]

    crumbs = crumbs_for(session, node, scope)
    return Board(
        node=node, crumbs=crumbs, satisfaction=satisfaction, totals=totals, trend=trend,
        child_kind=child_kind, children=children, complaints_unit=complaints_unit,
        complaints_service=complaints_service, high_impact=high_impact,
        recognitions=recognitions, certification=certification, kiosks=kiosks,
        generated_at=datetime.now(MX).strftime("%H:%M:%S"),
        aging_labels=[t("aging.0"), t("aging.1"), t("aging.2"), t("aging.3")],
    )


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
    offset = k.clock_offset_seconds
    return {
        "name": k.hostname or f"#{k.kiosk_number}",
        "unit": unit_name,
        "last_sync": k.last_sync_at.astimezone(MX).strftime("%d/%m/%Y %H:%M")
        if k.last_sync_at else t("kiosk.never"),
        "version": k.app_version or "—",
        "offset": format_offset(offset),
        "backlog": k.backlog,
        "state": state,
        "state_class": cls,
    }


def format_offset(seconds: float | None) -> str:
    """A kiosk's clock offset for people: +3 s, -12 min, +5 h, -365 días."""
    if seconds is None:
        return "—"
    sign = "+" if seconds >= 0 else "−"
    value = abs(seconds)
    if value < 120:
        return f"{sign}{value:.0f} s"
    if value < 7200:
        return f"{sign}{value / 60:.0f} min"
    if value < 172800:
        return f"{sign}{value / 3600:.0f} h"
    return f"{sign}{value / 86400:.0f} " + t("unit.days")


def service_name(code: str) -> str:
    if not code:
        return t("service.none")
    key = f"service.{code}"
    return t(key) if has_key(key) else code.replace("_", " ").capitalize()


def display_folio(compact: str) -> str:
    c = compact.replace("-", "")
    return f"{c[0:4]}-{c[4:8]}-{c[8:]}" if len(c) == 12 else compact
