"""The on-screen Spanish keyboard."""

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton
from pytestqt.qtbot import QtBot

from kiosk.ui.keyboard import OnScreenKeyboard
from kiosk.ui.metrics import REFERENCE_DPI, Metrics
from kiosk.ui.widgets import TextField
from trato.domain.validators import (
    validate_curp,
    validate_email,
    validate_nss,
    validate_phone,
    validate_postal_code,
)

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


def _visible_keys(kb: OnScreenKeyboard) -> set[str]:
    page = kb.stack.currentWidget()
    return {b.text() for b in page.findChildren(QAbstractButton) if b.isVisibleTo(page)}


def test_keyboard_numeric_layer_for_numbers(qtbot: QtBot) -> None:
    field = _field(qtbot, max_length=20, validator=validate_nss)
    field.show()
    kb = _keyboard(qtbot)
    kb.attach(field.editor)
    assert kb.layer == "numeric"
    for ch in "123456789":
        _tap(qtbot, kb.numeric_keys[ch])
    assert field.text() == "123456789"
    assert field.message.text() == "El NSS tiene 11 números; faltan 2."
    assert not field.is_valid()
    _tap(qtbot, kb.numeric_backspace)
    assert field.text() == "12345678"


@pytest.mark.parametrize(
    ("validator", "layer"),
    [
        (validate_nss, "numeric"),
        (validate_phone, "numeric"),
        (validate_postal_code, "numeric"),
        (validate_email, "email"),
        (validate_curp, "code"),
        (None, "letters"),
    ],
)
def test_each_field_gets_its_own_layer(qtbot: QtBot, validator: Any, layer: str) -> None:
    # "letters" as the case flow names it for every field that is not a number: the
    # validator knows better.
    field = _field(qtbot, max_length=254, validator=validator, keyboard_layer="letters")
    kb = _keyboard(qtbot)
    kb.attach(field.editor)
    assert kb.layer == layer


def test_the_numeric_layer_has_digits_only(qtbot: QtBot) -> None:
    kb = _keyboard(qtbot)
    kb.show_layer("numeric")
    assert _visible_keys(kb) == set("0123456789") | {"Borrar"}
    assert not set("@;_()/:#") & set("".join(_visible_keys(kb)))


def test_the_pin_gets_the_numeric_layer(qtbot: QtBot) -> None:
    field = _field(qtbot, max_length=12, keyboard_layer="numeric", counter=False, password=True)
    kb = _keyboard(qtbot)
    kb.attach(field.editor)
    assert kb.layer == "numeric"


def test_the_email_layer_types_an_address_with_a_domain_key(qtbot: QtBot) -> None:
    field = _field(qtbot, max_length=254, validator=validate_email)
    field.show()
    kb = _keyboard(qtbot)
    kb.attach(field.editor)
    shown = _visible_keys(kb)
    assert {"@", ".", "-", "_", "@gmail.com", "@hotmail.com", "@outlook.com", "@yahoo.com.mx",
            "@imss.gob.mx"} <= shown
    for ch in "maria_83":
        key = kb.key_for(ch)
        assert key is not None, ch
        _tap(qtbot, key)
    _tap(qtbot, kb.email_keys["@gmail.com"])
    assert field.text() == "maria_83@gmail.com"
    assert field.is_valid() and field.message.text() == ""


def test_the_code_layer_types_a_curp_in_capitals(qtbot: QtBot) -> None:
    field = _field(qtbot, max_length=24, validator=validate_curp)
    field.show()
    kb = _keyboard(qtbot)
    kb.attach(field.editor)
    for ch in "GOMA800101":
        _tap(qtbot, kb.key_for(ch))  # type: ignore[arg-type]
    assert field.text() == "GOMA800101"


def _gap(a: QAbstractButton, b: QAbstractButton) -> int:
    ra, rb = a.geometry(), b.geometry()
    return max(rb.left() - ra.right() - 1, rb.top() - ra.bottom() - 1)


@pytest.mark.parametrize("size", [(1280, 720), (1366, 768), (1920, 1080), (1080, 1920)])
def test_keys_are_fifteen_millimetres_three_apart(qtbot: QtBot, size: tuple[int, int]) -> None:
    metrics = Metrics(px_per_mm=REFERENCE_DPI / 25.4, width_px=size[0], height_px=size[1])
    kb = OnScreenKeyboard(metrics)
    qtbot.addWidget(kb)
    kb.resize(size[0], kb.height())
    kb.show()
    for layer in ("letters", "numeric", "symbols", "code"):
        kb.show_layer(layer)
        qtbot.waitUntil(lambda: kb.stack.currentWidget().isVisible())
        keys = [b for b in kb.stack.currentWidget().findChildren(QAbstractButton)]
        assert min(min(b.width(), b.height()) for b in keys) >= metrics.mm(15) - 1, layer
    q, w, a = kb.keys["q"], kb.keys["w"], kb.keys["a"]
    kb.show_layer("letters")
    assert _gap(q, w) >= metrics.gap - 1 and _gap(q, a) >= metrics.gap - 1
    assert metrics.gap == metrics.mm(3)
    # The letters take at most half of the screen's height.
    assert kb.height() <= size[1] / 2 + 2  # at most half of the height (px rounding)


def test_keys_grow_with_larger_text(harness: Any) -> None:
    w = harness.window
    harness.start()
    harness.choose("menu", "survey", then="survey_rating")
    w.session.survey.rating = 4
    w.go("survey_comment")
    kb = w.keyboard
    harness.qtbot.waitUntil(lambda: kb.isVisible())
    normal = kb.keys["q"].height()
    w.large_text_button.setChecked(True)
    harness.qtbot.waitUntil(lambda: kb.keys["q"].height() > normal)
    assert kb.keys["q"].font().pixelSize() > 32


def test_the_dock_types_into_an_editor_that_takes_the_focus_in_its_window(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

    from kiosk.ui.overlays import KeyboardDock

    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    class Editor(QLineEdit):  # a subclass types like its Qt class
        pass

    line, text, button, own = QLineEdit(), QPlainTextEdit(), QPushButton("Continuar"), Editor()
    for widget in (line, text, button, own):
        layout.addWidget(widget)
    outside = QLineEdit()
    qtbot.addWidget(outside)
    dock = KeyboardDock(METRICS, layout, after=button)
    keyboard = dock.keyboard
    dock.focus_changed(window, line)
    assert keyboard.target is line
    for not_typed_into in (button, outside, None):  # not an editor; not in the window; none
        dock.focus_changed(window, not_typed_into)
        assert keyboard.target is line
    dock.focus_changed(window, text)
    assert keyboard.target is text
    dock.focus_changed(window, own)
    assert keyboard.target is own
