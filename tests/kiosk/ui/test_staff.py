"""The staff area: the logo gesture, the PIN and its lockout, the staff page."""

from typing import Any

from kiosk.settings import DEMO_STAFF_PIN
from tests.kiosk.ui.conftest import (
    Harness,
)


def test_staff_gesture_and_pin(harness: Harness) -> None:
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
    h.type_keys("1111")
    h.tap(pin.enter_button)
    assert h.window.current == "pin"
    assert "incorrecto" in pin.error.text()
    assert pin.field.text() == ""
    h.type_keys(DEMO_STAFF_PIN)
    h.tap(pin.enter_button)
    h.wait_page("staff")
    staff: Any = h.window.page("staff")
    assert staff.status.text()
    h.tap(staff.exit_button)
    h.wait_page("attract")


def test_staff_pin_waits_after_five_wrong_attempts(harness: Harness) -> None:
    h = harness
    for _ in range(5):
        h.tap(h.window.logo)
    h.wait_page("pin")
    pin: Any = h.window.page("pin")

    def enter(code: str) -> None:
        h.type_keys(code)
        h.tap(pin.enter_button)

    for _ in range(4):
        enter("1111")
        assert pin.error.text() == "PIN incorrecto. Intente de nuevo."
    enter("2222")  # the fifth miss in a row
    assert "Espere 5 minutos" in pin.error.text()
    # Even the right PIN waits now, and says how long.
    h.clock.advance(150)
    enter(DEMO_STAFF_PIN)
    assert h.window.current == "pin"
    assert "Espere 3 minutos" in pin.error.text()
    h.clock.advance(151)
    enter("3333")  # a sixth miss after the wait: twice as long
    assert "Espere 10 minutos" in pin.error.text()
    h.clock.advance(601)
    enter(DEMO_STAFF_PIN)
    h.wait_page("staff")
    # A success clears the count: the next person gets five attempts again.
    h.tap(h.window.page("staff").exit_button)  # type: ignore[attr-defined]
    h.wait_page("attract")
    for _ in range(5):
        h.tap(h.window.logo)
    h.wait_page("pin")
    enter("1111")
    assert pin.error.text() == "PIN incorrecto. Intente de nuevo."
