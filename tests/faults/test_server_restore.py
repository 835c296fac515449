"""The central database restored from a backup (pg_dump, then pg_restore into a new database,
as docs/operations.md says to do it): the records a kiosk sent after the backup are sent again
and stored once, and a change the restored server makes reaches the kiosk although its
number is below the kiosk's pull cursor."""

import subprocess
from pathlib import Path

import pytest

from kiosk.clock import SystemClock
from kiosk.services.cases import CaseService
from kiosk.services.surveys import SurveyService
from kiosk.storage.models import CaseStatus
from kiosk.storage.outbox import OutboxState
from tests.faults.sync_support import (
    central_counts,
    central_python,
    issue_token,
    load_small_catalogue,
    make_kiosk,
    outbox_state_ids,
)
from tests.kiosk.storage.factories import case_draft, survey_draft
from tests.support.central import running_central
from tests.support.postgres import PostgresCluster

pytestmark = pytest.mark.postgres

MOVE_ON_SERVER = """
import uuid
from sqlmodel import Session
from central.db import make_engine
from central.models import Case
from central.services.changes import publish_case_status
from central.settings import load_settings
engine = make_engine(load_settings().database_url)
with Session(engine) as s:
    case = s.get(Case, uuid.UUID("{case_id}"))
    case.stage = "integracion"
    publish_case_status(s, case)
    s.commit()
"""


def _pg(cluster: PostgresCluster, tool: str, *args: str) -> None:
    done = subprocess.run([str(cluster.bindir / tool), *args], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr


def test_a_server_restored_from_a_backup_gets_back_what_it_lost(
        pg_cluster: PostgresCluster, tmp_path: Path) -> None:
    live = pg_cluster.create_database()
    dump = tmp_path / "central.dump"
    clock = SystemClock()
    with running_central(live, tmp_path / "central", load_catalogue=False) as central:
        load_small_catalogue(central, tmp_path)
        kiosk = make_kiosk(tmp_path / "kiosk", central.base_url, issue_token(central))
        cases, surveys = CaseService(kiosk.database, clock), SurveyService(kiosk.database, clock)
        first_case = cases.submit(case_draft()).id
        surveys.submit(survey_draft())
        assert kiosk.engine().run_round().ok
        _pg(pg_cluster, "pg_dump", "-Fc", "-f", str(dump), pg_cluster.dsn(live.rsplit("/", 1)[1]))
        # After the backup: one more case and two surveys reach the server (and the case's
        # status change comes back to the kiosk, moving its pull cursor on).
        cases.submit(case_draft(narrative="Después del respaldo me negaron la consulta."))
        surveys.submit(survey_draft())
        surveys.submit(survey_draft())
        report = kiosk.engine().run_round()
        assert report.ok and report.push.sent == 3 and report.pulled >= 1
    sent = outbox_state_ids(kiosk.database, OutboxState.SENT)
    assert len(sent) == 5

    restored = pg_cluster.create_database()
    _pg(pg_cluster, "pg_restore", "--no-owner", "-d", pg_cluster.dsn(restored.rsplit("/", 1)[1]),
        str(dump))
    with running_central(restored, tmp_path / "central", load_catalogue=False) as central:
        assert len(central_counts(restored, kiosk.credentials.kiosk_id).unique) == 2
        # Before the kiosk is back, an agent moves the first case on: the restored server
        # numbers that change below the cursor the kiosk reached before the restore.
        central_python(central, MOVE_ON_SERVER.format(case_id=first_case))
        engine = kiosk.engine(central.base_url)
        assert engine.run_round().ok  # learns what the server lost, queues it again
        second = engine.run_round()
        assert second.ok and second.push.sent == 3, second
        counts = central_counts(restored, kiosk.credentials.kiosk_id)
        assert counts.unique == sent and counts.duplicated == 0
        assert (counts.survey_rows, counts.case_rows) == (3, 2)
        assert outbox_state_ids(kiosk.database, OutboxState.SENT) == sent
        with kiosk.database.read() as session:
            status = session.get(CaseStatus, first_case)
            assert status is not None and status.stage == "integracion"
        # Nothing more to catch up with: the next round sends nothing again.
        third = engine.run_round()
        assert third.ok and third.push.sent == 0
    kiosk.close()
