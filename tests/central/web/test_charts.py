"""The board's SVG charts: escaped text, gaps for suppressed points, unit names shortened."""

from central.web.charts import abbreviate, bar_chart, line_chart


def test_charts_escape_text_and_shorten_unit_names() -> None:
    assert abbreviate("Unidad de Medicina Familiar No. 1 Aguascalientes") == \
        "UMF No. 1 Aguascalientes"
    svg = str(line_chart([("a", 50.0), ("b", None), ("<c>", 75.0)], title="T & <x>"))
    assert "<title>T &amp; &lt;x&gt;</title>" in svg and "&lt;c&gt;" in svg
    assert "<rect" in str(bar_chart([("u", [1, 2])], title="B", series=["x", "y"]))
