"""Driving the staff area by taps: the roster in the kiosk's store, the gesture, the sign-in."""

import uuid
from typing import Any

from sqlalchemy import text

from kiosk.services.staff import StaffAccounts
from kiosk.sync.changes import apply_staff
from tests.kiosk.ui.conftest import Harness
from trato.protocol import pins
from trato.protocol.wire import Change, ChangeKind

AGENT_ID = "4471"
AGENT_PIN = "482913"
AGENT_NAME = "Laura Méndez Ortiz"
OTHER_ID = "5830"
OTHER_PIN = "739150"
ADMIN_PIN = "135790"


def add_roster(h: Harness) -> None:
    """Two agents of the unit as the pull brings them (the central server's roster, with
    argon2id PIN hashes), and the kiosk's administrator as enrolment makes it."""
    database = h.kiosk.database
    assert database is not None
    roster = {"unit_id": str(uuid.uuid4()), "staff": [
        {"staff_id": AGENT_ID, "name": AGENT_NAME, "role": "agente",
         "pin_hash": pins.hash_pin(AGENT_PIN), "can_read_sensitive": True,
         "certified_on": "2025-11-03", "certified_until": "2027-11-03"},
        {"staff_id": OTHER_ID, "name": "Jorge Ruiz", "role": "agente",
         "pin_hash": pins.hash_pin(OTHER_PIN)},
    ]}
    with database.write() as session:
        apply_staff(session, Change(cursor=1, kind=ChangeKind.STAFF, key="unit", version=1,
                                    data=roster), h.clock.now())
    StaffAccounts(database, h.clock).set_admin_pin(ADMIN_PIN)


def open_sign_in(h: Harness) -> Any:
    for _ in range(5):
        h.tap(h.window.logo)
    h.wait_page("pin")
    return h.window.page("pin")


def sign_in(h: Harness, number: str, pin: str, *, expect: str | None = "staff_hub") -> Any:
    """Type the employee number and the PIN on the on-screen keyboard, tap "Entrar", and
    wait for the check (and for ``expect``, the page it leads to)."""
    page = open_sign_in(h) if h.window.current != "pin" else h.window.page("pin")
    if page.number.text() != number:  # the number stays after a wrong PIN
        h.click(page.number.editor)
        for _ in page.number.text():
            h.tap(h.window.keyboard.backspace_key)
        h.type_keys(number)
    h.click(page.field.editor)
    h.type_keys(pin)
    h.tap(page.enter_button)
    h.qtbot.waitUntil(lambda: page.enter_button.isEnabled(), timeout=5000)
    if expect:
        h.wait_page(expect)
    return page


def sign_in_admin(h: Harness, pin: str, *, expect: str | None = "staff_hub") -> Any:
    page = open_sign_in(h) if h.window.current != "pin" else h.window.page("pin")
    if not page.admin_button.isChecked():  # the tick stays after a wrong PIN
        h.tap(page.admin_button)
    h.click(page.field.editor)
    h.type_keys(pin)
    h.tap(page.enter_button)
    h.qtbot.waitUntil(lambda: page.enter_button.isEnabled(), timeout=5000)
    if expect:
        h.wait_page(expect)
    return page


def audit(h: Harness) -> list[tuple[str, str, str]]:
    """(staff id, action, detail), in the order written."""
    database = h.kiosk.database
    assert database is not None
    with database.read() as session:
        rows = session.execute(text(
            "SELECT staff_id, action, detail FROM staff_audit ORDER BY rowid")).all()
    return [(str(a), str(b), str(c)) for a, b, c in rows]
