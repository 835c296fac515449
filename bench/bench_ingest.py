"""Ingest benchmark: 8 simulated kiosks push signed batches of 500 to a real server on
PostgreSQL, beside a plain psycopg COPY of the same rows into an equivalent table.

    .venv/bin/python bench/bench_ingest.py [--kiosks 8] [--batches 6] [--batch-size 500]
                                           [--workers 2] [--gzip] [--rounds 3]

Prints records/second end to end through HTTP (signing, gzip, validation, per-record
idempotency, the case/survey tables and the change log), the COPY rate, and the ratio
(target: at least 25 %). Each round times the HTTP push and then the COPY of the same rows,
so a load spike from other work on the machine hits one round, not one side; the median
ratio is the figure. Never part of pytest.
"""

import argparse
import gzip
import json
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import psycopg  # noqa: E402

from tests.support.central import TestKiosk, running_central  # noqa: E402
from tests.support.postgres import postgres_cluster  # noqa: E402
from trato.domain.folio import make_folio  # noqa: E402

SERVICES = ["consulta_externa", "urgencias", "farmacia", "laboratorio", "hospitalizacion"]
UNITS = ["ASIMS000039", "ASIMS000076", "BCIMS000039", "DFIMS000113"]


def make_records(kiosk: TestKiosk, start_seq: int, count: int, case_every: int = 20
                 ) -> list[dict]:
    base = datetime.now(UTC) - timedelta(hours=1)
    records = []
    for i in range(count):
        seq = start_seq + i
        created = (base + timedelta(seconds=seq)).isoformat()
        if case_every and seq % case_every == 0:
            folio = str(make_folio(unit_number=kiosk.unit_number,
                                   kiosk_number=kiosk.kiosk_number, sequence=seq))
            body = {"kind": "case", "folio": folio, "case_type": "queja", "channel": "kiosk",
                    "language": "es", "service_code": SERVICES[seq % 5],
                    "categories": ["tiempo_espera"],
                    "narrative": "Esperé más de tres horas para recibir atención.",
                    "request": "Que mejoren los tiempos.", "has_contact": True,
                    "consent_given": True}
            records.append({"id": str(uuid.uuid4()), "seq": seq, "created_at": created,
                            "body": body, "sealed": "c2VhbGVkLWJveA=="})
        else:
            body = {"kind": "survey_response", "instrument_id": "trato-general",
                    "instrument_version": 1, "language": "es", "channel": "kiosk",
                    "service_code": SERVICES[seq % 5], "rating": 1 + seq % 5,
                    "reasons": ["espera"] if seq % 5 < 2 else [], "comment": "",
                    "duration_ms": 9000 + seq % 1000}
            records.append({"id": str(uuid.uuid4()), "seq": seq, "created_at": created,
                            "body": body})
    return records


class CopyBaseline:
    """COPY the same rows, flattened, into one table equivalent to what the server keeps
    (survey_response's branch columns and secondary indexes, the record hash and body).
    Set up with the server's warm-up rows (copied, not timed), so both start alike."""

    def __init__(self, dsn: str, warm: list[dict]) -> None:
        self.conn = psycopg.connect(dsn, autocommit=True)
        self.conn.execute("""
            CREATE TABLE bench_copy (
                id uuid PRIMARY KEY, kiosk_id uuid NOT NULL, module_id uuid NOT NULL,
                unit_id uuid NOT NULL, ooad_id uuid, umae_id uuid, seq integer NOT NULL,
                kind varchar(32) NOT NULL, content_hash varchar(64) NOT NULL,
                kiosk_created_at timestamptz NOT NULL, received_at timestamptz NOT NULL,
                service_code varchar(64), rating integer, reasons json NOT NULL,
                folio varchar(16), narrative text, body json NOT NULL, sealed text)""")
        for cols in ("unit_id, received_at", "ooad_id, received_at", "umae_id, received_at",
                     "received_at", "module_id"):
            self.conn.execute(f"CREATE INDEX ON bench_copy ({cols})")
        self.ids = tuple(uuid.uuid4() for _ in range(4))
        self.rows = 0
        self.run(warm)

    def run(self, records: list[dict]) -> float:
        """Seconds to COPY ``records`` (client formatting included, as the server's is)."""
        kiosk_id, module_id, unit_id, ooad_id = self.ids
        now = datetime.now(UTC)
        start = time.perf_counter()
        with self.conn.cursor() as cur, cur.copy(
            "COPY bench_copy (id, kiosk_id, module_id, unit_id, ooad_id, umae_id, seq, kind, "
            "content_hash, kiosk_created_at, received_at, service_code, rating, reasons, "
            "folio, narrative, body, sealed) FROM STDIN"
        ) as copy:
            for r in records:
                b = r["body"]
                copy.write_row((r["id"], kiosk_id, module_id, unit_id, ooad_id, None,
                                r["seq"], b["kind"], "0" * 64, r["created_at"], now,
                                b.get("service_code"), b.get("rating"),
                                json.dumps(b.get("reasons", [])), b.get("folio"),
                                b.get("narrative"), json.dumps(b), r.get("sealed")))
        elapsed = time.perf_counter() - start
        self.rows += len(records)
        count = self.conn.execute("SELECT count(*) FROM bench_copy").fetchone()[0]
        assert count == self.rows, (count, self.rows)
        return elapsed


