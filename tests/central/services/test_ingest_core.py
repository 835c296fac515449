"""The ingest service directly: the record-by-record fallback and the folio race."""

import uuid

from sqlalchemy import func, select

from central.db import write_session
from central.models import Case, IngestedRecord, Kiosk
from central.services.ingest import ingest
from tests.support.central import case_record, survey_record
from trato.protocol.wire import RecordStatus


def _kiosk(db, kiosk_id: str) -> Kiosk:
    with db() as s:
        return s.get(Kiosk, uuid.UUID(kiosk_id))


def test_one_by_one_mode_answers_like_the_bulk_mode(kiosk, db, central_app):
    k = _kiosk(db, kiosk.kiosk_id)
    first = case_record(1, unit_number=kiosk.unit_number, kiosk_number=kiosk.kiosk_number)
    records = [survey_record(1), first, survey_record(2, rating=9)]
    with write_session(central_app.state.engine) as s:
        out = ingest(s, k, records, batch_id=uuid.uuid4(), one_by_one=True)
        s.commit()
    assert [r.status for r in out.results] == [RecordStatus.STORED, RecordStatus.STORED,
                                               RecordStatus.REJECTED]
    # A different record that reuses the folio, inserted past the pre-check (the race the
    # fallback exists for): the savepoint keeps the rest of the batch.
    clash = case_record(1, unit_number=kiosk.unit_number, kiosk_number=kiosk.kiosk_number)
    with write_session(central_app.state.engine) as s:
        import central.services.ingest.core as ingest_core

        original = ingest_core.check_semantics
        ingest_core.check_semantics = lambda *a, **kw: None
        try:
            out = ingest(s, k, [clash, survey_record(3), records[0]], batch_id=uuid.uuid4(),
                         one_by_one=True)
        finally:
            ingest_core.check_semantics = original
        s.commit()
    assert [r.status for r in out.results] == [RecordStatus.CONFLICT, RecordStatus.STORED,
                                               RecordStatus.DUPLICATE]
    assert "folio" in (out.results[0].reason or "")
    with db() as s:
        assert s.execute(select(func.count()).select_from(Case)).scalar_one() == 1
        assert s.get(IngestedRecord, uuid.UUID(clash["id"])) is None
