"""Case events, folio look-up, concurrent writers and free text through the whole store."""

import threading
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import col, select

from kiosk.clock import FixedClock
from kiosk.services.cases import CaseService
from kiosk.services.errors import InvalidDraft
from kiosk.storage.db import Database, open_database
from kiosk.storage.models import Case, CaseEvent, CaseStatus, OutboxEntry
from kiosk.sync import outbox
from tests.kiosk.storage.factories import START, case_draft
from trato.domain import validators as v
from trato.domain.enums import CaseStage, CaseType, RecordKind
from trato.domain.folio import make_folio
from trato.protocol.wire import CaseEventBody, RecordResult, RecordStatus


def test_an_event_is_stored_with_its_outbox_entry(enrolled: Database, clock: FixedClock) -> None:
    service = CaseService(enrolled, clock)
    case = service.submit(case_draft())
    clock.advance(60)
    saved = service.add_event(
        case.id, event_type="stage", stage=CaseStage.INTEGRACION, note="Llamé 📞", agent="TAOD 3"
    )
    assert saved.case_id == case.id and saved.created_at == START + timedelta(seconds=60)
    with enrolled.read() as session:
        event = session.get(CaseEvent, saved.id)
        entry = session.get(OutboxEntry, saved.id)
    assert event is not None and entry is not None
    assert (event.case_id, event.event_type, event.stage, event.note, event.agent) == (
        case.id,
        "stage",
        "integracion",
        "Llamé 📞",
        "TAOD 3",
    )
    assert event.created_at == saved.created_at and event.acknowledged_at is None
    assert entry.kind == RecordKind.CASE_EVENT and entry.seq == 2
    body = entry.wire_record().body
    assert isinstance(body, CaseEventBody)
    assert body.case_id == case.id and body.stage == CaseStage.INTEGRACION


@pytest.mark.parametrize(
    ("kwargs", "field", "problem"),
    [
        ({"event_type": ""}, "event_type", "invalid_code"),
        ({"event_type": "x" * 33}, "event_type", "invalid_code"),
        ({"event_type": "stage", "stage": "limbo"}, "stage", "invalid_choice"),
        ({"event_type": "note", "note": "n" * 2001}, "note", "text_too_long"),
        ({"event_type": "note", "agent": "\x00"}, "agent", "text_control_character"),
    ],
)
def test_bad_events_are_refused(
    enrolled: Database, clock: FixedClock, kwargs: dict, field: str, problem: str
) -> None:
    service = CaseService(enrolled, clock)
    case = service.submit(case_draft())
    with pytest.raises(InvalidDraft) as info:
        service.add_event(case.id, **kwargs)
    assert (info.value.field, info.value.problem) == (field, problem)


def test_an_event_for_an_unknown_case_writes_nothing(enrolled: Database, clock: FixedClock) -> None:
    with pytest.raises(InvalidDraft) as info:
        CaseService(enrolled, clock).add_event(uuid.uuid4(), event_type="note")
    assert info.value.problem == "unknown_case"
    with enrolled.read() as session:
        assert session.exec(select(OutboxEntry)).all() == []


def test_lookup_of_a_folio(enrolled: Database, clock: FixedClock) -> None:
    service = CaseService(enrolled, clock)
    saved = service.submit(case_draft())
    typed = saved.folio.replace("-", " ").lower().replace("0", "o")
    found = service.lookup(typed)
    assert found.folio == saved.folio and found.known
    assert found.case_type == CaseType.QUEJA and found.created_at == START
    assert not found.sent and found.stage is None and found.filed_here and not found.only_stage
    # Not sent yet: the dates the confirmation gave (5 and 50 business days from the filing).
    assert found.received_on == date(2026, 3, 2)
    assert (found.completion_due, found.resolution_due) == (date(2026, 3, 9), date(2026, 5, 13))

    with enrolled.write() as session:
        outbox.mark_sending(session, ids=[saved.id], now=START)
        outbox.apply_results(
            session, results=[RecordResult(id=saved.id, status=RecordStatus.STORED)], now=START
        )
        session.add(
            CaseStatus(
                case_id=saved.id,
                folio=saved.folio,
                stage=CaseStage.INVESTIGACION,
                completion_due="2026-03-09",
                resolution_due="2026-05-14",
                updated_at=START,
            )
        )
    found = service.lookup(saved.folio)
    assert found.sent and found.stage == CaseStage.INVESTIGACION
    assert found.completion_due == date(2026, 3, 9) and found.resolution_due == date(2026, 5, 14)
    assert found.status_updated_at == START


