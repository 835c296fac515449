"""The live board and a reconnect storm over the national year (docs/scaling.md).

A throwaway PostgreSQL cluster with the institution's year (tests/support/national.py, or
``--database-url`` of one already generated, e.g. held by ``bench_national.py --hold-file``)
and a real ``trato-central serve`` with two worker processes (default settings).

1. **Live**: 20 national boards open (server-sent events clients, as board.js) while 100
   kiosks push batches of 50 every second or so; a probe kiosk alone in its OOAD pushes a
   batch a second and each board's stream is watched until that OOAD's row of the drill-down
   shows it. Latency: push answered -> update received. Target p95 < 2 s.
2. **Storm**: 1,100 kiosks x 200 records at once, as after an outage. Each kiosk behaves as
   kiosk/sync/engine.py: a 30 s read timeout, on 429 it waits Retry-After plus up to a quarter
   more, on a timeout it sends the same batch again. Meanwhile the national board is asked
   for every half second. Targets: 0 timeouts, 0 records answered "duplicate" (stored, then
   sent again), every record stored once, national board under 1 s.

    .venv/bin/python bench/bench_storm.py [--size small|full] [--database-url URL]
"""

import argparse
import asyncio
import gzip
import json
import multiprocessing
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from bench.bench_ingest import cpu_seconds  # noqa: E402
from bench.bench_national import PG_OPTIONS, SIZES, percentile, sign_in  # noqa: E402
from tests.support.central import running_central, survey_record  # noqa: E402
from tests.support.national import MODULES, generate, kiosk_id, kiosk_key  # noqa: E402
from tests.support.postgres import postgres_cluster  # noqa: E402
from trato.domain.ids import new_record_id  # noqa: E402
from trato.protocol import signing  # noqa: E402
from trato.protocol.wire import (  # noqa: E402
    HEADER_KIOSK,
    HEADER_NONCE,
    HEADER_SIGNATURE,
    HEADER_TIMESTAMP,
    PUSH_PATH,
)

READ_TIMEOUT = 30.0  # the kiosk's (kiosk/sync/client.py)


@dataclass
class BenchKiosk:
    kiosk_id: str
    key: Any
    ooad: str | None
    seq: int = 10**6

    def body(self, records: int) -> bytes:
        """A batch as the kiosk sends it: JSON, gzip-compressed (kiosk/sync/client.py)."""
        rows = []
        for _ in range(records):
            self.seq += 1
            rows.append(survey_record(self.seq, rating=random.randint(1, 5),
                                      record_id=new_record_id()))
        return gzip.compress(json.dumps({
            "schema_version": 1, "kiosk_id": self.kiosk_id, "batch_id": str(uuid.uuid4()),
            "sent_at": datetime.now(UTC).isoformat(), "app_version": "0.1.0",
            "backlog": records, "records": rows}).encode(), compresslevel=6)

    def headers(self, body: bytes) -> dict[str, str]:
        ts, nonce = int(time.time()), uuid.uuid4().hex
        message = signing.canonical_request("POST", PUSH_PATH, ts, nonce, body)
        return {HEADER_KIOSK: self.kiosk_id, HEADER_TIMESTAMP: str(ts), HEADER_NONCE: nonce,
                HEADER_SIGNATURE: signing.sign(self.key, message),
                "Content-Type": "application/json", "Content-Encoding": "gzip"}


@dataclass
class Tally:
    stored: int = 0
    duplicate: int = 0
    other: int = 0
    busy: int = 0
    timeouts: int = 0
    errors: int = 0
    pushes: list[float] = field(default_factory=list)  # seconds per answered push


def bench_kiosks(central: Any) -> list[BenchKiosk]:
    """The generated kiosks, each with its signing key."""
    from central.models import Kiosk

    out = []
    with central.session() as s:
        for n in range(MODULES):
            k = s.get(Kiosk, kiosk_id(n))
            assert k is not None, n
            out.append(BenchKiosk(str(k.id), kiosk_key(n), str(k.ooad_id) if k.ooad_id else None))
    return out


