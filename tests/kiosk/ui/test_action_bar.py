"""The main action of every beneficiary page ("Continuar", "Enviar", "Consultar") sits in the
same place on the screen on every page, with the on-screen keyboard up or not (issue 8): a
person who found it once finds it again without looking, at 1280x720, 1366x768, 1920x1080 and
portrait 1080x1920, with normal and larger text.

The walk is the layout check's (:func:`tests.kiosk.ui.test_layout.visits`: every screenshot
scene, then every page no scene reaches); on each page the visible button whose caption is a
main action is found by its caption and role, wherever it lives in the widget tree, and its
rectangle in screen coordinates is compared with the first one seen. Before the action bar the
button closed each page's own column: above the keyboard when it was up, full width under a
choice list, so its place changed from page to page.
"""

from collections import defaultdict

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractButton, QApplication

from devtools.screenshots import settle
from kiosk.ui.theme import NORMAL
from kiosk.ui.window import KioskWindow
from tests.kiosk.ui.conftest import Harness
from tests.kiosk.ui.test_layout import RESOLUTIONS, _prepare, visits

MAIN_ACTIONS = ("Continuar", "Enviar", "Consultar")


def main_action(w: KioskWindow) -> QAbstractButton | None:
    found = [b for b in w.findChildren(QAbstractButton)
             if b.isVisible() and b.property("role") == "primary" and b.text() in MAIN_ACTIONS]
    assert len(found) <= 1, f"{w.current}: several main actions {[b.text() for b in found]}"
    return found[0] if found else None


def screen_rect(button: QAbstractButton) -> QRect:
    return QRect(button.mapToGlobal(button.rect().topLeft()), button.size())


#: The smallest panel and the portrait one (the real-display flows check the others on a real
#: X server: the main action keeps one place on every page they visit).
BAR_SIZES = [RESOLUTIONS[0], RESOLUTIONS[-1]]


@pytest.mark.parametrize("size", BAR_SIZES, ids=[f"{w}x{h}" for w, h in BAR_SIZES])
def test_the_main_action_is_in_the_same_place_on_every_page(
        harness: Harness, size: tuple[int, int]) -> None:
    w = harness.window
    app = QApplication.instance()
    w.resize(*size)
    settle(app)
    plan = visits(harness)
    for large in (False, True):
        where: dict[tuple[int, int, int, int], list[str]] = defaultdict(list)
        keyboard_states: set[bool] = set()
        for name, visit in plan:
            _prepare(w, NORMAL, large)
            visit(w)
            w.large_text_button.setChecked(large and w.current != "attract")
            settle(app)
            button = main_action(w)
            if button is None:
                continue
            keyboard = w.dock.keyboard.isVisible() if w.dock._keyboard is not None else False
            keyboard_states.add(keyboard)
            r = screen_rect(button)
            where[(r.x(), r.y(), r.width(), r.height())].append(
                f"{name} ({w.current}, {button.text()}, keyboard {'up' if keyboard else 'down'})")
        text = "larger text" if large else "normal text"
        pages = sum(len(v) for v in where.values())
        assert pages >= 10, f"{text}: only {pages} pages with a main action"
        assert keyboard_states == {True, False}, f"{text}: keyboard states {keyboard_states}"
        assert len(where) == 1, (
            f"{size[0]}x{size[1]} {text}: the main action moves between pages:\n"
            + "\n".join(f"  {rect}: {', '.join(names)}" for rect, names in where.items()))
        ((_x, y, _bw, bh),) = where
        # Bottom of the screen: under the keyboard, never above it.
        assert y + bh > size[1] * 0.85, f"{text}: main action at y={y} of {size[1]}"
