"""Every screen fits every kiosk panel: 1280x720, 1366x768, 1920x1080 and portrait 1080x1920,
in both themes, with normal and larger text (:mod:`tests.kiosk.ui.layout_check` says what
"fits" means). One window per resolution walks every page the window's flows can build, in the
states the screenshots show them (``devtools.screenshots.scenes``) and, for a page no scene
reaches, as a complaint in progress would show it: a new screen is checked as soon as a flow
builds it.

The offscreen platform's screen is a fixed 800x800, so the window is sized explicitly; the
metrics follow the window (at the reference DPI, the offscreen platform reports no real one).
"""

import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QApplication

from devtools import i18n_build
from devtools.screenshots import _case, scenes, settle
from kiosk.ui.theme import HIGH_CONTRAST, NORMAL
from kiosk.ui.window import KioskWindow
from tests.kiosk.ui.conftest import Harness
from tests.kiosk.ui.layout_check import check_screen

RESOLUTIONS = [(1280, 720), (1366, 768), (1920, 1080), (1080, 1920)]
VARIANTS = [(theme, large) for theme in (NORMAL, HIGH_CONTRAST) for large in (False, True)]

Visit = tuple[str, Callable[[KioskWindow], None]]


def _generic(name: str) -> Callable[[KioskWindow], None]:
    def run(w: KioskWindow) -> None:
        _case(w)
        w.go(name)

    return run


def visits(h: Harness) -> list[Visit]:
    """The screenshot scenes (their own large-text variants aside: every visit is checked
    with larger text anyway), then every page of the window no scene reached."""
    w = h.window
    out: list[Visit] = [(n, s) for n, s in scenes(h.kiosk.database) if "large-text" not in n]
    reached = set()
    for _name, scene in out:
        _prepare(w, NORMAL, False)
        scene(w)
        reached.add(w.current)
    for name in sorted(set(w.stack.builders) - reached):
        out.append((name, _generic(name)))
    return out


def _prepare(w: KioskWindow, theme: str, large: bool) -> None:
    w.end_session()
    w.staff.bridge = None
    w.banner.hide()
    w.contrast_button.setChecked(theme == HIGH_CONTRAST)
    w.large_text_button.setChecked(large)


def findings_at(h: Harness, size: tuple[int, int], variants: list[tuple[str, bool]]) -> list[str]:
    """Every finding of every page at ``size`` in ``variants``; also proves every page the
    window knows was visited."""
    w = h.window
    app = QApplication.instance()
    w.resize(*size)
    settle(app)
    out: list[str] = []
    seen_pages: set[str] = set()
    plan = visits(h)
    for theme, large in variants:
        for name, visit in plan:
            _prepare(w, theme, large)
            visit(w)
            # The toggles are reset by a scene's end_session: set them again for the visit
            # (never on the attract screen: the end of a session resets them before it).
            w.contrast_button.setChecked(theme == HIGH_CONTRAST)
            w.large_text_button.setChecked(large and w.current != "attract")
            settle(app)
            seen_pages.add(w.current)
            where = f"{size[0]}x{size[1]} {theme} {'large' if large else 'normal'} {name}"
            if (w.width(), w.height()) != size:
                out.append(f"{where}: the window is {w.width()}x{w.height()}")
            out += [f"{where}: {f}" for f in check_screen(w, w.metrics)]
    missing = set(w.stack.builders) - seen_pages
    assert not missing, f"pages never checked: {sorted(missing)}"
    return out


@pytest.mark.parametrize("size", RESOLUTIONS, ids=[f"{w}x{h}" for w, h in RESOLUTIONS])
def test_every_screen_fits(harness: Harness, size: tuple[int, int]) -> None:
    problems = findings_at(harness, size, VARIANTS)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:80])


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
        extra = "ŋ" * max(2, len(source) * 4 // 10)
        # In words of six letters, as a real translation would break.
        stretched = source + " ~" + " ".join(extra[i:i + 6] for i in range(0, len(extra), 6))
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
        problems = findings_at(h, (1366, 768), [(NORMAL, False)])
        assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:80])
    finally:
        app.removeTranslator(translator)
