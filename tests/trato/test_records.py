"""The fields of a case and of a survey response are defined once (:mod:`trato.records`).

The wire form of a record must stay byte for byte what it was: the central server stores a
SHA-256 of it (the content hash) and answers a kiosk's resend with ``duplicate`` only when the
hash matches, so field order and spelling are part of the protocol. The digests below were
taken from the protocol before the field lists moved; a change to them is a protocol change.
"""

import dataclasses
import hashlib
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

import pytest
from pydantic import Field as Constraint

from trato.columns import record_columns
from trato.domain.enums import RecordKind
from trato.protocol.wire import CaseBody, SurveyResponseBody, WireRecord, _KindFirst
from trato.records import CaseFields, SurveyFields, field_names

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


# ---------------------------------------------------------------------------- one field list

#: Columns only the kiosk keeps (its clock, the acknowledgement, personal data sealed/masked).
KIOSK_ONLY = {
    "survey": {"id", "created_at", "acknowledged_at"},
    "case": {"id", "sequence", "created_at", "filer_is_beneficiary", "cannot_sign",
             "sealed_personal", "masked_personal", "acknowledged_at", "text_purged_at",
             "completion_due", "resolution_due"},
}
#: Columns only the central server keeps (the kiosk's branch, receipt, follow-up).
BRANCH = {"id", "kiosk_id", "module_id", "unit_id", "ooad_id", "umae_id", "seq",
          "kiosk_created_at", "received_at"}
CENTRAL_ONLY = {
    "survey": BRANCH,
    "case": BRANCH | {"sealed_personal", "stage", "stage_changed_at", "assigned_to_id",
                      "impacto_institucional", "completion_due", "resolution_due", "closed_at",
                      "reopened_count", "recognition_status", "content_hash", "status_version",
                      "updated_at",
                      # the roster member a moderator linked a reconocimiento to (issue 13)
                      "recognised_staff_id"},
}


def layers(kind: str) -> dict[str, Any]:
    """Every layer of a record kind: (field names it has, the names it should have)."""
    from central.models import Case as CentralCase
    from central.models import SurveyResponse as CentralSurvey
    from kiosk.services import drafts
    from kiosk.storage.models import Case as KioskCase
    from kiosk.storage.models import SurveyResponse as KioskSurvey

    if kind == "survey":
        base, body, draft = SurveyFields, SurveyResponseBody, drafts.SurveyDraft
        kiosk, central = KioskSurvey, CentralSurvey
        by_service, draft_extra = drafts.SURVEY_SERVICE_FIELDS, set()
    else:
        base, body, draft = CaseFields, CaseBody, drafts.CaseDraft
        kiosk, central = KioskCase, CentralCase
        by_service, draft_extra = drafts.CASE_SERVICE_FIELDS, {"personal"}
    fields = list(field_names(base))
    return {
        "wire body": (list(body.model_fields), ["kind", *fields]),
        "draft": ({f.name for f in dataclasses.fields(draft)},
                  set(fields) - by_service | draft_extra),
        "kiosk table": ({c.name for c in kiosk.__table__.columns},
                        set(fields) | KIOSK_ONLY[kind]),
        "central table": ({c.name for c in central.__table__.columns},
                          set(fields) | CENTRAL_ONLY[kind]),
    }


def mismatches(found: dict[str, Any]) -> dict[str, Any]:
    return {layer: (have, want) for layer, (have, want) in found.items() if have != want}


@pytest.mark.parametrize("kind", ["survey", "case"])
def test_every_layer_of_a_record_has_the_fields_of_its_base(kind: str) -> None:
    """Draft, wire body, kiosk table and central table hold the base's fields (and only the
    columns each keeps for itself): a field is added to ``trato.records`` and nowhere else."""
    assert mismatches(layers(kind)) == {}


def test_a_field_added_to_one_layer_only_is_caught() -> None:
    from kiosk.services.drafts import CaseDraft

    found = layers("case")
    widened = dataclasses.make_dataclass("CaseDraft", [("priority", int, 0)], bases=(CaseDraft,),
                                         frozen=True)
    found["draft"] = ({f.name for f in dataclasses.fields(widened)}, found["draft"][1])
    assert list(mismatches(found)) == ["draft"]
    assert "priority" in found["draft"][0] - found["draft"][1]


def test_a_field_added_to_the_base_reaches_the_wire_and_both_tables() -> None:
    """The base → table → public layering itself: a body and the tables made from a widened
    base carry the new field, as a body field and as a column typed by its bounds on both
    sides, with no other declaration."""
    from sqlalchemy.orm import registry
    from sqlmodel import Field, SQLModel

    class Widened(CaseFields):
        room: Annotated[str, Constraint(max_length=40)] = ""
        minutes_waited: int = 0

    class Body(Widened, _KindFirst):
        kind: Literal[RecordKind.CASE] = RecordKind.CASE

    assert list(Body.model_fields)[-2:] == ["room", "minutes_waited"]
    assert Body.model_fields.keys() - {"kind"} == set(field_names(Widened))
    for big, integer in ((False, "INTEGER"), (True, "BIGINT")):
        class Probe(SQLModel, registry=registry()):  # a metadata of its own, like the kiosk's
            pass

        class Table(Probe, record_columns(Widened, big_integers=big), table=True):  # type: ignore[misc]
            __tablename__ = "widened_case"
            id: uuid.UUID = Field(primary_key=True)

        columns = Table.__table__.columns
        assert {c.name for c in columns} == {"id", *field_names(Widened)}
        assert (str(columns["room"].type), str(columns["minutes_waited"].type)) == (
            "VARCHAR(40)", integer)


def test_the_kiosks_personal_data_holds_the_sealed_fields_and_two_flags() -> None:
    """The kiosk's ``PersonalData`` and the web desk's form seal the same fields, named once in
    ``trato.records.PERSONAL_FIELDS``; none of them is a plain field of a case."""
    from central.services.desk_form import PERSON_FIELDS as DESK_FIELDS
    from kiosk.services.drafts import PersonalData
    from trato.records import CASE_FIELDS, PERSONAL_FIELDS

    names = [f.name for f in dataclasses.fields(PersonalData)]
    assert names == [*PERSONAL_FIELDS, "filer_is_beneficiary", "cannot_sign"]
    assert DESK_FIELDS == PERSONAL_FIELDS
    assert not set(PERSONAL_FIELDS) & set(CASE_FIELDS)
    assert PersonalData(postal_code="06700").is_empty() is False
    assert PersonalData(cannot_sign=True).is_empty() is True
