"""Cluster fan-out: a batch pushed to process A → the live-board update on process B's SSE.

Two ``trato-central serve`` processes (one worker each, separate ports) on one throwaway
PostgreSQL; a viewer signed in on B reads ``/tablero/eventos``; a signed test kiosk pushes N
batches to A one after another. Printed: the time from the push's answer (and from its
start) to B's update carrying the new count. The board's tick (``BOARD_TICK_SECONDS``, 1 s)
bounds it from above.

    .venv/bin/python bench/bench_cluster_fanout.py [--n 30]
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

from tests.central.web.conftest import PASSWORD, login
from tests.support.central import running_central, survey_record
from tests.support.postgres import postgres_cluster


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=30, help="batches to push")
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="td-bench-cluster-"))
    with postgres_cluster() as cluster:
        url = cluster.create_database(prefix="bench")
        with running_central(url, data) as a, \
                running_central(url, data, load_catalogue=False) as b:
            a.create_user("comite", role="nacional", password=PASSWORD)
            kiosk = a.enrol_kiosk("ASIMS000039")
            after_answer, after_start = [], []
            with httpx.Client(base_url=b.base_url, timeout=httpx.Timeout(10, read=15)) as viewer:
                assert login(viewer, "comite", PASSWORD).status_code == 303
                with viewer.stream("GET", "/tablero/eventos") as stream:
                    lines = stream.iter_lines()
                    while next(lines) != "event: ready":
                        pass
                    for i in range(1, args.n + 1):
                        started = time.monotonic()
                        assert kiosk.push([survey_record(kiosk.next_seq())]).status_code == 200
                        answered = time.monotonic()
                        want = f'data-figure="responses_total">{i:,}<'
                        for line in lines:
                            if line.startswith("data: ") and want in json.loads(
                                    line[6:]).get("blocks", {}).get("kpis", ""):
                                break
                        now = time.monotonic()
                        after_answer.append(now - answered)
                        after_start.append(now - started)
        cluster.drop_database(url)

    def show(label: str, values: list[float]) -> None:
        ordered = sorted(values)
        p95 = ordered[max(0, round(0.95 * (len(ordered) - 1)))]
        print(f"{label:28} median {statistics.median(values) * 1000:6.0f} ms   "
              f"p95 {p95 * 1000:6.0f} ms   max {max(values) * 1000:6.0f} ms")

    print(f"{args.n} batches pushed to process A, read on process B's live board")
    show("after the push's answer", after_answer)
    show("after the push's start", after_start)


if __name__ == "__main__":
    main()
