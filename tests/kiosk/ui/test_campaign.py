"""The campaign's questions by taps on a real window (store enrolled, a campaign received
through the change applier): "Atrás" steps back a question with its answer marked and, from
the first, to the thank-you page; a very bad rating is offered the complaint, not the
campaign; a campaign without the kiosk channel, or switched off, is never offered
(the window on the kiosk's clock: tests/integration/test_campaign_offer.py)."""

from typing import Any

import pytest

from devtools.campaign_screenshots import campaign_change
from kiosk.sync.changes import apply_change
from tests.kiosk.ui.conftest import Harness
from trato.protocol.wire import Change


def _receive(h: Harness, **changes: Any) -> None:
    change = campaign_change()
    data = {**change.data, **changes}
    with h.kiosk.database.write() as session:  # type: ignore[union-attr]
        assert apply_change(session, Change(cursor=1, kind=change.kind, key=change.key,
                                            version=2, data=data), h.clock.now())


def _survey(h: Harness, face: int) -> Any:
    h.start()
    h.choose("menu", "survey", then="survey_rating")
    h.tap(h.window.page("survey_rating").faces[face])  # type: ignore[attr-defined]
    h.wait_page("survey_reasons")
    h.tap(h.window.page("survey_reasons").continue_button)  # type: ignore[attr-defined]
    h.choose("survey_service", "farmacia", then="survey_comment")
    h.tap(h.window.page("survey_comment").continue_button)  # type: ignore[attr-defined]
    h.wait_page("survey_thanks")
    return h.window.page("survey_thanks")


@pytest.fixture
def campaign_harness(harness: Harness) -> Harness:
    # The window on the test clock's day (both dates included).
    today = harness.clock.now().date().isoformat()
    _receive(harness, starts_on=today, ends_on=today)
    return harness


def test_back_steps_through_the_questions(campaign_harness: Harness) -> None:
    h = campaign_harness
    thanks = _survey(h, 5)
    h.tap(thanks.campaign_button)
    h.wait_page("campaign_question")
    page: Any = h.window.page("campaign_question")
    h.tap(page.buttons["3"])
    h.qtbot.waitUntil(lambda: page.hint.text() == "Pregunta 2 de 6", timeout=3000)
    h.tap(h.window.back_button)
    h.qtbot.waitUntil(lambda: page.hint.text() == "Pregunta 1 de 6", timeout=3000)
    assert page.buttons["3"].isChecked() and not page.buttons["4"].isChecked()
    h.tap(h.window.back_button)
    h.wait_page("survey_thanks")
    assert len(h.surveys()) == 1  # the survey only: the campaign was not finished


def test_not_offered_after_a_very_bad_rating_nor_without_the_kiosk_channel(
        campaign_harness: Harness) -> None:
    h = campaign_harness
    thanks = _survey(h, 1)
    assert thanks.complaint_button.isVisible() and not thanks.campaign_button.isVisible()
    h.tap(thanks.finish_button)
    h.wait_page("attract")
    today = h.clock.now().date().isoformat()
    for changes in ({"channels": ["staff", "phone"]}, {"active": False}):
        _receive(h, starts_on=today, ends_on=today, **changes)
        thanks = _survey(h, 5)
        assert not thanks.campaign_button.isVisible()
        h.tap(thanks.finish_button)
        h.wait_page("attract")
