"""A committee session recorded in real headless Chromium: an OOAD user opens *Comités* from
the menu, records a session with the high-impact queja analysed and an agreement (first
without its owner: the form says why and keeps what was typed), sees the agreement on the
session's page, and downloads the quarterly report as a PDF that carries the agreement."""

import io
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest

from central.models import Case
from tests.central.web.conftest import PASSWORD, World, build_world
from tests.support.browser import CHROMIUM_ARGS, sign_in

pytestmark = [pytest.mark.chromium, pytest.mark.slow]

AGREEMENT = "Colocar señalización del módulo de Trato Digno en urgencias"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("committee-browser")
    for w in build_world(f"sqlite:///{folder / 'central.db'}", folder / "data"):
        with w.central.session() as s:
            case = s.get(Case, uuid.UUID(w.cases["queja_ags"]))
            assert case is not None
            case.impacto_institucional = True
            s.add(case)
            s.commit()
        yield w


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def test_record_a_session_with_an_agreement_and_find_it_in_the_pdf(world: World,
                                                                   chromium_path: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="es-MX",
                                accept_downloads=True)
        sign_in(page, world.base_url, "ooad_ags", PASSWORD)
        page.click("header.top nav >> text=Comités")
        page.click("text=Registrar sesión")
        page.fill("#f-asistentes", "Dra. Ana Ruiz, titular del OOAD\nLic. Juan Gómez, "
                                   "coordinador de Atención")
        page.fill("#f-minuta", "Se analizó la queja de urgencias.")
        page.check(f"input[name=caso][value='{world.cases['queja_ags']}']")
        page.fill("#f-acuerdo_texto", AGREEMENT)
        due = page.input_value("#f-fecha")  # today, as the form proposes it
        page.fill("#f-acuerdo_fecha", due)
        page.click("#session-form button[type=submit]")
        expect(page.locator("#form-errors")).to_contain_text(
            "Todo acuerdo necesita una persona responsable.")
        expect(page.locator("#f-acuerdo_texto")).to_have_value(AGREEMENT)  # nothing lost
        page.fill("#f-acuerdo_responsable", "Conservación de la unidad")
        page.click("#session-form button[type=submit]")
        agreement = page.locator("article.agreement")
        expect(agreement).to_contain_text(AGREEMENT)
        expect(agreement).to_contain_text("Conservación de la unidad")
        expect(page.locator("table.session-cases")).to_contain_text(world.folios["queja_ags"])
        page.goto(f"{world.base_url}/reporte?nodo={world.nodes['AGS']}")
        with page.expect_download() as info:
            page.click("text=Descargar PDF")
        data = Path(info.value.path()).read_bytes()
        browser.close()
    text = " ".join(" ".join((pg.extract_text() or "").split())
                    for pg in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert AGREEMENT in text and "Conservación de la unidad" in text
