"""The board in real headless Chromium (Debian's chromium via Playwright) against a real
server: sign in, open the board, push a signed batch through the kiosk API and see the figure
change on the open page without a reload.

Set ``TD_SCREENSHOT_DIR`` to keep the screenshots (``docs/screenshots/board-*.png``).
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.central.web.conftest import PASSWORD, World, build_world
from tests.support.browser import CHROMIUM_ARGS
from tests.support.browser import sign_in as browser_sign_in
from tests.support.central import survey_record

pytestmark = [pytest.mark.chromium, pytest.mark.slow]



@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("browser")
    yield from build_world(f"sqlite:///{folder / 'central.db'}", folder / "data")


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield b
        b.close()


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def sign_in(page: Any, base_url: str, username: str) -> None:
    browser_sign_in(page, base_url, username, PASSWORD)


def test_board_figure_changes_live_without_reload(world: World, browser: Any,
                                                  tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="es-MX")
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url)
            if not r.url.startswith((world.base_url, "data:")) else None)
    sign_in(page, world.base_url, "ooad_ags")
    expect(page.locator("#live-status")).to_have_class(re.compile(r"\bon\b"))
    figure = page.locator('[data-figure="responses_total"]')
    assert figure.inner_text() == "6"
    page.evaluate("window.__notReloaded = true")

    kiosk = world.kiosks["ags"]
    response = kiosk.push([survey_record(kiosk.next_seq(), rating=5) for _ in range(3)])
    assert response.status_code == 200
    # Waits in the page (no reload, no polling from here): the page must change by itself.
    expect(figure).to_have_text("9", timeout=5000)
    assert page.evaluate("window.__notReloaded === true")
    assert page.locator("#live-status").inner_text() == "En vivo"
    assert outside == []  # nothing loaded from outside the server

    shots = Path(os.environ.get("TD_SCREENSHOT_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    page.evaluate("document.querySelectorAll('.flash').forEach(e => e.classList.remove('flash'))")
    page.screenshot(path=str(shots / "board-tablero.png"), full_page=True)
    context.close()


def test_screens_render(world: World, browser: Any, tmp_path: Path) -> None:
    shots = Path(os.environ.get("TD_SCREENSHOT_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="es-MX")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, world.base_url, "nacional")
    page.goto(f"{world.base_url}/casos")
    assert page.locator("table tbody tr").count() >= 6
    page.screenshot(path=str(shots / "board-casos.png"), full_page=True)
    page.goto(f"{world.base_url}/casos/{world.cases['queja_ags']}")
    page.click("text=Ver datos personales")
    page.wait_for_selector("[data-personal=open]")
    page.screenshot(path=str(shots / "board-caso.png"), full_page=True)
    page.goto(f"{world.base_url}/reporte")
    page.emulate_media(media="print")
    page.screenshot(path=str(shots / "board-reporte.png"), full_page=True)
    page.emulate_media(media="screen")
    assert page.locator("[data-print]").count() == 1
    page.goto(f"{world.base_url}/reconocimientos")
    page.goto(f"{world.base_url}/tablero")
    expect(page.locator("#live-status")).to_have_class(re.compile(r"\bon\b"))
    context.close()
    assert errors == []  # no script errors, nothing blocked by the Content-Security-Policy
    public = browser.new_context(viewport={"width": 414, "height": 800}, locale="es-MX")
    p = public.new_page()
    p.goto(f"{world.base_url}/folio/{world.folios['queja_ags']}")
    assert "Recepción" in p.inner_text("main")
    p.screenshot(path=str(shots / "board-folio.png"), full_page=True)
    public.close()
