"""Registering on someone's behalf, by taps: an orientación in under 10 taps from the hub,
a desk form left half done kept (sealed, in memory) while the agent is signed in and gone
after sign-out, and bad input refused in plain Spanish with nothing stored."""

from typing import Any

from tests.kiosk.ui.conftest import Harness
from tests.kiosk.ui.staff_support import AGENT_ID, AGENT_PIN, add_roster, sign_in


class Counting:
    """Counts the taps made through the harness."""

    def __init__(self, h: Harness) -> None:
        self.h, self.taps = h, 0

    def tap(self, button: Any) -> None:
        self.taps += 1
        self.h.tap(button)


def test_an_orientacion_takes_fewer_than_ten_taps_from_the_hub(harness: Harness) -> None:
    h = harness
    add_roster(h)
    sign_in(h, AGENT_ID, AGENT_PIN)
    c = Counting(h)
    c.tap(h.window.page("staff_hub").buttons["registrar"])  # type: ignore[attr-defined]
    h.wait_page("staff_register")
    register: Any = h.window.page("staff_register")
    assert register.channel.value == "desk"  # "Módulo" unless the agent says otherwise
    c.tap(register.type_buttons["orientacion"])
    h.wait_page("staff_quick")
    quick: Any = h.window.page("staff_quick")
    assert not quick.save_button.isEnabled()
    c.tap(quick.topics.buttons["medicamentos"])
    c.tap(quick.outcomes.buttons["resuelta"])
    c.tap(quick.save_button)
    h.wait_page("staff_registered")
    assert c.taps == 5
    (row,) = h.cases()
    assert (row.case_type, row.channel, row.registered_by, row.outcome) == (
        "orientacion", "desk", AGENT_ID, "resuelta")
    assert row.categories == ["medicamentos"] and row.sealed_personal is None
    done: Any = h.window.page("staff_registered")
    assert done.folio.text() == row.folio and done.question.text() == "Orientación registrada"
    h.tap(done.another_button)  # the next one starts on the type page, the channel reset
    h.wait_page("staff_register")


def _start_queja(h: Harness) -> Any:
    h.tap(h.window.page("staff_hub").buttons["registrar"])  # type: ignore[attr-defined]
    h.wait_page("staff_register")
    register: Any = h.window.page("staff_register")
    h.tap(register.type_buttons["queja"])
    h.wait_page("staff_desk_person")
    return h.window.page("staff_desk_person")


def test_a_half_done_form_is_kept_while_signed_in_and_gone_after(harness: Harness) -> None:
    h = harness
    add_roster(h)
    sign_in(h, AGENT_ID, AGENT_PIN)
    person = _start_queja(h)
    h.click(person.fields["filer_name"].editor)
    h.type_keys("Rosa Martinez")
    h.click(person.fields["nss"].editor)
    h.type_keys("12345678900")  # a wrong check digit
    assert not person.fields["nss"].is_valid() and not person.continue_button.isEnabled()
    assert person.fields["nss"].message.text() == (
        "Este NSS no es válido. Revise que los números estén bien escritos.")
    for _ in range(11):
        h.tap(h.window.keyboard.backspace_key)
    h.type_keys("12345678903")
    assert person.continue_button.isEnabled()
    h.tap(h.window.back_button)  # back to the type page: the form is sealed away
    h.wait_page("staff_register")
    register: Any = h.window.page("staff_register")
    assert register.draft_note.isVisible() and "Queja" in register.draft_note.text()
    assert person.fields["filer_name"].text() == ""  # not on any screen meanwhile
    h.tap(register.type_buttons["queja"])
    h.wait_page("staff_desk_person")
    assert person.fields["filer_name"].text() == "Rosa Martinez"
    assert person.fields["nss"].text() == "12345678903"
    assert h.cases() == []
    # Sealed again, then the agent signs out: nothing of it is left.
    h.tap(h.window.back_button)
    h.wait_page("staff_register")
    h.tap(h.window.back_button)
    h.wait_page("staff_hub")
    h.tap(h.window.page("staff_hub").sign_out_button)  # type: ignore[attr-defined]
    h.wait_page("attract")
    assert not h.window.staff.registration.draft_type
    sign_in(h, AGENT_ID, AGENT_PIN)
    person = _start_queja(h)
    assert person.fields["filer_name"].text() == "" and h.cases() == []
