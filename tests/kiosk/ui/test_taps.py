"""No tap is lost or misread: a double tap at 30, 100, 250 or 500 ms on every control that
submits or moves on (Enviar, a one-tap answer, a face, Continuar) acts once, and a tap that
began on one screen never acts on the next.

Taps are real mouse events at a point of the window, delivered to whatever widget is under
that point at that moment, as a finger would; a second tap sooner than the double-click
interval comes as Qt's double click, as on a touch screen. The real wait between the taps
lets the kiosk's timers run (the one-tap answers keep Qt's production 350 ms confirmation);
the tap guard's own clock advances by exactly the gap, so the outcome does not depend on how
busy the machine is.
"""

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.settings import KioskSettings
from tests.kiosk.ui.conftest import Harness, accept_privacy, to_narrative, to_review

GAPS_MS = [30, 100, 250, 500]
PRODUCTION_CONFIRM_MS = 350


def _send(h: Harness, kind: QEvent.Type, point: QPoint) -> QWidget:
    """One mouse event at ``point`` (window coordinates) to the widget under it now."""
    target = h.window.childAt(point) or h.window
    local = QPointF(target.mapFrom(h.window, point))
    buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease \
        else Qt.MouseButton.LeftButton
    event = QMouseEvent(kind, local, QPointF(h.window.mapToGlobal(point)),
                        Qt.MouseButton.LeftButton, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, event)
    return target


def tap_at(h: Harness, point: QPoint, *, double: bool = False) -> None:
    press = QEvent.Type.MouseButtonDblClick if double else QEvent.Type.MouseButtonPress
    _send(h, press, point)
    _send(h, QEvent.Type.MouseButtonRelease, point)


def double_tap(h: Harness, widget: QWidget, gap_ms: int) -> None:
    """A deliberate tap on ``widget``, then a second one ``gap_ms`` later at the same spot."""
    h.settle()
    point = widget.mapTo(h.window, widget.rect().center())
    tap_at(h, point)
    h.qtbot.wait(gap_ms)
    h.guard_clock.advance(gap_ms / 1000)
    tap_at(h, point, double=gap_ms < QApplication.styleHints().mouseDoubleClickInterval())


def _calm(h: Harness) -> None:
    """Let every pending confirmation run out, without letting the guard open."""
    h.qtbot.wait(PRODUCTION_CONFIRM_MS + 150)


@pytest.fixture
def slow(make_harness: Callable[..., Harness], settings: KioskSettings) -> Harness:
    """The kiosk with the production one-tap confirmation (350 ms)."""
    return make_harness(settings, confirm_ms=PRODUCTION_CONFIRM_MS)


def _to_survey_comment(h: Harness) -> None:
    h.start()
    h.choose("menu", "survey", then="survey_rating")
    h.tap(h.window.page("survey_rating").decline)  # type: ignore[attr-defined]
    h.choose("survey_service", "farmacia", then="survey_comment")


@pytest.mark.parametrize("gap", GAPS_MS)
def test_double_tap_on_survey_enviar_stores_one_response_and_keeps_the_thanks(
        harness: Harness, gap: int) -> None:
    h = harness
    _to_survey_comment(h)
    double_tap(h, h.window.page("survey_comment").continue_button, gap)  # type: ignore[attr-defined]
    _calm(h)
    assert len(h.surveys()) == 1
    assert h.window.current == "survey_thanks"
    assert h.window.tap_guard.dropped >= 1


@pytest.mark.parametrize("gap", GAPS_MS)
def test_double_tap_on_case_enviar_stores_one_case_and_keeps_the_folio(
        harness: Harness, gap: int) -> None:
    h = harness
    to_review(h)
    double_tap(h, h.window.page("case_review").submit_button, gap)  # type: ignore[attr-defined]
    _calm(h)
    [row] = h.cases()
    done: Any = h.window.page("case_done")
    assert h.window.current == "case_done"
    assert done.folio.isVisible() and done.folio.text() == row.folio
    assert h.window.tap_guard.dropped >= 1


@pytest.mark.parametrize("gap", GAPS_MS)
def test_double_tap_on_a_one_tap_answer_moves_one_step(slow: Harness, gap: int) -> None:
    """ "Presentar una queja…" on the menu: the second tap must not choose a type."""
    h = slow
    h.start()
    menu: Any = h.window.page("menu")
    double_tap(h, menu.buttons["case"], gap)
    _calm(h)
    assert h.window.current == "case_type"
    assert h.window.session.case.case_type is None
    assert not any(b.isChecked() for b in h.window.page("case_type").buttons.values())  # type: ignore[attr-defined]


