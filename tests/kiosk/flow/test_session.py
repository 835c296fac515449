"""The rules that tie a session's answers together, and the survey-to-complaint hand-over."""

import uuid

from kiosk.flow.session import CASE, SURVEY, CaseState, Session
from trato.domain.enums import CaseType


def test_a_new_rating_band_forgets_the_reasons_of_the_old_one(content) -> None:
    session = Session()
    session.begin(SURVEY, now=10.0)
    session.rate(1, content.instrument)
    session.survey.reasons = ("espera",)
    session.rate(2, content.instrument)  # same band (what went badly): reasons kept
    assert session.survey.reasons == ("espera",)
    session.rate(5, content.instrument)  # other band (what went well): reasons forgotten
    assert session.survey.reasons == () and session.survey.rating == 5
    assert session.survey.answered


def test_a_new_case_type_forgets_the_categories_and_no_contact_the_personal_data() -> None:
    session = Session()
    session.begin(CASE, now=0.0)
    session.choose_case_type(CaseType.QUEJA)
    session.case.categories = ("trato_grosero",)
    session.choose_case_type(CaseType.QUEJA)
    assert session.case.categories == ("trato_grosero",)
    session.choose_case_type(CaseType.SUGERENCIA)
    assert session.case.categories == ()
    session.choose_contact(True)
    session.case.personal = {"phone": "5512345678"}
    session.choose_contact(False)
    assert session.case.personal == {} and not session.case.wants_contact


def test_beginning_a_flow_starts_its_answers_empty() -> None:
    session = Session(language="nah")
    session.begin(SURVEY, now=42.0)
    session.survey.comment = "algo"
    session.begin(SURVEY, now=50.0)
    assert session.survey.comment == "" and session.survey.started_at == 50.0
    session.case = CaseState(narrative="algo")
    session.begin(CASE, now=60.0)
    assert session.case == CaseState() and session.flow == CASE
    assert session.language == "nah"  # the language belongs to the whole session


def test_survey_to_complaint_carries_service_reasons_and_comment(content) -> None:
    session = Session()
    session.begin(SURVEY, now=0.0)
    session.rate(1, content.instrument)
    session.survey.reasons = ("medicamentos", "espera", "limpieza", "trato_personal")
    session.survey.service_code = "laboratorio"
    session.survey.comment = "Nadie me explicó nada"
    session.survey.saved_id = saved = uuid.uuid4()
    offered = [c.code for c in content.categories.for_type("queja")]
    session.hand_over_to_complaint(offered, 6)
    assert session.flow == CASE
    # Each reason as the category that says the same (catalogue order), "limpieza" as "otro".
    assert session.case == CaseState(
        case_type=CaseType.QUEJA, service_code="laboratorio",
        categories=("trato_grosero", "tiempo_espera", "medicamentos", "otro"),
        narrative="Nadie me explicó nada", from_survey_id=saved)
    session.hand_over_to_complaint(offered, 2)  # never more than the catalogue allows
    assert session.case.categories == ("trato_grosero", "tiempo_espera")
    session.forget_case()
    assert session.case == CaseState()


def test_survey_to_complaint_with_nothing_said_starts_empty() -> None:
    session = Session()
    session.begin(SURVEY, now=0.0)
    session.hand_over_to_complaint(["tiempo_espera", "otro"], 3)
    assert session.case == CaseState(case_type=CaseType.QUEJA)


def test_survey_duration_runs_from_its_first_screen() -> None:
    session = Session()
    session.begin(SURVEY, now=100.0)
    assert session.survey_duration_ms(130.5) == 30_500
    assert session.survey_duration_ms(90.0) == 0  # a clock that went back never goes negative
