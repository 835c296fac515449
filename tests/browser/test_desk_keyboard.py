"""The call centre's form in real headless Chromium, keyboard only: an agent of the 800 line
opens "Registrar caso", fills a queja from the first field with Tab, Enter and typing, gets
every error next to its field with the focus on the first one, corrects it, saves, reads the
folio and opens the case, which the case list then shows.

Set ``TD_SCREENSHOT_DIR`` to keep the screenshots (``docs/screenshots/board-registrar-*.png``).
"""

import os
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from central.db import LOCAL_ZONE
from tests.central.web.conftest import PASSWORD, World, build_world
from tests.support.browser import CHROMIUM_ARGS, sign_in

pytestmark = [pytest.mark.chromium, pytest.mark.slow]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("desk-browser")
    yield from build_world(f"sqlite:///{folder / 'central.db'}", folder / "data")


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def _focused(page: Any) -> str:
    return str(page.evaluate("document.activeElement.id || document.activeElement.tagName"))


def _tab_to(page: Any, element_id: str, limit: int = 30) -> None:
    """Press Tab until ``element_id`` has the focus (the tab order must reach it)."""
    for _ in range(limit):
        if _focused(page) == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id} (at {_focused(page)})")


def _shot(page: Any, name: str) -> None:
    folder = os.environ.get("TD_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"board-registrar-{name}.png"), full_page=True)


def test_agent_registers_a_queja_keyboard_only(world: World, chromium_path: str) -> None:
    from playwright.sync_api import sync_playwright

    world.central.create_user("agente_800", role="agente", scope_code="AGS",
                              display_name="Agente 800")
    yesterday = (datetime.now(LOCAL_ZONE) - timedelta(days=1)).strftime("%d/%m/%Y")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="es-MX")
        keys = page.keyboard
        sign_in(page, world.base_url, "agente_800", PASSWORD)
        page.goto(f"{world.base_url}/registrar")
        _shot(page, "inicio")
        assert _focused(page) == "A"  # the first type (queja) has the focus
        keys.press("Enter")
        page.wait_for_url(f"{world.base_url}/registrar/queja")
        # The first field has the focus, and the focus is visible.
        assert _focused(page) == "f-channel"
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
        keys.press("Tab")
        assert _focused(page) == "f-unit_id"
        keys.type("UMF")  # a select follows what is typed
        keys.press("Tab")
        keys.type("Urg")
        keys.press("Tab")
        keys.type("Esper")
        keys.press("Tab")
        assert _focused(page) == "f-filer_name"
        keys.type("Rosa Martínez Gil")
        _tab_to(page, "f-nss")
        keys.type("12345678900")  # a wrong check digit
        keys.press("Enter")  # Enter submits
        page.wait_for_load_state()
        # Every problem next to its field, announced, the focus on the first one.
        expect(page.locator("#form-errors")).to_have_attribute("role", "alert")
        expect(page.locator("#e-nss")).to_contain_text("NSS no es válido")
        expect(page.locator("#e-narrative")).to_be_visible()
        expect(page.locator("#e-consent")).to_be_visible()
        assert page.locator("#f-nss").get_attribute("aria-describedby").endswith("e-nss")
        assert _focused(page) == "f-nss"
        assert page.locator("#f-filer_name").input_value() == "Rosa Martínez Gil"
        _shot(page, "errores")
        keys.press("Control+A")
        keys.type("12345678903")
        _tab_to(page, "f-phone")
        keys.type("4491234567")
        _tab_to(page, "f-postal_code")
        keys.type("20000")
        _tab_to(page, "f-event_date")
        keys.type(yesterday)
        keys.press("Tab")
        keys.type("09:15")
        keys.press("Tab")
        assert _focused(page) == "f-narrative"
        keys.type("Esperé seis horas en urgencias sin que nadie me informara.")
        keys.press("Tab")
        keys.type("Recepción de urgencias")
        keys.press("Tab")
        keys.type("Que revisen los tiempos de espera.")
        keys.press("Tab")
        assert _focused(page) == "f-cannot_sign"
        keys.press("Space")
        keys.press("Tab")
        keys.press("Space")  # the agent confirms it
        keys.press("Tab")
        assert _focused(page) == "f-consent"
        keys.press("Space")
        keys.press("Tab")
        assert page.evaluate("document.activeElement.type") == "submit"
        keys.press("Enter")
        page.wait_for_url(re.compile(r".*/registrar/folio/[0-9a-f-]{36}$"))
        folio_box = page.locator("[data-folio]")
        folio = folio_box.get_attribute("data-folio")
        assert folio and re.fullmatch(r"[0-9A-Z]{4}-00[0-9A-Z]{2}-[0-9A-Z]{4}", folio)
        expect(folio_box).to_be_visible()
        expect(page.locator(".spelled li")).to_have_count(3)  # read out group by group
        _shot(page, "folio")
        _tab_to(page, "A")  # the first link after the folio is "Ver el caso"
        assert page.evaluate("document.activeElement.textContent").strip() == "Ver el caso"
        keys.press("Enter")
        page.wait_for_url(re.compile(r".*/casos/[0-9a-f-]{36}(\?.*)?$"))
        expect(page.locator("main")).to_contain_text(folio)
        expect(page.locator("main")).to_contain_text("Teléfono 800")
        page.goto(f"{world.base_url}/casos")
        expect(page.locator("table")).to_contain_text(folio)
        browser.close()
