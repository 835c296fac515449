"""The Qt sync bridge with a real central server: rounds run in the worker thread, at start,
after a new record and on "Sincronizar ahora"; the status is worded in plain Spanish."""

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.clock import SystemClock
from kiosk.services.drafts import SurveyDraft
from kiosk.services.surveys import SurveyService
from kiosk.sync.status import SyncStatus
from kiosk.ui.sync_bridge import SyncBridge, describe_status
from tests.faults.sync_support import (
    central_counts,
    issue_token,
    load_small_catalogue,
    make_kiosk,
)
from tests.support.central import running_central
from trato.domain.enums import Channel

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _survey() -> SurveyDraft:
    return SurveyDraft(instrument_id="trato-general", instrument_version=1, language="es",
                       channel=Channel.KIOSK, service_code="farmacia", rating=5,
                       duration_ms=5000)


@pytest.mark.postgres
def test_bridge_syncs_off_the_gui_thread(qtbot, pg_url: str, tmp_path: Path) -> None:
    with running_central(pg_url, tmp_path / "central", load_catalogue=False) as central:
        load_small_catalogue(central, tmp_path)
        kiosk = make_kiosk(tmp_path / "kiosk", central.base_url, issue_token(central))
        surveys = SurveyService(kiosk.database, SystemClock())
        surveys.submit(_survey())
        round_threads: set[int] = set()

        def factory():
            engine = kiosk.engine(interval_seconds=3600)
            original = engine.run_round

            def run_round():
                round_threads.add(threading.get_ident())
                return original()

            engine.run_round = run_round
            return engine

        bridge = SyncBridge(factory, watch_network=False)
        try:
            with qtbot.waitSignal(bridge.statusChanged, timeout=30_000,
                                  check_params_cb=lambda s: not s.syncing):
                bridge.start()  # a round at start
            assert bridge.status().waiting == 0 and bridge.status().last_error is None
            assert bridge.status_text().startswith("Todo enviado")
            # After a new record (the app calls record_saved) the record goes up.
            saved = surveys.submit(_survey())
            bridge.record_saved()
            qtbot.waitUntil(lambda: not bridge.busy and bridge.status().waiting == 0
                            and saved.id in central_counts(
                                central.database_url, kiosk.credentials.kiosk_id).unique,
                            timeout=30_000)
            # "Sincronizar ahora" while idle runs one more round.
            with qtbot.waitSignal(bridge.statusChanged, timeout=30_000,
                                  check_params_cb=lambda s: not s.syncing):
                bridge.sync_now()
        finally:
            bridge.stop()
        assert round_threads and threading.get_ident() not in round_threads
        assert len(central_counts(central.database_url, kiosk.credentials.kiosk_id).unique) == 2
        kiosk.close()


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


def test_offline_status_and_early_retry_when_the_network_returns(qtbot, tmp_path: Path) -> None:
    import random
    import socket
    import uuid

    from PySide6.QtNetwork import QNetworkInformation

    from kiosk.storage.db import open_database
    from kiosk.storage.models import KioskIdentity
    from kiosk.sync.client import CentralClient
    from kiosk.sync.engine import SyncEngine
    from trato.protocol import signing

    with socket.socket() as s:  # a port nobody listens on: the network is "down"
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    database = open_database(tmp_path / "kiosk.db").database
    with database.write() as session:
        session.add(KioskIdentity(kiosk_id=uuid.uuid4(), clues="ASIMS000039", unit_name="UMF 1",
                                  unit_number=101, kiosk_number=1, module_id=uuid.uuid4(),
                                  module_name="Módulo 1", tracking_base_url="https://x/folio",
                                  sealing_public_key="k" * 44, server_url=dead,
                                  enrolled_at=datetime.now(UTC)))
    surveys = SurveyService(database, SystemClock())
    for _ in range(3):
        surveys.submit(_survey())
    rounds: list[int] = []

    def factory():
        client = CentralClient(dead, kiosk_id=uuid.uuid4(),
                               signing_key=signing.new_signing_key(), connect_timeout=0.5)
        engine = SyncEngine(database, client, interval_seconds=3600, backoff_base=600,
                            backoff_cap=3600, rng=random.Random(1))
        original = engine.run_round

        def run_round():
            rounds.append(1)
            return original()

        engine.run_round = run_round
        return engine

    bridge = SyncBridge(factory, watch_network=False)
    try:
        with qtbot.waitSignal(bridge.statusChanged, timeout=30_000,
                              check_params_cb=lambda s: not s.syncing):
            bridge.start()
        assert bridge.status().last_error == "network" and bridge.status().waiting == 3
        assert bridge.status_text() == "3 registros esperando red"
        # The next timed attempt is minutes away (backoff); reachability brings it forward.
        with qtbot.waitSignal(bridge.statusChanged, timeout=30_000,
                              check_params_cb=lambda s: not s.syncing):
            bridge._on_reachability(QNetworkInformation.Reachability.Online)
        assert len(rounds) == 2
    finally:
        bridge.stop()
        database.close()


def test_staff_details_in_the_units_time_and_plain_spanish(qapp) -> None:
    from kiosk.sync.status import SetAsideItem
    from kiosk.ui.sync_bridge import set_aside_lines, status_rows

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