@pytest.mark.parametrize("gap", GAPS_MS)
def test_double_tap_on_a_face_moves_one_step(slow: Harness, gap: int) -> None:
    h = slow
    h.start()
    h.choose("menu", "survey", then="survey_rating")
    rating: Any = h.window.page("survey_rating")
    double_tap(h, rating.faces[2], gap)
    _calm(h)
    assert h.window.current == "survey_reasons"
    assert h.window.page("survey_reasons").selected() == ()  # type: ignore[attr-defined]
    assert h.window.session.survey.rating == 2


@pytest.mark.parametrize("gap", GAPS_MS)
def test_double_tap_on_the_privacy_continuar_chooses_no_service(harness: Harness,
                                                                gap: int) -> None:
    h = harness
    h.start()
    h.choose("menu", "case", then="case_type")
    h.choose("case_type", "sugerencia", then="case_privacy")
    double_tap(h, h.window.page("case_privacy").continue_button, gap)  # type: ignore[attr-defined]
    _calm(h)
    assert h.window.current == "case_service"
    assert h.window.session.case.service_code is None


@pytest.mark.parametrize("gap", GAPS_MS)
@pytest.mark.parametrize("page_name", ["case_category", "case_narrative", "case_staff"])
def test_double_tap_on_continuar_moves_one_step(harness: Harness, gap: int,
                                                page_name: str) -> None:
    h = harness
    to_narrative(h, "Me gritaron")
    if page_name == "case_category":
        h.tap(h.window.back_button)
        h.wait_page("case_category")
    elif page_name == "case_staff":
        h.tap(h.window.page("case_narrative").continue_button)  # type: ignore[attr-defined]
        h.wait_page("case_staff")
    following = {"case_category": "case_narrative", "case_narrative": "case_staff",
                 "case_staff": "case_request"}[page_name]
    double_tap(h, h.window.page(page_name).continue_button, gap)  # type: ignore[attr-defined]
    _calm(h)
    assert h.window.current == following
    assert h.window.tap_guard.dropped >= 1


def test_a_tap_begun_on_one_screen_never_acts_on_the_next(slow: Harness) -> None:
    """Pressed on "Una sugerencia" while "Una queja" was confirming; the page changes under
    the finger; the release (to the pressed button, or to whatever is under the finger on
    the new page) clicks nothing, and leaves no button pressed."""
    h = slow
    h.start()
    h.choose("menu", "case", then="case_type")
    types: Any = h.window.page("case_type")
    h.tap(types.buttons["queja"])
    point = types.buttons["sugerencia"].mapTo(h.window, types.buttons["sugerencia"].rect().center())
    pressed = _send(h, QEvent.Type.MouseButtonPress, point)
    assert pressed is types.buttons["sugerencia"] and pressed.isDown()
    h.wait_page("case_privacy")
    h.guard_clock.advance(5)  # long after the quiet period: the release is still not a tap
    release = QMouseEvent(QEvent.Type.MouseButtonRelease, QPointF(pressed.rect().center()),
                          QPointF(h.window.mapToGlobal(point)), Qt.MouseButton.LeftButton,
                          Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(pressed, release)
    assert not pressed.isDown()
    _send(h, QEvent.Type.MouseButtonRelease, point)  # the same release, under the finger
    _calm(h)
    assert h.window.current == "case_privacy"
    assert h.window.session.case.case_type.value == "queja"  # type: ignore[union-attr]
    assert not h.window.page("case_privacy").consent.isChecked()  # type: ignore[attr-defined]


def test_the_idle_panel_is_a_change_of_screen(harness: Harness) -> None:
    """A tap as "¿Sigue ahí?" appears, or right after "Sí, continuar", does not reach the
    page below."""
    h = harness
    h.start()
    h.choose("menu", "case", then="case_type")
    h.choose("case_type", "queja", then="case_privacy")
    accept_privacy(h, then="case_service")
    service: Any = h.window.page("case_service")
    button = service.buttons["urgencias"]
    point = button.mapTo(h.window, button.rect().center())
    h.settle()
    h.clock.advance(h.window.config.idle_seconds + 1)
    h.window.idle.check()
    assert h.window.idle_panel.isVisible()
    h.settle()
    h.tap(h.window.idle_panel.continue_button)
    assert not h.window.idle_panel.isVisible()
    tap_at(h, point)  # at once, where a service is
    _calm(h)
    assert h.window.current == "case_service" and h.window.session.case.service_code is None
    h.settle()
    tap_at(h, point)
    h.wait_page("case_category")
    assert h.window.session.case.service_code == "urgencias"
