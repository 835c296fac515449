"""Load shedding of the push: 429 ``busy`` with a random Retry-After before the body is read,
nothing stored by a refused push, board pages never behind the gate, and under a small
bound many kiosks pushing at once each get every record stored exactly once."""

import asyncio
import random
import threading
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from central.api.admission import IngestGate
from central.api.errors import ApiError
from central.models import IngestedRecord, SurveyResponse
from tests.central.api.helpers import counts
from tests.support.central import TestKiosk, running_central, survey_record
from trato.protocol.wire import PUSH_PATH


def test_the_gate_refuses_what_exceeds_its_bounds_with_a_spread_retry_after() -> None:
    gate = IngestGate(max_inflight=2, max_transactions=1, queue_seconds=0.05, retry_after=5.0,
                      rng=random.Random(3))
    waits = set()
    with gate.admitted(), gate.admitted():
        for _ in range(20):
            with pytest.raises(ApiError) as refused, gate.admitted():
                pass
            assert refused.value.status == 429 and refused.value.code == "busy"
            waits.add(int(refused.value.headers["Retry-After"]))
    assert gate.inflight == 0 and gate.shed == 20
    assert min(waits) >= 5 and max(waits) <= 15 and len(waits) > 3

    async def two_at_once() -> None:
        async with gate.storing():
            with pytest.raises(ApiError) as late:
                async with gate.storing():
                    pass
            assert late.value.status == 429
        async with gate.storing():  # the slot is free again
            pass

    asyncio.run(two_at_once())


def test_a_busy_process_answers_before_reading_the_body_and_stores_nothing(
        central_app, client, kiosk, db) -> None:
    gate: IngestGate = central_app.state.ingest_gate
    gate.inflight = gate.max_inflight  # as if the process were full of pushes
    try:
        response = kiosk.push([survey_record(1)])
        assert response.status_code == 429, response.text
        assert response.json()["code"] == "busy"
        assert 1 <= int(response.headers["Retry-After"]) <= 3 * gate.retry_after + 1
        # Not even looked at: an unsigned body of garbage gets the same answer, not 401/400.
        garbage = client.post(PUSH_PATH, content=b"\x00not json", headers={
            "Content-Type": "application/json"})
        assert garbage.status_code == 429
        # Board pages and health do not wait behind the ingest gate.
        assert client.get("/healthz").status_code == 200
        assert client.get("/entrar").status_code == 200
    finally:
        gate.inflight = 0
    with db() as s:
        assert s.execute(select(func.count()).select_from(IngestedRecord)).scalar_one() == 0
    assert kiosk.push([survey_record(2)]).status_code == 200
    assert counts(db)["survey_response"] == 1


@pytest.mark.slow
def test_many_kiosks_at_once_each_record_stored_once(tmp_path: Path) -> None:
    """Sixteen kiosks push three batches each at once through a gate of two: some are told to
    come back later, none times out, nothing is answered "duplicate" (nothing was stored and
    then sent again), and every record is stored exactly once."""
    env = {"TD_CENTRAL_INGEST_MAX_INFLIGHT": "2", "TD_CENTRAL_INGEST_MAX_TRANSACTIONS": "1",
           "TD_CENTRAL_INGEST_RETRY_AFTER_SECONDS": "0.3"}
    with running_central(f"sqlite:///{tmp_path / 'central.db'}", tmp_path / "data",
                         env=env) as central:
        kiosks = [TestKiosk.enrol(central.base_url, central.issue_token(code))
                  for code in ("ASIMS000039", "BCIMS000039") * 8]
        outcome = {"busy": 0, "stored": 0, "duplicate": 0, "other": 0}
        lock = threading.Lock()

        def run(k: TestKiosk) -> None:
            http = httpx.Client(base_url=central.base_url, timeout=30)
            k.client = http
            for _ in range(3):
                batch = [survey_record(k.next_seq()) for _ in range(50)]
                while True:
                    response = k.push(batch)
                    if response.status_code != 429:
                        break
                    with lock:
                        outcome["busy"] += 1
                    time.sleep(float(response.headers["Retry-After"]) / 10)
                assert response.status_code == 200, response.text
                with lock:
                    for r in response.json()["results"]:
                        key = r["status"] if r["status"] in outcome else "other"
                        outcome[key] += 1
            http.close()

        threads = [threading.Thread(target=run, args=(k,)) for k in kiosks]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        with central.session() as s:
            stored = s.execute(select(func.count()).select_from(SurveyResponse)).scalar_one()
    assert outcome["busy"] > 0  # the gate did turn pushes away
    assert (outcome["stored"], outcome["duplicate"], outcome["other"]) == (16 * 150, 0, 0)
    assert stored == 16 * 150
