"""A queja an agent takes over the phone, from the first tap to the stored kiosk row and,
through a real central server, to the central case: the same fields, the channel
"teléfono 800" and the agent who registered it. A future event date is refused in plain
Spanish first, with nothing stored."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.app import build_kiosk
from kiosk.clock import FixedClock
from kiosk.settings import load_settings
from tests.faults.sync_support import (
    central_private_key,
    central_sql,
    issue_token,
    load_small_catalogue,
    make_kiosk,
    open_kiosk,
)
from tests.kiosk.ui.conftest import Harness, ManualClock
from tests.kiosk.ui.staff_support import AGENT_ID, AGENT_PIN, add_roster, sign_in
from tests.support.central import running_central
from trato.protocol.sealing import open_json

PERSON = {"filer_name": "Rosa Martinez Quiroga", "beneficiary_name": "Pedro Martinez Luna",
          "nss": "12345678903", "curp": "GOMA800101MDFRRR00", "phone": "5512345678",
          "email": "rosa.mq@example.com", "address": "Calle Durango 10 Roma Norte",
          "postal_code": "06700", "assigned_clinic": "UMF 28"}
NARRATIVE = "Llegue a las 9 y me atendieron a las 13 sin explicarme nada"
FIELDS = ("case_type", "channel", "registered_by", "event_at", "event_unit", "service_code",
          "categories", "narrative", "request", "staff_involved", "cannot_sign_confirmed_by",
          "has_contact", "privacy_notice_version", "consent_given", "sealed_personal")


def _type_into(h: Harness, field: Any, text: str) -> None:
    h.click(field.editor)
    h.type_keys(text)
    assert field.text() == text


def _fill_queja(h: Harness, *, time_typed: str) -> Any:
    hub: Any = h.window.page("staff_hub")
    h.tap(hub.buttons["registrar"])
    h.wait_page("staff_register")
    register: Any = h.window.page("staff_register")
    h.tap(register.channels.buttons["phone"])
    h.tap(register.type_buttons["queja"])
    h.wait_page("staff_desk_person")
    person: Any = h.window.page("staff_desk_person")
    assert not person.continue_button.isEnabled()  # a queja needs the filer's name
    _type_into(h, person.fields["filer_name"], PERSON["filer_name"])
    h.tap(person.same_person)  # the filer is not the one who was attended
    for key in ("beneficiary_name", "nss", "curp", "phone", "email", "address",
                "postal_code", "assigned_clinic"):
        _type_into(h, person.fields[key], PERSON[key])
    h.tap(person.continue_button)
    h.wait_page("staff_desk_event")
    event: Any = h.window.page("staff_desk_event")
    _type_into(h, event.event_unit, "HGZ 1")
    h.tap(event.services.buttons["urgencias"])
    h.tap(event.categories.buttons["tiempo_espera"])
    h.tap(event.today_button)
    _type_into(h, event.event_time, time_typed)
    _type_into(h, event.narrative, NARRATIVE)
    _type_into(h, event.staff_involved, "Recepcion turno matutino")
    _type_into(h, event.request, "Que me expliquen los tiempos")
    h.tap(event.cannot_sign)
    assert not event.save_button.isEnabled()  # the agent must confirm it
    h.tap(event.confirm_cannot_sign)
    h.tap(event.consent)
    return event


def test_a_queja_by_phone_reaches_the_central_case(qtbot: Any, tmp_path: Path) -> None:
    with running_central(f"sqlite:///{tmp_path / 'central.db'}", tmp_path / "central",
                         load_catalogue=False) as central:
        load_small_catalogue(central, tmp_path)
        kiosk_dir = tmp_path / "kiosk"
        make_kiosk(kiosk_dir, central.base_url, issue_token(central)).close()
        # 11:00 in Mexico City: "Hoy" at 23:50 is still to come.
        clock = FixedClock(datetime.now(UTC).replace(hour=17, minute=0, second=0,
                                                     microsecond=0))
        app = build_kiosk(load_settings(kiosk_dir), clock=clock, kiosk_mode=True,
                          start_sync=False)
        try:
            qtbot.addWidget(app.window)
            app.window.resize(1920, 1080)
            app.window.show()
            qtbot.waitExposed(app.window)
            guard = ManualClock()
            app.window.tap_guard.clock = guard
            h = Harness(kiosk=app, qtbot=qtbot, clock=clock, key=None, guard_clock=guard)
            qtbot.waitUntil(lambda: app.database is not None, timeout=10_000)
            add_roster(h)
            sign_in(h, AGENT_ID, AGENT_PIN)

            event = _fill_queja(h, time_typed="2350")
            h.tap(event.save_button)
            assert h.window.current == "staff_desk_event"
            assert event.error.text().startswith(
                "La fecha y la hora del hecho no pueden ser posteriores a este momento")
            assert h.cases() == []  # nothing saved half-way
            h.click(event.event_time.editor)
            for _ in event.event_time.text():
                h.tap(h.window.keyboard.backspace_key)
            h.type_keys("0930")
            h.tap(event.save_button)
            h.wait_page("staff_registered")
            done: Any = h.window.page("staff_registered")
            (row,) = h.cases()
            assert done.folio.text() == row.folio
            assert "por teléfono" in done.lines.text()
            assert row.channel == "phone" and row.registered_by == AGENT_ID
            assert row.cannot_sign_confirmed_by == AGENT_ID and row.event_unit == "HGZ 1"
            local = row.event_at.astimezone(ZoneInfo("America/Mexico_City"))
            assert (local.hour, local.minute) == (9, 30)
            assert row.narrative == NARRATIVE and row.has_contact
            assert row.sealed_personal and PERSON["nss"] not in json.dumps(row.masked_personal)
            kiosk_values = {name: getattr(row, name) for name in FIELDS}
        finally:
            app.close()

        kiosk = open_kiosk(kiosk_dir)
        try:
            report = kiosk.engine().run_round()
            assert report.ok and report.push.sent == 1, report
        finally:
            kiosk.close()
        cols = ", ".join(FIELDS)
        (central_row,) = central_sql(central, f'SELECT {cols} FROM "case" WHERE id = :i',  # noqa: S608
                                     i=row.id.hex)  # sa.Uuid on SQLite: 32 hex digits
        central_values = dict(zip(FIELDS, central_row, strict=True))
        for name in FIELDS:
            if name == "event_at":
                value = central_values[name]  # raw SQL on SQLite: the text as stored
                moment = datetime.fromisoformat(value) if isinstance(value, str) else value
                assert moment.replace(tzinfo=moment.tzinfo or UTC) == kiosk_values[name]
            elif name == "categories":
                assert list(json.loads(central_values[name])
                            if isinstance(central_values[name], str)
                            else central_values[name]) == list(kiosk_values[name])
            else:
                assert central_values[name] == kiosk_values[name], name
        opened = open_json(central_private_key(central), central_values["sealed_personal"])
        for key, value in PERSON.items():
            assert opened[key] == value, key
        assert opened["filer_is_beneficiary"] is False and opened["cannot_sign"] is True
