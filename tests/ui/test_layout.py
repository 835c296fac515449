"""Every screen fits a 1920x1080 kiosk, with larger text and with the staff banner shown:
nothing is pushed off the screen or squeezed below its minimum size."""

import pytest

from kiosk.ui.screenshots import scenes
from tests.ui.conftest import Harness

SCREEN_HEIGHT = 1080
SCREEN_WIDTH = 1920


@pytest.mark.parametrize("large_text", [False, True], ids=["normal-text", "large-text"])
def test_every_screen_fits_the_kiosk_screen(harness: Harness, large_text: bool) -> None:
    w = harness.window
    w.show_staff_notice("storage_full")  # the tallest frame: banner visible
    checked = []
    # Both themes share sizes and borders, so one theme decides the geometry.
    for name, scene in scenes():
        w.end_session()
        w.large_text_button.setChecked(large_text)
        scene(w)
        hint = w.minimumSizeHint()
        assert hint.height() <= SCREEN_HEIGHT, (name, hint.height())
        assert hint.width() <= SCREEN_WIDTH, (name, hint.width())
        checked.append(name)
    assert len(checked) >= 25
