"""Shared fixtures and factories for store, service, outbox and sync tests (real SQLite files).

Conftests import the fixtures from here: ``from tests.kiosk.storage.factories import *``.
"""

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from nacl.public import PrivateKey
from sqlmodel import select

from kiosk.clock import FixedClock
from kiosk.services.drafts import CaseDraft, PersonalData, SurveyDraft
from kiosk.storage.db import Database, open_database
from kiosk.storage.identity import save_identity
from kiosk.storage.models import OutboxEntry
from trato.domain.enums import CaseType, Channel
from trato.protocol.sealing import public_key_b64
from trato.protocol.wire import EnrolmentResponse, UnitConfig

START = datetime(2026, 3, 2, 15, 30, tzinfo=UTC)
#: A valid NSS (Luhn) and CURP (RENAPO check digit) for tests; not real people.
VALID_NSS = "12345678903"
VALID_CURP = "GOMA800101MDFRRR00"


def make_enrolment(
    sealing_public_key: str, *, unit_number: int = 1234, kiosk_number: int = 7
) -> EnrolmentResponse:
    return EnrolmentResponse(
        kiosk_id=uuid.UUID("11111111-2222-4333-8444-555555555555"),
        sealing_public_key=sealing_public_key,
        server_time=START,
        unit=UnitConfig(
            clues="DFIMS000123",
            name="UMF 28 Gabriel Mancera",
            unit_number=unit_number,
            kiosk_number=kiosk_number,
            module_id=uuid.UUID("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"),
            module_name="Módulo de Trato Digno PB",
            ooad_code="DF-SUR",
            tracking_base_url="https://trato.example.mx/",
        ),
        settings={"retention_days": 30},
    )


def survey_draft(**overrides: object) -> SurveyDraft:
    values: dict[str, object] = {
        "instrument_id": "trato-general",
        "instrument_version": 1,
        "language": "es",
        "channel": Channel.KIOSK,
        "service_code": "consulta_externa",
        "rating": 4,
        "reasons": ("tiempo_espera",),
        "comment": "Me atendieron bien 👍",
        "duration_ms": 15_000,
    }
    values.update(overrides)
    return SurveyDraft(**values)  # type: ignore[arg-type]


def personal_data(**overrides: object) -> PersonalData:
    values: dict[str, object] = {
        "filer_name": "María Guadalupe Gómez",
        "beneficiary_name": "José Pérez Ruiz",
        "nss": VALID_NSS,
        "curp": VALID_CURP,
        "phone": "5512345678",
        "email": "maria@correo.mx",
        "address": "Calle 5 de Mayo 12",
        "postal_code": "03100",
        "assigned_clinic": "UMF 28",
        "filer_is_beneficiary": False,
        "cannot_sign": False,
    }
    values.update(overrides)
    return PersonalData(**values)  # type: ignore[arg-type]


def case_draft(**overrides: object) -> CaseDraft:
    values: dict[str, object] = {
        "case_type": CaseType.QUEJA,
        "channel": Channel.KIOSK,
        "language": "es",
        "service_code": "urgencias",
        "categories": ("trato_grosero",),
        "narrative": "El 2 de marzo a las 9:00 esperé tres horas en urgencias.",
        "request": "Que me atiendan con respeto.",
        "staff_involved": "Recepcionista del turno matutino",
        "personal": personal_data(),
        "privacy_notice_version": "2025-12",
        "consent_given": True,
    }
    values.update(overrides)
    return CaseDraft(**values)  # type: ignore[arg-type]


def add_surveys(database: Database, clock: FixedClock, n: int) -> list[uuid.UUID]:
    """Submit ``n`` survey responses a minute apart; their ids, oldest first."""
    from kiosk.services.surveys import SurveyService

    service = SurveyService(database, clock)
    ids = []
    for _ in range(n):
        ids.append(service.submit(survey_draft()).id)
        clock.advance(60)
    return ids


def outbox_entries(database: Database) -> dict[uuid.UUID, OutboxEntry]:
    with database.read() as session:
        return {e.id: e for e in session.exec(select(OutboxEntry)).all()}


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "kiosk.db"


@pytest.fixture
def database(db_path: Path) -> Iterator[Database]:
    db = open_database(db_path).database
    yield db
    db.close()


@pytest.fixture
def server_key() -> PrivateKey:
    """The central server's sealing key pair (the kiosk only ever gets the public half)."""
    return PrivateKey.generate()


@pytest.fixture
def enrolled(database: Database, server_key: PrivateKey) -> Database:
    with database.write() as session:
        save_identity(
            session,
            enrolment=make_enrolment(public_key_b64(server_key)),
            server_url="https://central.example.mx",
        )
    return database
