"""The on-screen Spanish keyboard."""

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton
from pytestqt.qtbot import QtBot

from kiosk.ui.keyboard import OnScreenKeyboard
from kiosk.ui.metrics import Metrics
from kiosk.ui.widgets import TextField
from trato.domain.validators import validate_nss

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
