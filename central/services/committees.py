"""The committees' record: a session of a committee (Nivel Central, an OOAD or a UMAE), the
high-impact cases analysed in it, its agreements and their follow-up to closure, and the
OOAD/UMAE committees' answers to Nivel Central's recommendations.

Every check of a form is here and runs at once: the caller gets the complete list of
:class:`Problem` (field, catalogue key, values) and writes nothing when there is one. Every
write adds its :class:`AuditLog` row in the same transaction.
"""

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from central.models import (
    Agreement,
    AgreementNote,
    AgreementStatus,
    AuditLog,
    Case,
    CommitteeSession,
    OrgLevel,
    OrgNode,
    User,
)
from trato.domain.enums import CaseType
from trato.domain.folio import parse_folio
from trato.domain.validators import validate_free_text

#: Levels that have a committee.
COMMITTEE_LEVELS = frozenset({OrgLevel.NIVEL_CENTRAL.value, OrgLevel.OOAD.value,
                              OrgLevel.UMAE.value})
#: A session is recorded once held: its date may be at most this far ahead of today (the
#: committee's local day against the server's; a minute past midnight is not "the future").
MAX_DAYS_AHEAD = 1
EARLIEST_SESSION = date(2000, 1, 1)
#: An agreement due more than this long after its session is a typing error.
MAX_AGREEMENT_SPAN = timedelta(days=3 * 366)
LIMITS = {"attendees": 4000, "minutes": 20000, "text": 2000, "owner": 200, "note": 4000}
MAX_CASES = 100
STATUSES = tuple(s.value for s in AgreementStatus)

AUDIT_SESSION = "committee_session"
AUDIT_AGREEMENT = "committee_agreement"
AUDIT_AGREEMENT_NOTE = "committee_agreement_note"
AUDIT_RESPONSE = "committee_recommendation_response"


@dataclass(frozen=True)
class Problem:
    field: str
    key: str  # central/i18n catalogue key
    values: dict[str, Any] = field(default_factory=dict)


class FormProblemsError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(", ".join(p.key for p in problems))
        self.problems = problems


@dataclass
class AgreementEntry:
    text: str
    owner: str
    due_on: date
    recommendation: bool = False


@dataclass
class SessionEntry:
    held_on: date
    attendees: str
    minutes: str
    cases: list[Case]
    agreement: AgreementEntry | None


def committee_of(session: Session, user: User) -> OrgNode | None:
    """The committee ``user`` writes for: Nivel Central's for admin and nacional, the OOAD's
    or UMAE's for their users; None for everyone else."""
    if user.role in ("admin", "nacional"):
        return session.exec(select(OrgNode).where(
            OrgNode.level == OrgLevel.NIVEL_CENTRAL.value)).first()
    if user.role in ("ooad", "umae") and user.scope_id is not None:
        node = session.get(OrgNode, user.scope_id)
        if node is not None and node.level == user.role:
            return node
    return None


def branch_columns(node: OrgNode) -> dict[str, uuid.UUID | None]:
    """The denormalised branch ids of a committee's rows (both empty for Nivel Central)."""
    return {"ooad_id": node.id if node.level == OrgLevel.OOAD.value else None,
            "umae_id": node.id if node.level == OrgLevel.UMAE.value else None}


def _in_branch(node: OrgNode) -> Any:
    if node.level == OrgLevel.OOAD.value:
        return Case.ooad_id == node.id
    if node.level == OrgLevel.UMAE.value:
        return Case.umae_id == node.id
    return sa.true()


def parse_day(text: str) -> date | None:
    """A date as a date field sends it (2026-03-15) or as people write it (15/03/2026)."""
    text = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
        if m:
            return date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        return None
    return None


def _text(value: Any, field_name: str, kind: str, problems: list[Problem], *,
          required: bool = False) -> str:
    """``value`` trimmed, line ends as ``\n``; a problem on ``field_name`` when missing, longer
    than ``kind`` allows (LIMITS; key ``committee.problem.<kind>_required``) or holding control
    characters (the free-text rule of :mod:`trato.domain.validators`)."""
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    check = validate_free_text(text, max_length=LIMITS[kind], required=required)
    if check.problem is not None:
        code = check.problem.code
        key = {"required": f"{kind}_required", "text_too_long": "too_long"}.get(
            code, "bad_character")
        problems.append(Problem(field_name, f"committee.problem.{key}", {"n": LIMITS[kind]}))
    return text