async def push(client: httpx.AsyncClient, kiosk: BenchKiosk, body: bytes, tally: Tally,
               rng: random.Random) -> None:
    """Push one batch until it is answered, as the kiosk's engine would."""
    while True:
        started = time.monotonic()
        try:
            response = await client.post(PUSH_PATH, content=body, headers=kiosk.headers(body))
        except httpx.TimeoutException:
            tally.timeouts += 1
            await asyncio.sleep(rng.uniform(1, 4))
            continue
        except httpx.HTTPError:
            tally.errors += 1
            await asyncio.sleep(rng.uniform(1, 4))
            continue
        if response.status_code == 429:
            tally.busy += 1
            wait = float(response.headers.get("Retry-After", "5"))
            await asyncio.sleep(wait + rng.uniform(0, min(wait / 4, 60)))
            continue
        if response.status_code != 200:
            tally.errors += 1
            await asyncio.sleep(rng.uniform(1, 4))
            continue
        tally.pushes.append(time.monotonic() - started)
        for r in response.json()["results"]:
            if r["status"] == "stored":
                tally.stored += 1
            elif r["status"] == "duplicate":
                tally.duplicate += 1
            else:
                tally.other += 1
        return


def _client(base_url: str, connections: int) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=base_url, timeout=httpx.Timeout(READ_TIMEOUT, connect=5),
                             limits=httpx.Limits(max_connections=connections,
                                                 max_keepalive_connections=connections))


# ---------------------------------------------------------------------------- live


async def watch_board(base_url: str, cookies: Any, ooad_id: str, seen: list[tuple[float, int]],
                      stop: asyncio.Event) -> None:
    """A national board's event stream: (time, the probe OOAD's responses) per update."""
    row = re.compile(r'href="/tablero\?nodo=' + ooad_id + r'">[^<]*</a></td>\s*'
                     r'<td class="num">([\d,]+)</td>')
    async with httpx.AsyncClient(base_url=base_url, cookies=cookies,
                                 timeout=httpx.Timeout(None)) as client:
        while not stop.is_set():
            async with client.stream("GET", "/tablero/eventos") as stream:
                event = ""
                async for line in stream.aiter_lines():
                    if stop.is_set():
                        return
                    if line.startswith("event:"):
                        event = line.split(":", 1)[1].strip()
                    elif line.startswith("data:") and event == "update":
                        blocks = json.loads(line.split(":", 1)[1]).get("blocks", {})
                        match = row.search(blocks.get("children", ""))
                        if match:
                            seen.append((time.monotonic(), int(match.group(1).replace(",", ""))))


async def live(central: Any, kiosks: list[BenchKiosk], seconds: float, viewers: int,
               pushers: int) -> dict[str, Any]:
    probe_ooad = kiosks[-1].ooad  # the last kiosk's OOAD: nobody else pushes there
    assert probe_ooad
    probe = kiosks[-1]
    others = [k for k in kiosks if k.ooad != probe_ooad][:pushers]
    national = sign_in(central.base_url, "nacional")
    base = _probe_count(national, probe_ooad)
    stop = asyncio.Event()
    streams: list[list[tuple[float, int]]] = [[] for _ in range(viewers)]
    watchers = [asyncio.create_task(watch_board(central.base_url, national.cookies, probe_ooad,
                                                streams[i], stop)) for i in range(viewers)]
    await asyncio.sleep(2)
    rng = random.Random(5)
    tally = Tally()
    probes: list[tuple[float, int]] = []  # (answered at, probe OOAD total expected)

    async def pusher(k: BenchKiosk, client: httpx.AsyncClient) -> None:
        while not stop.is_set():
            await push(client, k, k.body(50), tally, rng)
            await asyncio.sleep(rng.uniform(0.5, 1.5))

    async def prober(client: httpx.AsyncClient) -> None:
        total = base
        while not stop.is_set():
            probe_tally = Tally()
            await push(client, probe, probe.body(5), probe_tally, rng)
            total += probe_tally.stored  # ratings 1..5, never misuse: all rated
            probes.append((time.monotonic(), total))
            await asyncio.sleep(1.0)

    async with _client(central.base_url, pushers + 5) as client:
        tasks = [asyncio.create_task(pusher(k, client)) for k in others]
        tasks.append(asyncio.create_task(prober(client)))
        await asyncio.sleep(seconds)
        stop.set()
        await asyncio.sleep(3)
        for t in [*tasks, *watchers]:
            t.cancel()
        await asyncio.gather(*tasks, *watchers, return_exceptions=True)
    latencies = []
    for stream in streams:
        for answered, expected in probes[:-2]:
            shown = next((t for t, n in stream if n >= expected), None)
            if shown is not None:
                latencies.append(max(0.0, shown - answered))
    missed = sum(1 for s in streams for _a, e in probes[:-2] if not any(n >= e for _t, n in s))
    return {"latencies": latencies, "missed": missed, "tally": tally, "probes": len(probes)}


