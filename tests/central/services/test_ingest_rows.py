"""What the ingest's bulk paths write, value by value, on SQLite and PostgreSQL: ids and
timestamps sent to the database as text, text that needs escaping in COPY, the kiosk's health
columns across several batches in one session, the change-log rows of new cases."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import select

from central.db import write_session
from central.models import (
    Case,
    ChangeLog,
    ChangeScope,
    IngestedRecord,
    Instrument,
    Kiosk,
    SurveyResponse,
)
from central.services.changes import case_status_change_row
from central.services.ingest import ingest
from tests.support.central import case_record, survey_record
from trato.domain.folio import parse_folio
from trato.protocol.wire import ChangeKind, RecordStatus, WireRecord
from trato.records import CASE_FIELDS, SURVEY_FIELDS


def test_survey_row_keeps_every_value_and_one_receipt_time(kiosk, db, central_app):
    record = survey_record(
        3, rating=1, reasons=["espera", "trato"],
        comment='tab\there, line\nbreak, back\\slash, "quotes", ñandú \u2603',
        answers={"q1": "sí", "q2": 2, "q3": None},
        created_at="2026-03-01T09:15:30.123456-06:00",
    )
    received = datetime(2026, 3, 1, 15, 20, 0, 654321, tzinfo=UTC)
    with write_session(central_app.state.engine) as s:
        k = s.get(Kiosk, uuid.UUID(kiosk.kiosk_id))
        out = ingest(s, k, [record], batch_id=uuid.uuid4(), received_at=received)
        s.commit()
    assert [r.status for r in out.results] == [RecordStatus.STORED]
    with db() as s:
        row = s.get(SurveyResponse, uuid.UUID(record["id"]))
        ingested = s.get(IngestedRecord, uuid.UUID(record["id"]))
        k = s.get(Kiosk, uuid.UUID(kiosk.kiosk_id))
    assert row.id == ingested.id == uuid.UUID(record["id"])
    assert (row.kiosk_id, row.unit_id, row.module_id) == (k.id, k.unit_id, k.module_id)
    assert (row.ooad_id, row.umae_id) == (k.ooad_id, k.umae_id)
    assert row.comment == record["body"]["comment"]
    assert (row.reasons, row.answers) == (["espera", "trato"], {"q1": "sí", "q2": 2, "q3": None})
    assert row.kiosk_created_at == ingested.kiosk_created_at == datetime(
        2026, 3, 1, 15, 15, 30, 123456, tzinfo=UTC)
    assert row.received_at == ingested.received_at == received


def test_kiosk_health_follows_several_batches_in_one_session(kiosk, db, central_app):
    with write_session(central_app.state.engine) as s:
        k = s.get(Kiosk, uuid.UUID(kiosk.kiosk_id))
        ingest(s, k, [survey_record(5), survey_record(6)], batch_id=uuid.uuid4())
        # The kiosk object in the session reads what the UPDATE wrote.
        assert (k.last_seq, k.records_received) == (6, 2)
        # An older record arriving late counts, but does not move last_seq back.
        ingest(s, k, [survey_record(2)], batch_id=uuid.uuid4(), health={"backlog": 4})
        assert (k.last_seq, k.records_received, k.backlog) == (6, 3, 4)
        s.commit()
    with db() as s:
        stored = s.get(Kiosk, uuid.UUID(kiosk.kiosk_id))
        assert (stored.last_seq, stored.records_received, stored.backlog) == (6, 3, 4)
        assert s.execute(select(IngestedRecord.seq).where(
            IngestedRecord.kiosk_id == stored.id).order_by(IngestedRecord.seq)).scalars().all() \
            == [2, 5, 6]


def test_case_status_changes_are_the_rows_record_changes_writes(kiosk, db, central_app):
    """The ingest writes its case_status changes through record_changes with its COPY writer
    (on PostgreSQL); the rows are the usual ones, in cursor order, and reach the unit's kiosks."""
    cases = [case_record(seq, unit_number=kiosk.unit_number, kiosk_number=kiosk.kiosk_number)
             for seq in (1, 2)]
    with write_session(central_app.state.engine) as s:
        k = s.get(Kiosk, uuid.UUID(kiosk.kiosk_id))
        out = ingest(s, k, cases, batch_id=uuid.uuid4())
        s.commit()
    assert [r.status for r in out.results] == [RecordStatus.STORED] * 2
    with db() as s:
        written = s.execute(select(ChangeLog).order_by(ChangeLog.cursor)).scalars().all()
        written = [c for c in written if c.kind == ChangeKind.CASE_STATUS.value]
        expected = [case_status_change_row(s.get(Case, uuid.UUID(c["id"]))) for c in cases]
        unit_id = s.get(Kiosk, uuid.UUID(kiosk.kiosk_id)).unit_id
    # Cases are stored in id order, so their changes are too.
    assert [(c.kind, c.key, c.version, c.data, c.scope_unit_id, c.scope_kiosk_id)
            for c in written] == sorted(
        (e["kind"], e["key"], e["version"], e["data"], unit_id, None) for e in expected)
    assert {c.scope for c in written} == {ChangeScope.UNIT.value}
    assert all(c.created_at is not None for c in written)
    feed = kiosk.changes(0).json()["changes"]
    assert [(c["key"], c["version"]) for c in feed if c["kind"] == "case_status"] == sorted(
        (c["id"], 1) for c in cases)


