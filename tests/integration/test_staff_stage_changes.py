"""Stage changes an agent makes at the module reach a real central server (uvicorn,
PostgreSQL): an allowed one is applied there; one the server's stage no longer allows is
refused by the server too and comes back set aside, with the reason on the case detail."""

from pathlib import Path

import pytest

from kiosk.clock import SystemClock
from kiosk.services.case_follow_up import CaseFollowUp
from kiosk.services.cases import CaseService
from kiosk.services.module_cases import ModuleCases
from tests.faults.sync_support import (
    central_python,
    central_sql,
    issue_token,
    load_small_catalogue,
    make_kiosk,
)
from tests.kiosk.storage.factories import case_draft
from tests.support.central import running_central
from trato.domain.enums import CaseStage

pytestmark = pytest.mark.postgres

MOVE_ON_SERVER = """
import uuid
from sqlmodel import Session
from central.db import make_engine
from central.models import Case
from central.settings import load_settings
engine = make_engine(load_settings().database_url)
with Session(engine) as s:
    case = s.get(Case, uuid.UUID("{case_id}"))
    case.stage = "dictamen"
    s.add(case)
    s.commit()
"""


def test_allowed_and_refused_stage_changes_reach_the_server(pg_url: str,
                                                            tmp_path: Path) -> None:
    with running_central(pg_url, tmp_path / "central", load_catalogue=False) as central:
        load_small_catalogue(central, tmp_path)
        kiosk = make_kiosk(tmp_path / "kiosk", central.base_url, issue_token(central))
        clock = SystemClock()
        service = CaseService(kiosk.database, clock)
        cases = ModuleCases(kiosk.database, clock)
        follow_up = CaseFollowUp(kiosk.database, cases, service)
        case_id = service.submit(case_draft()).id
        follow_up.change_stage(case_id, CaseStage.INTEGRACION, agent="Lupita Reyes",
                               can_read_sensitive=False)
        engine = kiosk.engine()
        assert engine.run_round().ok
        (stage,) = central_sql(central, 'SELECT stage FROM "case" WHERE id = :i', i=case_id)
        assert stage[0] == "integracion"
        # The server moves the case on (without telling the kiosk yet): the kiosk's next
        # step is a skip backwards for the server, which refuses it.
        central_python(central, MOVE_ON_SERVER.format(case_id=case_id))
        follow_up.change_stage(case_id, CaseStage.INVESTIGACION, agent="Lupita Reyes",
                               can_read_sensitive=False)
        engine.run_round()
        (stage,) = central_sql(central, 'SELECT stage FROM "case" WHERE id = :i', i=case_id)
        assert stage[0] == "dictamen"
        detail = follow_up.detail(case_id, can_read_sensitive=False)
        refused = [e for e in detail.timeline if e.state == "set_aside"]
        assert len(refused) == 1 and refused[0].problem == "stage_backwards"
        assert refused[0].stage is CaseStage.INVESTIGACION
