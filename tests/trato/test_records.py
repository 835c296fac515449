"""The fields of a case and of a survey response are defined once (:mod:`trato.records`).

The wire form of a record must stay byte for byte what it was: the central server stores a
SHA-256 of it (the content hash) and answers a kiosk's resend with ``duplicate`` only when the
hash matches, so field order and spelling are part of the protocol. The digests below were
taken from the protocol before the field lists moved; a change to them is a protocol change.
"""

import hashlib
import uuid
from datetime import UTC, datetime

import pytest

from trato.protocol.wire import WireRecord

T0 = datetime(2026, 3, 1, 15, 20, 0, 123456, tzinfo=UTC)
RECORDS = {
    "survey, every field": {
        "id": str(uuid.UUID(int=1)), "seq": 7, "created_at": T0.isoformat(),
        "body": {"kind": "survey_response", "instrument_id": "trato-general",
                 "instrument_version": 3, "language": "es", "channel": "kiosk_assisted",
                 "service_code": "urgencias", "rating": 2, "reasons": ["espera", "trato"],
                 "comment": 'Atención "rápida" \\ ñandú \u2603',
                 "answers": {"q1": "sí", "q2": 2, "q3": None}, "duration_ms": 9000,
                 "probable_misuse": True},
    },
    "survey, defaults": {
        "id": str(uuid.UUID(int=2)), "seq": 8, "created_at": T0.isoformat(),
        "body": {"kind": "survey_response", "instrument_id": "trato-general",
                 "instrument_version": 1, "language": "es", "channel": "kiosk",
                 "service_code": None, "rating": None, "duration_ms": 0},
    },
    "case, every field": {
        "id": str(uuid.UUID(int=3)), "seq": 9, "created_at": T0.isoformat(),
        "body": {"kind": "case", "folio": "0039-0001-000K", "case_type": "reconocimiento",
                 "channel": "kiosk", "language": "es", "service_code": "farmacia",
                 "categories": ["trato_amable", "acoso"], "sensitive": True,
                 "narrative": "Me atendieron muy bien.\nGracias", "request": "Que lo sepan",
                 "staff_involved": "Dra. Pérez", "recognised_person": "Enf. Lupita",
                 "publish_recognition": True, "has_contact": True,
                 "privacy_notice_version": "2026-01", "consent_given": True,
                 "catalogue_version": 4, "from_survey_id": str(uuid.UUID(int=1))},
        "sealed": "c2VhbGVk",
    },
    "case, defaults": {
        "id": str(uuid.UUID(int=4)), "seq": 10, "created_at": T0.isoformat(),
        "body": {"kind": "case", "folio": "003900010002", "case_type": "queja",
                 "channel": "kiosk", "language": "es", "service_code": None},
    },
    "case event": {
        "id": str(uuid.UUID(int=5)), "seq": 11, "created_at": T0.isoformat(),
        "body": {"kind": "case_event", "case_id": str(uuid.UUID(int=3)), "event_type": "note",
                 "stage": "integracion", "note": "Se llamó", "agent": "Ana"},
    },
}
DIGESTS = {
    "survey, every field": "67ee5b1037439cf35403740bfc659039ec82473f11b3c7ddd8a360d42b1d3cd9",
    "survey, defaults": "1c3b3ac86d31a6c989ff8d1a51fe2cf17a70d4b4486895cf47394c684bf6c412",
    "case, every field": "e9a82a03d290f3cae8ab4e8ef803eba321486a949c9d2d5d6d2db444feb3c413",
    "case, defaults": "6497be93a8475dd350692c4232072522f6d3c70b175e762eb2b8fe72b669e41a",
    "case event": "df3574d075b9ccf55a14e23654a906d600469f1af0146e05e10a6dc5db2cd46f",
}


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_the_wire_form_of_every_record_kind_is_unchanged(name: str) -> None:
    dumped = WireRecord.model_validate(RECORDS[name]).model_dump_json().encode()
    assert hashlib.sha256(dumped).hexdigest() == DIGESTS[name], dumped
