"""Users on the web in real headless Chromium: a branch administrator opens *Usuarios*,
creates a user and reads the temporary password shown once; that person signs in with it and
is sent to choose their own before anything else; once the administrator disables the
account, the person's next page is the sign-in page."""

from collections.abc import Iterator
from typing import Any

import pytest

from tests.central.web.conftest import PASSWORD
from tests.support.browser import CHROMIUM_ARGS, sign_in
from tests.support.central import CentralHandle, running_central

pytestmark = [pytest.mark.chromium, pytest.mark.slow]


@pytest.fixture(scope="module")
def central(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CentralHandle]:
    folder = tmp_path_factory.mktemp("users-browser")
    with running_central(f"sqlite:///{folder / 'central.db'}", folder / "data") as handle:
        handle.create_user("admin_ags", role="admin", scope_code="AGS",
                           display_name="Administración AGS")
        yield handle


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def test_admin_creates_a_user_who_must_choose_a_password_and_is_signed_out_when_disabled(
        central: CentralHandle, chromium_path: str) -> None:
    from playwright.sync_api import sync_playwright

    base = central.base_url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        admin = browser.new_page(viewport={"width": 1366, "height": 900}, locale="es-MX")
        sign_in(admin, base, "admin_ags", PASSWORD)
        admin.click("header.top nav summary")
        admin.click("header.top nav >> text=Usuarios")
        admin.wait_for_url(f"{base}/usuarios")
        form = admin.locator("#user-create")
        form.locator("input[name=usuario]").fill("lucia_ags")
        form.locator("input[name=nombre]").fill("Lucía Ramos")
        form.locator("select[name=rol]").select_option("unidad")
        form.locator("input[name=rama]").fill("ASIMS000039")
        form.locator("button[type=submit]").click()
        expect(admin.locator("#temporary-password")).to_contain_text("lucia_ags")
        temporary = admin.locator("[data-password]").inner_text().strip()
        expect(admin.locator("tr[data-user=lucia_ags]")).to_contain_text("Contraseña temporal")

        person = browser.new_context(locale="es-MX").new_page()  # another browser: no cookies
        person.goto(f"{base}/entrar")
        person.fill("#username", "lucia_ags")
        person.fill("#password", temporary)
        person.click("button[type=submit]")
        person.wait_for_url(f"{base}/contrasena")
        person.goto(f"{base}/casos")  # nothing else opens before the password is chosen
        person.wait_for_url(f"{base}/contrasena")
        person.fill("#actual", temporary)
        person.fill("#nueva", "lucia-propia-2026")
        person.fill("#repetir", "lucia-propia-2027")
        person.click("#password-form button[type=submit]")
        expect(person.locator("#password-error")).to_have_text(
            "Las dos contraseñas nuevas no coinciden.")
        person.fill("#actual", temporary)
        person.fill("#nueva", "lucia-propia-2026")
        person.fill("#repetir", "lucia-propia-2026")
        person.click("#password-form button[type=submit]")
        person.wait_for_url(f"{base}/tablero")

        admin.goto(f"{base}/usuarios")
        expect(admin.locator("tr[data-user=lucia_ags]")).not_to_contain_text("temporal")
        admin.locator("tr[data-user=lucia_ags] button[value=desactivar]").click()
        expect(admin.locator("#users-notice")).to_contain_text("Se desactivó al usuario")
        expect(admin.locator("tr[data-user=lucia_ags]")).to_contain_text("Desactivado")
        person.goto(f"{base}/casos")
        person.wait_for_url(f"{base}/entrar?next=%2Fcasos")
        browser.close()
