"""The drafts built from a session: what is sent, and what is not."""

import uuid

import pytest

from kiosk.flow.drafts import case_draft, survey_draft
from kiosk.flow.session import CASE, SURVEY, Session
from kiosk.services.drafts import PersonalData
from trato.domain.enums import CaseType, Channel


def test_survey_draft_carries_the_instrument_shown_and_the_language(content) -> None:
    session = Session(language="nah")
    session.begin(SURVEY, now=5.0)
    session.rate(2, content.instrument)
    session.survey.reasons = ("espera", "limpieza")
    session.survey.service_code = "farmacia"
    session.survey.comment = "Muy lento"
    draft = survey_draft(session, content, channel=Channel.KIOSK, now=12.25)
    assert draft.instrument_id == content.instrument.id == "trato-general"
    assert draft.instrument_version == content.instrument.version
    assert (draft.language, draft.channel, draft.service_code) == ("nah", Channel.KIOSK,
                                                                   "farmacia")
    assert (draft.rating, draft.reasons, draft.comment) == (2, ("espera", "limpieza"),
                                                            "Muy lento")
    assert draft.duration_ms == 7250


def _case(case_type: CaseType) -> Session:
    session = Session()
    session.begin(CASE, now=0.0)
    session.choose_case_type(case_type)
    case = session.case
    case.service_code = "urgencias"
    case.categories = ("tiempo_espera",)
    case.narrative = "Esperé tres horas"
    case.staff_involved = "Recepción"
    case.request = "Una disculpa"
    case.recognised_person = "Dra. López"
    case.publish = True
    case.consent = True
    return session


def test_a_queja_sends_its_own_questions_and_not_those_of_a_reconocimiento(content) -> None:
    draft = case_draft(_case(CaseType.QUEJA), content, channel=Channel.KIOSK,
                       privacy_notice_version="2025-12")
    assert draft.case_type == CaseType.QUEJA
    assert (draft.staff_involved, draft.request) == ("Recepción", "Una disculpa")
    assert (draft.recognised_person, draft.publish_recognition) == ("", False)
    assert draft.categories == ("tiempo_espera",) and draft.narrative == "Esperé tres horas"
    assert draft.privacy_notice_version == "2025-12" and draft.consent_given
    assert draft.catalogue_version == content.categories.version
    assert draft.personal is None and draft.from_survey_id is None


def test_a_reconocimiento_sends_whom_and_publishing_and_no_queja_answers(content) -> None:
    draft = case_draft(_case(CaseType.RECONOCIMIENTO), content, channel=Channel.KIOSK,
                       privacy_notice_version="2025-12")
    assert (draft.recognised_person, draft.publish_recognition) == ("Dra. López", True)
    assert (draft.staff_involved, draft.request) == ("", "")


def test_a_sugerencia_sends_neither(content) -> None:
    draft = case_draft(_case(CaseType.SUGERENCIA), content, channel=Channel.KIOSK,
                       privacy_notice_version="2025-12")
    assert (draft.staff_involved, draft.request, draft.recognised_person) == ("", "", "")


def test_personal_data_only_when_the_person_chose_to_leave_some(content) -> None:
    session = _case(CaseType.QUEJA)
    session.choose_contact(True)
    draft = case_draft(session, content, channel=Channel.KIOSK, privacy_notice_version="v")
    assert draft.personal is None  # chose to, then typed nothing
    session.case.personal = {"filer_name": "Ana", "nss": "12345678903", "phone": "5512345678",
                             "email": "", "curp": "", "postal_code": "03100"}
    draft = case_draft(session, content, channel=Channel.KIOSK, privacy_notice_version="v")
    assert draft.personal == PersonalData(filer_name="Ana", nss="12345678903",
                                          phone="5512345678", postal_code="03100")


def test_no_consent_no_notice_version_and_the_survey_link_kept(content) -> None:
    session = _case(CaseType.QUEJA)
    session.case.consent = False
    session.case.from_survey_id = survey = uuid.uuid4()
    draft = case_draft(session, content, channel=Channel.KIOSK, privacy_notice_version="v")
    assert draft.privacy_notice_version is None and not draft.consent_given
    assert draft.from_survey_id == survey


def _anonymous(case_type: CaseType) -> Session:
    session = _case(case_type)
    session.case.consent = False
    session.case.publish = False
    return session


@pytest.mark.parametrize(
    ("case_type", "answer", "consented"),
    [(CaseType.SUGERENCIA, None, False),
     (CaseType.SUGERENCIA, "contact", True),
     (CaseType.RECONOCIMIENTO, None, False),
     (CaseType.RECONOCIMIENTO, "publish", True),
     (CaseType.RECONOCIMIENTO, "contact", True),
     (CaseType.QUEJA, "story", True),
     (CaseType.QUEJA, "contact_chosen_but_empty", False)],
)
def test_consent_and_notice_version_only_for_what_the_case_holds(
        content, case_type: CaseType, answer: str | None, consented: bool) -> None:
    """An anonymous suggestion holds no personal data: no consent and no notice version. A
    queja's story, contact data left, a recognition to publish: consent with the version."""
    session = _anonymous(case_type)
    if answer == "story":
        session.case.consent = True
    elif answer == "publish":
        session.case.publish = True
    elif answer in ("contact", "contact_chosen_but_empty"):
        session.choose_contact(True)
        if answer == "contact":
            session.case.personal = {"phone": "5512345678"}
    draft = case_draft(session, content, channel=Channel.KIOSK, privacy_notice_version="2026-01")
    assert draft.consent_given is consented
    assert draft.privacy_notice_version == ("2026-01" if consented else None)
    assert (draft.personal is not None) is (answer == "contact")


def test_a_case_draft_needs_a_type(content) -> None:
    session = Session(flow=CASE)
    with pytest.raises(ValueError, match="case type"):
        case_draft(session, content, channel=Channel.KIOSK, privacy_notice_version="v")
