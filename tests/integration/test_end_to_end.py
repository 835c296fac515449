"""End to end: a real central server (uvicorn on 127.0.0.1, PostgreSQL) and a real kiosk
store, services and sync client. Records made through the kiosk services arrive exactly
once, field by field; a change made on the server comes back down to the kiosk."""

import uuid
from pathlib import Path

import pytest
from sqlmodel import select

from kiosk.clock import SystemClock
from kiosk.services.cases import CaseService
from kiosk.services.drafts import CaseDraft, PersonalData, SurveyDraft
from kiosk.services.surveys import SurveyService
from kiosk.storage import outbox
from kiosk.storage.models import Case as KioskCase
from kiosk.storage.models import CaseStatus, OutboxEntry
from kiosk.storage.models import SurveyResponse as KioskSurvey
from tests.faults.sync_support import (
    central_private_key,
    central_python,
    central_sql,
    issue_token,
    load_small_catalogue,
    make_kiosk,
)
from tests.support.central import running_central
from trato.domain.enums import CaseStage, CaseType, Channel
from trato.protocol.sealing import open_json

pytestmark = pytest.mark.postgres


SURVEY_FIELDS = ("instrument_id", "instrument_version", "language", "channel",
                 "service_code", "rating", "reasons", "comment", "answers", "duration_ms",
                 "probable_misuse")
CASE_FIELDS = ("case_type", "channel", "language", "service_code", "categories", "sensitive",
               "narrative", "request", "staff_involved", "recognised_person",
               "publish_recognition", "has_contact", "privacy_notice_version", "consent_given",
               "catalogue_version", "sealed_personal")


def _row(central, table: str, columns: tuple[str, ...], record_id: uuid.UUID) -> dict:
    cols = ", ".join(columns)
    rows = central_sql(central, f'SELECT {cols} FROM "{table}" WHERE id = :i',  # noqa: S608
                       i=record_id)
    assert len(rows) == 1, (table, record_id)
    return dict(zip(columns, rows[0], strict=True))


PUBLISH_STAGE = """
import uuid
from sqlmodel import Session
from central.db import make_engine
from central.models import Case
from central.services.changes import publish_case_status
from central.settings import load_settings
engine = make_engine(load_settings().database_url)
with Session(engine) as s:
    case = s.get(Case, uuid.UUID("{case_id}"))
    case.stage = "investigacion"
    case.impacto_institucional = True
    publish_case_status(s, case)
    s.commit()
"""


def test_records_arrive_once_field_by_field_and_changes_come_back(pg_url: str,
                                                                   tmp_path: Path) -> None:
    with running_central(pg_url, tmp_path / "central", load_catalogue=False) as central:
        load_small_catalogue(central, tmp_path)
        kiosk = make_kiosk(tmp_path / "kiosk", central.base_url, issue_token(central))
        kid = kiosk.credentials.kiosk_id
        clock = SystemClock()
        surveys = SurveyService(kiosk.database, clock)
        cases = CaseService(kiosk.database, clock)
        saved_survey = surveys.submit(SurveyDraft(
            instrument_id="trato-general", instrument_version=1, language="es",
            channel=Channel.KIOSK, service_code="urgencias", rating=2,
            reasons=("tiempo_espera",), comment="Mucha espera en urgencias",
            answers={"extra": 3}, duration_ms=12_345))
        personal = PersonalData(filer_name="Rosa Elena Martínez Quiroga",
                                nss="12345678903", phone="5512345678")
        saved_case = cases.submit(CaseDraft(
            case_type=CaseType.QUEJA, channel=Channel.KIOSK, language="es",
            service_code="urgencias", categories=("tiempo_espera",),
            narrative="Esperé cuatro horas sin información.", request="Que me informen.",
            staff_involved="Recepción turno matutino", personal=personal,
            privacy_notice_version="2025-12", consent_given=True))

        engine = kiosk.engine()
        report = engine.run_round()
        assert report.ok, report
        assert report.push.sent == 2

        ingested = central_sql(central, "SELECT id, count(*) FROM ingested_record "
                               "WHERE kiosk_id = :k GROUP BY id", k=kid)
        assert sorted((str(i), n) for i, n in ingested) == sorted(
            [(str(saved_survey.id), 1), (str(saved_case.id), 1)])
        c_survey = _row(central, "survey_response", (*SURVEY_FIELDS, "seq", "kiosk_created_at"),
                        saved_survey.id)
        c_case = _row(central, "case", (*CASE_FIELDS, "folio", "seq", "kiosk_created_at"),
                      saved_case.id)
        (health,) = central_sql(central, "SELECT last_sync_at, clock_offset_seconds, backlog "
                                "FROM kiosk WHERE id = :k", k=kid)
        assert health[0] is not None and health[1] is not None and health[2] >= 0
        with kiosk.database.read() as s:
            k_survey = s.get(KioskSurvey, saved_survey.id)
            k_case = s.get(KioskCase, saved_case.id)
            seqs = {e.id: e.seq for e in s.exec(select(OutboxEntry)).all()}
            assert k_survey.acknowledged_at is not None and k_case.acknowledged_at is not None
            for name in SURVEY_FIELDS:
                assert c_survey[name] == getattr(k_survey, name), name
            assert c_survey["seq"] == seqs[saved_survey.id]
            assert c_survey["kiosk_created_at"] == k_survey.created_at
            for name in CASE_FIELDS:
                assert c_case[name] == getattr(k_case, name), name
            assert c_case["seq"] == seqs[saved_case.id]
            assert c_case["folio"].replace("-", "") == k_case.folio.replace("-", "")
            assert c_case["kiosk_created_at"] == k_case.created_at
            kiosk_folio = k_case.folio
        # The sealed box opens only on the server, with its private key.
        opened = open_json(central_private_key(central), c_case["sealed_personal"])
        assert opened["filer_name"] == personal.filer_name and opened["nss"] == personal.nss

        # A second round sends nothing more: still exactly once.
        assert engine.run_round().push.sent == 0
        assert central_sql(central, "SELECT count(*) FROM ingested_record WHERE kiosk_id = :k",
                           k=kid)[0][0] == 2

        # A change made on the server (the case moves to investigación) comes down.
        central_python(central, PUBLISH_STAGE.format(case_id=saved_case.id))
        assert engine.run_round().ok
        with kiosk.database.read() as s:
            status = s.get(CaseStatus, saved_case.id)
            assert status is not None
            assert status.stage == CaseStage.INVESTIGACION.value
            assert status.impacto_institucional is True
            assert status.folio.replace("-", "") == kiosk_folio.replace("-", "")
            assert outbox.outbox_counts(s).sent == 2
        status = engine.status()
        assert status.ok and status.waiting == 0 and status.last_success_at is not None
        engine.client.close()
        kiosk.close()


