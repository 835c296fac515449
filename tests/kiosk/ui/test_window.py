"""The window: the idle wipe, kiosk mode, "Atrás", the larger-text and contrast toggles and the
touch-target sizes."""

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QApplication

from tests.kiosk.ui.conftest import (
    COUNTDOWN_SECONDS,
    IDLE_SECONDS,
    Harness,
    to_narrative,
)


def test_idle_countdown_wipes_everything_and_stores_nothing(harness: Harness) -> None:
    h = harness
    to_narrative(h, "Datos a medias")
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
    to_narrative(h, "Sigo aqui")
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
    to_narrative(h, "")
    h.clock.advance(IDLE_SECONDS - 5)
    h.type_keys("a")
    h.clock.advance(10)
    h.window.idle.check()
    assert not h.window.idle_panel.isVisible()


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
    for back_to in ("menu", "language", "attract"):
        h.tap(h.window.back_button)
        h.wait_page(back_to)
    assert not h.window.large_text and h.window.theme == "normal"
    assert not h.window.large_text_button.isChecked()
    assert not h.window.contrast_button.isChecked()
    assert "#FFE600" not in h.window.styleSheet()


def test_a_new_look_keeps_this_sessions_pages_and_drops_the_earlier_ones(
        harness: Harness) -> None:
    """A new style sheet re-polishes every page in the window: the pages an earlier person
    left (already wiped) leave the window at once; this person's page and way back stay,
    with what they typed."""
    h = harness
    h.start()
    h.choose("menu", "folio", then="folio_info")  # an earlier person's pages
    h.window.end_session()
    earlier = h.window.built("folio_info")
    assert earlier is not None and earlier.window() is h.window
    to_narrative(h, "Me gritaron")
    h.tap(h.window.contrast_button)
    assert h.window.theme == "high_contrast"
    assert h.window.built("folio_info") is None
    assert earlier.parent() is None  # out of the window before the style sheet was set
    kept = set(h.window.stack.pages)
    assert {"attract", "menu", "case_type", "case_category", "case_narrative"} <= kept
    narrative: Any = h.window.page("case_narrative")
    assert narrative.field.text() == "Me gritaron"
    h.tap(h.window.back_button)
    h.wait_page("case_category")
    category: Any = h.window.page("case_category")
    assert category.buttons["trato_grosero"].isChecked()
    h.tap(h.window.large_text_button)  # the other toggle follows the same rule
    assert set(h.window.stack.pages) <= kept
    sheets: list[str] = []
    set_sheet = h.window.setStyleSheet
    h.window.setStyleSheet = lambda sheet: (sheets.append(sheet), set_sheet(sheet))  # type: ignore[method-assign]
    h.window.end_session()  # both looks back to normal at once: one new style sheet
    assert len(sheets) == 1 and h.window.theme == "normal" and not h.window.large_text
    assert h.window.styleSheet() == sheets[0]


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


def test_targets_and_text_sizes(harness: Harness) -> None:
    h = harness
    h.start()
    metrics = h.window.metrics
    for name in ("menu", "survey_rating", "case_category", "case_narrative", "case_identity"):
        h.window.session.flow = "case"
        if name == "case_category":
            from trato.domain.enums import CaseType

            h.window.session.case.case_type = CaseType.QUEJA
        h.window.go(name)
        h.qtbot.waitUntil(lambda n=name: h.window.current == n)
        buttons = [
            b for b in h.window.findChildren(QAbstractButton) if b.isVisible() and b.isEnabled()
        ]
        assert buttons
        for b in buttons:
            assert min(b.width(), b.height()) >= metrics.minimum, (name, b.text(), b.size())
        for label in h.window.findChildren(type(h.window.step_label)):
            if label.isVisible() and label.text():
                assert label.font().pixelSize() >= 24 or label.font().pointSizeF() * 96 / 72 >= 24
