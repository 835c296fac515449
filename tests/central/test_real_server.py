"""Against a real uvicorn process over loopback HTTP, on PostgreSQL."""

import asyncio
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from central.events import EventBus
from central.models import IngestedRecord, SurveyResponse
from tests.support.central import TestKiosk, running_central, survey_record

pytestmark = [pytest.mark.slow]


@pytest.mark.parametrize("engine", [pytest.param("postgres", marks=pytest.mark.postgres),
                                    "sqlite"])
def test_fifty_concurrent_resends_of_one_record_leave_one_row(
        engine: str, tmp_path: Path, request: pytest.FixtureRequest):
    if engine == "postgres":
        url, workers = request.getfixturevalue("pg_url"), 2
    else:
        url, workers = f"sqlite:///{tmp_path / 'central.db'}", 1
    with running_central(url, tmp_path, workers=workers) as central:
        kiosk = central.enrol_kiosk()
        record = survey_record(1, rating=3)
        body = TestKiosk.batch(kiosk, [record])
        import json

        raw = json.dumps(body).encode()
        barrier = threading.Barrier(50)

        def send(_: int) -> str:
            with httpx.Client(base_url=central.base_url, timeout=60) as http:
                k = TestKiosk(base_url=central.base_url, kiosk_id=kiosk.kiosk_id,
                              signing_key=kiosk.signing_key, enrolment=kiosk.enrolment,
                              client=http)
                barrier.wait()
                response = k.push_raw(raw)
                assert response.status_code == 200, response.text
                return response.json()["results"][0]["status"]

        with ThreadPoolExecutor(50) as pool:
            statuses = list(pool.map(send, range(50)))
        assert statuses.count("stored") == 1
        assert statuses.count("duplicate") == 49
        with central.session() as s:
            rid = uuid.UUID(record["id"])
            for model in (IngestedRecord, SurveyResponse):
                assert s.execute(select(func.count()).select_from(model)
                                 .where(model.id == rid)).scalar_one() == 1


@pytest.mark.postgres
def test_a_batch_pushed_to_one_process_is_announced_to_listeners_elsewhere(
        pg_url: str, tmp_path: Path):
    """LISTEN/NOTIFY: a bus in this test process sees the batch the server process stored."""
    with running_central(pg_url, tmp_path) as central:
        kiosk = central.enrol_kiosk()

        async def scenario() -> dict:
            bus = EventBus(central.engine)
            await bus.start()
            try:
                sub = bus.subscribe()
                await asyncio.to_thread(kiosk.push, [survey_record(1), survey_record(2)])
                event = await sub.get(timeout=5)
                return event or {}
            finally:
                await bus.stop()

        event = asyncio.run(scenario())
        assert event.get("type") == "batch"
        assert event["kiosk_id"] == kiosk.kiosk_id
        assert event["stored"] == {"survey_response": 2}
