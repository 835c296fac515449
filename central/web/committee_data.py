"""What the committee pages and the quarterly report read: sessions inside the viewer's scope,
a session with its cases and agreements, the agreements still open, Nivel Central's
recommendations with the answers the viewer may see. Every query is narrowed by
:class:`central.web.scope.Scope` or by a committee node the caller has checked."""

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from central.models import (
    Agreement,
    AgreementNote,
    Case,
    CommitteeSession,
    OrgLevel,
    OrgNode,
)
from central.models.committees import CLOSED_STATUSES
from central.web.display import MX, display_folio
from central.web.nodes import node_names
from central.web.scope import Scope

LIST_LIMIT = 200


def in_scope(scope: Scope, model: Any) -> Any:
    """Committee rows inside ``scope``: committees sit at OOAD/UMAE level, so a unit's (or
    any narrower) scope holds none."""
    if scope.column not in (None, "ooad_id", "umae_id"):
        return sa.false()
    return scope.where(model)


def day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _is_national(row: Any) -> bool:
    return row.ooad_id is None and row.umae_id is None


def agreement_item(a: Agreement, today: date, names: dict[Any, str] | None = None
                   ) -> dict[str, Any]:
    open_ = a.status not in CLOSED_STATUSES
    return {"id": str(a.id), "session_id": str(a.session_id), "text": a.text, "owner": a.owner,
            "due": day(a.due_on), "status": a.status, "open": open_,
            "overdue": open_ and a.due_on < today, "recommendation": a.recommendation,
            "committee": (names or {}).get(a.node_id, "")}


def session_rows(session: Session, scope: Scope) -> list[dict[str, Any]]:
    rows = session.exec(select(CommitteeSession).where(in_scope(scope, CommitteeSession))
                        .order_by(CommitteeSession.held_on.desc(),
                                  CommitteeSession.created_at.desc()).limit(LIST_LIMIT)).all()
    counts: dict[Any, list[int]] = {}
    if rows:
        for session_id, status, n in session.exec(
                select(Agreement.session_id, Agreement.status, sa.func.count())
                .where(Agreement.session_id.in_([r.id for r in rows]))
                .group_by(Agreement.session_id, Agreement.status)).all():
            c = counts.setdefault(session_id, [0, 0])
            c[0] += n
            c[1] += n if status not in CLOSED_STATUSES else 0
    names = node_names(session, {r.node_id for r in rows})
    return [{"id": str(r.id), "date": day(r.held_on), "committee": names.get(r.node_id, "—"),
             "attendees": len(r.attendees.splitlines()), "cases": len(r.case_ids),
             "agreements": counts.get(r.id, [0, 0])[0], "open": counts.get(r.id, [0, 0])[1]}
            for r in rows]


def _notes(session: Session, agreement_ids: Iterable[uuid.UUID]) -> dict[Any, list[AgreementNote]]:
    ids = list(agreement_ids)
    out: dict[Any, list[AgreementNote]] = {}
    if not ids:
        return out
    for n in session.exec(select(AgreementNote).where(AgreementNote.agreement_id.in_(ids))
                          .order_by(AgreementNote.at, AgreementNote.id)).all():
        out.setdefault(n.agreement_id, []).append(n)
    return out


def note_item(n: AgreementNote, names: dict[Any, str] | None = None) -> dict[str, Any]:
    return {"at": n.at.astimezone(MX).strftime("%d/%m/%Y %H:%M"), "status": n.status,
            "note": n.note, "by": n.by_name, "committee": (names or {}).get(n.node_id, "")}


def session_detail(session: Session, row: CommitteeSession, today: date) -> dict[str, Any]:
    """A session with its cases (folio, unit, stage) and agreements with their history; a
    recommendation also with the last answer of each OOAD/UMAE committee."""
    case_ids = [uuid.UUID(i) for i in row.case_ids]
    cases = session.exec(select(Case).where(Case.id.in_(case_ids))).all() if case_ids else []
    agreements = session.exec(select(Agreement).where(Agreement.session_id == row.id)
                              .order_by(Agreement.due_on, Agreement.created_at)).all()
    notes = _notes(session, [a.id for a in agreements])
    names = node_names(session, {row.node_id, *(c.unit_id for c in cases),
                                 *(n.node_id for ns in notes.values() for n in ns)})
    items = []
    for a in agreements:
        item = agreement_item(a, today)
        own = [n for n in notes.get(a.id, []) if n.node_id == a.node_id]
        item["history"] = [note_item(n) for n in own]
        item["responses"] = _latest_by_committee(notes.get(a.id, []), a.node_id, names)
        items.append(item)
    return {
        "id": str(row.id), "date": day(row.held_on), "node_id": row.node_id,
        "committee": names.get(row.node_id, "—"), "national": _is_national(row),
        "attendees": row.attendees.splitlines(), "minutes": row.minutes,
        "created_by": row.created_by,
        "cases": [{"id": str(c.id), "folio": display_folio(c.folio),
                   "unit": names.get(c.unit_id, "—"), "stage": c.stage} for c in cases],
        "agreements": items,
    }


