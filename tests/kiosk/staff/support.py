"""Helpers for the staff tests: cases filed on given days, statuses as the pull brings them,
and the module's services wired on a real store."""

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from kiosk.clock import FixedClock
from kiosk.flow.staff import Agent
from kiosk.services.case_follow_up import CaseFollowUp
from kiosk.services.cases import CaseService
from kiosk.services.export import Exporter
from kiosk.services.module_board import BoardService
from kiosk.services.module_cases import ModuleCases
from kiosk.storage.db import Database
from kiosk.sync.changes import apply_change
from tests.kiosk.storage.factories import case_draft
from trato.domain.enums import CaseType, StaffRole
from trato.protocol.wire import Change, ChangeKind

#: 09:30 in Mexico City (UTC-6 all year since 2022).
MORNING_UTC = (15, 30)

AGENT = Agent(staff_id="taod-1", name="Lupita Reyes", role=StaffRole.AGENT,
              can_read_sensitive=False, certified_on=date(2026, 1, 20), certified_until=None)
SUPERVISOR = Agent(staff_id="taod-2", name="Carmen Díaz", role=StaffRole.ADMIN,
                   can_read_sensitive=True, certified_on=None, certified_until=None)


def morning(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, *MORNING_UTC, tzinfo=UTC)


@dataclass
class Module:
    database: Database
    clock: FixedClock
    service: CaseService
    cases: ModuleCases
    follow_up: CaseFollowUp
    board: BoardService
    exporter: Exporter
    _cursor: int = 0

    def file(self, day: date, **overrides: object) -> uuid.UUID:
        """A case filed here on ``day`` (a queja unless told); the clock stays there."""
        self.clock.set(morning(day))
        values: dict[str, object] = {"case_type": CaseType.QUEJA}
        values.update(overrides)
        return self.service.submit(case_draft(**values)).id

    def status(self, case_id: uuid.UUID, folio: str, stage: str, *, version: int = 1,
               completion_due: str | None = None, resolution_due: str | None = None,
               at: datetime | None = None) -> None:
        """A case status as the pull applies it (the real applier)."""
        self._cursor += 1
        data = {"case_id": str(case_id), "folio": folio, "stage": stage,
                "updated_at": (at or self.clock.now()).isoformat(),
                "completion_due": completion_due, "resolution_due": resolution_due}
        with self.database.write() as session:
            assert apply_change(session, Change(
                cursor=self._cursor, kind=ChangeKind.CASE_STATUS, key=str(case_id),
                version=version, data=data), self.clock.now())

    def today(self, day: date) -> None:
        self.clock.set(morning(day))


def build_module(database: Database, clock: FixedClock) -> Module:
    service = CaseService(database, clock)
    cases = ModuleCases(database, clock)
    return Module(database, clock, service, cases, CaseFollowUp(database, cases, service),
                  BoardService(database, clock, cases), Exporter(database, clock, cases))


@pytest.fixture
def module(enrolled: Database, clock: FixedClock) -> Module:
    return build_module(enrolled, clock)
