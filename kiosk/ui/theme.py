"""Themes and text sizes: the QSS templates in ``assets/styles`` filled from a palette.

Body text is at least 24 px; the "larger text" toggle scales every size by
:data:`LARGE_TEXT_SCALE`. Each palette lists the text/background pairs people read; a test
checks every pair reaches a contrast ratio of 7:1 (WCAG AAA).
"""

from typing import NamedTuple

NORMAL = "normal"
HIGH_CONTRAST = "high_contrast"
THEMES = (NORMAL, HIGH_CONTRAST)
LARGE_TEXT_SCALE = 1.3
BODY_PX = 26

PALETTES: dict[str, dict[str, str]] = {
    NORMAL: {
        "bg": "#F2F4F1",
        "surface": "#FFFFFF",
        "fg": "#141414",
        "muted": "#3D3D3D",
        "border": "#4A4A4A",
        "primary_bg": "#0A4A35",
        "primary_fg": "#FFFFFF",
        "selected_bg": "#0A4A35",
        "selected_fg": "#FFFFFF",
        "focus": "#0A4A35",
        "error": "#8A1010",
        "bar_bg": "#0A4A35",
        "bar_fg": "#FFFFFF",
        "banner_bg": "#6B2A00",
        "banner_fg": "#FFFFFF",
    },
    HIGH_CONTRAST: {
        "bg": "#000000",
        "surface": "#000000",
        "fg": "#FFFFFF",
        "muted": "#E0E0E0",
        "border": "#FFFFFF",
        "primary_bg": "#FFE600",
        "primary_fg": "#000000",
        "selected_bg": "#FFE600",
        "selected_fg": "#000000",
        "focus": "#FFE600",
        "error": "#FF9C9C",
        "bar_bg": "#000000",
        "bar_fg": "#FFE600",
        "banner_bg": "#FFE600",
        "banner_fg": "#000000",
    },
}

#: (text, background) pairs a person reads, by palette key.
READ_PAIRS = (
    ("fg", "bg"),
    ("fg", "surface"),
    ("muted", "bg"),
    ("muted", "surface"),
    ("primary_fg", "primary_bg"),
    ("selected_fg", "selected_bg"),
    ("error", "surface"),
    ("error", "bg"),
    ("bar_fg", "bar_bg"),
    ("banner_fg", "banner_bg"),
)


class TextSizes(NamedTuple):
    body: int
    choice: int
    heading: int
    title: int
    key: int
    folio: int

    @classmethod
    def for_scale(cls, scale: float) -> "TextSizes":
        def px(v: float) -> int:
            return round(v * scale)

        return cls(
            body=px(BODY_PX), choice=px(30), heading=px(40), title=px(54),
            # Keys grow less: their label must fit a 15 mm key on a small screen.
            key=round(32 * (1 + (scale - 1) * 0.6)), folio=px(72),
        )


def build_stylesheet(template: str, theme: str, large_text: bool) -> str:
    values: dict[str, str] = dict(PALETTES[theme])
    sizes = TextSizes.for_scale(LARGE_TEXT_SCALE if large_text else 1.0)
    values.update({k: str(v) for k, v in sizes._asdict().items()})
    out = template
    for key, value in values.items():
        out = out.replace(f"@{key}@", value)
    return out


def _channel(c: int) -> float:
    s = c / 255
    return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4


def luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
