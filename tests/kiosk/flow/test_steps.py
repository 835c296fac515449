"""The numbered steps of each flow for every case type, contact choice and rating."""

import subprocess
import sys

import pytest

from kiosk.flow.session import CASE, FOLIO, SURVEY, Session
from kiosk.flow.steps import first_page, next_page, position, steps
from trato.domain.enums import CaseType

COMMON_START = ["case_type", "case_service", "case_category", "case_narrative"]


@pytest.mark.parametrize(
    ("case_type", "by_type"),
    [(None, []),
     (CaseType.QUEJA, ["case_staff", "case_request"]),
     (CaseType.SUGERENCIA, []),
     (CaseType.RECONOCIMIENTO, ["case_recognised", "case_publish"])],
)
@pytest.mark.parametrize("wants_contact", [False, True], ids=["no-contact", "contact"])
def test_case_steps_for_every_type_and_contact_choice(case_type: CaseType | None,
                                                      by_type: list[str],
                                                      wants_contact: bool) -> None:
    session = Session()
    session.begin(CASE, now=0.0)
    if case_type is not None:
        session.choose_case_type(case_type)
    session.choose_contact(wants_contact)
    contact = ["case_identity", "case_contact"] if wants_contact else []
    assert steps(session) == [*COMMON_START, *by_type, "case_contact_choice", "case_privacy",
                              *contact, "case_review"]
    assert first_page(session) == "case_type"


def test_a_queja_with_contact_has_eleven_steps_and_the_review_last() -> None:
    session = Session(flow=CASE)
    session.choose_case_type(CaseType.QUEJA)
    session.choose_contact(True)
    assert position(session, "case_review") == (11, 11)
    assert position(session, "case_staff") == (5, 11)
    assert next_page(session, "case_narrative") == "case_staff"
    assert next_page(session, "case_privacy") == "case_identity"
    session.choose_contact(False)
    assert next_page(session, "case_privacy") == "case_review"


def test_survey_steps_follow_the_rating(content) -> None:
    session = Session()
    session.begin(SURVEY, now=0.0)
    # Before the rating is answered the reasons step is counted.
    assert steps(session) == ["survey_rating", "survey_reasons", "survey_service",
                              "survey_comment"]
    session.rate(4, content.instrument)
    assert next_page(session, "survey_rating") == "survey_reasons"
    session.rate(None, content.instrument)  # "prefiero no responder": no reasons to ask
    assert steps(session) == ["survey_rating", "survey_service", "survey_comment"]
    assert position(session, "survey_service") == (2, 3)


def test_folio_and_no_flow_have_no_numbered_steps() -> None:
    session = Session()
    assert steps(session) == [] and position(session, "menu") is None
    session.begin(FOLIO, now=0.0)
    assert steps(session) == [] and first_page(session) == "folio_info"


def test_the_flow_package_imports_no_qt() -> None:
    code = ("import sys, kiosk.flow.session, kiosk.flow.steps, kiosk.flow.drafts, "
            "kiosk.flow.pin, kiosk.services.configuration; "
            "print(sorted(m for m in sys.modules if m.startswith('PySide6')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60)
    assert out.stdout.strip() == "[]"
