"""Following one case of the module: its detail and timeline, and what an agent does to it
(a stage change, a reopen, a note), sent up through the outbox as case events.

The timeline joins three sources, oldest first: the filing (a case filed here), the stages
the pull reported (``case_status_change``) and what agents recorded at this kiosk that the
server has not acknowledged yet (waiting, or set aside with the server's reason), plus the
notes already sent (the pull brings stages back, not notes).

A stage change is checked against the case's stage as the kiosk knows it, a change still
waiting to be sent included, with the one set of rules (:mod:`trato.domain.stages`): a
change the stages do not allow is refused with its reason before anything is queued
(:class:`StageRefused`). The server checks again (its stage may have moved meanwhile); what
it refuses comes back set aside and the detail says so.

Only a case filed at this kiosk can be followed here (its events belong to its record); a
reserved case (sensitive, for an agent who may not read it) shows no detail at all.
"""

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import col, select

from kiosk.services.cases import CaseService
from kiosk.services.errors import InvalidDraft, KnownError
from kiosk.services.lookup import local_time
from kiosk.services.module_cases import CaseRow, ModuleCases
from kiosk.storage.db import Database
from kiosk.storage.models import Case, CaseEvent, CaseStatusChange, OutboxEntry, StaffMember
from kiosk.storage.outbox import OutboxState
from trato.domain.enums import CaseStage
from trato.domain.stages import (
    REOPEN_STAGE,
    StageEvent,
    allowed_targets,
    is_reopen,
    transition_problem,
)

#: The server's reason for refusing a stage change ("body.stage: stage_skips (a -> b)").
_SERVER_STAGE_REASON = re.compile(r"body\.stage: (stage_[a-z_]+)")


class StageRefused(KnownError):  # noqa: N818 - reads as what happened
    """The stages do not allow the change asked for; ``problem`` is a
    :class:`~trato.domain.stages.StageProblem` value or ``stage_same``, ``current`` the
    stage the case is in. Nothing was queued."""

    code = "stage_refused"

    def __init__(self, problem: str, current: CaseStage, target: CaseStage) -> None:
        super().__init__(f"{problem}: {current.value} -> {target.value}")
        self.problem = problem
        self.current = current
        self.target = target


class NotFollowedHere(KnownError):  # noqa: N818
    """The case was filed at another kiosk (or is reserved for this agent): it is followed
    from where it was filed, or on the central board."""

    code = "not_followed_here"


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime  # in the unit's time
    kind: str  # "filed", "stage" (a stage the server reported), "change" (an agent's
    #            stage change), "reopen", "note"
    stage: CaseStage | None = None
    note: str = ""
    agent: str = ""
    state: str = "sent"  # "sent", "pending" (waiting for the network), "set_aside"
    problem: str = ""  # why the server set it aside: a stage problem code, or "rejected"


@dataclass(frozen=True)
class Certification:
    """The Buen Trato certification of an agent (``certified`` False: none on record)."""

    name: str
    certified: bool
    on: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class CaseDetail:
    row: CaseRow
    service_code: str | None = None
    categories: tuple[str, ...] = ()
    narrative: str = ""
    request: str = ""
    staff_involved: str = ""
    recognised_person: str = ""
    masks: dict[str, str] = field(default_factory=dict)
    text_purged: bool = False
    timeline: tuple[TimelineEntry, ...] = ()
    targets: tuple[CaseStage, ...] = ()  # the stage changes the stages allow now
    followed_here: bool = False
    registered_by: Certification | None = None


def _date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def certification(member: StaffMember | None, staff_id: str) -> Certification:
    """What the roster says of an agent's Buen Trato certification (the columns of the staff
    accounts, else what the pulled entry carries)."""
    if member is None:
        return Certification(name=staff_id, certified=False)
    data = member.data or {}
    on = _date(getattr(member, "certified_on", None)) or _date(data.get("certified_on")) \
        or _date(data.get("certified_at"))
    until = _date(getattr(member, "certified_until", None)) or _date(data.get("certified_until"))
    certified = bool(on) or bool(data.get("certified_buen_trato"))
    return Certification(name=member.display_name or staff_id, certified=certified, on=on,
                         until=until)


