"""The sync status in plain Spanish for the staff screen."""

from datetime import UTC, datetime, timedelta

from kiosk.sync.status import SyncStatus
from kiosk.ui.wording.sync import describe_status

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_status_wording_in_plain_spanish(qapp) -> None:
    ago = NOW - timedelta(minutes=3)
    assert describe_status(SyncStatus(enrolled=True, last_success_at=ago), NOW) == \
        "Todo enviado hace 3 min"
    text = describe_status(SyncStatus(enrolled=True, waiting=12, last_error="network",
                                      last_success_at=ago), NOW)
    assert text.startswith("12 registros esperando red")
    assert describe_status(SyncStatus(enrolled=True, waiting=1, last_error="timeout"), NOW) \
        == "1 registro esperando red"
    text = describe_status(SyncStatus(enrolled=True, waiting=4, last_error="server_error"), NOW)
    assert "4 registros por enviar" in text and "servidor central tiene un problema" in text
    text = describe_status(SyncStatus(enrolled=True, set_aside=2, last_success_at=ago), NOW)
    assert "2 registros apartados" in text
    text = describe_status(SyncStatus(enrolled=True, revoked=True, waiting=5,
                                      revoked_reason="kiosco retirado"), NOW)
    assert "dado de baja" in text and "se conservan" in text
    assert "no está registrado" in describe_status(SyncStatus(enrolled=False), NOW)
    assert describe_status(SyncStatus(enrolled=True, syncing=True), NOW) == "Enviando registros…"


def test_staff_details_in_the_units_time_and_plain_spanish(qapp) -> None:
    from kiosk.sync.status import SetAsideItem
    from kiosk.ui.wording.sync import set_aside_lines, status_rows

    items = tuple(SetAsideItem(seq=n, kind="case", created_at=NOW, status="conflict",
                               detail="a record with this id and other content is stored",
                               folio="0020-1000-008A") for n in range(2))
    status = SyncStatus(enrolled=True, last_success_at=NOW - timedelta(minutes=5), waiting=2,
                        oldest_waiting_at=NOW - timedelta(hours=1), set_aside=5,
                        set_aside_items=items, clock_offset_seconds=-5 * 3600.0,
                        timezone="America/Tijuana", unit_name="HGZ 20 Tijuana",
                        clues="BCIMS000039", module_name="Módulo PB", kiosk_number=2,
                        next_attempt_at=NOW + timedelta(minutes=10))
    rows = dict(status_rows(status, NOW))
    # 12:00 UTC is 04:00 in Tijuana (UTC-8 in November).
    assert rows["Último envío correcto"] == "23/11/2026 03:55 (hace 5 min)"
    assert rows["Registros por enviar"] == "2; el más antiguo es del 23/11/2026 03:00"
    assert rows["Registros apartados por el servidor"] == "5"
    assert rows["Diferencia con la hora del servidor"] == "−5 h"
    assert rows["Próximo intento"] == "04:10"
    assert rows["Kiosco"] == "HGZ 20 Tijuana (BCIMS000039) · Módulo PB · kiosco 2 · versión " \
        + status.version
    lines = set_aside_lines(status)
    assert lines[0].startswith("Caso 0020-1000-008A · 23/11/2026 04:00 · choca con otro registro")
    assert lines[-1] == "y 3 más"
    # Not enrolled: only which kiosk (version) is shown.
    assert [name for name, _ in status_rows(SyncStatus(enrolled=False), NOW)] == ["Kiosco"]


def test_a_response_outside_its_campaigns_window_is_worded_for_staff(qapp) -> None:
    """The server's reason code (trato.domain.campaigns.OUTSIDE_WINDOW) says why in Spanish;
    its technical detail is still there for support, another rejection keeps the general
    words."""
    from kiosk.sync.status import SetAsideItem
    from kiosk.ui.wording.sync import set_aside_lines

    outside = SetAsideItem(seq=7, kind="survey_response", created_at=NOW, status="rejected",
                           detail="campaign_window: recorded 2027-05-01, the campaign runs "
                                  "2027-03-01 to 2027-04-30")
    other = SetAsideItem(seq=8, kind="survey_response", created_at=NOW, status="rejected",
                         detail="body.instrument_version: instrument x v9 is not published")
    lines = set_aside_lines(SyncStatus(enrolled=True, set_aside=2,
                                       set_aside_items=(outside, other),
                                       timezone="America/Mexico_City"))
    assert lines[0].startswith("Encuesta · 23/11/2026 06:00 · la campaña no estaba abierta "
                               "el día en que se respondió\nDetalle para soporte: "
                               "campaign_window: recorded 2027-05-01")
    assert "· el servidor lo rechazó\n" in lines[1]
