"""The kiosk's sync process for the SIGKILL test, run as ``python -m tests.faults.sync_kill_child``.

It imports everything once, then forks one sync process per attempt. Each forked process
opens the kiosk store, recovers interrupted entries and runs a sync round whose engine kills
its own process with SIGKILL right after the server's answer to the k-th batch arrived (the
server has committed; nothing is marked locally yet), k random in 1..3. The parent counts the
kills and stops once it has enough and a forked process finished a round without being killed
with nothing left to send. Prints one JSON line: {"kills": n, "clean": m}.
"""

import argparse
import json
import os
import random
import signal
import sys


def _child(data_dir: str, batch_size: int, seed: int) -> int:
    from tests.faults.sync_support import open_kiosk

    rng = random.Random(seed)
    kill_at = rng.randint(1, 3)
    seen = 0

    def after_response(_result: object) -> None:
        nonlocal seen
        seen += 1
        if seen >= kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    kiosk = open_kiosk(__import__("pathlib").Path(data_dir))
    engine = kiosk.engine(batch_size=batch_size, hooks={"after_push_response": after_response},
                          interval_seconds=0.0)
    report = engine.run_round()
    with kiosk.database.read() as session:
        from kiosk.storage.outbox import outbox_counts

        pending = outbox_counts(session).pending
    return 0 if report.ok and pending == 0 else 3


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--batch-size", type=int, default=10)
    parser.add_argument("--max-attempts", type=int, default=2000)
    args = parser.parse_args()
    # Import the heavy modules once, before forking (nothing is opened yet).
    import kiosk.sync.engine  # noqa: F401
    import tests.faults.sync_support  # noqa: F401

    kills = clean = 0
    for attempt in range(args.max_attempts):
        pid = os.fork()
        if pid == 0:  # the sync process
            code = 1
            try:
                code = _child(args.data_dir, args.batch_size, seed=attempt)
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
            kills += 1
        elif os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
            clean += 1
            if kills >= args.kills:
                break
    sys.stdout.write(json.dumps({"kills": kills, "clean": clean}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