def check_agreement(form: Mapping[str, Any], node: OrgNode, held_on: date | None,
                    problems: list[Problem], prefix: str = "acuerdo_") -> AgreementEntry | None:
    """The agreement fields ``<prefix>texto``, ``responsable``, ``fecha``, ``recomendacion``."""
    local: list[Problem] = []
    text = _text(form.get(f"{prefix}texto"), f"{prefix}texto", "text", local, required=True)
    owner = _text(form.get(f"{prefix}responsable"), f"{prefix}responsable", "owner", local,
                  required=True)
    due_field = f"{prefix}fecha"
    raw_due = str(form.get(due_field, "")).strip()
    due = parse_day(raw_due)
    if not raw_due:
        local.append(Problem(due_field, "committee.problem.due_required"))
    elif due is None:
        local.append(Problem(due_field, "committee.problem.bad_date", {"value": raw_due[:20]}))
    elif held_on is not None and due < held_on:
        local.append(Problem(due_field, "committee.problem.due_before_session",
                             {"session": held_on.strftime("%d/%m/%Y")}))
    elif held_on is not None and due > held_on + MAX_AGREEMENT_SPAN:
        local.append(Problem(due_field, "committee.problem.due_too_far"))
    problems.extend(local)
    if local or due is None:
        return None
    recommendation = (node.level == OrgLevel.NIVEL_CENTRAL.value
                      and str(form.get(f"{prefix}recomendacion", "")) in ("1", "on", "si"))
    return AgreementEntry(text, owner, due, recommendation)


def _cases(session: Session, node: OrgNode, form: Mapping[str, Any], chosen: list[str],
           problems: list[Problem]) -> list[Case]:
    """The ticked high-impact cases and the folios typed, each in the committee's branch and
    flagged impacto institucional (one answer for "no such case" and "not yours")."""
    found: dict[uuid.UUID, Case] = {}
    for ident in chosen:
        try:
            case = session.get(Case, uuid.UUID(ident))
        except ValueError:
            case = None
        if case is None or not _eligible(node, case):
            problems.append(Problem("casos", "committee.problem.case_unknown"))
            continue
        found[case.id] = case
    typed = str(form.get("folios", ""))[:4000]
    for word in [w for w in re.split(r"[\s,;]+", typed) if w]:
        try:
            compact = parse_folio(word).compact
        except ValueError:
            problems.append(Problem("folios", "committee.problem.bad_folio", {"folio": word[:20]}))
            continue
        case = session.exec(select(Case).where(Case.folio == compact, _in_branch(node))).first()
        if case is None or not _eligible(node, case):
            problems.append(Problem("folios", "committee.problem.folio_outside",
                                    {"folio": word[:20]}))
            continue
        found[case.id] = case
    if len(found) > MAX_CASES:
        problems.append(Problem("folios", "committee.problem.too_many_cases", {"n": MAX_CASES}))
    return list(found.values())


def _eligible(node: OrgNode, case: Case) -> bool:
    if node.level == OrgLevel.OOAD.value and case.ooad_id != node.id:
        return False
    if node.level == OrgLevel.UMAE.value and case.umae_id != node.id:
        return False
    return bool(case.impacto_institucional) and case.case_type == CaseType.QUEJA.value


def check_session(session: Session, node: OrgNode, form: Mapping[str, Any], chosen: list[str],
                  today: date) -> SessionEntry:
    """The new-session form checked whole; FormProblemsError with every reason otherwise. The
    agreement block is optional: left empty, no agreement; touched, checked whole."""
    problems: list[Problem] = []
    raw = str(form.get("fecha", "")).strip()
    held_on = parse_day(raw)
    if not raw:
        problems.append(Problem("fecha", "committee.problem.date_required"))
    elif held_on is None:
        problems.append(Problem("fecha", "committee.problem.bad_date", {"value": raw[:20]}))
    elif held_on > today + timedelta(days=MAX_DAYS_AHEAD):
        problems.append(Problem("fecha", "committee.problem.date_future"))
        held_on = None
    elif held_on < EARLIEST_SESSION:
        problems.append(Problem("fecha", "committee.problem.date_past"))
        held_on = None
    attendees = _attendees(form, problems)
    minutes = _text(form.get("minuta"), "minuta", "minutes", problems)
    cases = _cases(session, node, form, chosen, problems)
    agreement = None
    if any(str(form.get(f"acuerdo_{k}", "")).strip() for k in ("texto", "responsable", "fecha")):
        agreement = check_agreement(form, node, held_on, problems)
    if problems:
        raise FormProblemsError(problems)
    assert held_on is not None
    return SessionEntry(held_on, attendees, minutes, cases, agreement)


