"""Schema migrations: a database made by the first release upgrades with every record intact,
the models match the migrated schema, and a database newer than the code is refused."""

import shutil
import sqlite3
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import col, select

from kiosk.clock import FixedClock
from kiosk.services.cases import CaseService
from kiosk.services.errors import DatabaseNewerThanCode
from kiosk.storage.db import open_database
from kiosk.storage.migrate import head_revision
from kiosk.storage.models import (
    Case,
    CaseEvent,
    CaseStatus,
    KioskIdentity,
    KioskSetting,
    KioskTable,
    OutboxEntry,
    SurveyResponse,
    SyncState,
)
from tests.kiosk.storage.factories import case_draft
from trato.domain.deadlines import resolution_due
from trato.domain.enums import CaseType
from trato.domain.folio import parse_folio
from trato.protocol.wire import CaseBody, SurveyResponseBody

DATA = Path(__file__).resolve().parents[2] / "data"
T0 = datetime(2026, 1, 10, 15, 0, tzinfo=UTC)


@pytest.fixture
def old_db(tmp_path: Path) -> Path:
    target = tmp_path / "kiosk.db"
    shutil.copyfile(DATA / "kiosk-0001.db", target)
    return target


def test_a_first_release_database_upgrades_with_every_record_intact(old_db: Path) -> None:
    result = open_database(old_db)
    db = result.database
    assert (result.revision_before, result.revision) == ("0001", head_revision())
    assert result.quarantined_to is None
    assert db.integrity_check() == ["ok"]
    with db.read() as session:
        surveys = session.exec(
            select(SurveyResponse).order_by(col(SurveyResponse.created_at))
        ).all()
        cases = session.exec(select(Case).order_by(col(Case.sequence))).all()
        events = session.exec(select(CaseEvent)).all()
        entries = session.exec(select(OutboxEntry).order_by(col(OutboxEntry.seq))).all()
        identity = session.get(KioskIdentity, 1)
        setting = session.get(KioskSetting, "retention_days")
        state = session.get(SyncState, 1)
        assert session.exec(select(CaseStatus)).all() == []  # new in 0002, empty

    assert [s.rating for s in surveys] == [5, 1]
    assert surveys[0].comment == "Muy bien atendida 😊"
    assert surveys[0].answers == {"limpieza": 5} and surveys[0].reasons == ["trato_amable"]
    assert surveys[0].created_at == T0.replace(minute=1)

    assert [c.case_type for c in cases] == [CaseType.QUEJA, CaseType.RECONOCIMIENTO]
    assert [parse_folio(c.folio).sequence for c in cases] == [1, 2]
    assert cases[0].narrative == "Me gritaron en la ventanilla. مرحبا"
    assert cases[0].categories == ["trato_grosero", "acoso"] and cases[0].sensitive
    # 0003: the first name and the third digit are gone from the masks
    assert cases[0].masked_personal == {"filer_name": "M. G.", "nss": "•••••••••03"}
    assert cases[0].acknowledged_at == T0.replace(minute=30)
    assert cases[0].text_purged_at is None  # the column 0002 added
    assert cases[1].recognised_person == "Enf. Lupita" and cases[1].sealed_personal is None
    # 0005: the queja's deadlines from its filing day (Saturday 10 January, local time), as
    # a queja filed now keeps them; none for a reconocimiento.
    assert cases[0].completion_due == "2026-01-16"
    assert cases[0].resolution_due == resolution_due(date(2026, 1, 10)).isoformat()
    assert (cases[1].completion_due, cases[1].resolution_due) == (None, None)

    assert [e.note for e in events] == ["Se llamó a la persona"]
    assert events[0].case_id == cases[0].id

    assert [(e.seq, e.kind, e.state) for e in entries] == [
        (1, "survey_response", "waiting"),
        (2, "survey_response", "waiting"),
        (3, "case", "sent"),
        (4, "case", "waiting"),
        (5, "case_event", "waiting"),
    ]
    first = entries[0].wire_record()
    assert isinstance(first.body, SurveyResponseBody) and first.body.rating == 5
    third = entries[2].wire_record()
    assert isinstance(third.body, CaseBody) and third.body.folio == cases[0].folio
    assert third.sealed == cases[0].sealed_personal
    for entry in entries:  # the frozen wire JSON is unchanged, byte for byte
        assert entry.wire_record().model_dump_json() == entry.payload

    assert identity is not None and identity.unit_number == 561 and identity.kiosk_number == 7
    assert identity.kiosk_id == uuid.UUID("0d7f6f3e-4a51-4c58-9a1b-3f3c1f0e0001")
    assert setting is not None and setting.value == 30
    assert state is not None and state.pull_cursor == 42 and state.clock_offset_seconds == -1.5
    db.close()


def test_after_the_upgrade_numbering_continues(old_db: Path) -> None:
    db = open_database(old_db).database
    saved = CaseService(db, FixedClock()).submit(case_draft(personal=None, consent_given=False))
    folio = parse_folio(saved.folio)
    assert (folio.unit_number, folio.kiosk_number, folio.sequence) == (561, 7, 3)
    with db.read() as session:
        entry = session.get(OutboxEntry, saved.id)
    assert entry is not None and entry.seq == 6
    db.close()


def test_opening_twice_migrates_once(old_db: Path) -> None:
    open_database(old_db).database.close()
    again = open_database(old_db)
    assert again.revision_before == again.revision == head_revision()
    again.database.close()


def test_the_models_match_the_migrated_schema(tmp_path: Path) -> None:
    db = open_database(tmp_path / "kiosk.db").database
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, KioskTable.metadata)
    # The kiosk has its own metadata: nothing of the central server's can be in the diff.
    assert {t.name for t in KioskTable.metadata.sorted_tables} >= {"case_record", "outbox_entry"}
    relevant = diff
    assert relevant == []
    db.close()


def test_a_database_newer_than_the_code_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    open_database(path).database.close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseNewerThanCode) as info:
        open_database(path)
    assert "9999" in str(info.value) and info.value.code == "database_newer_than_code"
    assert path.read_bytes() == before
    assert list(tmp_path.glob("*.damaged-*")) == []
