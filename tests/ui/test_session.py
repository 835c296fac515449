"""Kiosk session behaviour: idle wipe, double taps, kiosk mode, staff access, known errors."""

from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QApplication

from kiosk.services.errors import StorageFull
from kiosk.settings import DEMO_STAFF_PIN, KioskSettings
from tests.ui.conftest import COUNTDOWN_SECONDS, IDLE_SECONDS, Harness


def _to_narrative(h: Harness, text: str) -> None:
    h.start()
    h.choose("menu", "case", then="case_type")
    h.choose("case_type", "queja", then="case_service")
    h.choose("case_service", "urgencias", then="case_category")
    page: Any = h.window.page("case_category")
    h.tap(page.buttons["trato_grosero"])
    h.tap(page.continue_button)
    h.wait_page("case_narrative")
    h.type_keys(text)


def _to_review(h: Harness) -> None:
    _to_narrative(h, "Me gritaron")
    h.tap(h.window.page("case_narrative").continue_button)  # type: ignore[attr-defined]
    h.wait_page("case_staff")
    h.tap(h.window.page("case_staff").continue_button)  # type: ignore[attr-defined]
    h.wait_page("case_request")
    h.tap(h.window.page("case_request").continue_button)  # type: ignore[attr-defined]
    h.choose("case_contact_choice", "no", then="case_privacy")
    privacy: Any = h.window.page("case_privacy")
    h.tap(privacy.consent)
    h.tap(privacy.continue_button)
    h.wait_page("case_review")


def test_idle_countdown_wipes_everything_and_stores_nothing(harness: Harness) -> None:
    h = harness
    _to_narrative(h, "Datos a medias")
    narrative: Any = h.window.page("case_narrative")
    assert narrative.field.text() == "Datos a medias"
    h.clock.advance(IDLE_SECONDS - 1)
    h.window.idle.check()
    assert not h.window.idle_panel.isVisible()
    h.clock.advance(2)
    h.window.idle.check()
    assert h.window.idle_panel.isVisible()
    assert str(COUNTDOWN_SECONDS - 1) in h.window.idle_panel.countdown.text()
    assert COUNTDOWN_SECONDS >= 20
    h.clock.advance(COUNTDOWN_SECONDS)
    with h.qtbot.waitSignal(h.window.session_ended, timeout=2000):
        h.window.idle.check()
    assert h.window.current == "attract"
    assert not h.window.idle_panel.isVisible()
    assert all(
        not (e.toPlainText() if hasattr(e, "toPlainText") else e.text())  # type: ignore[attr-defined]
        for e in h.editors()
    )
    assert h.window.session.case.narrative == "" and h.window.session.flow is None
    assert narrative.field.text() == ""
    assert h.window.page("case_category").selected() == ()  # type: ignore[attr-defined]
    assert h.surveys() == [] and h.cases() == []


def test_idle_panel_continue_keeps_the_answers(harness: Harness) -> None:
    h = harness
    _to_narrative(h, "Sigo aqui")
    h.clock.advance(IDLE_SECONDS + 5)
    h.window.idle.check()
    assert h.window.idle_panel.isVisible()
    h.tap(h.window.idle_panel.continue_button)
    assert not h.window.idle_panel.isVisible()
    assert h.window.current == "case_narrative"
    assert h.window.page("case_narrative").field.text() == "Sigo aqui"  # type: ignore[attr-defined]
    h.clock.advance(IDLE_SECONDS - 1)
    h.window.idle.check()
    assert not h.window.idle_panel.isVisible()


def test_a_touch_restarts_the_quiet_period(harness: Harness) -> None:
    h = harness
    _to_narrative(h, "")
    h.clock.advance(IDLE_SECONDS - 5)
    h.type_keys("a")
    h.clock.advance(10)
    h.window.idle.check()
    assert not h.window.idle_panel.isVisible()