def test_every_field_of_a_case_and_a_survey_lands_in_its_row_by_name(kiosk, db, central_app):
    """The rows are built from the body by the field list of trato.records: each field of a
    fully filled-in case and survey response is stored under its own name, as sent (the folio
    in compact form; ``sensitive`` also set by a sensitive category)."""
    case = case_record(
        4, unit_number=kiosk.unit_number, kiosk_number=kiosk.kiosk_number,
        case_type="reconocimiento", channel="kiosk_assisted", service_code="farmacia",
        categories=["trato_amable"], sensitive=True, narrative="Muy bien.\nGracias",
        request="Que lo sepan", staff_involved="Dra. Pérez", recognised_person="Enf. Lupita",
        publish_recognition=True, has_contact=True, privacy_notice_version="2026-01",
        consent_given=True, catalogue_version=4, from_survey_id=str(uuid.uuid4()),
        sealed="c2VhbGVk", registered_by="4471", event_at="2026-02-28T10:00:00-06:00",
        event_unit="HGZ 1", outcome="resuelta", cannot_sign_confirmed_by="4471",
    )
    survey = survey_record(5, rating=2, reasons=["espera"], comment="Lento",
                           answers={"q1": 3}, probable_misuse=True, instrument_version=3,
                           channel="kiosk_assisted", duration_ms=1234)
    with write_session(central_app.state.engine) as s:
        # Version 3 published (the server refuses a response to a version it never had).
        if s.get(Instrument, ("trato-general", 3)) is None:
            s.add(Instrument(instrument_id="trato-general", version=3, title="v3"))
            s.flush()
        k = s.get(Kiosk, uuid.UUID(kiosk.kiosk_id))
        out = ingest(s, k, [case, survey], batch_id=uuid.uuid4())
        s.commit()
    assert [r.status for r in out.results] == [RecordStatus.STORED] * 2
    for record, model, names in ((case, Case, CASE_FIELDS), (survey, SurveyResponse,
                                                              SURVEY_FIELDS)):
        body = WireRecord.model_validate(record).body
        with db() as s:
            row = s.get(model, uuid.UUID(record["id"]))
            stored = {name: getattr(row, name) for name in names}
        sent = body.model_dump(include=set(names))
        assert set(sent) == set(names)  # every field filled in, none left out as empty
        if model is Case:
            sent["folio"] = parse_folio(body.folio).compact
            assert row.sealed_personal == "c2VhbGVk"
        assert stored == sent