def _probe_count(client: httpx.Client, ooad_id: str) -> int:
    data = client.get("/tablero/datos").json()
    return next(int(c["n"]) for c in data["children"] if c["id"] == ooad_id)


# ---------------------------------------------------------------------------- storm


def ask_board(base_url: str, stop: Any, out: Any) -> None:
    """The national board every half second, from its own process (a committee member's
    browser is not inside the 1,100 kiosks' event loop); (started at, took) to ``out``."""
    national = sign_in(base_url, "nacional")
    t0 = time.monotonic()
    samples = []
    while not stop.is_set():
        started = time.monotonic()
        response = national.get("/tablero")
        if response.status_code == 200:
            samples.append((started - t0, time.monotonic() - started))
        time.sleep(0.5)
    out.put(samples)


async def storm(central: Any, kiosks: list[BenchKiosk], records: int) -> dict[str, Any]:
    rng = random.Random(7)
    bodies = [k.body(records) for k in kiosks]
    tally = Tally()
    started = time.monotonic()
    async with _client(central.base_url, len(kiosks)) as client:
        await asyncio.gather(*(push(client, k, b, tally, rng)
                               for k, b in zip(kiosks, bodies, strict=True)))
    return {"seconds": time.monotonic() - started, "tally": tally}


async def steady(central: Any, kiosks: list[BenchKiosk], batches: int) -> dict[str, Any]:
    """8 kiosks pushing 500-record batches back to back (bench_ingest.py's load) over the
    national year: the ingest rate with a year of history in the indexes."""
    rng = random.Random(9)
    tally = Tally()
    started = time.monotonic()

    async def one(k: BenchKiosk, client: httpx.AsyncClient) -> None:
        for _ in range(batches):
            await push(client, k, k.body(500), tally, rng)

    async with _client(central.base_url, 10) as client:
        await asyncio.gather(*(one(k, client) for k in kiosks[:8]))
    return {"seconds": time.monotonic() - started, "tally": tally}


def _stored_total(central: Any) -> int:
    import sqlalchemy as sa

    with central.engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT count(*) FROM survey_response")).scalar_one())


def run(url: str, folder: Path, args: argparse.Namespace) -> None:
    env = {"TD_CENTRAL_LOG_LEVEL": "WARNING"}
    env.update(dict(item.split("=", 1) for item in args.server_env))
    with running_central(url, folder, load_catalogue=False, workers=2, env=env) as central:
        kiosks = bench_kiosks(central)
        print(f"{len(kiosks)} kiosks, server with 2 processes, settings: "
              f"{' '.join(args.server_env) or 'defaults'}")
        if "ingest" in args.only:
            database = central.database_url.rsplit("/", 1)[1]
            cpu = (cpu_seconds(central.process.pid), cpu_seconds(database))
            result = asyncio.run(steady(central, kiosks, 6))
            cpu = (cpu_seconds(central.process.pid) - cpu[0], cpu_seconds(database) - cpu[1])
            t = result["tally"]
            print(f"\ningest over the national year: 8 kiosks x 6 batches x 500 back to back: "
                  f"{t.stored:,} records in {result['seconds']:.1f} s, "
                  f"{t.stored / result['seconds']:,.0f} records/s ({t.busy} answered 429); "
                  f"CPU s: server {cpu[0]:.1f}, PostgreSQL {cpu[1]:.1f}")
        if "live" in args.only:
            live_phase(central, kiosks, args)
        if "storm" in args.only:
            storm_phase(central, kiosks, args)


def live_phase(central: Any, kiosks: list[BenchKiosk], args: argparse.Namespace) -> None:
    result = asyncio.run(live(central, kiosks, args.live_seconds, 20, 100))
    lat = result["latencies"]
    t = result["tally"]
    print(f"\nlive: 20 national boards open, 100 kiosks pushing 50 records about once a "
          f"second ({t.stored:,} records in {args.live_seconds:.0f} s, "
          f"{t.busy} answered 429), {result['probes']} probe batches")
    if lat:
        print(f"  batch answered -> board updated: median {statistics.median(lat):.2f} s, "
              f"p95 {percentile(lat, 95):.2f} s, max {max(lat):.2f} s "
              f"({len(lat)} observations, {result['missed']} never seen); target p95 < 2 s:"
              f" {'met' if percentile(lat, 95) < 2 else 'NOT met'}")