def cpu_seconds(match: str | int) -> float:
    """User+system CPU seconds of the live processes whose command line contains ``match``
    (text) or whose process group is ``match`` (number)."""
    import os

    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            if isinstance(match, int):
                if int(fields[2]) != match:
                    continue
            else:
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
                if match not in cmd:
                    continue
            total += (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            continue
    return total


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kiosks", type=int, default=8)
    parser.add_argument("--batches", type=int, default=6)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--gzip", action="store_true")
    parser.add_argument("--rounds", type=int, default=3,
                        help="HTTP phase then COPY of the same rows, this many times")
    args = parser.parse_args()

    with postgres_cluster() as cluster, tempfile.TemporaryDirectory() as tmp:
        url = cluster.create_database("bench")
        with running_central(url, Path(tmp), workers=args.workers,
                             env={"TD_CENTRAL_LOG_LEVEL": "WARNING"}) as central:
            kiosks = [TestKiosk.enrol(central.base_url, central.issue_token(UNITS[i % 4]))
                      for i in range(args.kiosks)]
            # Warm-up (not timed): one batch per kiosk, so every server worker has compiled
            # its statements and loaded its caches; the figures are the steady state.
            warm_records: list[dict] = []
            for kiosk in kiosks:
                records = make_records(kiosk, 1, args.batch_size)
                warm_records += records
                warm = kiosk.push(records)
                assert warm.status_code == 200, warm.text
            copy = CopyBaseline(cluster.dsn(url.rsplit("/", 1)[1]), warm_records)
            figures = []
            for round_ in range(args.rounds):
                first_batch = 1 + round_ * args.batches
                got = http_round(args, central, kiosks, url, first_batch)
                if isinstance(got, str):
                    print("errors:", got)
                    return 1
                records, http_elapsed, cpu = got
                # The same rows by COPY right after, so both see the same machine load.
                figures.append((len(records), http_elapsed, copy.run(records), cpu))
            copy.conn.close()

    total = figures[0][0]
    print(f"records per round: {total} ({args.kiosks} kiosks x {args.batches} batches x "
          f"{args.batch_size}; 1 in 20 a case; after one warm-up batch per kiosk, COPY "
          f"after the same warm-up), server workers: {args.workers}, gzip: {args.gzip}")
    ratios = []
    for i, (n, http_elapsed, copy_elapsed, cpu) in enumerate(figures, 1):
        ratio = 100 * copy_elapsed / http_elapsed
        ratios.append(ratio)
        print(f"round {i}: HTTP ingest {http_elapsed:5.2f} s {n / http_elapsed:7.0f} records/s"
              f" | psycopg COPY {copy_elapsed:5.2f} s {n / copy_elapsed:7.0f} records/s"
              f" | ratio {ratio:5.1f} %"
              f" | CPU server {cpu[0]:.2f} s, PostgreSQL {cpu[1]:.2f} s, kiosks {cpu[2]:.2f} s")
    print("(COPY: one process, same rows into one table with the server's secondary indexes)")
    print(f"ratio       : {statistics.median(ratios):6.1f} % of COPY, median of {len(ratios)} "
          f"rounds (range {min(ratios):.1f}-{max(ratios):.1f} %; target >= 25 %)")
    return 0


def http_round(args: argparse.Namespace, central: Any, kiosks: list[TestKiosk], url: str,
               first_batch: int) -> tuple[list[dict], float, tuple[float, float, float]] | str:
    """8 kiosk threads push their batches at once; (records, seconds, CPU) or an error."""
    plans: list[list[bytes]] = []
    all_records: list[dict] = []
    for kiosk in kiosks:
        bodies = []
        for b in range(first_batch, first_batch + args.batches):
            records = make_records(kiosk, 1 + b * args.batch_size, args.batch_size)
            all_records += records
            raw = json.dumps(kiosk.batch(records)).encode()
            bodies.append(gzip.compress(raw, 5) if args.gzip else raw)
        plans.append(bodies)
    errors: list[str] = []
    stored = [0] * len(kiosks)
    barrier = threading.Barrier(len(kiosks) + 1)

    def run(index: int) -> None:
        kiosk = kiosks[index]
        with httpx.Client(base_url=central.base_url, timeout=120) as http:
            kiosk.client = http
            barrier.wait()
            for body in plans[index]:
                response = kiosk.push_raw(body, gzip=False, headers=(
                    {"Content-Encoding": "gzip"} if args.gzip else None))
                if response.status_code != 200:
                    errors.append(f"{response.status_code} {response.text[:200]}")
                    return
                stored[index] += sum(r["status"] == "stored"
                                     for r in response.json()["results"])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(kiosks))]
    for t in threads:
        t.start()
    db_name = url.rsplit("/", 1)[1]
    cpu_before = (cpu_seconds(central.process.pid), cpu_seconds(db_name), time.process_time())
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    http_elapsed = time.perf_counter() - start
    cpu = (cpu_seconds(central.process.pid) - cpu_before[0],
           cpu_seconds(db_name) - cpu_before[1], time.process_time() - cpu_before[2])
    if errors:
        return str(errors[:3])
    assert sum(stored) == len(all_records), (sum(stored), len(all_records))
    return all_records, http_elapsed, cpu


if __name__ == "__main__":
    sys.exit(main())