def _attendees(form: Mapping[str, Any], problems: list[Problem]) -> str:
    """One attendee a line (name and position), empty lines dropped."""
    text = _text(form.get("asistentes"), "asistentes", "attendees", problems, required=True)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _audit(session: Session, user: User, action: str, target_type: str, target: uuid.UUID,
           **detail: Any) -> None:
    session.add(AuditLog(user_id=user.id, username=user.username, action=action,
                         target_type=target_type, target_id=str(target), detail=detail))


def record_session(session: Session, node: OrgNode, user: User, entry: SessionEntry
                   ) -> CommitteeSession:
    """Store a checked session (and its first agreement) with its audit row; not committed."""
    row = CommitteeSession(node_id=node.id, held_on=entry.held_on, attendees=entry.attendees,
                           minutes=entry.minutes, case_ids=[str(c.id) for c in entry.cases],
                           created_by=user.display_name or user.username,
                           **branch_columns(node))
    session.add(row)
    session.flush()
    _audit(session, user, AUDIT_SESSION, "committee_session", row.id,
           committee=node.code, held_on=entry.held_on.isoformat(), cases=len(entry.cases))
    if entry.agreement is not None:
        add_agreement(session, row, node, user, entry.agreement)
    return row


def add_agreement(session: Session, row: CommitteeSession, node: OrgNode, user: User,
                  entry: AgreementEntry) -> Agreement:
    agreement = Agreement(session_id=row.id, node_id=node.id, text=entry.text,
                          owner=entry.owner, due_on=entry.due_on,
                          recommendation=entry.recommendation, **branch_columns(node))
    session.add(agreement)
    session.flush()
    _audit(session, user, AUDIT_AGREEMENT, "agreement", agreement.id, session_id=str(row.id),
           due_on=entry.due_on.isoformat(), recommendation=entry.recommendation)
    return agreement


def _status_and_note(form: Mapping[str, Any], note_required: bool) -> tuple[str, str]:
    problems: list[Problem] = []
    status = str(form.get("estado", ""))
    if status not in STATUSES:
        problems.append(Problem("estado", "committee.problem.bad_status"))
    note = _text(form.get("nota"), "nota", "note", problems, required=note_required)
    if problems:
        raise FormProblemsError(problems)
    return status, note


def follow_up(session: Session, agreement: Agreement, user: User, form: Mapping[str, Any]
              ) -> AgreementNote:
    """A dated status note of the agreement's own committee; the agreement takes its status."""
    status, note = _status_and_note(form, note_required=False)
    entry = AgreementNote(agreement_id=agreement.id, node_id=agreement.node_id, status=status,
                          note=note, by_user_id=user.id,
                          by_name=user.display_name or user.username)
    agreement.status = status
    agreement.updated_at = entry.at
    session.add_all([entry, agreement])
    _audit(session, user, AUDIT_AGREEMENT_NOTE, "agreement", agreement.id, status=status)
    return entry


def respond(session: Session, agreement: Agreement, node: OrgNode, user: User,
            form: Mapping[str, Any]) -> AgreementNote:
    """What the OOAD/UMAE committee ``node`` did about a recommendation of Nivel Central."""
    status, note = _status_and_note(form, note_required=True)
    entry = AgreementNote(agreement_id=agreement.id, node_id=node.id, status=status, note=note,
                          by_user_id=user.id, by_name=user.display_name or user.username)
    session.add(entry)
    _audit(session, user, AUDIT_RESPONSE, "agreement", agreement.id, committee=node.code,
           status=status)
    return entry
