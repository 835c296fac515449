"""The checks that need the database (central.services.ingest.checks): a folio's check
character and owner, a folio twice in one batch, the case a kiosk event names."""

import uuid

from sqlalchemy import func, select

from central.db import write_session
from central.models import Case, CaseEvent, Kiosk
from central.services.ingest import ingest
from tests.support.central import TestKiosk, case_event_record, case_record, survey_record
from trato.protocol.wire import RecordStatus


def _ingest(central_app, kiosk: TestKiosk, records: list[dict]) -> list[tuple[str, str]]:
    with write_session(central_app.state.engine) as s:
        k = s.get(Kiosk, uuid.UUID(kiosk.kiosk_id))
        out = ingest(s, k, records, batch_id=uuid.uuid4())
        s.commit()
    return [(r.status.value, r.reason or "") for r in out.results]


def _case(kiosk: TestKiosk, seq: int, **body) -> dict:
    return case_record(seq, unit_number=kiosk.unit_number, kiosk_number=kiosk.kiosk_number,
                       **body)


def test_a_folio_twice_in_one_batch_stores_the_first_only(kiosk, db, central_app):
    first = _case(kiosk, 1)
    again = _case(kiosk, 1, narrative="Otra cosa con el mismo folio.")
    answers = _ingest(central_app, kiosk, [first, again, survey_record(2)])
    assert answers == [("stored", ""), ("conflict", "folio repeated in the batch"),
                       ("stored", "")]
    with db() as s:
        assert s.execute(select(func.count()).select_from(Case)).scalar_one() == 1


def test_a_wrong_check_character_is_rejected_with_the_folio_named(kiosk, central_app):
    record = _case(kiosk, 3)
    folio = record["body"]["folio"]
    record["body"]["folio"] = folio[:-1] + ("1" if folio[-1] != "1" else "2")
    [(status, reason)] = _ingest(central_app, kiosk, [record])
    assert status == RecordStatus.REJECTED.value and reason.startswith("body.folio: ")


def test_a_kiosk_event_needs_a_case_of_its_own_unit(kiosk, issue, client, db, central_app):
    """A case filed in the same batch counts; a case of another unit is refused as unknown,
    so a kiosk learns nothing about other units' cases."""
    other = TestKiosk.enrol("http://testserver", issue("BCIMS000039"), client=client)
    elsewhere = _case(other, 1)
    assert _ingest(central_app, other, [elsewhere]) == [("stored", "")]
    mine = _case(kiosk, 1)
    answers = _ingest(central_app, kiosk, [
        case_event_record(2, mine["id"], note="Se llamó a la persona"),
        mine,
        case_event_record(3, elsewhere["id"], stage="cerrado"),
    ])
    assert answers == [("stored", ""), ("stored", ""),
                       ("rejected", "body.case_id: no such case in this kiosk's unit")]
    with db() as s:
        assert s.get(Case, uuid.UUID(elsewhere["id"])).stage == "recepcion"
        notes = s.execute(select(CaseEvent.note).where(
            CaseEvent.case_id == uuid.UUID(mine["id"]), CaseEvent.source == "kiosk",
            CaseEvent.record_id.is_not(None))).scalars().all()
    assert notes == ["Se llamó a la persona"]


def test_a_kiosk_stage_change_must_follow_the_case_stage(kiosk, db, central_app):
    """trato.domain.stages on the server too: one step at a time, a closed case only
    reopens; the batch's own earlier changes count, and a repeat of a stored event stays a
    duplicate even after the case moved on."""
    case = _case(kiosk, 1)
    step = case_event_record(2, case["id"], stage="integracion", event_type="stage")
    answers = _ingest(central_app, kiosk, [
        case, step,
        case_event_record(3, case["id"], stage="dictamen", event_type="stage"),
        case_event_record(4, case["id"], stage="investigacion", event_type="stage"),
        case_event_record(5, case["id"], stage="recepcion", event_type="stage"),
        case_event_record(6, case["id"], stage="dictamen", event_type="reopen"),
    ])
    assert answers == [
        ("stored", ""), ("stored", ""),
        ("rejected", "body.stage: stage_skips (integracion -> dictamen)"),
        ("stored", ""),
        ("rejected", "body.stage: stage_backwards (investigacion -> recepcion)"),
        ("rejected", "body.stage: stage_not_closed (investigacion -> dictamen)"),
    ]
    with db() as s:
        assert s.get(Case, uuid.UUID(case["id"])).stage == "investigacion"
    # The first change sent again (its answer was lost): a duplicate, not a backwards move.
    assert _ingest(central_app, kiosk, [step]) == [("duplicate", "")]
