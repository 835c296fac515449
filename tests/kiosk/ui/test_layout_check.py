"""Each check of tests/kiosk/ui/layout_check.py fails on a layout broken on purpose (and says
nothing about the same widgets laid out properly)."""

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from kiosk.ui.base import TouchButton
from kiosk.ui.metrics import Metrics
from kiosk.ui.scrolling import ScrollPane
from tests.kiosk.ui import layout_check
from tests.kiosk.ui.layout_check import Finding, check_screen

M = Metrics(px_per_mm=4.0)  # touch targets 60 px, gaps 12 px


def _window(qtbot: QtBot, build: Callable[[QWidget], None]) -> QWidget:
    root = QWidget()
    root.resize(800, 600)
    build(root)
    qtbot.addWidget(root)
    root.show()
    qtbot.waitExposed(root)
    return root


def _rules(findings: list[Finding]) -> set[str]:
    return {f.rule for f in findings}


def _button(parent: QWidget, text: str, rect: tuple[int, int, int, int]) -> QPushButton:
    button = QPushButton(text, parent)
    button.setGeometry(*rect)
    return button


def test_a_proper_layout_passes_every_check(qtbot: QtBot) -> None:
    def build(root: QWidget) -> None:
        column = QVBoxLayout(root)
        column.setSpacing(M.gap)
        column.addWidget(QLabel("¿Qué desea hacer? Año, niño, ꞌ"))
        for text in ("Calificar", "Presentar una queja"):
            button = TouchButton(text)
            button.setMinimumHeight(M.touch)
            column.addWidget(button)
        column.addStretch(1)

    assert check_screen(_window(qtbot, build), M) == []


def test_clipped_text_is_found(qtbot: QtBot) -> None:
    def build(root: QWidget) -> None:
        narrow = QLabel("Un texto que no cabe en su lugar", root)
        narrow.setGeometry(10, 10, 60, 40)
        wrapped = QLabel("Un texto que se parte en varias líneas y no cabe a lo alto", root)
        wrapped.setWordWrap(True)
        wrapped.setGeometry(10, 100, 120, 20)
        long_word = TouchButton("Otorrinolaringología")
        long_word.setParent(root)
        long_word.setGeometry(10, 200, 80, 70)

    findings = layout_check.clipped(_window(qtbot, build), M)
    assert len(findings) == 3, findings
    assert _rules(findings) == {"clipped"}


def test_a_widget_outside_its_parent_is_clipped(qtbot: QtBot) -> None:
    def build(root: QWidget) -> None:
        box = QWidget(root)
        box.setGeometry(0, 0, 300, 100)
        _button(box, "Continuar", (0, 50, 200, 80))  # 30 px below the box's edge

    findings = layout_check.clipped(_window(qtbot, build), M)
    assert [f.widget for f in findings] == ["QPushButton 'Continuar'"]
    assert "pokes out" in findings[0].detail


def test_overlapping_siblings_are_found(qtbot: QtBot) -> None:
    def build(root: QWidget) -> None:
        _button(root, "Nombre", (10, 10, 300, 80))
        QLabel("21 / 200", root).setGeometry(250, 60, 100, 40)

    findings = layout_check.overlap(_window(qtbot, build), M)
    assert len(findings) == 1 and "covers" in findings[0].detail


def test_a_target_under_the_millimetre_rule_is_found(qtbot: QtBot) -> None:
    def build(root: QWidget) -> None:
        _button(root, "", (10, 10, 200, 40))  # 10 mm tall: under this screen's 15 mm
        _button(root, "", (10, 100, 200, 60))

    findings = layout_check.small(_window(qtbot, build), M)
    assert len(findings) == 1 and "10.0 mm" in findings[0].detail


def test_targets_closer_than_three_millimetres_are_found(qtbot: QtBot) -> None:
    def build(root: QWidget) -> None:
        _button(root, "a", (10, 10, 80, 80))
        _button(root, "b", (94, 10, 80, 80))  # 4 px = 1 mm to the right of "a"
        _button(root, "c", (10, 102, 80, 80))  # 12 px = 3 mm below "a": fine

    findings = layout_check.crowded(_window(qtbot, build), M)
    assert [(f.widget, f.detail.split(" px")[0]) for f in findings] == [("QPushButton 'a'", "4")]


def _pane_with_choices(root: QWidget, n: int) -> ScrollPane:
    content = QWidget()
    column = QVBoxLayout(content)
    column.setSpacing(M.gap)
    for i in range(n):
        button = TouchButton(f"Respuesta {i}")
        button.setMinimumHeight(M.touch)
        column.addWidget(button)
    pane = ScrollPane(content, M)
    QVBoxLayout(root).addWidget(pane)
    return pane


def test_a_choice_below_the_fold_needs_a_visible_cue(qtbot: QtBot) -> None:
    panes: list[ScrollPane] = []
    root = _window(qtbot, lambda r: panes.append(_pane_with_choices(r, 12)))
    qtbot.waitUntil(lambda: panes[0].down_button.isVisible())
    assert panes[0].more_below
    assert layout_check.unreachable(root, M) == []  # "Ver más" is there
    panes[0].down_button.hide()
    findings = layout_check.unreachable(root, M)
    assert findings and all("Ver más" in f.detail for f in findings)


def test_a_target_outside_the_window_is_unreachable(qtbot: QtBot) -> None:
    def build(root: QWidget) -> None:
        _button(root, "Enviar", (10, 560, 200, 80))  # half below the window's bottom

    findings = layout_check.unreachable(_window(qtbot, build), M)
    assert [f.widget for f in findings] == ["QPushButton 'Enviar'"]


@pytest.mark.parametrize("text", ["🔍 Consultar un folio", "✓ Urgencias", "◐ Alto contraste"])
def test_a_character_the_font_lacks_is_found(qtbot: QtBot, text: str) -> None:
    from kiosk.app import load_fonts
    from kiosk.ui.assets import AssetLibrary

    load_fonts(AssetLibrary())  # the bundled Noto Sans, as the kiosk uses it

    def build(root: QWidget) -> None:
        root.setStyleSheet('QWidget { font-family: "Noto Sans"; }')
        QLabel(text, root).setGeometry(10, 10, 600, 60)
        QLabel("¿Año? ¡Sí! ñ á é í ó ú ü ꞌ", root).setGeometry(10, 100, 600, 60)

    findings = layout_check.glyphs(_window(qtbot, build), M)
    assert len(findings) == 1 and "U+" in findings[0].detail
