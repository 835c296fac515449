"""The Spanish catalogue: every visible string is in it and the screens speak Spanish."""

import ast
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from devtools import i18n_build
from kiosk.ui.assets import AssetLibrary
from kiosk.ui.i18n import Translations
from tests.kiosk.ui.conftest import (
    Harness,
)


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
