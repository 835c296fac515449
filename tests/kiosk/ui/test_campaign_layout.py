"""Every answer of a campaign question in view, without scrolling: the six answers (five
points and "No aplica") at 1280x720, 1366x768, 1920x1080 and portrait 1080x1920, with
normal and larger text, each question in turn, on the real window (offscreen).

For each question: the answers' scroll pane does not scroll (no "Ver más", no fade), every
answer lies whole inside the view and the window, none covers another or comes nearer than
3 mm, each is at least a primary target (15 mm) tall and wide, its text fits (nothing cut),
the screen passes every check of :mod:`tests.kiosk.ui.layout_check`, and the scale reads in
its order (down each column, worst first). Then a tap on one answer, a different one each
question ("No aplica" first), takes the person to the next question.
"""

from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from devtools.campaign_screenshots import _offered
from devtools.screenshots import settle
from kiosk.ui.campaign import CODES
from kiosk.ui.metrics import PRIMARY_MM
from kiosk.ui.theme import NORMAL
from tests.kiosk.ui.conftest import Harness
from tests.kiosk.ui.layout_check import (
    TOLERANCE,
    _button_problem,
    check_screen,
    distance,
    visible_rect,
    window_rect,
)
from tests.kiosk.ui.test_layout import RESOLUTIONS, _prepare


def _answer_problems(h: Harness, page: Any) -> list[str]:
    w, metrics = h.window, h.window.metrics
    out = [str(f) for f in check_screen(w, metrics)]
    pane = page.pane
    bar = pane.area.verticalScrollBar()
    if bar.maximum() > bar.minimum() or pane.gutter.isVisible() or pane.fade.isVisible():
        out.append(f"the answers scroll ({bar.maximum()} px below the view)")
    view = visible_rect(pane.area.viewport())
    rects = {}
    for code, button in page.buttons.items():
        rect = window_rect(button)
        rects[code] = rect
        if not button.isVisible() or visible_rect(button) != rect or not view.contains(rect):
            out.append(f"{button.text()!r} {rect.getRect()} is not whole in the view "
                       f"{view.getRect()}")
        if min(rect.width(), rect.height()) < max(metrics.primary, metrics.mm(PRIMARY_MM)) - 1:
            out.append(f"{button.text()!r} is {metrics.to_mm(rect.width()):.1f}x"
                       f"{metrics.to_mm(rect.height()):.1f} mm")
        if problem := _button_problem(button):
            out.append(f"{button.text()!r}: {problem}")
    codes = list(rects)
    for i, a in enumerate(codes):
        for b in codes[i + 1:]:
            if distance(rects[a], rects[b]) < metrics.gap - TOLERANCE:
                out.append(f"{a} and {b} are {distance(rects[a], rects[b]):.0f} px apart")
    # In order down each column, the columns left to right ("Muy mal" first, "No aplica" last).
    reading = sorted(codes, key=lambda c: (rects[c].left(), rects[c].top()))
    if reading != list(CODES):
        out.append(f"the scale reads {reading}")
    if w.metrics.portrait and len({r.left() for r in rects.values()}) != 1:
        out.append("more than one column on a portrait screen")
    return out


@pytest.mark.parametrize("size", RESOLUTIONS, ids=[f"{w}x{h}" for w, h in RESOLUTIONS])
def test_every_answer_in_view_without_scrolling(harness: Harness, size: tuple[int, int]) -> None:
    h, w, app = harness, harness.window, QApplication.instance()
    w.resize(*size)
    settle(app)
    problems: list[str] = []
    for large in (False, True):
        _prepare(w, NORMAL, large)
        _offered(w)
        w.campaign_flow.start()
        w.large_text_button.setChecked(large)  # the offer's scene ended the last session
        h.wait_page("campaign_question")
        page: Any = w.page("campaign_question")
        questions = w.session.campaign.questions
        for n, question in enumerate(questions):
            settle(app)
            assert page.hint.text() == f"Pregunta {n + 1} de {len(questions)}"
            where = f"{size[0]}x{size[1]} {'large' if large else 'normal'} question {n + 1}"
            problems += [f"{where}: {p}" for p in _answer_problems(h, page)]
            code = CODES[-1 - n]
            h.tap(page.buttons[code])
            if n + 1 < len(questions):
                after = f"Pregunta {n + 2} de {len(questions)}"
                h.qtbot.waitUntil(lambda p=page, t=after: p.hint.text() == t, timeout=3000)
            else:
                h.wait_page("campaign_thanks")
            assert str(w.session.campaign_answers[question.code]) == code
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:60])
