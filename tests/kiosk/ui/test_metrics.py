"""Sizes in millimetres: where the DPI comes from, and how a layout degrades on a small
screen (kiosk.ui.metrics)."""

import math

import pytest
from PySide6.QtGui import QGuiApplication

from kiosk.ui.metrics import (
    GAP_MM,
    MINIMUM_MM,
    PRIMARY_MM,
    REFERENCE_DPI,
    Metrics,
    dpi_from_diagonal,
    plausible_dpi,
)

REFERENCE = REFERENCE_DPI / 25.4


def test_dpi_from_the_diagonal() -> None:
    assert dpi_from_diagonal(1920, 1080, 21.5) == pytest.approx(102.46, abs=0.01)
    assert dpi_from_diagonal(1366, 768, 15.6) == pytest.approx(100.4, abs=0.1)


@pytest.mark.parametrize(
    ("pixels", "millimetres", "expected"),
    [
        ((1920, 1080), (477, 268), 102.3),  # a 21.5" panel's EDID
        ((1080, 1920), (268, 477), 102.3),  # the same panel turned to portrait
        ((1080, 1920), (477, 268), 102.3),  # ... reporting its unrotated size
        ((1366, 768), (361, 203), 96.1),  # what Xvfb reports
        ((1920, 1080), (160, 90), None),  # EDID holding only the aspect ratio (7" = 300 dpi)
        ((1920, 1080), (1600, 900), None),  # a TV's nonsense: 72", 30 dpi
        ((1920, 1080), (477, 477), None),  # square millimetres for a 16:9 picture
        ((1920, 1080), (0, 0), None),  # no size at all
    ],
)
def test_a_reported_size_is_used_only_when_plausible(
    pixels: tuple[int, int], millimetres: tuple[int, int], expected: float | None
) -> None:
    dpi = plausible_dpi(*pixels, *millimetres)
    if expected is None:
        assert dpi is None
    else:
        assert dpi == pytest.approx(expected, abs=0.2)


def test_the_offscreen_platform_gets_the_reference_panel_unless_the_settings_say(
    qapp: object,
) -> None:
    screen = QGuiApplication.primaryScreen()
    assert QGuiApplication.platformName() == "offscreen"
    assert Metrics.dpi_of(screen) == REFERENCE_DPI
    assert Metrics.dpi_of(screen, dpi=96.0) == 96.0
    side = screen.geometry()
    assert Metrics.dpi_of(screen, diagonal_inches=10.0) == pytest.approx(
        math.hypot(side.width(), side.height()) / 10.0
    )
    m = Metrics.for_screen(screen, dpi=127.0)
    assert m.mm(10) == 50 and (m.width_px, m.height_px) == (side.width(), side.height())


@pytest.mark.parametrize(
    ("size", "key", "large_key", "primary"),
    [
        ((1280, 720), 15.0, 15.0, 15.0),
        ((1366, 768), 15.0, 15.0, 16.0),
        ((1920, 1080), 15.0, 18.0, 22.0),
        ((1080, 1920), 15.0, 18.0, 22.0),
        ((1024, 600), 12.0, 12.0, 15.0),  # 1024x600 at the reference DPI: 149 mm tall
    ],
)
def test_targets_at_each_resolution(
    size: tuple[int, int], key: float, large_key: float, primary: float
) -> None:
    m = Metrics(px_per_mm=REFERENCE, width_px=size[0], height_px=size[1])
    assert (m.key_mm(), m.key_mm(large_text=True), m.primary_mm) == (key, large_key, primary)
    assert m.gap == m.mm(GAP_MM)
    assert m.touch_mm == min(PRIMARY_MM, key)
    # The letters (five rows) fit in half of the height.
    assert 5 * m.key_mm() + 4 * GAP_MM <= m.height_mm / 2


def test_a_small_screen_degrades_toward_ten_millimetres_never_below() -> None:
    heights = range(200, 1200, 40)
    keys = [Metrics(px_per_mm=REFERENCE, width_px=1280, height_px=h).key_mm() for h in heights]
    assert keys == sorted(keys)  # taller screen, larger keys
    assert min(keys) == MINIMUM_MM and max(keys) == 15.0
    tiny = Metrics(px_per_mm=REFERENCE, width_px=800, height_px=200)
    assert tiny.key_mm(rows=6) == tiny.touch_mm == MINIMUM_MM
    assert tiny.spacing >= tiny.gap and tiny.primary >= tiny.mm(PRIMARY_MM)


def test_a_pixel_more_rebuilds_nothing() -> None:
    m = Metrics(px_per_mm=REFERENCE, width_px=1366, height_px=768)
    assert m.resized(1366, 769).layout_key == m.layout_key
    assert m.resized(768, 1366).layout_key != m.layout_key  # turned: portrait
    assert m.resized(1920, 1080).layout_key != m.layout_key
