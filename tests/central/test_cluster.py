"""The production layout in small: two ``trato-central serve`` processes on one PostgreSQL.

A batch pushed to process A reaches a live board served by process B (its SSE stream) within
2 s through LISTEN/NOTIFY; each process answers /readyz and its own /metrics, whose counters
move with the batch.
"""

import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.central.web.conftest import PASSWORD, login
from tests.support.central import CentralHandle, running_central, survey_record
from tests.support.postgres import PostgresCluster
from trato.protocol.wire import PUSH_PATH

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture(scope="module")
def cluster(pg_cluster: PostgresCluster, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[tuple[CentralHandle, CentralHandle]]:
    pg_url = pg_cluster.create_database()
    data = tmp_path_factory.mktemp("cluster")  # one sealing key for both, as on shared storage
    with running_central(pg_url, data) as a:
        with running_central(pg_url, data, load_catalogue=False) as b:
            a.create_user("cluster_nacional", role="nacional", password=PASSWORD)
            yield a, b
    pg_cluster.drop_database(pg_url)


def samples(base_url: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = httpx.get(f"{base_url}/metrics", timeout=10)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    out = {}
    for family in text_string_to_metric_families(response.text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def test_a_batch_pushed_to_one_process_shows_on_the_live_board_of_the_other(
        cluster: tuple[CentralHandle, CentralHandle]) -> None:
    a, b = cluster
    kiosk = a.enrol_kiosk("ASIMS000039")
    with httpx.Client(base_url=b.base_url, timeout=httpx.Timeout(10, read=3)) as viewer:
        assert login(viewer, "cluster_nacional", PASSWORD).status_code == 303
        with viewer.stream("GET", "/tablero/eventos") as stream:
            lines = stream.iter_lines()
            assert next(lines) == "retry: 1000"
            assert next(lines) == "event: ready"
            assert samples(b.base_url)[("td_board_live_viewers", ())] == 1
            pushed = time.monotonic()
            response = kiosk.push([survey_record(1), survey_record(2), survey_record(3)])
            assert response.status_code == 200, response.text
            kpis = ""
            for line in lines:
                if line.startswith("data: ") and line != "data: {}":
                    kpis = json.loads(line[6:]).get("blocks", {}).get("kpis", "")
                    if 'data-figure="responses_total">3<' in kpis:
                        break
                assert time.monotonic() - pushed < 2.0, "no update from process B in 2 s"
            elapsed = time.monotonic() - pushed
    assert 'data-figure="responses_total">3<' in kpis
    assert elapsed < 2.0


def test_each_process_is_ready_and_its_metrics_move_with_a_batch(
        cluster: tuple[CentralHandle, CentralHandle]) -> None:
    a, b = cluster
    for process in (a, b):
        ready = httpx.get(f"{process.base_url}/readyz", timeout=10)
        assert ready.status_code == 200 and ready.json()["migrations"] == "ok"
    before_a, before_b = samples(a.base_url), samples(b.base_url)
    kiosk = a.enrol_kiosk("BCIMS000039")
    records = [survey_record(1), survey_record(2)]
    assert kiosk.push(records).status_code == 200
    assert kiosk.push(records[:1]).status_code == 200  # a resend: one duplicate

    def value(s: dict, name: str, **labels: str) -> float:
        return s.get((name, tuple(sorted(labels.items()))), 0.0)

    after_a = samples(a.base_url)
    assert value(after_a, "td_ingest_records_total", outcome="stored") - value(
        before_a, "td_ingest_records_total", outcome="stored") == 2
    assert value(after_a, "td_ingest_records_total", outcome="duplicate") - value(
        before_a, "td_ingest_records_total", outcome="duplicate") == 1
    assert value(after_a, "td_ingest_batches_total") - value(
        before_a, "td_ingest_batches_total") == 2
    route = {"method": "POST", "route": PUSH_PATH, "status": "200"}
    assert value(after_a, "td_http_requests_total", **route) - value(
        before_a, "td_http_requests_total", **route) == 2
    assert value(after_a, "td_http_request_seconds_count", method="POST",
                 route=PUSH_PATH) >= 2
    # B stored nothing but heard the batch through LISTEN/NOTIFY.
    deadline = time.monotonic() + 5
    while True:
        after_b = samples(b.base_url)
        heard = value(after_b, "td_event_bus_events_total", type="batch") - value(
            before_b, "td_event_bus_events_total", type="batch")
        if heard >= 1 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert heard == 1
    assert value(after_b, "td_ingest_batches_total") == value(before_b,
                                                              "td_ingest_batches_total")
    assert ("td_db_pool_connections_in_use", ()) in after_b
    assert ("td_board_live_viewers", ()) in after_b
    # Route templates and outcomes only: nothing of a kiosk or a person in any label.
    text = httpx.get(f"{a.base_url}/metrics", timeout=10).text
    assert kiosk.kiosk_id not in text and "cluster_nacional" not in text


def test_metrics_refuse_other_networks_unless_the_token_is_given(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from central.app import create_app
    from central.settings import CentralSettings

    settings = CentralSettings(data_dir=tmp_path, metrics_token="scrape-secret-1")  # noqa: S106
    with TestClient(create_app(settings)) as client:  # peer "testclient": not in any network
        assert client.get("/metrics").status_code == 404
        assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}
                          ).status_code == 404
        ok = client.get("/metrics", headers={"Authorization": "Bearer scrape-secret-1"})
        assert ok.status_code == 200 and "td_http_requests_total" in ok.text
        assert client.get("/readyz").json()["status"] == "ok"
