"""Server-rendered inline SVG charts (no script, no external library).

Each function returns SVG markup (``markupsafe.Markup``) with a ``<title>`` and ``role="img"``
so a screen reader announces it; every chart on the board also has a table and a CSV export.
"""

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

PALETTE = ("#0b6e4f", "#c8a200", "#d9822b", "#b3261e", "#6b4c9a", "#4a6fa5")


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def line_chart(
    points: Sequence[tuple[str, float | None]],
    *,
    title: str,
    y_max: float = 100.0,
    y_suffix: str = "%",
    width: int = 480,
    height: int = 220,
) -> Markup:
    """A line through ``(label, value)`` points; ``None`` values leave a gap."""
    left, right, top, bottom = 44, 36, 12, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(points), 1)
    step = plot_w / max(n - 1, 1)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_e(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{_e(title)}</title>",
    ]
    for frac in (0.0, 0.25, 0.5, 0.75, 1.0):
        y = top + plot_h * (1 - frac)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="axis">'
            f"{y_max * frac:.0f}{_e(y_suffix)}</text>"
        )
    segments: list[list[tuple[float, float]]] = [[]]
    label_every = max(1, (n + 5) // 6)
    for i, (label, value) in enumerate(points):
        x = left + step * i if n > 1 else left + plot_w / 2
        if i % label_every == 0:
            parts.append(
                f'<text x="{x:.1f}" y="{height - 12}" text-anchor="middle" class="axis">'
                f"{_e(label)}</text>"
            )
        if value is None:
            if segments[-1]:
                segments.append([])
            continue
        y = top + plot_h * (1 - min(max(value, 0.0), y_max) / y_max)
        segments[-1].append((x, y))
    for seg in segments:
        if len(seg) > 1:
            d = " ".join(f"{x:.1f},{y:.1f}" for x, y in seg)
            parts.append(f'<polyline points="{d}" class="line" fill="none"/>')
        for x, y in seg:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" class="dot"/>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  # every text part escaped by _e  # nosec B704


def bar_chart(
    rows: Sequence[tuple[str, Sequence[float]]],
    *,
    title: str,
    series: Sequence[str],
    width: int = 640,
    bar_height: int = 22,
) -> Markup:
    """Horizontal stacked bars: one row per label, one segment per series."""
    label_w, right, top = 250, 48, 8
    legend_h = 24
    height = top + legend_h + max(len(rows), 1) * (bar_height + 8) + 8
    plot_w = width - label_w - right
    biggest = max((sum(values) for _, values in rows), default=0) or 1
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_e(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{_e(title)}</title>",
    ]
    x = 8
    for i, name in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        parts.append(
            f'<rect x="{x}" y="{top}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16}" y="{top + 11}" class="axis">{_e(name)}</text>'
        )
        x += 16 + 7 * len(name) + 20
    y = top + legend_h
    for label, values in rows:
        short = abbreviate(label)
        parts.append(
            f'<text x="{label_w - 8}" y="{y + bar_height * 0.7:.1f}" text-anchor="end" '
            f'class="axis">{_e(short)}</text>'
        )
        x = float(label_w)
        for i, value in enumerate(values):
            w = plot_w * value / biggest
            if w > 0:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_height}" '
                    f'fill="{PALETTE[i % len(PALETTE)]}"><title>{_e(label)} · '
                    f"{_e(series[i] if i < len(series) else '')}: {value:g}</title></rect>"
                )
            x += w
        parts.append(
            f'<text x="{x + 6:.1f}" y="{y + bar_height * 0.7:.1f}" class="axis">'
            f"{sum(values):g}</text>"
        )
        y += bar_height + 8
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  # every text part escaped by _e  # nosec B704


_ABBREVIATIONS = (
    ("Unidad de Medicina Familiar", "UMF"),
    ("Hospital General de Zona", "HGZ"),
    ("Hospital General Regional", "HGR"),
    ("Hospital General de Subzona", "HGSZ"),
    ("Hospital de Especialidades", "HE"),
    ("Hospital de Gineco Obstetricia", "HGO"),
    ("Unidad Médica de Alta Especialidad", "UMAE"),
    ("Número", "No."),
)


def abbreviate(label: str, limit: int = 36) -> str:
    """A unit name short enough for a chart axis (the table beside it has the full name)."""
    for long, short in _ABBREVIATIONS:
        label = label.replace(long, short)
    return label if len(label) <= limit else label[: limit - 1] + "…"
