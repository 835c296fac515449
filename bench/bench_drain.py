"""Drain a backlog of 100,000 records from one kiosk store to the central server on PostgreSQL.

A throwaway PostgreSQL cluster (tests/support/postgres.py) and a real central server
(tests/support/central.py, uvicorn on 127.0.0.1) are started; a kiosk is enrolled through the
real endpoint and its outbox filled with N survey records. Then a separate kiosk process
(this file with ``--drain``) drains it with the real sync engine and client, sampling its own
resident memory. Printed: records per second, total time, the kiosk process's idle RSS, peak
RSS and the difference, and tracemalloc's peak of Python allocations during the drain.

Targets (issue 4): under 60 s on this machine; memory flat (peak within 50 MB of idle).

    .venv/bin/python bench/bench_drain.py [--records 100000] [--batch 1000]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _rss_bytes() -> int:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def drain(data_dir: str, batch: int, trace_records: int = 0) -> dict:
    """The kiosk process: idle RSS, then drain while sampling RSS every 10 ms."""
    import gc
    import tracemalloc

    from tests.faults.sync_support import open_kiosk

    kiosk = open_kiosk(Path(data_dir))
    engine = kiosk.engine(batch_size=batch, read_timeout=60.0, interval_seconds=0.0)
    engine.recover()
    with kiosk.database.read() as session:
        from kiosk.storage.outbox import outbox_counts

        backlog = outbox_counts(session).pending
    gc.collect()
    time.sleep(0.2)
    idle = _rss_bytes()
    peak = idle
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _rss_bytes())
            time.sleep(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    report = engine.run_round()
    elapsed = time.perf_counter() - started
    stop.set()
    sampler.join()
    peak = max(peak, _rss_bytes())
    status = engine.status()
    # Python allocations of a few more batches under tracemalloc (too slow for the timing).
    py_peak = 0
    if trace_records:
        from kiosk.sync.engine import SyncEngine

        traced = SyncEngine(kiosk.database, engine.client, None, None, batch_size=batch)
        tracemalloc.start()
        from tests.faults.sync_support import bulk_surveys

        bulk_surveys(kiosk.database, trace_records)
        tracemalloc.reset_peak()
        base, _ = tracemalloc.get_traced_memory()
        traced.push_all()
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        py_peak = top - base
    engine.client.close()
    kiosk.close()
    return {
        "backlog": backlog, "sent": report.push.sent, "batches": report.push.batches,
        "ok": report.ok, "error": report.error, "waiting_after": status.waiting,
        "seconds": elapsed, "idle_rss": idle, "peak_rss": peak, "py_peak": py_peak,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--trace-records", type=int, default=5000,
                        help="records drained afterwards under tracemalloc")
    parser.add_argument("--drain", help=argparse.SUPPRESS)  # internal: the kiosk process
    args = parser.parse_args()
    if args.drain:
        sys.stdout.write(json.dumps(drain(args.drain, args.batch, args.trace_records)) + "\n")
        return 0

    from tests.faults.sync_support import (
        bulk_surveys,
        central_counts,
        issue_token,
        load_small_catalogue,
        make_kiosk,
    )
    from tests.support.central import running_central
    from tests.support.postgres import postgres_cluster

    with tempfile.TemporaryDirectory(prefix="td-bench-drain-") as tmp, \
            postgres_cluster() as cluster:
        folder = Path(tmp)
        url = cluster.create_database("bench_drain")
        with running_central(url, folder / "central", load_catalogue=False) as central:
            load_small_catalogue(central, folder)
            kiosk = make_kiosk(folder / "kiosk", central.base_url, issue_token(central))
            t0 = time.perf_counter()
            bulk_surveys(kiosk.database, args.records, chunk=10_000)
            fill = time.perf_counter() - t0
            kiosk_id = kiosk.credentials.kiosk_id
            kiosk.close()
            done = subprocess.run(
                [sys.executable, __file__, "--drain", str(folder / "kiosk"),
                 "--batch", str(args.batch), "--trace-records", str(args.trace_records)],
                cwd=ROOT, capture_output=True, text=True, timeout=1800,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
            if done.returncode != 0:
                sys.stderr.write(done.stderr[-3000:])
                return 1
            r = json.loads(done.stdout.strip().splitlines()[-1])
            counts = central_counts(url, kiosk_id)
        mb = 1024 * 1024
        print(f"bench_drain: {args.records} records, batches of {args.batch}, "
              f"central on PostgreSQL {cluster.bindir.parent.name}")
        print(f"  outbox filled in           {fill:8.1f} s (setup, not measured)")
        print(f"  drained                    {r['sent']:8d} records in {r['batches']} batches "
              f"(ok={r['ok']}, waiting after={r['waiting_after']})")
        print(f"  total time                 {r['seconds']:8.1f} s   (target < 60 s)")
        print(f"  throughput                 {r['sent'] / r['seconds']:8.0f} records/s")
        print(f"  kiosk RSS idle             {r['idle_rss'] / mb:8.1f} MB")
        print(f"  kiosk RSS peak             {r['peak_rss'] / mb:8.1f} MB   "
              f"(+{(r['peak_rss'] - r['idle_rss']) / mb:.1f} MB; target < +50 MB)")
        print(f"  python allocations peak    {r['py_peak'] / mb:8.1f} MB above the start "
              f"(tracemalloc, {args.trace_records} more records)")
        print(f"  central holds              {len(counts.unique):8d} records, "
              f"{counts.duplicated} duplicated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
