"""Sync through a fault-injecting proxy: >= 10,000 records, >= 1,000 faulted attempts.

A real central server (uvicorn, PostgreSQL) behind :class:`tests.faults.proxy.FaultProxy`
which resets connections before the request, drops them after the server committed, cuts
answers in half, drips them slowly, stalls past the client's read timeout, and answers
500 / 502 / 429-with-Retry-After by itself. The kiosk's real engine and client drain the
outbox through it with backoff scaled down. Afterwards: 0 lost, 0 duplicated centrally, and
every record the kiosk marked sent is on the server.
"""

import time
from pathlib import Path

import pytest

from kiosk.storage.outbox import outbox_counts
from tests.faults.proxy import FaultProxy, random_chooser
from tests.faults.sync_support import (
    bulk_surveys,
    central_counts,
    issue_token,
    load_small_catalogue,
    make_kiosk,
    outbox_state_ids,
)
from tests.support.central import running_central

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

RECORDS = 10_000
MIN_FAULTS = 1_000
FAULT_MIX = {
    "reset_before": 20, "drop_after_commit": 20, "truncate": 10, "slow_drip": 10,
    "http_500": 15, "http_502": 15, "stall_before": 1, "stall_after": 1, "http_429": 1,
}


def test_nothing_lost_nothing_duplicated_through_faults(pg_url: str, tmp_path: Path) -> None:
    with running_central(pg_url, tmp_path / "central", load_catalogue=False) as central:
        load_small_catalogue(central, tmp_path)
        kiosk = make_kiosk(tmp_path / "kiosk", central.base_url, issue_token(central))
        ids = set(bulk_surveys(kiosk.database, RECORDS))
        upstream = ("127.0.0.1", int(central.base_url.rsplit(":", 1)[1]))
        proxy = FaultProxy(upstream, random_chooser(0.75, seed=20261123, modes=FAULT_MIX),
                           stall_seconds=3.0, drip_bytes=512, drip_delay=0.002, retry_after=1)
        engine = kiosk.engine(proxy.url, connect_timeout=1.0, read_timeout=1.0,
                              batch_size=150, backoff_base=0.005, backoff_cap=0.05,
                              interval_seconds=0.0)
        checked_midway = False
        deadline = time.monotonic() + 540
        try:
            while True:
                engine.run_round()
                with kiosk.database.read() as session:
                    n_sent = outbox_counts(session).sent
                if not checked_midway and n_sent > RECORDS // 2:
                    # Mid-run too: whatever the kiosk marked sent is on the server.
                    sent = outbox_state_ids(kiosk.database, "sent")
                    assert sent <= central_counts(central.database_url,
                                                  kiosk.credentials.kiosk_id).unique
                    checked_midway = True
                if n_sent == RECORDS and proxy.faults >= MIN_FAULTS:
                    break
                assert time.monotonic() < deadline, (n_sent, dict(proxy.stats))
                time.sleep(engine.next_delay())  # scaled backoff, Retry-After honoured
        finally:
            proxy.close()
            engine.client.close()

        counts = central_counts(central.database_url, kiosk.credentials.kiosk_id)
        sent = outbox_state_ids(kiosk.database, "sent")
        assert counts.unique == ids  # 0 lost
        assert counts.duplicated == 0 and counts.survey_rows == RECORDS  # 0 duplicated
        assert sent == ids and sent <= counts.unique
        assert outbox_state_ids(kiosk.database, "set_aside") == set()
        assert proxy.faults >= MIN_FAULTS
        assert set(FAULT_MIX) <= set(proxy.stats), proxy.stats
        # Retry-After honoured: nothing reached the proxy within 1 s after a 429.
        for i, (at, mode, _) in enumerate(proxy.log[:-1]):
            if mode == "http_429":
                assert proxy.log[i + 1][0] - at >= 0.95
        status = engine.status()
        assert status.waiting == 0 and status.set_aside == 0
        kiosk.close()
        print(f"faults injected: {dict(proxy.stats)}")
