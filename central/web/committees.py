"""The committees' pages (``/comites``): the sessions of the viewer's branch, a new session
with the high-impact cases analysed and its first agreement, a session's detail with the
follow-up of its agreements, the agreements still open, and Nivel Central's recommendations
with what each OOAD/UMAE committee did about them.

Who: admin and nacional write for Nivel Central's committee, ooad and umae users for their
own; a Nivel Central user reads every committee's sessions. Unit users and agents have no
committee and get 404 (a unit's staff are not members; what a committee decided about one
of its cases reaches it through the case's follow-up). The rules are
:mod:`central.services.committees`."""

import uuid
from collections import defaultdict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from central.db import write_session
from central.models import Agreement, CommitteeSession, OrgLevel, OrgNode, User
from central.services import committees as rules
from central.web.auth import COMMITTEE_ROLES, CurrentViewer, Viewer, check_csrf
from central.web.board_data import high_impact_cases
from central.web.committee_data import (
    due_rows,
    recommendations,
    session_detail,
    session_rows,
)
from central.web.display import today_mx
from central.web.errors import not_found
from central.web.i18n import t
from central.web.nodes import BoardNode
from central.web.scope import get_scoped
from central.web.state import render

router = APIRouter()

def _committee(session: Session, viewer: Viewer) -> OrgNode:
    if viewer.role not in COMMITTEE_ROLES:
        raise not_found()
    node = rules.committee_of(session, viewer.user)
    if node is None:
        raise not_found()
    return node


def _user(session: Session, viewer: Viewer) -> User:
    user = session.get(User, viewer.id)
    assert user is not None
    return user


