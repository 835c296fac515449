"""The text fields: validation as typed, limits, odd characters."""

from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from kiosk.ui.metrics import Metrics
from kiosk.ui.widgets import TextField
from trato.domain.validators import NARRATIVE_MAX, validate_nss

METRICS = Metrics(px_per_mm=4.0)


def _field(qtbot: QtBot, **kw: Any) -> TextField:
    field = TextField(METRICS, **kw)
    qtbot.addWidget(field)
    return field


@pytest.mark.parametrize(
    ("typed", "message", "valid"),
    [
        ("1234567890", "El NSS tiene 11 números; falta 1.", False),
        (
            "12345678901",
            "Este NSS no es válido. Revise que los números estén bien escritos.",
            False,
        ),
        ("123456789012", "El NSS tiene 11 números; sobra 1.", False),
        ("12345678903", "", True),
        ("", "", True),
    ],
)
def test_nss_messages_as_typed(qtbot: QtBot, typed: str, message: str, valid: bool) -> None:
    field = _field(qtbot, max_length=20, validator=validate_nss)
    field.set_text(typed)
    assert field.message.text() == message
    assert field.is_valid() is valid


def test_pasted_text_beyond_the_limit_is_cut_with_a_message(qtbot: QtBot) -> None:
    field = _field(qtbot, max_length=NARRATIVE_MAX, multiline=True)
    field.editor.insertPlainText("x" * 10_000)  # type: ignore[union-attr]
    assert field.text() == "x" * NARRATIVE_MAX
    assert field.counter.text() == f"{NARRATIVE_MAX} / {NARRATIVE_MAX}"
    assert "4000" in field.message.text()


def test_control_characters_removed_rtl_kept(qtbot: QtBot) -> None:
    field = _field(qtbot, max_length=200, multiline=True)
    text = "Bien مرحبا \u202egood\u202c ꞌ"
    field.editor.insertPlainText("a\x07b\x1b" + text)  # type: ignore[union-attr]
    assert field.text() == "ab" + text
    assert "carácter" in field.message.text()


@pytest.mark.parametrize("emoji", ["👍🏽", "😡", "👨\u200d👩\u200d👧", "❤\ufe0f", "🇲🇽", "☺", "✓"])
def test_emoji_are_removed_with_a_plain_message(qtbot: QtBot, emoji: str) -> None:
    """The bundled font cannot draw them: the field would show the person an empty box."""
    field = _field(qtbot, max_length=200, multiline=True)
    field.editor.insertPlainText(f"Muy bien {emoji} gracias")  # type: ignore[union-attr]
    assert field.text() == "Muy bien  gracias"
    assert field.message.text() == (
        "Quitamos los emojis: aquí solo se pueden escribir letras, números y signos."
    )
    assert field.message.property("tone") == "error"


def test_any_pasted_text_is_accepted_or_trimmed_never_crashes(qtbot: QtBot) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from trato.domain.validators import validate_free_text

    field = _field(qtbot, max_length=50, multiline=True)
    line = _field(qtbot, max_length=20, validator=validate_nss, keyboard_layer="numeric")

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.text(alphabet=st.characters(codec=None), max_size=120))
    def check(text: str) -> None:
        for target in (field, line):
            target.clear()
            target.set_text(text)
            accepted = target.text()
            assert len(accepted) <= target.max_length
            assert validate_free_text(accepted, max_length=target.max_length).ok
            target.value()  # normalising never raises
            target.is_valid()

    check()


def test_every_pictogram_draws_in_the_colour_it_is_given(qtbot: QtBot) -> None:
    """They stand for the symbols the bundled font lacks (✓, arrows, ⌫, emoji)."""
    from PySide6.QtGui import QColor

    from kiosk.ui import pictograms

    for name in pictograms.PICTOGRAMS:
        image = pictograms.pixmap(name, 64, "#FFE600").toImage()
        inked = [image.pixelColor(x, y) for x in range(64) for y in range(64)
                 if image.pixelColor(x, y).alpha() == 255]
        assert len(inked) > 40, name
        assert all(c.rgb() == QColor("#FFE600").rgb() for c in inked), name
