"""CaseService on a real SQLite file: rows checked field by field."""

import json
import uuid

import pytest
from nacl.public import PrivateKey
from sqlmodel import select

from kiosk.clock import FixedClock
from kiosk.services.cases import CaseService, is_sensitive, tracking_url
from kiosk.services.errors import InvalidDraft, KnownError, NotEnrolled
from kiosk.storage.db import Database
from kiosk.storage.models import Case, Counter, OutboxEntry
from kiosk.storage.outbox import OutboxState
from tests.kiosk.storage.factories import START, VALID_CURP, VALID_NSS, case_draft, personal_data
from trato.domain.enums import CaseType, Channel, RecordKind
from trato.domain.folio import make_folio, parse_folio
from trato.protocol.sealing import open_json
from trato.protocol.wire import CaseBody


def _all(db: Database, model: type) -> list:
    with db.read() as session:
        return list(session.exec(select(model)).all())


def test_a_case_is_stored_field_by_field_with_its_outbox_entry(
    enrolled: Database, clock: FixedClock, server_key: PrivateKey
) -> None:
    saved = CaseService(enrolled, clock).submit(case_draft())

    [case] = _all(enrolled, Case)
    assert case.id == saved.id
    assert case.folio == saved.folio
    assert len(saved.folio) == 14 and saved.folio.count("-") == 2  # grouped as shown
    folio = parse_folio(saved.folio)
    assert (folio.unit_number, folio.kiosk_number, folio.sequence) == (1234, 7, 1)
    assert str(folio) == saved.folio
    assert case.sequence == 1
    assert case.created_at == START == saved.created_at
    assert case.created_at.tzinfo is not None
    assert case.case_type == CaseType.QUEJA
    assert case.channel == Channel.KIOSK
    assert case.language == "es"
    assert case.service_code == "urgencias"
    assert case.categories == ["trato_grosero"]
    assert case.sensitive is False and saved.sensitive is False
    assert case.narrative == "El 2 de marzo a las 9:00 esperé tres horas en urgencias."
    assert case.request == "Que me atiendan con respeto."
    assert case.staff_involved == "Recepcionista del turno matutino"
    assert case.recognised_person == ""
    assert case.publish_recognition is False
    assert case.has_contact is True
    assert case.filer_is_beneficiary is False
    assert case.cannot_sign is False
    assert case.privacy_notice_version == "2025-12"
    assert case.consent_given is True
    assert case.catalogue_version == 1
    assert case.from_survey_id is None
    assert case.acknowledged_at is None
    assert case.text_purged_at is None
    assert case.masked_personal == {
        "filer_name": "M. G.",
        "beneficiary_name": "J. P.",
        "nss": "•••••••••03",
        "curp": "••••••••••••••••00",
        "phone": "••••••••78",
        "email": "m•••@•••",
        "address": "••••••",
        "postal_code": "03•••",
        "assigned_clinic": "••••••",
    }
    assert saved.tracking_url == "https://trato.example.mx/folio/" + folio.compact

    # Only the server can open the sealed box, and it holds every clear value.
    assert case.sealed_personal is not None
    opened = open_json(server_key, case.sealed_personal)
    assert opened["nss"] == VALID_NSS and opened["curp"] == VALID_CURP
    assert opened["filer_name"] == "María Guadalupe Gómez"
    assert opened["filer_is_beneficiary"] is False

    [entry] = _all(enrolled, OutboxEntry)
    assert entry.id == case.id
    assert entry.kind == RecordKind.CASE
    assert entry.state == OutboxState.WAITING
    assert entry.seq == 1 and entry.attempts == 0
    assert entry.next_attempt_at == START
    record = entry.wire_record()
    assert record.id == case.id and record.seq == 1 and record.created_at == START
    assert isinstance(record.body, CaseBody)
    assert record.body.folio == case.folio
    assert record.body.narrative == case.narrative
    assert record.sealed == case.sealed_personal
    assert record.model_dump_json() == entry.payload  # byte-identical on every retry


def test_clear_personal_values_never_reach_the_disk(enrolled: Database, clock: FixedClock) -> None:
    CaseService(enrolled, clock).submit(case_draft())
    enrolled.close()
    raw = b"".join(
        p.read_bytes() for p in enrolled.path.parent.iterdir() if p.name.startswith("kiosk.db")
    )
    for secret in (
        VALID_NSS,
        VALID_CURP,
        "5512345678",
        "maria@correo.mx",
        "Guadalupe",
        "Calle 5 de Mayo",
    ):
        assert secret.encode() not in raw


def test_folios_follow_the_kiosk_sequence_in_one_transaction(
    enrolled: Database, clock: FixedClock
) -> None:
    service = CaseService(enrolled, clock)
    folios = [
        service.submit(case_draft(personal=None, consent_given=False)).folio for _ in range(5)
    ]
    assert [parse_folio(f).sequence for f in folios] == [1, 2, 3, 4, 5]
    entries = _all(enrolled, OutboxEntry)
    assert sorted(e.seq for e in entries) == [1, 2, 3, 4, 5]
    counters = {c.name: c.value for c in _all(enrolled, Counter)}
    assert counters == {"case_seq": 5, "outbox_seq": 5}


