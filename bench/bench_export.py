"""The analysts' export over the national year: rows per second of ``/exportar/archivo`` as CSV
and as Parquet streamed over HTTP, one OData page, and the server's memory during each export
against its idle memory (flat: the server holds one batch, whatever the period).

A throwaway PostgreSQL cluster (tests/support/postgres.py) gets the national organisation and
year of tests/support/national.py (as bench/bench_national.py builds it; small: 1 M responses,
10 k cases; full: 40 M, 400 k); one real ``trato-central serve`` answers a Nivel Central user
exporting the whole year (365 days).

    .venv/bin/python bench/bench_export.py [--size small|full] [--database-url URL]
                                           [--hold-file PATH]

Target: at least 100,000 rows per second for CSV and Parquet of the year's responses, and the
same peak memory for a year as for a month (flat: the server holds a batch or two).
"""

import argparse
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from bench.bench_national import PG_OPTIONS, SIZES, sign_in  # noqa: E402
from bench.bench_national import _hold as hold  # noqa: E402
from tests.support.central import running_central  # noqa: E402
from tests.support.national import generate  # noqa: E402
from tests.support.postgres import postgres_cluster  # noqa: E402

TARGET_ROWS_PER_SECOND = 100_000


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]


class RssSampler:
    """The server's largest resident set while a block runs (sampled every 20 ms)."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb(self.pid))
            self._stop.wait(0.02)

    def __enter__(self) -> "RssSampler":
        self._thread.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self._stop.set()
        self._thread.join()


def export(client: httpx.Client, pid: int, fmt: str, dataset: str,
           days: int = 365) -> dict[str, float]:
    from central.web.display import today_mx

    today = today_mx()
    params = {"conjunto": dataset, "formato": fmt, "rama": "",
              "desde": (today - timedelta(days=days - 1)).isoformat(),
              "hasta": today.isoformat()}
    first = None
    lines = size = 0
    # The CSV's lines are counted as they come; the Parquet file (needed whole to count its
    # rows) goes to a temporary file, not memory: the national year's is a gigabyte.
    with tempfile.TemporaryFile() as body:
        with RssSampler(pid) as rss:
            started = time.perf_counter()
            with client.stream("GET", "/exportar/archivo", params=params) as response:
                assert response.status_code == 200, response.read()[:300]
                for chunk in response.iter_bytes():
                    first = first or time.perf_counter() - started
                    if fmt == "parquet":
                        body.write(chunk)
                    else:
                        lines += chunk.count(b"\n")
                    size += len(chunk)
            elapsed = time.perf_counter() - started
        body.seek(0)
        rows = pq.ParquetFile(body).metadata.num_rows if fmt == "parquet" else lines - 1
    return {"rows": rows, "seconds": elapsed, "first": first or elapsed, "mb": size / 1e6,
            "peak": rss.peak}


def odata_page(base_url: str) -> float:
    """Seconds for one full page (10,000 rows) of the feed, Basic sign-in included."""
    from tests.support.national import BENCH_PASSWORD

    started = time.perf_counter()
    response = httpx.get(f"{base_url}/odata/Respuestas", auth=("nacional", BENCH_PASSWORD),
                         timeout=300)
    assert response.status_code == 200, response.text[:300]
    assert len(response.json()["value"]) == 10_000
    return time.perf_counter() - started


def measure(url: str, folder: Path) -> int:
    env = {"TD_CENTRAL_LOG_LEVEL": "WARNING"}
    with running_central(url, folder, load_catalogue=False, env=env) as central:
        pid = central.process.pid
        client = sign_in(central.base_url, "nacional")
        client.get("/exportar")  # warm: imports, templates, a first query
        idle = rss_mb(pid)
        print(f"server idle RSS {idle:.0f} MB (load: 1-minute load average after each export)")
        print(f"{'export':<22} {'rows':>10} {'s':>7} {'rows/s':>10} {'1st byte':>9} "
              f"{'MB':>7} {'peak RSS':>9} {'over idle':>9} {'load':>5}  target")
        missed = 0
        # A month first: if memory is flat, the year's peak is the month's.
        for dataset, fmt, days in (("respuestas", "csv", 30), ("respuestas", "csv", 365),
                                   ("respuestas", "parquet", 365), ("casos", "csv", 365),
                                   ("casos", "parquet", 365)):
            r = export(client, pid, fmt, dataset, days)
            rate = r["rows"] / r["seconds"]
            ok = rate >= TARGET_ROWS_PER_SECOND or dataset == "casos" or days < 365
            missed += 0 if ok else 1
            name = f"{dataset} {fmt} {days} d"
            print(f"{name:<22} {r['rows']:>10,} {r['seconds']:7.2f} {rate:10,.0f}"
                  f" {r['first'] * 1000:7.0f}ms {r['mb']:7.1f} {r['peak']:7.0f}MB "
                  f"{r['peak'] - idle:7.0f}MB {os.getloadavg()[0]:5.1f}  "
                  f"{'met' if ok else 'NOT met'}")
        print(f"OData: one page of 10,000 responses in {odata_page(central.base_url):.2f} s")
        client.close()
    return missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("small", "full"), default="small")
    parser.add_argument("--database-url", default="",
                        help="an already generated national database (bench_national's "
                             "--hold-file keeps one)")
    parser.add_argument("--hold-file", default="",
                        help="after measuring, keep the generated database while this file "
                             "exists (to measure again with --database-url); its URL is "
                             "printed")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="td-bench-export-"))
    try:
        if args.database_url:
            return measure(args.database_url, tmp)
        with postgres_cluster(PG_OPTIONS) as cluster:
            url = cluster.create_database(prefix="national_export")
            from central.db import make_engine
            from central.migrations import upgrade_to_head

            engine = make_engine(url)
            upgrade_to_head(engine)
            engine.dispose()
            responses, cases = SIZES[args.size]
            print(f"generating {args.size}: {responses:,} responses, {cases:,} cases")
            started = time.perf_counter()
            generate(url, responses=responses, cases=cases, say=lambda _text: None)
            print(f"  {time.perf_counter() - started:.0f} s")
            try:
                missed = measure(url, tmp)
                hold(args.hold_file, url)
                return missed
            finally:
                cluster.drop_database(url)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
