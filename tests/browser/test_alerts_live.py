"""An alert in real headless Chromium against a real server: an OOAD committee member has the
board open; a kiosk's batch pulls the unit's satisfaction under the branch's rule; the alert
appears on the open board without a reload, and is acknowledged with a note on its page.

Set ``TD_SCREENSHOT_DIR`` to keep the screenshots (``board-alerta-*.png``).
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.central.web.conftest import PASSWORD, World, build_world, csrf_from
from tests.support.browser import CHROMIUM_ARGS, sign_in
from tests.support.central import survey_record

pytestmark = [pytest.mark.chromium, pytest.mark.slow]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("alerts-browser")
    yield from build_world(f"sqlite:///{folder / 'central.db'}", folder / "data")


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def test_alert_appears_live_and_is_acknowledged(world: World, chromium_path: str,
                                                tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with world.login("ooad_ags") as c:  # the branch's rule: 6 responses, 83 % today
        page = c.get("/alertas/reglas")
        saved = c.post("/alertas/reglas", data={
            "csrf_token": csrf_from(page.text), "nodo": world.nodes["AGS"],
            "tipo": "satisfaction", "umbral": "60", "minimo": "10"})
        assert saved.status_code == 303
    shots = Path(os.environ.get("TD_SCREENSHOT_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="es-MX")
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        sign_in(page, world.base_url, "ooad_ags", PASSWORD)
        expect(page.locator("#live-status")).to_have_class(re.compile(r"\bon\b"))
        block = page.locator("[data-block=alerts]")
        expect(block).to_contain_text("No hay alertas activas.")
        page.evaluate("window.__notReloaded = true")

        kiosk = world.kiosks["ags"]
        response = kiosk.push([survey_record(kiosk.next_seq(), rating=1) for _ in range(10)])
        assert response.status_code == 200
        item = block.locator("li[data-alert]")
        expect(item).to_have_count(1, timeout=10000)
        expect(item).to_contain_text("Satisfacción baja · UMF No. 1 Aguascalientes")
        expect(item).to_contain_text("por debajo de 60 % con 16 respuestas calificadas")
        assert page.evaluate("window.__notReloaded === true")
        page.evaluate("document.querySelectorAll('.flash')"
                      ".forEach(e => e.classList.remove('flash'))")
        page.screenshot(path=str(shots / "board-alerta-tablero.png"), full_page=True)

        item.locator("a").click()
        page.wait_for_url(re.compile(r"/alertas/[0-9a-f-]{36}$"))
        page.click("form[action$='/atender'] button[type=submit]")  # no note: refused
        assert page.locator("#nota:invalid").count() == 1  # the browser asks for it first
        page.fill("#nota", "Se citó al jefe de servicio para revisar los tiempos de espera.")
        page.click("form[action$='/atender'] button[type=submit]")
        history = page.locator("#alert-history")
        expect(history).to_contain_text("La atendió Ooad Ags")
        expect(history).to_contain_text("Se citó al jefe de servicio")
        assert page.locator("form[action$='/atender']").count() == 0
        page.screenshot(path=str(shots / "board-alerta-atendida.png"), full_page=True)

        page.goto(f"{world.base_url}/tablero")
        expect(block.locator("li.acknowledged")).to_contain_text("Atendida")
        page.goto(f"{world.base_url}/alertas")
        expect(page.locator("#alerts-active")).to_contain_text("Atendida")
        browser.close()
    assert errors == []