@pytest.mark.parametrize("category", ["acoso", "discriminacion", "violencia"])
def test_sensitive_categories_mark_the_case(
    enrolled: Database, clock: FixedClock, category: str
) -> None:
    saved = CaseService(enrolled, clock).submit(case_draft(categories=("trato_grosero", category)))
    assert saved.sensitive
    [case] = _all(enrolled, Case)
    assert case.sensitive
    [entry] = _all(enrolled, OutboxEntry)
    assert json.loads(entry.payload)["body"]["sensitive"] is True


def test_is_sensitive_and_tracking_url_helpers() -> None:
    assert not is_sensitive(())
    assert is_sensitive(["violencia"])
    folio = make_folio(unit_number=1, kiosk_number=2, sequence=3)
    assert tracking_url("https://x.mx///", folio) == f"https://x.mx/folio/{folio.compact}"


def test_a_case_without_personal_data_has_no_sealed_box(
    enrolled: Database, clock: FixedClock
) -> None:
    CaseService(enrolled, clock).submit(
        case_draft(
            case_type=CaseType.SUGERENCIA,
            personal=None,
            consent_given=False,
            privacy_notice_version=None,
        )
    )
    [case] = _all(enrolled, Case)
    assert case.sealed_personal is None
    assert case.masked_personal == {}
    assert case.has_contact is False


def test_recognition_keeps_the_consent_to_publish(enrolled: Database, clock: FixedClock) -> None:
    survey_id = uuid.uuid4()
    CaseService(enrolled, clock).submit(
        case_draft(
            case_type=CaseType.RECONOCIMIENTO,
            categories=(),
            narrative="Gracias 🙏",
            recognised_person="Enfermera Lupita, urgencias",
            publish_recognition=True,
            personal=personal_data(phone="", email="", address=""),
            from_survey_id=survey_id,
            channel=Channel.KIOSK_ASSISTED,
        )
    )
    [case] = _all(enrolled, Case)
    assert case.case_type == CaseType.RECONOCIMIENTO
    assert case.recognised_person == "Enfermera Lupita, urgencias"
    assert case.publish_recognition is True
    assert case.has_contact is False
    assert case.from_survey_id == survey_id
    assert case.channel == Channel.KIOSK_ASSISTED


def test_not_enrolled_writes_nothing(database: Database, clock: FixedClock) -> None:
    with pytest.raises(NotEnrolled) as info:
        CaseService(database, clock).submit(case_draft())
    assert isinstance(info.value, KnownError) and info.value.code == "not_enrolled"
    assert _all(database, Case) == [] and _all(database, OutboxEntry) == []
    assert _all(database, Counter) == []


@pytest.mark.parametrize(
    ("overrides", "field", "problem"),
    [
        ({"narrative": "x" * 10_000}, "narrative", "text_too_long"),
        ({"narrative": "bad \x00 byte"}, "narrative", "text_control_character"),
        ({"request": "y" * 1001}, "request", "text_too_long"),
        ({"personal": personal_data(nss="12345678901")}, "nss", "nss_check_digit"),
        ({"personal": personal_data(curp="GOMA800101MDFRRR05")}, "curp", "curp_check_digit"),
        ({"personal": personal_data(phone="55")}, "phone", "phone_too_short"),
        ({"consent_given": False}, "consent_given", "consent_required"),
        ({"privacy_notice_version": None}, "privacy_notice_version", "required"),
        ({"categories": ("a", "a")}, "categories", "duplicate"),
        ({"language": "x"}, "language", "invalid_language"),
    ],
)
def test_invalid_drafts_are_refused_with_the_problem(
    enrolled: Database, clock: FixedClock, overrides: dict, field: str, problem: str
) -> None:
    with pytest.raises(InvalidDraft) as info:
        CaseService(enrolled, clock).submit(case_draft(**overrides))
    assert isinstance(info.value, ValueError)
    assert (info.value.field, info.value.problem) == (field, problem)
    assert _all(enrolled, Case) == [] and _all(enrolled, OutboxEntry) == []


@pytest.mark.parametrize(
    "text",
    [
        "😡😡😡 tres horas 🏥",
        "مرحبا بالعالم — texto de derecha a izquierda",
        "Tseltal: ja'at, saltillo ꞌ, ñandú, ¿qué? ¡ya!",
        "línea 1\nlínea 2\ttabulada",
        "z" * 4000,
    ],
)
def test_free_text_is_stored_exactly_as_accepted(
    enrolled: Database, clock: FixedClock, text: str
) -> None:
    CaseService(enrolled, clock).submit(case_draft(narrative=text, staff_involved=text[:500]))
    [case] = _all(enrolled, Case)
    assert case.narrative == text
    assert case.staff_involved == text[:500]
    [entry] = _all(enrolled, OutboxEntry)
    assert entry.wire_record().body.narrative == text  # type: ignore[union-attr]
