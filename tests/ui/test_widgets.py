"""The on-screen keyboard, validation as typed, free-text limits, themes, fonts, sizes and the
Spanish catalogue."""

import ast
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QRawFont
from PySide6.QtWidgets import QAbstractButton
from pytestqt.qtbot import QtBot

from kiosk.ui import i18n_build
from kiosk.ui.assets import AssetLibrary
from kiosk.ui.i18n import Translations
from kiosk.ui.keyboard import OnScreenKeyboard
from kiosk.ui.messages import problem_text
from kiosk.ui.metrics import Metrics
from kiosk.ui.theme import PALETTES, READ_PAIRS, contrast_ratio
from kiosk.ui.widgets import TextField
from tests.ui.conftest import Harness
from trato.domain.validators import NARRATIVE_MAX, Problem, validate_nss

METRICS = Metrics(px_per_mm=4.0)


def _field(qtbot: QtBot, **kw: Any) -> TextField:
    field = TextField(METRICS, **kw)
    qtbot.addWidget(field)
    return field


def _keyboard(qtbot: QtBot) -> OnScreenKeyboard:
    kb = OnScreenKeyboard(METRICS)
    qtbot.addWidget(kb)
    kb.show()
    return kb


def _tap(qtbot: QtBot, button: QAbstractButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_keyboard_types_spanish_with_shift_and_backspace(qtbot: QtBot) -> None:
    field = _field(qtbot, max_length=100, multiline=True)
    field.show()
    kb = _keyboard(qtbot)
    kb.attach(field.editor)
    _tap(qtbot, kb.keys["¿"])
    _tap(qtbot, kb.shift_key)
    for ch in "año":
        _tap(qtbot, kb.keys[ch])
    _tap(qtbot, kb.space_key)
    for ch in "éíóúüx":
        _tap(qtbot, kb.keys[ch])
    _tap(qtbot, kb.backspace_key)
    _tap(qtbot, kb.keys["?"])
    _tap(qtbot, kb.keys["¡"])
    assert field.text() == "¿Año éíóúü?¡"
    assert field.counter.text() == f"{len('¿Año éíóúü?¡')} / 100"


def test_keyboard_numeric_layer_for_numbers(qtbot: QtBot) -> None:
    field = _field(qtbot, max_length=20, validator=validate_nss, keyboard_layer="numeric")
    field.show()
    kb = _keyboard(qtbot)
    kb.attach(field.editor)
    assert kb.layer == "numeric"
    for ch in "123456789":
        _tap(qtbot, kb.numeric_keys[ch])
    assert field.text() == "123456789"
    assert field.message.text() == "El NSS tiene 11 números; faltan 2."
    assert not field.is_valid()
    _tap(qtbot, kb.letters_key)
    assert kb.layer == "letters"


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


def test_identity_form_refuses_continuing_with_a_bad_value(harness: Harness) -> None:
    h = harness
    h.window.session.flow = "case"
    h.window.go("case_contact")
    page: Any = h.window.page("case_contact")
    page.fields["phone"].set_text("55123")
    assert page.fields["phone"].message.text() == "El teléfono tiene 10 números; faltan 5."
    assert not page.continue_button.isEnabled()
    page.fields["phone"].set_text("5512345678")
    page.fields["postal_code"].set_text("00999")
    assert page.fields["postal_code"].message.text() == "Este código postal no existe en México."
    assert not page.continue_button.isEnabled()
    page.fields["postal_code"].set_text("")
    assert page.continue_button.isEnabled()


def test_every_problem_code_has_a_plain_spanish_message() -> None:
    codes = [
        "required",
        "nss_digits_only",
        "nss_too_short",
        "nss_too_long",
        "nss_check_digit",
        "curp_too_short",
        "curp_too_long",
        "curp_pattern",
        "curp_birth_date",
        "curp_state",
        "curp_check_digit",
        "phone_digits_only",
        "phone_too_short",
        "phone_too_long",
        "postal_code_digits_only",
        "postal_code_length",
        "postal_code_range",
        "email_pattern",
        "text_too_long",
        "text_invalid_character",
        "text_control_character",
    ]
    generic = problem_text(Problem("no_such_code"))
    for code in codes:
        text = problem_text(Problem(code, {"missing": 2, "extra": 2, "limit": 10}))
        assert text and text != generic, code
    assert problem_text(Problem("curp_too_short", {"missing": 2})).endswith("faltan 2.")


def test_pasted_text_beyond_the_limit_is_cut_with_a_message(qtbot: QtBot) -> None:
    field = _field(qtbot, max_length=NARRATIVE_MAX, multiline=True)
    field.editor.insertPlainText("x" * 10_000)  # type: ignore[union-attr]
    assert field.text() == "x" * NARRATIVE_MAX
    assert field.counter.text() == f"{NARRATIVE_MAX} / {NARRATIVE_MAX}"
    assert "4000" in field.message.text()


def test_control_characters_removed_emoji_and_rtl_kept(qtbot: QtBot) -> None:
    field = _field(qtbot, max_length=200, multiline=True)
    text = "Bien 👍🏽 مرحبا \u202egood\u202c"
    field.editor.insertPlainText("a\x07b\x1b" + text)  # type: ignore[union-attr]
    assert field.text() == "ab" + text
    assert "carácter" in field.message.text()


def test_odd_text_is_stored_exactly_as_accepted(harness: Harness) -> None:
    h = harness
    h.start()
    h.choose("menu", "survey", then="survey_rating")
    h.tap(h.window.page("survey_rating").decline)  # type: ignore[attr-defined]
    h.choose("survey_service", "farmacia", then="survey_comment")
    page: Any = h.window.page("survey_comment")
    page.field.editor.insertPlainText("שלום 👩🏽‍⚕️ ꞌ\x00" + "z" * 2000)
    accepted = page.field.text()
    assert len(accepted) == 1000 and "\x00" not in accepted
    h.tap(page.continue_button)
    h.wait_page("survey_thanks")
    [row] = h.surveys()
    assert row.comment == accepted


def test_palettes_reach_seven_to_one() -> None:
    for theme, palette in PALETTES.items():
        for fg, bg in READ_PAIRS:
            ratio = contrast_ratio(palette[fg], palette[bg])
            assert ratio >= 7.0, (theme, fg, bg, round(ratio, 2))


def test_bundled_font_has_spanish_and_saltillo(qapp: Any) -> None:
    fonts = AssetLibrary().fonts
    assert fonts and (fonts[0].parent / "OFL.txt").is_file()
    for path in fonts:
        raw = QRawFont(str(path), 24)
        assert raw.isValid()
        for ch in "ñÑáéíóúüÜ¿¡\ua78c":
            assert raw.supportsCharacter(ord(ch)), (path.name, ch)


def test_targets_and_text_sizes(harness: Harness) -> None:
    h = harness
    h.start()
    metrics = h.window.metrics
    for name in ("menu", "survey_rating", "case_category", "case_narrative", "case_identity"):
        h.window.session.flow = "case"
        if name == "case_category":
            from trato.domain.enums import CaseType

            h.window.session.case.case_type = CaseType.QUEJA
        h.window.go(name)
        h.qtbot.waitUntil(lambda n=name: h.window.current == n)
        buttons = [
            b for b in h.window.findChildren(QAbstractButton) if b.isVisible() and b.isEnabled()
        ]
        assert buttons
        for b in buttons:
            assert min(b.width(), b.height()) >= metrics.minimum, (name, b.text(), b.size())
        for label in h.window.findChildren(type(h.window.step_label)):
            if label.isVisible() and label.text():
                assert label.font().pixelSize() >= 24 or label.font().pointSizeF() * 96 / 72 >= 24


def test_catalogue_covers_every_visible_string(tmp_path: Path) -> None:
    """lupdate over the sources finds nothing the shipped Spanish catalogue lacks."""
    fresh = tmp_path / "fresh.ts"
    subprocess.run(
        [
            i18n_build.tool("lupdate"),
            "-silent",
            "-locations",
            "none",
            *i18n_build.source_files(),
            "-ts",
            str(fresh),
        ],
        check=True,
    )
    shipped = ET.parse(i18n_build.TRANSLATIONS / "trato_es.ts").getroot()  # noqa: S314
    done = {
        (ctx.findtext("name"), m.findtext("source"))
        for ctx in shipped.iter("context")
        for m in ctx.iter("message")
        if (m.find("translation") is not None and m.find("translation").get("type") is None)  # type: ignore[union-attr]
    }
    needed = {
        (ctx.findtext("name"), m.findtext("source"))
        for ctx in ET.parse(fresh).getroot().iter("context")  # noqa: S314
        for m in ctx.iter("message")
    }
    assert len(needed) > 100
    assert needed - done == set()
    assert (i18n_build.TRANSLATIONS / "trato_es.qm").is_file()


def test_every_translate_call_is_one_lupdate_can_extract() -> None:
    """lupdate silently skips some calls (a count given as an expression, a text built at
    run time); walk the sources and check every tr()/translate() text is in the catalogue."""
    shipped = ET.parse(i18n_build.TRANSLATIONS / "trato_es.ts").getroot()  # noqa: S314
    sources = {m.findtext("source") for m in shipped.iter("message")}
    seen = 0
    missing: list[str] = []
    for path in map(Path, i18n_build.source_files()):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in ("tr", "translate"):
                continue
            position = 0 if name == "tr" else 1
            if len(node.args) <= position:
                continue
            text = node.args[position]
            seen += 1
            if not (isinstance(text, ast.Constant) and isinstance(text.value, str)):
                missing.append(f"{path.name}:{node.lineno}: text built at run time")
            elif text.value not in sources:
                missing.append(f"{path.name}:{node.lineno}: {text.value!r}")
    assert seen > 100
    assert missing == []


def test_spanish_catalogue_is_loaded_and_screens_speak_spanish(harness: Harness) -> None:
    h = harness
    translations = Translations(AssetLibrary().translations_dir)
    translations.language = ""
    assert translations.set_language("es")
    assert QCoreApplication.translate("IdlePanel", "¿Sigue ahí?") == "¿Sigue ahí?"
    h.start()
    assert h.window.page("menu").question.text() == "¿Qué desea hacer?"
    assert h.window.back_button.text() == "‹ Atrás"
    assert h.window.languages[0][1] == "Español"


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