def _errors(problems: list[rules.Problem]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for p in problems:
        out[p.field].append(t(p.key, **p.values))
    return dict(out)


def _statuses() -> list[tuple[str, str]]:
    return [(s, t(f"committee.status.{s}")) for s in rules.STATUSES]


@router.get("/comites", include_in_schema=False)
def sessions_page(request: Request, viewer: CurrentViewer) -> Response:
    with Session(request.app.state.engine) as session:
        node = _committee(session, viewer)
        rows = session_rows(session, viewer.scope)
    return render(request, "committees.html", {"section": "committees", "rows": rows,
                                               "committee": node.name})


def _form_page(request: Request, session: Session, viewer: Viewer, node: OrgNode,
               values: dict[str, Any], chosen: list[str],
               errors: dict[str, list[str]] | None = None, status_code: int = 200) -> Response:
    board_node = BoardNode(str(node.id), node.name, node.level, node)
    cases = high_impact_cases(session, viewer.scope, board_node, today_mx())
    return render(request, "committee_form.html", {
        "section": "committees", "committee": node.name, "values": values, "chosen": chosen,
        "errors": errors or {}, "cases": cases,
        "national": node.level == OrgLevel.NIVEL_CENTRAL.value,
        "today": today_mx().isoformat(),
    }, status_code=status_code)


@router.get("/comites/nueva", include_in_schema=False)
def new_session_form(request: Request, viewer: CurrentViewer) -> Response:
    with Session(request.app.state.engine) as session:
        node = _committee(session, viewer)
        return _form_page(request, session, viewer, node, {"fecha": today_mx().isoformat()}, [])


@router.post("/comites/nueva", include_in_schema=False)
async def new_session(request: Request, viewer: CurrentViewer) -> Response:
    form = await check_csrf(request, viewer)
    chosen = [str(v) for v in (await request.form()).getlist("caso")][:rules.MAX_CASES + 1]
    with write_session(request.app.state.engine) as session:
        node = _committee(session, viewer)
        try:
            entry = rules.check_session(session, node, form, chosen, today_mx())
        except rules.FormProblemsError as exc:
            return _form_page(request, session, viewer, node, form, chosen,
                              _errors(exc.problems), status_code=422)
        row = rules.record_session(session, node, _user(session, viewer), entry)
        session.commit()
        target = f"/comites/{row.id}"
    return RedirectResponse(target, status_code=303)


def _detail_page(request: Request, session: Session, viewer: Viewer, row: CommitteeSession,
                 node: OrgNode, errors: dict[str, list[str]] | None = None,
                 values: dict[str, Any] | None = None, failed: str = "",
                 status_code: int = 200) -> Response:
    detail = session_detail(session, row, today_mx())
    return render(request, "committee_session.html", {
        "section": "committees", "s": detail, "can_write": row.node_id == node.id,
        "errors": errors or {}, "values": values or {}, "failed": failed,
        "statuses": _statuses(), "national": node.level == OrgLevel.NIVEL_CENTRAL.value,
        "message": t("committee.saved") if request.query_params.get("m") == "ok" else "",
    }, status_code=status_code)


@router.get("/comites/acuerdos", include_in_schema=False)
def due_page(request: Request, viewer: CurrentViewer) -> Response:
    with Session(request.app.state.engine) as session:
        _committee(session, viewer)
        rows = due_rows(session, viewer.scope, today_mx())
    return render(request, "committee_agreements.html", {"section": "committees", "rows": rows})


@router.get("/comites/recomendaciones", include_in_schema=False)
def recommendations_page(request: Request, viewer: CurrentViewer) -> Response:
    with Session(request.app.state.engine) as session:
        node = _committee(session, viewer)
        return _recommendations(request, session, node)


def _recommendations(request: Request, session: Session, node: OrgNode,
                     errors: dict[str, list[str]] | None = None, failed: str = "",
                     values: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    return render(request, "committee_recommendations.html", {
        "section": "committees", "rows": recommendations(session, node, today_mx()),
        "national": node.level == OrgLevel.NIVEL_CENTRAL.value, "committee": node.name,
        "statuses": _statuses(), "errors": errors or {}, "failed": failed,
        "values": values or {},
    }, status_code=status_code)


@router.post("/comites/recomendaciones/{agreement_id}", include_in_schema=False)
async def respond(request: Request, viewer: CurrentViewer, agreement_id: str) -> Response:
    form = await check_csrf(request, viewer)
    with write_session(request.app.state.engine) as session:
        node = _committee(session, viewer)
        if node.level == OrgLevel.NIVEL_CENTRAL.value:
            raise not_found()
        agreement = _recommendation(session, agreement_id)
        try:
            rules.respond(session, agreement, node, _user(session, viewer), form)
        except rules.FormProblemsError as exc:
            return _recommendations(request, session, node, _errors(exc.problems),
                                    str(agreement.id), form, status_code=422)
        session.commit()
    return RedirectResponse(f"/comites/recomendaciones#r-{agreement_id}", status_code=303)


def _recommendation(session: Session, agreement_id: str) -> Agreement:
    """A Nivel Central recommendation: addressed to every committee, so in every scope."""
    try:
        row = session.get(Agreement, uuid.UUID(agreement_id))
    except ValueError:
        row = None
    if row is None or not row.recommendation or row.ooad_id or row.umae_id:
        raise not_found()
    return row


@router.get("/comites/{session_id}", include_in_schema=False)
def session_page(request: Request, viewer: CurrentViewer, session_id: str) -> Response:
    with Session(request.app.state.engine) as session:
        node = _committee(session, viewer)
        row = get_scoped(session, CommitteeSession, session_id, viewer.scope)
        return _detail_page(request, session, viewer, row, node)


def _own_session(session: Session, viewer: Viewer, session_id: str
                 ) -> tuple[OrgNode, CommitteeSession]:
    """The viewer's committee and one of its own sessions (another committee's: 404)."""
    node = _committee(session, viewer)
    row = get_scoped(session, CommitteeSession, session_id, viewer.scope)
    if row.node_id != node.id:
        raise not_found()
    return node, row


@router.post("/comites/{session_id}/acuerdos", include_in_schema=False)
async def add_agreement(request: Request, viewer: CurrentViewer, session_id: str) -> Response:
    form = await check_csrf(request, viewer)
    with write_session(request.app.state.engine) as session:
        node, row = _own_session(session, viewer, session_id)
        problems: list[rules.Problem] = []
        entry = rules.check_agreement(form, node, row.held_on, problems)
        if entry is None:
            return _detail_page(request, session, viewer, row, node, _errors(problems), form,
                                "new", status_code=422)
        rules.add_agreement(session, row, node, _user(session, viewer), entry)
        session.commit()
    return RedirectResponse(f"/comites/{session_id}?m=ok", status_code=303)


@router.post("/comites/{session_id}/acuerdos/{agreement_id}", include_in_schema=False)
async def follow_up(request: Request, viewer: CurrentViewer, session_id: str,
                    agreement_id: str) -> Response:
    form = await check_csrf(request, viewer)
    with write_session(request.app.state.engine) as session:
        node, row = _own_session(session, viewer, session_id)
        agreement = get_scoped(session, Agreement, agreement_id, viewer.scope)
        if agreement.session_id != row.id:
            raise not_found()
        try:
            rules.follow_up(session, agreement, _user(session, viewer), form)
        except rules.FormProblemsError as exc:
            return _detail_page(request, session, viewer, row, node, _errors(exc.problems),
                                form, str(agreement.id), status_code=422)
        session.commit()
    return RedirectResponse(f"/comites/{session_id}?m=ok#a-{agreement_id}", status_code=303)
