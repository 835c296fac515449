"""Staff accounts from the first tap: each agent signs in with their employee number and PIN
(argon2id hashes in the store), one lockout per account kept across a restart, the audit of
sign-ins and sign-outs without the PIN, and staff mode closing itself after the idle wait."""

from collections.abc import Callable
from typing import Any

from kiosk.settings import KioskSettings
from tests.kiosk.ui.conftest import COUNTDOWN_SECONDS, Harness
from tests.kiosk.ui.staff_support import (
    ADMIN_PIN,
    AGENT_ID,
    AGENT_NAME,
    AGENT_PIN,
    OTHER_ID,
    OTHER_PIN,
    add_roster,
    audit,
    open_sign_in,
    sign_in,
    sign_in_admin,
)


def test_an_agent_signs_in_sees_the_hub_and_signs_out(harness: Harness) -> None:
    h = harness
    add_roster(h)
    sign_in(h, AGENT_ID, AGENT_PIN)
    hub: Any = h.window.page("staff_hub")
    agent = h.window.staff.agent
    assert agent is not None and agent.staff_id == AGENT_ID and agent.name == AGENT_NAME
    assert hub.question.text() == f"Hola, {AGENT_NAME}"
    assert hub.hint.text() == ("Certificación en Buen Trato desde el 3 de noviembre de 2025, "
                               "vigente hasta el 3 de noviembre de 2027")
    assert "registrar" in hub.visible_sections() and "sincronizacion" in hub.visible_sections()
    signed_out: list[str] = []
    h.window.staff.signed_out.connect(signed_out.append)
    h.tap(hub.sign_out_button)
    h.wait_page("attract")
    assert h.window.staff.agent is None and signed_out == ["staff"]
    assert audit(h) == [(AGENT_ID, "sign_in", ""), (AGENT_ID, "sign_out", "staff")]


def test_wrong_pin_unknown_number_and_the_administrator(harness: Harness) -> None:
    h = harness
    add_roster(h)
    page = sign_in(h, AGENT_ID, OTHER_PIN, expect=None)  # another agent's PIN
    assert h.window.current == "pin"
    assert page.error.text() == "Número de empleado o PIN incorrecto. Intente de nuevo."
    assert page.field.text() == ""
    sign_in(h, "999999", AGENT_PIN, expect=None)  # nobody has that number: the same message
    assert page.error.text() == "Número de empleado o PIN incorrecto. Intente de nuevo."
    sign_in_admin(h, ADMIN_PIN)
    hub: Any = h.window.page("staff_hub")
    assert hub.question.text() == "Administrador del kiosco"
    assert h.window.staff.agent is not None and h.window.staff.agent.is_admin
    rows = audit(h)
    assert rows[:2] == [(AGENT_ID, "sign_in_refused", "1 in a row"),
                        ("unknown", "sign_in_refused", "1 in a row")]
    assert rows[2] == ("admin-local", "sign_in", "")
    for pin in (AGENT_PIN, OTHER_PIN, ADMIN_PIN, "999999"):
        assert all(pin not in "".join(row) for row in rows)


def test_each_account_locks_alone_and_stays_locked_after_a_restart(
        make_harness: Callable[..., Harness], settings: KioskSettings) -> None:
    h = make_harness(settings)
    add_roster(h)
    page: Any = None
    for _ in range(4):
        page = sign_in(h, AGENT_ID, "111111", expect=None)
        assert page.error.text() == "Número de empleado o PIN incorrecto. Intente de nuevo."
    sign_in(h, AGENT_ID, "222222", expect=None)  # the fifth miss in a row
    assert "Espere 5 minutos" in page.error.text()
    h.clock.advance(150)
    sign_in(h, AGENT_ID, AGENT_PIN, expect=None)  # even the right PIN waits, and says how long
    assert h.window.current == "pin" and "Espere 3 minutos" in page.error.text()
    # Another agent is not held back by that account's misses.
    sign_in(h, OTHER_ID, OTHER_PIN)
    h.tap(h.window.page("staff_hub").sign_out_button)  # type: ignore[attr-defined]
    h.wait_page("attract")
    h.kiosk.close()

    # A restart does not give five more tries: the wait was kept in the store.
    again = make_harness(settings, enrol=False)
    page = sign_in(again, AGENT_ID, AGENT_PIN, expect=None)
    assert again.window.current == "pin" and "Espere 3 minutos" in page.error.text()
    again.clock.advance(151)
    sign_in(again, AGENT_ID, "333333", expect=None)  # a sixth miss: twice as long
    assert "Espere 10 minutos" in page.error.text()
    again.clock.advance(601)
    sign_in(again, AGENT_ID, AGENT_PIN)
    actions = [(who, what) for who, what, _ in audit(again)]
    assert actions.count((AGENT_ID, "locked_out")) == 2
    assert (AGENT_ID, "sign_in_refused") in actions and actions[-1] == (AGENT_ID, "sign_in")


def test_staff_mode_closes_itself_after_the_idle_wait(harness: Harness) -> None:
    h = harness
    add_roster(h)
    sign_in(h, AGENT_ID, AGENT_PIN)
    h.tap(h.window.page("staff_hub").buttons["registrar"])  # type: ignore[attr-defined]
    h.wait_page("staff_register")
    staff_idle = h.window.staff.idle_seconds
    assert staff_idle == 180  # the settings' default, longer than a beneficiary's
    h.clock.advance(staff_idle - 1)
    h.window.idle.check()
    assert h.window.current == "staff_register" and not h.window.idle_panel.isVisible()
    h.clock.advance(2)
    h.window.idle.check()  # "¿Sigue ahí?"
    assert h.window.idle_panel.isVisible()
    h.clock.advance(COUNTDOWN_SECONDS + 1)
    h.window.idle.check()
    h.wait_page("attract")
    assert h.window.staff.agent is None
    assert audit(h)[-1] == (AGENT_ID, "sign_out", "idle")
    # The next person who opens the sign-in page starts from nothing.
    page: Any = open_sign_in(h)
    assert page.number.text() == "" and page.field.text() == ""