def test_enrol_cli_is_silent_and_scriptable(pg_url: str, tmp_path: Path) -> None:
    import json
    import os
    import stat
    import subprocess
    import sys

    with running_central(pg_url, tmp_path / "central", load_catalogue=False) as central:
        load_small_catalogue(central, tmp_path)
        data = tmp_path / "kiosk"
        prov = tmp_path / "provisioning.json"
        prov.write_text(json.dumps({"server": central.base_url, "token": issue_token(central)}))
        run = [sys.executable, "-m", "kiosk.cli"]
        done = subprocess.run(
            [*run, "enroll", "--file", str(prov), "--data-dir", str(data)],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert done.stdout == "" and done.stderr == ""
        creds_dir = data / "credentials"
        assert stat.S_IMODE(os.stat(creds_dir).st_mode) == 0o700
        (cred_file,) = list(creds_dir.iterdir())
        assert stat.S_IMODE(os.stat(cred_file).st_mode) == 0o600
        # Enrolling again without --force is refused with its own exit code.
        again = subprocess.run(
            [*run, "enroll", "--server", central.base_url, "--token",
                                "x" * 20, "--data-dir", str(data)],
                               capture_output=True, text=True, timeout=120)
        assert again.returncode == 3
        # With --force and a new token, IT can enrol the same PC again (e.g. a moved kiosk).
        forced = subprocess.run(
            [*run, "enroll", "--server", central.base_url, "--token", issue_token(central),
             "--data-dir", str(data), "--force"],
            capture_output=True, text=True, timeout=120)
        assert forced.returncode == 0, forced.stderr
        assert forced.stdout == ""
        # A used or unknown token is refused (exit 4) on a fresh kiosk.
        other = subprocess.run(
            [*run, "enroll", "--server", central.base_url, "--token",
                                "not-a-real-token-123", "--data-dir", str(tmp_path / "k2")],
                               capture_output=True, text=True, timeout=120)
        assert other.returncode == 4, other.stderr
        # `status` and `sync` work without the UI.
        status = subprocess.run(
            [*run, "status", "--data-dir", str(data)],
                                capture_output=True, text=True, timeout=120)
        assert status.returncode == 0 and json.loads(status.stdout)["enrolled"] is True
        sync = subprocess.run(
            [*run, "sync", "--data-dir", str(data)],
                              capture_output=True, text=True, timeout=120)
        assert sync.returncode == 0, sync.stdout + sync.stderr
        assert json.loads(sync.stdout)["last_success_at"]
        assert uuid.UUID(json.loads(cred_file.read_text())["kiosk_id"])
