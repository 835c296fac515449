"""Sign-in cost and what it does to the rest of the server (issue 14, items 1-2).

A real ``trato-central serve`` (one process, SQLite) with six users:

* the median time of a sign-in with an unknown username and with a wrong password for an
  existing one, interleaved (they should be the same: both cost one password hash);
* ``/healthz`` latency idle and during N concurrent sign-in loops (the hashes run in worker
  threads, so it should stay near idle).

    .venv/bin/python bench/bench_sign_in.py [--tries 30] [--storm 6]
"""

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.central import healthz_latencies, running_central, timed_sign_in

PASSWORD = "contraseña-segura-1"  # noqa: S105 - bench user
USERS = [f"usuaria{i}" for i in range(8)]


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"median {1000 * statistics.median(values):7.1f} ms  p95 {1000 * p95:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tries", type=int, default=30)
    parser.add_argument("--storm", type=int, default=6)
    args, _ = parser.parse_known_args()
    env = {"TD_CENTRAL_LOGIN_MAX_FAILURES_PER_ACCOUNT": "1000000",
           "TD_CENTRAL_LOGIN_MAX_FAILURES_PER_ADDRESS": "1000000"}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with running_central(f"sqlite:///{folder / 'central.db'}", folder / "data",
                             env=env) as central:
            for name in USERS:
                central.create_user(name, role="nacional", password=PASSWORD)
            unknown, wrong = [], []
            with central.http() as client:
                timed_sign_in(client, "warm-up", "x")
                for i in range(args.tries):
                    unknown.append(timed_sign_in(client, f"nadie{i}", "x")[1])
                    wrong.append(timed_sign_in(client, USERS[i % len(USERS)], "x")[1])
            print(f"unknown user      {_ms(unknown)}")
            print(f"wrong password    {_ms(wrong)}")
            print(f"ratio of medians  {statistics.median(unknown) / statistics.median(wrong):.2f}")
            idle = healthz_latencies(central.base_url, 40)
            stop = threading.Event()
            done = []

            def storm(i: int) -> None:
                with central.http() as c:
                    while not stop.is_set():
                        done.append(timed_sign_in(c, USERS[i % len(USERS)], PASSWORD)[1])

            threads = [threading.Thread(target=storm, args=(i,)) for i in range(args.storm)]
            for t in threads:
                t.start()
            time.sleep(0.5)
            busy = healthz_latencies(central.base_url, 60)
            stop.set()
            for t in threads:
                t.join()
            print(f"/healthz idle     {_ms(idle)}")
            print(f"/healthz during {args.storm} concurrent sign-in loops  {_ms(busy)}")
            print(f"sign-ins during the storm: {len(done)}, {_ms(done)}")


if __name__ == "__main__":
    main()
