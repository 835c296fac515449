"""The analysts' export reading a streaming replica (``TD_CENTRAL_EXPORT_DATABASE_URL``): a
real PostgreSQL primary, a real hot standby made from it by ``pg_basebackup``, a real server.

The rows come from the replica (with its replay paused, a batch just stored on the primary is
not in the file and the page says up to when the data go), the audit entry is written on the
primary and names the source, and a replica that stops answering does not stop the export: it
reads the primary, and says so."""

import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlmodel import select

from central.models import AuditLog
from central.web.display import today_mx
from tests.central.web.conftest import PASSWORD, World, build_world
from tests.support.central import survey_record
from tests.support.postgres import Replica, postgres_cluster, streaming_replica

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def replicated(tmp_path_factory: pytest.TempPathFactory
               ) -> Iterator[tuple[World, Replica, str]]:
    """A primary of its own (the replica copies the whole cluster), its standby, and the web
    world on the primary with its export reading the standby."""
    folder = tmp_path_factory.mktemp("replica")
    with postgres_cluster() as primary:
        url = primary.create_database(prefix="export_replica")
        with streaming_replica(primary) as replica:
            database = url.rsplit("/", 1)[1]
            env = {"TD_CENTRAL_EXPORT_DATABASE_URL": replica.url(database)}
            gen = build_world(url, Path(folder) / "data", env)
            try:
                yield next(gen), replica, database
            finally:
                gen.close()


def _replica_rows(replica: Replica, database: str) -> int:
    with psycopg.connect(replica.dsn(database)) as conn:
        return int(conn.execute("SELECT count(*) FROM survey_response").fetchone()[0])


def _wait_replayed(replica: Replica, database: str, rows: int) -> None:
    deadline = time.monotonic() + 20
    while _replica_rows(replica, database) != rows:
        assert time.monotonic() < deadline, "the replica did not replay the primary's WAL"
        time.sleep(0.1)


def _page_says(client: httpx.Client, text: str) -> None:
    """The export page says ``text`` (within seconds: the standby replays what the primary
    wrote a moment ago, such as the sign-in)."""
    deadline = time.monotonic() + 10
    while text not in client.get("/exportar").text:
        assert time.monotonic() < deadline, f"the export page never says {text!r}"
        time.sleep(0.2)


def _csv_rows(client: httpx.Client) -> int:
    today = today_mx()
    response = client.get("/exportar/archivo", params={
        "conjunto": "respuestas", "formato": "csv", "rama": "",
        "desde": (today - timedelta(days=6)).isoformat(), "hasta": today.isoformat()})
    assert response.status_code == 200, response.text[:500]
    return len(response.content.decode("utf-8-sig").strip().splitlines()) - 1


def _feed_rows(world: World) -> int:
    feed = httpx.get(f"{world.base_url}/odata/Respuestas?$count=true",
                     auth=("nacional", PASSWORD), timeout=30)
    assert feed.status_code == 200, feed.text[:500]
    return int(feed.json()["@odata.count"])


def _replica_metrics(world: World) -> dict[str, float]:
    """``td_export_replica_*`` of the server's /metrics (scraped from the loopback)."""
    response = httpx.get(f"{world.base_url}/metrics", timeout=10)
    assert response.status_code == 200, response.text[:500]
    return {s.name: s.value for family in text_string_to_metric_families(response.text)
            for s in family.samples if s.name.startswith("td_export_replica")}


def _sources(world: World, action: str) -> list[Any]:
    with world.central.session() as s:
        entries = s.exec(select(AuditLog).where(AuditLog.action == action)
                         .order_by(AuditLog.at)).all()  # type: ignore[arg-type]
    return [e.detail.get("fuente") for e in entries]


def test_the_export_reads_the_replica_and_says_how_far_it_goes(
        replicated: tuple[World, Replica, str]) -> None:
    world, replica, database = replicated
    _wait_replayed(replica, database, 12)  # the world's two kiosks, 6 responses each
    with world.login("nacional") as client:
        _page_says(client, "réplica de lectura, al día")
        assert _csv_rows(client) == 12 and _feed_rows(world) == 12
        replica.replay(paused=True)
        try:
            kiosk = world.kiosks["ags"]
            pushed = kiosk.push([survey_record(kiosk.next_seq(), rating=5) for _ in range(3)])
            assert pushed.status_code == 200
            time.sleep(1.5)  # received by the standby, not applied
            page = client.get("/exportar")
            assert "tiene lo recibido hasta el" in page.text and "s detrás" in page.text
            behind = _replica_metrics(world)
            assert behind["td_export_replica_up"] == 1
            assert behind["td_export_replica_lag_seconds"] > 0
            # Stored on the primary (the board counts them), not yet in the export.
            assert _csv_rows(client) == 12 and _feed_rows(world) == 12
        finally:
            replica.replay(paused=False)
        _wait_replayed(replica, database, 15)
        assert _csv_rows(client) == 15 and _feed_rows(world) == 15
    deadline = time.monotonic() + 10  # caught up: no lag (the sign-in's write replayed too)
    while _replica_metrics(world)["td_export_replica_lag_seconds"] != 0:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    # The audit entries were written on the primary (the replica is read-only), with the
    # source they read.
    assert _sources(world, "export") == ["replica"] * 3
    assert _sources(world, "odata_read") == ["replica"] * 3
    with world.central.session() as s:
        behind = s.exec(select(AuditLog).where(AuditLog.action == "export")
                        .order_by(AuditLog.at)).all()[1]  # type: ignore[arg-type]
        assert behind.detail.get("datos_hasta")


def test_a_replica_that_stops_answering_leaves_the_export_on_the_primary(
        replicated: tuple[World, Replica, str]) -> None:
    world, replica, _database = replicated
    replica.stop()
    with world.login("nacional") as client:
        page = client.get("/exportar")
        assert page.status_code == 200
        assert "La réplica de lectura no responde" in page.text
        kiosk = world.kiosks["bc"]
        assert kiosk.push([survey_record(kiosk.next_seq(), rating=4)]).status_code == 200
        assert _csv_rows(client) == 16 and _feed_rows(world) == 16
    assert _sources(world, "export")[-1] == "replica_sin_respuesta"
    assert _replica_metrics(world) == {"td_export_replica_up": 0}
    log = "".join(p.read_text() for p in world.central.data_dir.glob("central-*.log"))
    assert "export replica did not answer" in log