class CaseFollowUp:
    """Detail and follow-up of the module's cases. ``agent`` arguments are the name the
    timeline shows (it travels in the event, as the central timeline's "por")."""

    def __init__(self, database: Database, cases: ModuleCases, case_service: CaseService
                 ) -> None:
        self._db = database
        self._cases = cases
        self._service = case_service

    def detail(self, case_id: uuid.UUID, *, can_read_sensitive: bool) -> CaseDetail | None:
        row = self._cases.row(case_id, can_read_sensitive=can_read_sensitive)
        if row is None:
            return None
        if row.reserved:
            return CaseDetail(row=row)
        zone = self._cases.timezone()
        with self._db.read() as session:
            case = session.get(Case, case_id)
            steps = session.exec(select(CaseStatusChange)
                                 .where(CaseStatusChange.case_id == case_id)
                                 .order_by(col(CaseStatusChange.changed_at))).all()
            events = session.execute(
                sa.select(CaseEvent, OutboxEntry.state, OutboxEntry.set_aside_reason)
                .join(OutboxEntry, col(OutboxEntry.id) == col(CaseEvent.id), isouter=True)
                .where(CaseEvent.case_id == case_id)
                .order_by(col(CaseEvent.created_at))).all()
            member = (session.get(StaffMember, row.registered_by)
                      if row.registered_by else None)
        timeline = [TimelineEntry(at=local_time(s.changed_at, zone), kind="stage",
                                  stage=CaseStage(s.stage)) for s in steps]
        if case is not None:
            timeline.append(TimelineEntry(at=local_time(case.created_at, zone), kind="filed",
                                          agent=row.registered_by or ""))
        for event, state, reason in events:
            entry = self._event_entry(event, state, reason, zone)
            if entry is not None:
                timeline.append(entry)
        timeline.sort(key=lambda e: e.at)
        followed = case is not None
        return CaseDetail(
            row=row,
            service_code=case.service_code if case else None,
            categories=tuple(case.categories) if case else (),
            narrative=case.narrative if case else "",
            request=case.request if case else "",
            staff_involved=case.staff_involved if case else "",
            recognised_person=case.recognised_person if case else "",
            masks=dict(case.masked_personal) if case else {},
            text_purged=bool(case and case.text_purged_at),
            timeline=tuple(timeline),
            targets=allowed_targets(row.stage) if followed else (),
            followed_here=followed,
            registered_by=(certification(member, row.registered_by)
                           if row.registered_by else None),
        )

    @staticmethod
    def _event_entry(event: CaseEvent, state: str | None, reason: str | None,
                     zone: str) -> TimelineEntry | None:
        if state == OutboxState.SET_ASIDE.value:
            found = _SERVER_STAGE_REASON.search(reason or "")
            shown, problem = "set_aside", found.group(1) if found else "rejected"
        elif event.acknowledged_at is None:
            shown, problem = "pending", ""
        else:
            shown, problem = "sent", ""
        stage = CaseStage(event.stage) if event.stage else None
        if shown == "sent" and stage is not None:
            # The server applied it: its stage is in the pulled steps; keep the note only.
            if not event.note:
                return None
            stage = None
        if stage is None:
            kind = "note"
        else:
            kind = "reopen" if event.event_type == StageEvent.REOPEN else "change"
        return TimelineEntry(at=local_time(event.created_at, zone), kind=kind, stage=stage,
                             note=event.note, agent=event.agent, state=shown, problem=problem)

    def _followable(self, case_id: uuid.UUID, can_read_sensitive: bool) -> CaseRow:
        row = self._cases.row(case_id, can_read_sensitive=can_read_sensitive)
        if row is None:
            raise InvalidDraft("case_id", "unknown_case")
        if row.reserved or not row.filed_here:
            raise NotFollowedHere(str(case_id))
        return row

    def change_stage(self, case_id: uuid.UUID, target: CaseStage, *, agent: str,
                     can_read_sensitive: bool, note: str = "") -> None:
        """Queue a move of the case to ``target`` (a reopen when the case is closed), or
        raise :class:`StageRefused` with nothing queued."""
        row = self._followable(case_id, can_read_sensitive)
        target = CaseStage(target)
        if target is row.stage:
            raise StageRefused("stage_same", row.stage, target)
        reopen = is_reopen(row.stage, target)
        problem = transition_problem(row.stage, target, reopen=reopen)
        if problem is not None:
            raise StageRefused(problem.value, row.stage, target)
        self._service.add_event(case_id, event_type=(StageEvent.REOPEN if reopen
                                                     else StageEvent.STAGE).value,
                                stage=target, note=note, agent=agent)

    def reopen(self, case_id: uuid.UUID, *, agent: str, can_read_sensitive: bool,
               note: str = "") -> None:
        row = self._followable(case_id, can_read_sensitive)
        problem = transition_problem(row.stage, REOPEN_STAGE, reopen=True)
        if problem is not None:
            raise StageRefused(problem.value, row.stage, REOPEN_STAGE)
        self._service.add_event(case_id, event_type=StageEvent.REOPEN.value,
                                stage=REOPEN_STAGE, note=note, agent=agent)

    def add_note(self, case_id: uuid.UUID, note: str, *, agent: str,
                 can_read_sensitive: bool) -> None:
        self._followable(case_id, can_read_sensitive)
        if not note.strip():
            raise InvalidDraft("note", "required")
        self._service.add_event(case_id, event_type=StageEvent.NOTE.value, note=note.strip(),
                                agent=agent)
