"""Retention: free text of records the server acknowledged long enough ago is blanked."""

from datetime import datetime, timedelta

from sqlmodel import select

from kiosk.clock import FixedClock
from kiosk.services.cases import CaseService
from kiosk.services.surveys import SurveyService
from kiosk.storage.db import Database
from kiosk.storage.models import Case, OutboxEntry, SurveyResponse
from kiosk.storage.outbox import next_batch
from kiosk.storage.retention import (
    purge_acknowledged_case_text,
    purge_acknowledged_survey_comments,
)
from kiosk.sync import outbox
from tests.kiosk.storage.factories import START, case_draft, survey_draft
from trato.protocol.wire import RecordResult, RecordStatus


def _ack_cases(database: Database, when: datetime) -> None:
    with database.write() as session:
        ids = [e.id for e in next_batch(session, limit=100, now=when)]
        outbox.mark_sending(session, ids=ids, now=when)
        outbox.apply_results(
            session,
            results=[RecordResult(id=i, status=RecordStatus.STORED) for i in ids],
            now=when,
        )


def test_purge_blanks_text_of_cases_acknowledged_before_the_retention(
    enrolled: Database, clock: FixedClock
) -> None:
    service = CaseService(enrolled, clock)
    old = service.submit(case_draft())
    _ack_cases(enrolled, clock.now())
    clock.advance(days=31)
    recent = service.submit(case_draft())
    _ack_cases(enrolled, clock.now())
    unsent = service.submit(case_draft())
    with enrolled.write() as session:
        purged = purge_acknowledged_case_text(
            session, now=clock.now(), retention=timedelta(days=30)
        )
        assert purged == 1
        assert (
            purge_acknowledged_case_text(
                session, now=clock.now(), retention=timedelta(days=30)
            )
            == 0
        )
    with enrolled.read() as session:
        cases = {c.id: c for c in session.exec(select(Case)).all()}
        entries = {e.id: e for e in session.exec(select(OutboxEntry)).all()}
    gone = cases[old.id]
    assert (gone.narrative, gone.request, gone.staff_involved) == ("", "", "")
    assert gone.text_purged_at == clock.now()
    assert gone.folio == old.folio and gone.created_at == old.created_at
    assert gone.acknowledged_at is not None and gone.sealed_personal is not None
    body = entries[old.id].wire_record().body
    assert (body.narrative, body.request, body.staff_involved) == ("", "", "")  # type: ignore[union-attr]
    assert body.folio == old.folio  # type: ignore[union-attr]
    for kept in (recent.id, unsent.id):
        assert cases[kept].narrative and cases[kept].text_purged_at is None
        assert entries[kept].wire_record().body.narrative  # type: ignore[union-attr]


def test_purge_never_touches_a_case_whose_entry_is_not_sent(
    enrolled: Database, clock: FixedClock
) -> None:
    saved = CaseService(enrolled, clock).submit(case_draft())
    with enrolled.write() as session:
        # Acknowledged on the record but its entry was later retried (set aside → waiting).
        session.get(Case, saved.id).acknowledged_at = START - timedelta(days=90)  # type: ignore[union-attr]
        assert (
            purge_acknowledged_case_text(
                session, now=clock.now(), retention=timedelta(days=30)
            )
            == 0
        )
    with enrolled.write() as session:
        session.delete(session.get(OutboxEntry, saved.id))
        # A case with no entry at all (never expected) is still purged by its acknowledgement.
        assert (
            purge_acknowledged_case_text(
                session, now=clock.now(), retention=timedelta(days=30)
            )
            == 1
        )


def test_purge_blanks_comments_of_acknowledged_surveys_only_after_the_retention(
    database: Database, clock: FixedClock
) -> None:
    service = SurveyService(database, clock)
    old = service.submit(survey_draft(comment="La doctora Pérez me atendió con calma"))
    _ack_cases(database, clock.now())
    clock.advance(days=31)
    recent = service.submit(survey_draft(comment="Gracias"))
    _ack_cases(database, clock.now())
    unsent = service.submit(survey_draft(comment="Sin enviar"))
    retention = timedelta(days=30)
    with database.write() as session:
        assert (
            purge_acknowledged_survey_comments(session, now=clock.now(), retention=retention)
            == 1
        )
        assert (
            purge_acknowledged_survey_comments(session, now=clock.now(), retention=retention)
            == 0
        )
    with database.read() as session:
        rows = {r.id: r for r in session.exec(select(SurveyResponse)).all()}
        entries = {e.id: e for e in session.exec(select(OutboxEntry)).all()}
    assert rows[old.id].comment == "" and rows[old.id].rating is not None
    assert entries[old.id].wire_record().body.comment == ""  # type: ignore[union-attr]
    assert rows[recent.id].comment == "Gracias"
    assert rows[unsent.id].comment == "Sin enviar"
    assert entries[unsent.id].wire_record().body.comment == "Sin enviar"  # type: ignore[union-attr]
