"""The staff roster import and the public Muro in real headless Chromium: an OOAD user
checks a CSV with a bad row (named, nothing imported) and imports the corrected file from the
menu's *Personal* page, edits one row on its form (a refused expiry, then saved), links a
reconocimiento to that person on its case page; approved on the *Muro del Trato Digno* page,
it then appears under her name on the unit's public wall, opened without signing in, with her
count of recognitions and its page set to turn by itself."""

from collections.abc import Iterator
from typing import Any

import pytest

from tests.central.web.conftest import PASSWORD, World, build_world
from tests.support.browser import CHROMIUM_ARGS, sign_in

pytestmark = [pytest.mark.chromium, pytest.mark.slow]

HEADER = "Número de empleado,Nombre,CLUES,Certificación,Vigencia\n"
ROW = "N7001,Nora Díaz,ASIMS000039,10/01/2026,10/01/2099\n"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("roster-browser")
    yield from build_world(f"sqlite:///{folder / 'central.db'}", folder / "data")


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def _choose(page: Any, text: str) -> None:
    page.set_input_files("#roster-upload input[type=file]", files=[{
        "name": "personal.csv", "mimeType": "text/csv", "buffer": text.encode()}])


def test_roster_import_and_public_wall(world: World, chromium_path: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="es-MX")
        sign_in(page, world.base_url, "ooad_ags", PASSWORD)
        page.click("header.top nav summary")
        page.click("header.top nav >> text=Personal")
        page.wait_for_url(f"{world.base_url}/personal")
        _choose(page, HEADER + ROW + "N7002,Omar Paz,ASIMS000039,30/02/2026,\n")
        page.click("#roster-upload button[value=revisar]")
        expect(page.locator("#roster-report tr[data-line='3']")).to_contain_text("30/02/2026")
        expect(page.locator("#roster-report tr[data-line]")).to_have_count(1)
        expect(page.locator("table.roster")).to_have_count(0)  # nothing imported
        _choose(page, HEADER + ROW)
        page.click("#roster-upload button[value=importar]")
        expect(page.locator("#roster-report")).to_have_attribute("data-imported", "yes")
        expect(page.locator("table.roster tr[data-number='N7001']")).to_contain_text("Vigente")
        # One row edited on its form: a refused expiry, then the renewed certification.
        page.click("table.roster tr[data-number='N7001'] a.edit")
        page.fill("#f-nombre", "Nora Díaz Paz")
        page.fill("#f-vigencia", "10/01/2025")
        page.click("#member-form button[type=submit]")
        expect(page.locator("#form-errors")).to_contain_text("vence antes de la fecha")
        page.fill("#f-vigencia", "10/01/2031")
        page.click("#member-form button[type=submit]")
        row = page.locator("table.roster tr[data-number='N7001']")
        expect(row).to_contain_text("Nora Díaz Paz")
        expect(row).to_contain_text("10/01/2031")
        # The recognition linked to her on its case page.
        page.goto(f"{world.base_url}/casos/{world.cases['reconocimiento_ags']}")
        page.select_option("#recognised-staff select[name=persona]", label="Nora Díaz Paz (N7001)")
        page.click("#recognised-staff button:has-text('Vincular')")
        expect(page.locator("#recognised-staff")).to_contain_text("Vinculado a Nora Díaz Paz.")
        # Moderation on the board, then the unit's screen without signing in.
        page.click("header.top nav >> text=Muro del Trato Digno")
        pending = page.locator(f"form[action$='{world.cases['reconocimiento_ags']}']")
        pending.locator("button[value=aprobar]").click()
        expect(pending).to_have_count(0)  # moderated: no longer waiting
        screen = browser.new_page(viewport={"width": 1920, "height": 1080})
        screen.goto(f"{world.base_url}/muro/ASIMS000039")
        expect(screen.locator(".recognitions .person")).to_have_text(["Nora Díaz Paz"])
        expect(screen.locator(".people li")).to_have_text(["Nora Díaz Paz 1 reconocimiento"])
        refresh = screen.locator("meta[http-equiv=refresh]").get_attribute("content")
        assert refresh == "20; url=/muro/ASIMS000039?pagina=1"
        size = float(screen.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('.person')).fontSize)"))
        assert size >= 40  # readable from the back of a waiting room on a 1080p screen
        assert screen.evaluate("document.documentElement.scrollHeight <= innerHeight")  # no scroll
        browser.close()
