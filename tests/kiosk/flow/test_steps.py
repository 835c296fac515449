"""The numbered steps of each flow: fixed by the case type, never renumbered by an answer, the
privacy notice before any narrative or personal data, the contact forms inside one step."""

import subprocess
import sys

import pytest

from kiosk.flow.session import CASE, FOLIO, SURVEY, Session
from kiosk.flow.steps import first_page, next_page, numbered_steps, pages, position
from trato.domain.enums import CaseType

#: The pages a person sees for each type with no contact data, and the step labels of each.
CASE_PAGES = {
    CaseType.QUEJA: ["case_privacy", "case_service", "case_category", "case_narrative",
                     "case_staff", "case_request", "case_contact_choice", "case_review"],
    CaseType.SUGERENCIA: ["case_privacy", "case_service", "case_category", "case_narrative",
                          "case_contact_choice", "case_review"],
    CaseType.RECONOCIMIENTO: ["case_privacy", "case_service", "case_category",
                              "case_narrative", "case_recognised", "case_publish",
                              "case_contact_choice", "case_review"],
}
#: Pages that take the person's own words or personal data.
DATA_PAGES = {"case_narrative", "case_staff", "case_request", "case_recognised",
              "case_contact", "case_identity", "case_category"}


def _case(case_type: CaseType, wants_contact: bool) -> Session:
    session = Session()
    session.begin(CASE, now=0.0)
    session.choose_case_type(case_type)
    session.choose_contact(wants_contact)
    return session


@pytest.mark.parametrize("case_type", list(CASE_PAGES), ids=str)
@pytest.mark.parametrize("wants_contact", [False, True], ids=["no-contact", "contact"])
def test_case_pages_for_every_type_and_contact_choice(case_type: CaseType,
                                                      wants_contact: bool) -> None:
    session = _case(case_type, wants_contact)
    expected = list(CASE_PAGES[case_type])
    if wants_contact:
        at = expected.index("case_contact_choice") + 1
        expected[at:at] = ["case_contact", "case_identity"]
    assert pages(session) == ["case_type", *expected]
    assert first_page(session) == "case_type"


@pytest.mark.parametrize("case_type", list(CASE_PAGES), ids=str)
def test_the_privacy_notice_comes_before_any_narrative_or_personal_data(
        case_type: CaseType) -> None:
    flow = pages(_case(case_type, True))
    privacy = flow.index("case_privacy")
    assert privacy == 1  # right after the type, which is no personal data
    assert not DATA_PAGES & set(flow[:privacy])


@pytest.mark.parametrize("case_type", list(CASE_PAGES), ids=str)
def test_step_numbers_never_change_within_one_case(case_type: CaseType) -> None:
    """Whatever the person answers on the way (contact or not, back and forth), a page keeps
    its number and the total stays the same."""
    session = _case(case_type, False)
    before = {p: position(session, p) for p in pages(session)}
    session.choose_contact(True)
    after = {p: position(session, p) for p in pages(session)}
    assert {p: after[p] for p in before} == before
    total = len(CASE_PAGES[case_type])
    assert {pos[1] for pos in after.values() if pos} == {total}
    numbers = [pos[0] for p in pages(session) if (pos := position(session, p))]
    assert numbers == sorted(numbers) and numbers[0] == 1 and numbers[-1] == total
    contact = position(session, "case_contact_choice")
    assert position(session, "case_contact") == position(session, "case_identity") == contact
    assert position(session, "case_type") is None  # chosen before the count starts
    assert position(session, "case_review") == (total, total)


def test_a_queja_is_counted_in_eight_steps_with_or_without_contact() -> None:
    session = _case(CaseType.QUEJA, True)
    assert [position(session, p) for p in ("case_privacy", "case_staff", "case_identity",
                                           "case_review")] == [(1, 8), (5, 8), (7, 8), (8, 8)]
    assert next_page(session, "case_type") == "case_privacy"
    assert next_page(session, "case_contact_choice") == "case_contact"
    assert next_page(session, "case_identity") == "case_review"
    session.choose_contact(False)
    assert next_page(session, "case_contact_choice") == "case_review"
    assert position(session, "case_review") == (8, 8)


def test_no_type_yet_only_the_type_page() -> None:
    session = Session()
    session.begin(CASE, now=0.0)
    assert pages(session) == ["case_type"] and numbered_steps(session) == ()
    assert position(session, "case_type") is None


def test_survey_steps_do_not_move_when_the_rating_is_declined(content) -> None:
    session = Session()
    session.begin(SURVEY, now=0.0)
    # Before the rating is answered the reasons page is on the way.
    assert pages(session) == ["survey_rating", "survey_reasons", "survey_service",
                              "survey_comment"]
    assert position(session, "survey_rating") == position(session, "survey_reasons") == (1, 3)
    session.rate(4, content.instrument)
    assert next_page(session, "survey_rating") == "survey_reasons"
    session.rate(None, content.instrument)  # "prefiero no responder": no reasons to ask
    assert pages(session) == ["survey_rating", "survey_service", "survey_comment"]
    assert position(session, "survey_service") == (2, 3)
    assert position(session, "survey_comment") == (3, 3)


def test_folio_and_no_flow_have_no_numbered_steps() -> None:
    session = Session()
    assert pages(session) == [] and position(session, "menu") is None
    session.begin(FOLIO, now=0.0)
    assert pages(session) == [] and first_page(session) == "folio_info"


def test_the_flow_package_imports_no_qt() -> None:
    code = ("import sys, kiosk.flow.session, kiosk.flow.steps, kiosk.flow.drafts, "
            "kiosk.flow.pin, kiosk.services.configuration, kiosk.services.lookup; "
            "print(sorted(m for m in sys.modules if m.startswith('PySide6')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60)
    assert out.stdout.strip() == "[]"
