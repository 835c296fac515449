"""How the board writes numbers for people in Mexico."""

from central.web.state import format_count, make_templates


def test_counts_use_the_mexican_thousands_separator() -> None:
    assert format_count(27979) == "27,979"
    assert format_count(1234567) == "1,234,567"
    assert format_count(999) == "999"
    assert format_count(0) == "0"
    # Not a count: left alone.
    assert format_count(True) is True
    assert format_count("—") == "—"
    assert format_count(None) is None


def test_templates_know_the_filter() -> None:
    env = make_templates().env
    assert env.from_string("{{ n|num }} casos").render(n=1104) == "1,104 casos"
