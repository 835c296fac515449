""""Ajustes del kiosco" by taps: an agent never sees it; the administrator changes the staff
idle wait (stored in kiosk.env, audited, in effect in the session open now); an
out-of-range wait is refused in plain Spanish with nothing saved; leaving kiosk mode is asked
twice and audited."""

from typing import Any

from kiosk.settings import SETTINGS_FILE, load_settings
from tests.kiosk.ui.conftest import Harness
from tests.kiosk.ui.staff_support import (
    ADMIN_PIN,
    AGENT_ID,
    AGENT_PIN,
    add_roster,
    audit,
    sign_in,
    sign_in_admin,
)


def _open_settings(h: Harness) -> Any:
    add_roster(h)
    sign_in_admin(h, ADMIN_PIN)
    hub: Any = h.window.page("staff_hub")
    assert "ajustes" in hub.visible_sections()
    h.tap(hub.buttons["ajustes"])
    h.wait_page("staff_settings")
    return h.window.page("staff_settings")


def _type_into(h: Harness, text_field: Any, text: str) -> None:
    h.click(text_field.editor)
    h.qtbot.waitUntil(h.window.keyboard.isVisible, timeout=3000)  # up on the first tap
    assert h.window.keyboard.layer == "numeric"
    for _ in text_field.text():
        h.tap(h.window.keyboard.backspace_key)
    h.type_keys(text)


def test_an_agent_does_not_see_the_settings(harness: Harness) -> None:
    h = harness
    add_roster(h)
    sign_in(h, AGENT_ID, AGENT_PIN)
    hub: Any = h.window.page("staff_hub")
    assert "ajustes" not in hub.visible_sections() and "casos" in hub.visible_sections()
    h.window.staff.open_section("staff_settings")  # not even by name
    assert h.window.current == "staff_hub"


def test_the_administrator_changes_the_staff_idle_wait(harness: Harness) -> None:
    h = harness
    page = _open_settings(h)
    assert page.staff_idle.text() == "180"
    assert page.unit.text() and page.module.text()
    _type_into(h, page.staff_idle, "300")
    h.tap(page.save_button)
    assert page.message.text() == "Guardado. Los cambios ya están en uso."
    stored = load_settings(h.kiosk.settings.data_dir)
    assert stored.staff_idle_seconds == 300
    assert h.window.staff.idle_seconds == 300 and h.window.idle.idle_seconds == 300
    assert ("admin-local", "settings_changed", "staff_idle_seconds=300") in audit(h)


def test_an_out_of_range_wait_is_refused_and_nothing_saved(harness: Harness) -> None:
    h = harness
    page = _open_settings(h)
    _type_into(h, page.staff_idle, "5")
    h.tap(page.save_button)
    assert page.message.text() == ("Modo del personal (segundos): escriba un número de "
                                   "segundos entre 60 y 1800.")
    assert page.message.property("tone") == "error"
    assert not (h.kiosk.settings.data_dir / SETTINGS_FILE).exists()
    assert h.window.staff.idle_seconds == 180
    assert not [a for a in audit(h) if a[1] == "settings_changed"]


def test_leaving_kiosk_mode_is_confirmed_and_audited(harness: Harness) -> None:
    h = harness
    page = _open_settings(h)
    page.body.pane.ensure_visible(page.leave_button)
    h.tap(page.leave_button)
    assert not h.kiosk.left_kiosk_mode
    h.tap(page.confirm_leave_button)
    assert h.kiosk.left_kiosk_mode
    h.wait_page("attract")
    actions = [a[1] for a in audit(h) if a[0] == "admin-local"]
    assert actions[-2:] == ["left_kiosk_mode", "sign_out"]


def test_signing_out_after_a_new_look_dropped_the_staff_pages(harness: Harness) -> None:
    """A new look drops the pages the session does not show (they are built again on first
    use): their "forget on sign-out" goes with them, and the sign-out reaches no dead page
    (it raised in the slot, which the kiosk's crash handler turns into a crash file and an
    end of the session)."""
    h = harness
    page = _open_settings(h)
    h.tap(page.exit_button)
    h.wait_page("staff_hub")
    h.window.set_high_contrast(True)
    assert "staff_settings" not in h.window.stack.pages
    h.window.staff.sign_out()  # pytest-qt fails the test on an exception in a slot
    h.wait_page("attract")
    again = _open_settings(h)  # built again, and emptied by the next sign-out as before
    assert again is not page and again.staff_idle.text() == "180"
