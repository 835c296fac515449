"""The sizes follow the screen: the DPI from the settings, a new window size, at once outside
a session and only when it ends inside one; the keyboard leaves the field being typed in
visible (kiosk.ui.sizing, kiosk.ui.scrolling)."""

import math
from typing import Any

from PySide6.QtGui import QGuiApplication

from devtools.screenshots import settle
from kiosk.settings import load_settings
from kiosk.ui.metrics import REFERENCE_DPI
from tests.kiosk.ui.conftest import (
    COUNTDOWN_SECONDS,
    IDLE_SECONDS,
    Harness,
    left_button,
    to_narrative,
)
from tests.kiosk.ui.layout_check import visible_rect, window_rect


def test_the_settings_diagonal_sizes_every_target(make_harness: Any, tmp_path: Any) -> None:
    settings = load_settings(tmp_path / "data", idle_seconds=IDLE_SECONDS,
                             idle_countdown_seconds=COUNTDOWN_SECONDS,
                             screen_diagonal_inches=15.6)
    h = make_harness(settings)
    w = h.window
    screen = QGuiApplication.primaryScreen().geometry()
    expected = math.hypot(screen.width(), screen.height()) / 15.6
    settle(QGuiApplication.instance())
    assert w.metrics.dpi == expected != REFERENCE_DPI
    h.start()
    h.choose("menu", "case", then="case_type")
    answer = w.page("case_type").buttons["queja"]  # type: ignore[attr-defined]
    assert answer.height() >= w.metrics.mm(15) >= round(15 * expected / 25.4) - 1


def test_a_new_window_size_resizes_at_once_outside_a_session(harness: Harness) -> None:
    w = harness.window
    app = QGuiApplication.instance()
    big = w.metrics
    w.resize(1280, 720)
    settle(app)
    assert (w.metrics.width_px, w.metrics.height_px) == (1280, 720)
    assert w.metrics.layout_key != big.layout_key
    harness.start()
    assert w.page("menu").metrics == w.metrics  # built for the new size


def test_during_a_session_the_new_size_waits_for_its_end(harness: Harness) -> None:
    w = harness.window
    app = QGuiApplication.instance()
    to_narrative(harness, "Me gritaron")
    before = w.metrics
    narrative = w.page("case_narrative")
    w.resize(1280, 720)
    settle(app)
    assert w.metrics == before and w.page("case_narrative") is narrative
    assert narrative.field.text() == "Me gritaron"  # type: ignore[attr-defined]
    w.end_session()
    settle(app)
    assert w.metrics.height_px == 720 and w.built("case_narrative") is None


def test_the_keyboard_leaves_the_field_being_typed_in_visible(harness: Harness) -> None:
    w = harness.window
    app = QGuiApplication.instance()
    w.resize(1280, 720)
    settle(app)
    harness.start()
    harness.choose("menu", "case", then="case_type")
    w.go("case_identity")
    settle(app)
    page: Any = w.current_page()
    curp = page.fields["curp"]
    assert visible_rect(curp.editor) != window_rect(curp.editor)  # below the fold at first
    for _ in range(5):  # "Ver más" until a finger can reach it
        if visible_rect(curp.editor).height() > 10:
            break
        harness.tap(page.pane.down_button)
        settle(app)
    harness.qtbot.mouseClick(curp.editor, left_button(), pos=visible_rect(curp.editor).center()
                             - window_rect(curp.editor).topLeft())
    settle(app)
    assert w.keyboard.layer == "code"
    shown = visible_rect(curp.editor)
    assert shown == window_rect(curp.editor)  # all of the box in view
    assert shown.bottom() < window_rect(w.keyboard).top()