def test_lookup_of_unknown_and_mistyped_folios(enrolled: Database, clock: FixedClock) -> None:
    service = CaseService(enrolled, clock)
    saved = service.submit(case_draft())
    other = str(make_folio(unit_number=1, kiosk_number=2, sequence=3))
    assert service.lookup(other).known is False
    wrong = saved.folio[:-1] + ("0" if saved.folio[-1] != "0" else "1")
    for text in (wrong, "", "hola", "😀" * 12):
        with pytest.raises(InvalidDraft) as info:
            service.lookup(text)
        assert info.value.field == "folio" and info.value.problem == "folio_invalid"


def test_a_status_pulled_for_a_case_filed_elsewhere_is_found(
    enrolled: Database, clock: FixedClock
) -> None:
    folio = str(make_folio(unit_number=9, kiosk_number=9, sequence=9))
    with enrolled.write() as session:
        session.add(
            CaseStatus(case_id=uuid.uuid4(), folio=folio, stage="dictamen", updated_at=START)
        )
    found = CaseService(enrolled, clock).lookup(folio)
    assert found.known and found.case_type is None and found.stage == CaseStage.DICTAMEN
    # Filed elsewhere: whether it is sensitive is not known here, so only its stage.
    assert found.only_stage and not found.filed_here
    assert (found.received_on, found.completion_due, found.status_updated_at) == (None,) * 3


def test_two_writers_on_one_file_never_share_a_number(enrolled: Database) -> None:
    """Two processes' worth of engines (the UI and, say, a CLI) filing at the same time."""
    second = open_database(enrolled.path, migrate_schema=False).database
    errors: list[BaseException] = []

    def work(db: Database) -> None:
        service = CaseService(db, FixedClock(START))
        try:
            for _ in range(25):
                service.submit(case_draft(personal=None, consent_given=False))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(db,)) for db in (enrolled, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    second.close()
    assert errors == []
    with enrolled.read() as session:
        cases = session.exec(select(Case).order_by(col(Case.sequence))).all()
        seqs = [e.seq for e in session.exec(select(OutboxEntry).order_by(col(OutboxEntry.seq)))]
    assert [c.sequence for c in cases] == list(range(1, 51))
    assert len({c.folio for c in cases}) == 50
    assert seqs == list(range(1, 51))


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=v.NARRATIVE_MAX)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(narrative=TEXT, staff=st.text(max_size=600))
def test_whatever_the_validator_accepts_is_stored_exactly(
    tmp_path_factory: pytest.TempPathFactory, narrative: str, staff: str
) -> None:
    db = _shared_db(tmp_path_factory)
    draft = case_draft(
        narrative=narrative, staff_involved=staff, personal=None, consent_given=False
    )
    service = CaseService(db, FixedClock(START))
    accepted = (
        v.validate_free_text(narrative, max_length=v.NARRATIVE_MAX).ok
        and v.validate_free_text(staff, max_length=500).ok
    )
    if not accepted:
        with pytest.raises(InvalidDraft):
            service.submit(draft)
        return
    saved = service.submit(draft)
    with db.read() as session:
        case = session.get(Case, saved.id)
        entry = session.get(OutboxEntry, saved.id)
    assert case is not None and entry is not None
    assert case.narrative == narrative and case.staff_involved == staff
    body = entry.wire_record().body
    assert body.narrative == narrative and body.staff_involved == staff  # type: ignore[union-attr]


_DBS: dict[str, Database] = {}


def _shared_db(factory: pytest.TempPathFactory) -> Database:
    """One enrolled store for all hypothesis examples (a fresh file per example is slow)."""
    key = "fuzz"
    if key not in _DBS:
        from nacl.public import PrivateKey

        from kiosk.storage.identity import save_identity
        from tests.kiosk.storage.factories import make_enrolment
        from trato.protocol.sealing import public_key_b64

        path: Path = factory.mktemp("fuzz") / "kiosk.db"
        db = open_database(path).database
        with db.write() as session:
            save_identity(
                session,
                enrolment=make_enrolment(public_key_b64(PrivateKey.generate())),
                server_url="https://central.example.mx",
            )
        _DBS[key] = db
    return _DBS[key]


@pytest.fixture(scope="module", autouse=True)
def _close_shared_dbs():
    yield
    for db in _DBS.values():
        db.close()
    _DBS.clear()