def storm_phase(central: Any, kiosks: list[BenchKiosk], args: argparse.Namespace) -> None:
    before = _stored_total(central)
    database = central.database_url.rsplit("/", 1)[1]
    cpu = (cpu_seconds(central.process.pid), cpu_seconds(database), time.process_time())
    context = multiprocessing.get_context("spawn")
    samples: Any = context.Queue()
    stop = context.Event()
    prober = context.Process(target=ask_board, args=(central.base_url, stop, samples))
    prober.start()
    time.sleep(3)  # signed in, asking
    result = asyncio.run(storm(central, kiosks, args.records))
    stop.set()
    timeline = samples.get(timeout=120)
    prober.join(30)
    result["timeline"] = [s for s in timeline if 3 <= s[0] <= 3 + result["seconds"]]
    result["board"] = [d for _at, d in result["timeline"]]
    cpu = (cpu_seconds(central.process.pid) - cpu[0], cpu_seconds(database) - cpu[1],
           time.process_time() - cpu[2])
    t, board = result["tally"], result["board"]
    after = _stored_total(central)
    expected = len(kiosks) * args.records
    print(f"\nstorm: {len(kiosks)} kiosks x {args.records} records at once: "
          f"{result['seconds']:.1f} s, {expected / result['seconds']:,.0f} records/s")
    print(f"  answered 429: {t.busy:,}; client timeouts: {t.timeouts}; other errors: "
          f"{t.errors}; records stored {t.stored:,}, duplicate (resent) {t.duplicate}, "
          f"other {t.other}; rows added {after - before:,} (expected {expected:,})")
    if t.pushes:
        print(f"  answered pushes: median {statistics.median(t.pushes):.2f} s, p95 "
              f"{percentile(t.pushes, 95):.2f} s, max {max(t.pushes):.2f} s")
    if board:
        print(f"  national board meanwhile: median {1000 * statistics.median(board):.0f} ms"
              f", p95 {1000 * percentile(board, 95):.0f} ms, max {1000 * max(board):.0f} ms"
              f" ({len(board)} requests); target < 1 s: "
              f"{'met' if max(board) < 1 else 'NOT met'}")
    slow = [f"{at - 3:.0f}s:{1000 * d:.0f}ms" for at, d in result["timeline"] if d > 0.5]
    if slow:
        print(f"  board requests over 500 ms (started at, took): {', '.join(slow)}")
    print(f"  CPU seconds: server {cpu[0]:.0f}, PostgreSQL {cpu[1]:.0f}, the 1,100 simulated "
          f"kiosks {cpu[2]:.0f} (2 cores: {2 * result['seconds']:.0f} available)")
    ok = (t.timeouts == 0 and t.duplicate == 0 and after - before == expected)
    print(f"  0 timeouts, 0 resent, every record once: {'met' if ok else 'NOT met'}")


def _more_files() -> None:
    """1,100 connections at once: lift this process's (and the server's) open-file limit."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))


def main() -> int:
    _more_files()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("demo", "small", "full"), default="full")
    parser.add_argument("--database-url", default="",
                        help="use this national database instead of generating one")
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--live-seconds", type=float, default=60.0)
    parser.add_argument("--server-env", action="append", default=[],
                        metavar="TD_CENTRAL_NAME=VALUE", help="a server setting (repeatable)")
    parser.add_argument("--only", default="ingest,live,storm",
                        help="phases to run, comma-separated: ingest, live, storm")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="td-bench-storm-"))
    if args.database_url:
        run(args.database_url, tmp, args)
        return 0
    with postgres_cluster(PG_OPTIONS) as cluster:
        url = cluster.create_database(prefix="storm")
        from central.db import make_engine
        from central.migrations import upgrade_to_head

        engine = make_engine(url)
        upgrade_to_head(engine)
        engine.dispose()
        responses, cases = SIZES[args.size]
        print(f"generating {args.size}: {responses:,} responses, {cases:,} cases")
        generate(url, responses=responses, cases=cases)
        run(url, tmp, args)
        cluster.drop_database(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
