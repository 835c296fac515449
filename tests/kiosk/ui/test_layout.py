"""Every screen fits a 1920x1080 kiosk, with larger text and with the staff banner shown:
nothing is pushed off the screen or squeezed below its minimum size."""

import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from devtools import i18n_build
from devtools.screenshots import scenes
from tests.kiosk.ui.conftest import Harness

SCREEN_HEIGHT = 1080
SCREEN_WIDTH = 1920


@pytest.mark.parametrize("large_text", [False, True], ids=["normal-text", "large-text"])
def test_every_screen_fits_the_kiosk_screen(harness: Harness, large_text: bool) -> None:
    w = harness.window
    w.show_staff_notice("storage_full")  # the tallest frame: banner visible
    checked = []
    # Both themes share sizes and borders, so one theme decides the geometry.
    for name, scene in scenes(harness.kiosk.database):
        w.end_session()
        w.staff.bridge = None
        w.large_text_button.setChecked(large_text)
        scene(w)
        hint = w.minimumSizeHint()
        assert hint.height() <= SCREEN_HEIGHT, (name, hint.height())
        assert hint.width() <= SCREEN_WIDTH, (name, hint.width())
        checked.append(name)
    assert len(checked) >= 25


def _pseudo_catalogue(tmp_path: Path) -> Path:
    """Every kiosk string stretched by about 40 % with accents (Vorta's pseudo-translation):
    translations into Indigenous languages are often that much longer than Spanish."""
    fresh = tmp_path / "trato_qps.ts"
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
    tree = ET.parse(fresh)  # noqa: S314 - generated just now
    for message in tree.getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        stretched = source + " ~" + "ŋ" * max(2, len(source) * 4 // 10)
        translation.attrib.pop("type", None)
        if message.get("numerus") == "yes":
            for form in list(translation):
                translation.remove(form)
            for _ in range(3):
                ET.SubElement(translation, "numerusform").text = stretched
        else:
            translation.text = stretched
    tree.write(fresh, encoding="utf-8", xml_declaration=True)
    return i18n_build.run_lrelease(fresh)


def test_screens_fit_with_forty_percent_longer_strings(
    make_harness: Any, settings: Any, tmp_path: Path
) -> None:
    qm = _pseudo_catalogue(tmp_path)
    translator = QTranslator()
    assert translator.load(str(qm))
    app = QCoreApplication.instance()
    assert app is not None
    h = make_harness(settings)
    w = h.window  # installs Spanish; the pseudo catalogue goes on top
    app.installTranslator(translator)
    try:
        assert w.page("menu").question.text().endswith("ŋŋ")  # type: ignore[attr-defined]
        w.show_staff_notice("storage_full")
        for name, scene in scenes(h.kiosk.database):
            w.end_session()
            scene(w)
            hint = w.minimumSizeHint()
            assert hint.height() <= SCREEN_HEIGHT, (name, hint.height())
            assert hint.width() <= SCREEN_WIDTH, (name, hint.width())
    finally:
        app.removeTranslator(translator)
