"""The staff area: the logo gesture, the administrator's PIN on a kiosk whose store has no
administrator yet (the settings' hash, the demo PIN by default), the hub, the sync status."""

from typing import Any

from kiosk.settings import DEMO_STAFF_PIN
from tests.kiosk.ui.conftest import Harness
from tests.kiosk.ui.staff_support import sign_in_admin


def test_staff_gesture_pin_hub_and_status(harness: Harness) -> None:
    h = harness
    for _ in range(4):
        h.tap(h.window.logo)
    assert h.window.current == "attract"
    h.clock.advance(5)  # the fifth tap comes too late: start over
    h.tap(h.window.logo)
    assert h.window.current == "attract"
    for _ in range(4):
        h.tap(h.window.logo)
    h.wait_page("pin")
    pin: Any = h.window.page("pin")
    assert h.window.keyboard.layer == "numeric"
    sign_in_admin(h, "111111", expect=None)
    assert h.window.current == "pin"
    assert "incorrecto" in pin.error.text()
    assert pin.field.text() == ""
    sign_in_admin(h, DEMO_STAFF_PIN)
    hub: Any = h.window.page("staff_hub")
    assert hub.question.text() == "Administrador del kiosco"
    h.tap(hub.buttons["sincronizacion"])
    h.wait_page("staff")
    staff: Any = h.window.page("staff")
    assert staff.status.text()
    h.tap(staff.exit_button)
    h.wait_page("attract")
    assert h.window.staff.agent is None


def test_the_settings_pin_waits_after_five_wrong_attempts(harness: Harness) -> None:
    h = harness
    pin: Any = None
    for _ in range(4):
        pin = sign_in_admin(h, "111111", expect=None)
        assert pin.error.text() == "Número de empleado o PIN incorrecto. Intente de nuevo."
    sign_in_admin(h, "222222", expect=None)  # the fifth miss in a row
    assert "Espere 5 minutos" in pin.error.text()
    h.clock.advance(301)
    sign_in_admin(h, DEMO_STAFF_PIN)