def _latest_by_committee(notes: list[AgreementNote], own: uuid.UUID, names: dict[Any, str]
                         ) -> list[dict[str, Any]]:
    latest: dict[Any, AgreementNote] = {}
    for n in notes:  # oldest first: the last one wins
        if n.node_id != own:
            latest[n.node_id] = n
    return sorted((note_item(n, names) for n in latest.values()), key=lambda i: i["committee"])


def due_rows(session: Session, scope: Scope, today: date) -> list[dict[str, Any]]:
    rows = session.exec(select(Agreement).where(
        in_scope(scope, Agreement), Agreement.status.not_in(CLOSED_STATUSES))
        .order_by(Agreement.due_on, Agreement.created_at).limit(LIST_LIMIT)).all()
    names = node_names(session, {a.node_id for a in rows})
    return [agreement_item(a, today, names) for a in rows]


def recommendations(session: Session, viewer_node: OrgNode, today: date
                    ) -> list[dict[str, Any]]:
    """Nivel Central's recommendations, newest first. Nivel Central sees every committee's
    last answer; an OOAD/UMAE committee only its own answers (history and last)."""
    rows = session.exec(select(Agreement, CommitteeSession.held_on)
                        .join(CommitteeSession, CommitteeSession.id == Agreement.session_id)
                        .where(Agreement.recommendation == sa.true(),
                               Agreement.ooad_id.is_(None), Agreement.umae_id.is_(None))
                        .order_by(CommitteeSession.held_on.desc(), Agreement.created_at.desc())
                        .limit(LIST_LIMIT)).all()
    national = viewer_node.level == OrgLevel.NIVEL_CENTRAL.value
    notes = _notes(session, [a.id for a, _ in rows])
    names = node_names(session, {n.node_id for ns in notes.values() for n in ns})
    committees = 0
    if national:
        committees = int(session.exec(select(sa.func.count()).select_from(OrgNode).where(
            OrgNode.level.in_([OrgLevel.OOAD.value, OrgLevel.UMAE.value]),
            OrgNode.active == sa.true())).one())
    out = []
    for a, held_on in rows:
        item = agreement_item(a, today)
        item.update(session_date=day(held_on), held_on=held_on, due_on=a.due_on)
        if national:
            item["responses"] = _latest_by_committee(notes.get(a.id, []), a.node_id, names)
            item["committees"] = committees
        else:
            mine = [n for n in notes.get(a.id, []) if n.node_id == viewer_node.id]
            item["history"] = [note_item(n) for n in mine]
            item["mine"] = note_item(mine[-1]) if mine else None
        out.append(item)
    return out


def report_block(session: Session, node_id: str, kind: str, start: date, end: date,
                 today: date) -> dict[str, Any] | None:
    """The committee of a report's node: its sessions of the quarter and the agreements of
    those sessions, with those of earlier sessions still open. None below OOAD/UMAE."""
    if kind not in (OrgLevel.NIVEL_CENTRAL.value, OrgLevel.OOAD.value, OrgLevel.UMAE.value):
        return None
    committee = _report_committee(session, node_id, kind)
    if committee is None:
        return {"sessions": [], "agreements": [], "recommendations": []}
    sessions = session.exec(select(CommitteeSession).where(
        CommitteeSession.node_id == committee, CommitteeSession.held_on >= start,
        CommitteeSession.held_on < end).order_by(CommitteeSession.held_on)).all()
    in_quarter = [s.id for s in sessions]
    agreements = session.exec(select(Agreement, CommitteeSession.held_on)
                              .join(CommitteeSession, CommitteeSession.id == Agreement.session_id)
                              .where(Agreement.node_id == committee, sa.or_(
                                  Agreement.session_id.in_(in_quarter),
                                  sa.and_(CommitteeSession.held_on < start,
                                          Agreement.status.not_in(CLOSED_STATUSES))))
                              .order_by(Agreement.due_on, Agreement.created_at)).all()
    node = session.get(OrgNode, committee)
    # Nivel Central's recommendations current in the quarter: made in it or due after it began.
    answers = [r for r in recommendations(session, node, today) if r["held_on"] < end
               and max(r["held_on"], r["due_on"]) >= start] if node else []
    return {
        "recommendations": answers,
        "sessions": [{"id": str(s.id), "date": day(s.held_on),
                      "attendees": len(s.attendees.splitlines()), "cases": len(s.case_ids),
                      "minutes": s.minutes[:600]} for s in sessions],
        "agreements": [dict(agreement_item(a, today), session_date=day(held_on))
                       for a, held_on in agreements],
    }


def _report_committee(session: Session, node_id: str, kind: str) -> uuid.UUID | None:
    if node_id:
        return uuid.UUID(node_id)
    if kind != OrgLevel.NIVEL_CENTRAL.value:
        return None
    return session.exec(select(OrgNode.id).where(
        OrgNode.level == OrgLevel.NIVEL_CENTRAL.value)).first()
