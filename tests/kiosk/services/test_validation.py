"""The service's last-line check of drafts (kiosk.services.validation)."""

import pytest

from kiosk.services.errors import InvalidDraft
from kiosk.services.validation import validate_case, validate_survey
from tests.kiosk.storage.factories import case_draft, personal_data, survey_draft
from trato.domain.enums import CaseType, Channel


@pytest.mark.parametrize(
    ("overrides", "field", "problem"),
    [
        ({"channel": "telepathy"}, "channel", "invalid_choice"),
        ({"service_code": "urg\nencias"}, "service_code", "invalid_code"),
        ({"service_code": "x" * 65}, "service_code", "invalid_code"),
        ({"reasons": ("a", "a")}, "reasons", "duplicate"),
        ({"reasons": ("",)}, "reasons", "invalid_code"),
        ({"answers": {"q1": "\x07"}}, "answers", "text_control_character"),
        ({"answers": {"": 1}}, "answers", "invalid_code"),
        ({"comment": 42}, "comment", "not_text"),
        ({"answers": {"q1": 2.5}}, "answers", "invalid_answer"),
        ({"answers": {"q1": True}}, "answers", "invalid_answer"),
        ({"answers": {"q1": [1]}}, "answers", "invalid_answer"),
        ({"rating": True}, "rating", "out_of_range"),
    ],
)
def test_survey_problems(overrides: dict, field: str, problem: str) -> None:
    with pytest.raises(InvalidDraft) as info:
        validate_survey(survey_draft(**overrides))
    assert (info.value.field, info.value.problem) == (field, problem)
    assert str(info.value) == f"{field}: {problem}"


def test_survey_instrument_id_is_required() -> None:
    with pytest.raises(InvalidDraft) as info:
        validate_survey(survey_draft(instrument_id=None))
    assert info.value.problem == "required"


@pytest.mark.parametrize(
    ("overrides", "field", "problem"),
    [
        ({"case_type": "peticion"}, "case_type", "invalid_choice"),
        ({"channel": "fax"}, "channel", "invalid_choice"),
        ({"case_type": CaseType.ORIENTACION}, "case_type", "not_self_service"),
        ({"case_type": CaseType.GESTION}, "case_type", "not_self_service"),
        ({"catalogue_version": 0}, "catalogue_version", "out_of_range"),
        ({"privacy_notice_version": "v" * 33}, "privacy_notice_version", "invalid_code"),
        ({"privacy_notice_version": ""}, "privacy_notice_version", "invalid_code"),
        ({"recognised_person": "r" * 201}, "recognised_person", "text_too_long"),
        ({"staff_involved": "s" * 501}, "staff_involved", "text_too_long"),
        ({"personal": personal_data(email="not-an-email")}, "email", "email_pattern"),
        ({"personal": personal_data(postal_code="00999")}, "postal_code", "postal_code_range"),
        ({"personal": personal_data(filer_name="n" * 201)}, "filer_name", "text_too_long"),
    ],
)
def test_case_problems(overrides: dict, field: str, problem: str) -> None:
    with pytest.raises(InvalidDraft) as info:
        validate_case(case_draft(**overrides))
    assert (info.value.field, info.value.problem) == (field, problem)


def test_text_too_long_carries_the_numbers_for_the_message() -> None:
    with pytest.raises(InvalidDraft) as info:
        validate_case(case_draft(narrative="a" * 4010))
    assert info.value.params == {"limit": 4000, "extra": 10}


def test_empty_personal_data_needs_no_consent() -> None:
    validate_case(
        case_draft(
            personal=personal_data(
                filer_name="",
                beneficiary_name="",
                nss="",
                curp="",
                phone="",
                email="",
                address="",
                postal_code="",
                assigned_clinic="",
            ),
            consent_given=False,
            privacy_notice_version=None,
        )
    )


@pytest.mark.parametrize("channel", [Channel.KIOSK_ASSISTED, Channel.DESK, Channel.PHONE])
@pytest.mark.parametrize("case_type", list(CaseType))
def test_agents_register_any_of_the_five_types(channel: Channel, case_type: CaseType) -> None:
    validate_case(case_draft(channel=channel, case_type=case_type, registered_by="10000001"))