def test_double_tap_on_enviar_stores_one_case(harness: Harness) -> None:
    h = harness
    _to_review(h)
    button = h.window.page("case_review").submit_button  # type: ignore[attr-defined]
    h.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    h.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    h.window.submit_case()  # even a direct second request does nothing
    h.wait_page("case_done")
    assert len(h.cases()) == 1


def test_double_tap_on_survey_enviar_stores_one_response(harness: Harness) -> None:
    h = harness
    h.start()
    h.choose("menu", "survey", then="survey_rating")
    h.tap(h.window.page("survey_rating").faces[5])  # type: ignore[attr-defined]
    h.wait_page("survey_reasons")
    h.tap(h.window.page("survey_reasons").continue_button)  # type: ignore[attr-defined]
    h.choose("survey_service", "farmacia", then="survey_comment")
    button = h.window.page("survey_comment").continue_button  # type: ignore[attr-defined]
    h.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    h.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    h.wait_page("survey_thanks")
    assert len(h.surveys()) == 1


def test_known_error_says_so_and_stores_nothing(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness
    _to_review(h)

    def disk_full(_draft: object) -> object:
        raise StorageFull("database or disk is full")

    monkeypatch.setattr(h.window.case_service, "submit", disk_full)
    review: Any = h.window.page("case_review")
    h.tap(review.submit_button)
    assert h.window.current == "case_review"
    assert "No pudimos guardar" in review.error.text()
    assert review.error.isVisible()
    assert h.window.banner.isVisible()
    assert "lleno" in h.window.banner_label.text()
    assert review.submit_button.isEnabled()  # the person may try again
    assert h.cases() == []


def test_unenrolled_kiosk_refuses_a_case_calmly(make_harness: Any, settings: KioskSettings) -> None:
    h = make_harness(settings, enrol=False)
    _to_review(h)
    review: Any = h.window.page("case_review")
    h.tap(review.submit_button)
    assert h.window.current == "case_review"
    assert "avise al personal" in review.error.text()
    assert "no está dado de alta" in h.window.banner_label.text()
    assert h.cases() == []


def test_escape_and_close_are_ignored_in_kiosk_mode(harness: Harness) -> None:
    h = harness
    h.start()
    h.qtbot.keyClick(h.window, Qt.Key.Key_Escape)
    assert h.window.current == "menu"
    event = QCloseEvent()
    QApplication.sendEvent(h.window, event)
    assert not event.isAccepted()
    assert h.window.isVisible()
    alt_f4 = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    QApplication.sendEvent(h.window, alt_f4)
    h.window.close()
    assert h.window.isVisible()


def test_staff_gesture_and_pin(harness: Harness) -> None:
    h = harness
    for _ in range(4):
        h.tap(h.window.logo)
    assert h.window.current == "attract"
    h.clock.advance(5)  # the fifth tap comes too late: start over
    h.tap(h.window.logo)
    assert h.window.current == "attract"
    for _ in range(4):
        h.tap(h.window.logo)
    h.wait_page("pin")
    pin: Any = h.window.page("pin")
    assert h.window.keyboard.layer == "numeric"
    h.type_keys("1111")
    h.tap(pin.enter_button)
    assert h.window.current == "pin"
    assert "incorrecto" in pin.error.text()
    assert pin.field.text() == ""
    h.type_keys(DEMO_STAFF_PIN)
    h.tap(pin.enter_button)
    h.wait_page("staff")
    staff: Any = h.window.page("staff")
    assert staff.status.text()
    h.tap(staff.exit_button)
    h.wait_page("attract")


def test_larger_text_and_high_contrast_reset_for_the_next_person(harness: Harness) -> None:
    h = harness
    h.start()
    before = h.window.page("menu").question.font().pixelSize()
    h.tap(h.window.large_text_button)
    h.tap(h.window.contrast_button)
    assert h.window.large_text and h.window.theme == "high_contrast"
    assert "#FFE600" in h.window.styleSheet()
    assert h.window.page("menu").question.font().pixelSize() > before
    h.choose("menu", "folio", then="folio_info")
    h.tap(h.window.page("folio_info").finish_button)  # type: ignore[attr-defined]
    h.wait_page("attract")
    assert not h.window.large_text and h.window.theme == "normal"
    assert not h.window.large_text_button.isChecked()
    assert not h.window.contrast_button.isChecked()
    assert "#FFE600" not in h.window.styleSheet()


def test_thank_you_page_returns_to_attract_by_itself(harness: Harness) -> None:
    h = harness
    h.start()
    h.choose("menu", "survey", then="survey_rating")
    h.tap(h.window.page("survey_rating").decline)  # type: ignore[attr-defined]
    h.choose("survey_service", "farmacia", then="survey_comment")
    h.tap(h.window.page("survey_comment").continue_button)  # type: ignore[attr-defined]
    h.wait_page("survey_thanks")
    h.clock.advance(h.window.config.done_seconds + 1)
    h.window.idle.check()
    assert h.window.current == "attract"
    assert not h.window.idle_panel.isVisible()
    # The next session gets the full quiet period again.
    h.start()
    h.clock.advance(IDLE_SECONDS - 1)
    h.window.idle.check()
    assert not h.window.idle_panel.isVisible()


def test_double_tap_on_continuar_moves_one_step(harness: Harness) -> None:
    h = harness
    h.start()
    h.choose("menu", "survey", then="survey_rating")
    h.tap(h.window.page("survey_rating").faces[2])  # type: ignore[attr-defined]
    h.wait_page("survey_reasons")
    button = h.window.page("survey_reasons").continue_button  # type: ignore[attr-defined]
    h.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    h.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert h.window.current == "survey_service"


def test_atras_during_the_answer_confirmation_wins(harness: Harness) -> None:
    h = harness
    h.start()
    h.choose("menu", "case", then="case_type")
    page: Any = h.window.page("case_type")
    page.confirm_ms = 10_000  # a slow confirmation, to tap "Atrás" inside it
    h.tap(page.buttons["queja"])
    h.tap(h.window.back_button)
    assert h.window.current == "menu"
    page._timer.setInterval(0)  # let the pending confirmation fire now
    page._timer.start()
    h.qtbot.waitUntil(lambda: not page._timer.isActive())
    assert h.window.current == "menu"


def test_toggles_are_offered_only_inside_a_session(harness: Harness) -> None:
    h = harness
    assert h.window.current == "attract"
    assert not h.window.large_text_button.isVisible()
    assert not h.window.contrast_button.isVisible()
    h.start()
    assert h.window.large_text_button.isVisible() and h.window.contrast_button.isVisible()


def test_staff_pin_waits_after_five_wrong_attempts(harness: Harness) -> None:
    h = harness
    for _ in range(5):
        h.tap(h.window.logo)
    h.wait_page("pin")
    pin: Any = h.window.page("pin")

    def enter(code: str) -> None:
        h.type_keys(code)
        h.tap(pin.enter_button)

    for _ in range(4):
        enter("1111")
        assert pin.error.text() == "PIN incorrecto. Intente de nuevo."
    enter("2222")  # the fifth miss in a row
    assert "Espere 5 minutos" in pin.error.text()
    # Even the right PIN waits now, and says how long.
    h.clock.advance(150)
    enter(DEMO_STAFF_PIN)
    assert h.window.current == "pin"
    assert "Espere 3 minutos" in pin.error.text()
    h.clock.advance(151)
    enter("3333")  # a sixth miss after the wait: twice as long
    assert "Espere 10 minutos" in pin.error.text()
    h.clock.advance(601)
    enter(DEMO_STAFF_PIN)
    h.wait_page("staff")
    # A success clears the count: the next person gets five attempts again.
    h.tap(h.window.page("staff").exit_button)  # type: ignore[attr-defined]
    h.wait_page("attract")
    for _ in range(5):
        h.tap(h.window.logo)
    h.wait_page("pin")
    enter("1111")
    assert pin.error.text() == "PIN incorrecto. Intente de nuevo."
