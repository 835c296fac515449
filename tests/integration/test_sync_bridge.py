"""The Qt sync bridge with a real central server: rounds run in the worker thread, at start,
after a new record and on "Sincronizar ahora"; the status is worded in plain Spanish."""

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.clock import SystemClock
from kiosk.services.drafts import SurveyDraft
from kiosk.services.surveys import SurveyService
from kiosk.ui.sync_bridge import SyncBridge
from kiosk.ui.wording.sync import describe_status
from tests.faults.sync_support import (
    central_counts,
    issue_token,
    load_small_catalogue,
    make_kiosk,
)
from tests.support.central import running_central
from trato.domain.enums import Channel


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
            assert describe_status(bridge.status(), datetime.now(UTC)).startswith("Todo enviado")
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

    bridge = SyncBridge(factory, watch_network=False, reconnect_jitter=1.0)
    try:
        with qtbot.waitSignal(bridge.statusChanged, timeout=30_000,
                              check_params_cb=lambda s: not s.syncing):
            bridge.start()
        assert bridge.status().last_error == "network" and bridge.status().waiting == 3
        assert describe_status(bridge.status(), datetime.now(UTC)) == "3 registros esperando red"
        # The next timed attempt is minutes away (backoff); reachability brings it forward.
        with qtbot.waitSignal(bridge.statusChanged, timeout=30_000,
                              check_params_cb=lambda s: not s.syncing):
            bridge._on_reachability(QNetworkInformation.Reachability.Online)
        assert len(rounds) == 2
    finally:
        bridge.stop()
        database.close()
