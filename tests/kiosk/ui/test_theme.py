"""Both palettes read at 7:1 or better."""

from kiosk.ui.theme import PALETTES, READ_PAIRS, contrast_ratio


def test_palettes_reach_seven_to_one() -> None:
    for theme, palette in PALETTES.items():
        for fg, bg in READ_PAIRS:
            ratio = contrast_ratio(palette[fg], palette[bg])
            assert ratio >= 7.0, (theme, fg, bg, round(ratio, 2))
