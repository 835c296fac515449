"""Crash test (issue 2): a writer is SIGKILLed at random moments, at least 200 times; every
case whose folio was shown (and every survey thanked for) is in the database afterwards,
with its outbox entry, the sequences have no gaps, and ``PRAGMA integrity_check`` is ok.

The seed is printed; ``TD_CRASH_SEED`` replays a run and ``TD_CRASH_KILLS`` changes the count.
"""

import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from nacl.public import PrivateKey
from sqlmodel import col, select

from kiosk.storage.db import open_database
from kiosk.storage.identity import save_identity
from kiosk.storage.models import Case, OutboxEntry, SurveyResponse
from tests.kiosk.storage.factories import make_enrolment
from trato.domain.folio import parse_folio
from trato.protocol.sealing import public_key_b64

WRITER = Path(__file__).with_name("crash_writer.py")
KILLS = int(os.environ.get("TD_CRASH_KILLS", "200"))
#: Longest a writer runs before its kill; long enough for several commits, short enough to
#: also hit the start-up (open, integrity check, WAL recovery).
MAX_RUN_SECONDS = 0.25
LINE_TIMEOUT = 60


class WriterServer:
    def __init__(self, db_path: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(WRITER), str(db_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=0,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            self.lines.put(raw.decode("utf-8").rstrip("\n"))
        self.lines.put("eof")

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write((line + "\n").encode())

    def next_line(self) -> str:
        line = self.lines.get(timeout=LINE_TIMEOUT)
        assert line != "eof", "writer server died"
        return line

    def close(self) -> None:
        if self.proc.poll() is None:
            self.send("quit")
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:  # pragma: no cover
                self.proc.kill()
                self.proc.wait()


@pytest.mark.slow
def test_no_shown_folio_is_ever_lost(tmp_path: Path) -> None:
    seed = int(os.environ.get("TD_CRASH_SEED", str(time.time_ns() % 2**32)))
    print(f"crash test seed {seed} (TD_CRASH_SEED={seed} to replay)")
    rng = random.Random(seed)
    db_path = tmp_path / "kiosk.db"
    db = open_database(db_path).database
    with db.write() as session:
        save_identity(
            session,
            enrolment=make_enrolment(public_key_b64(PrivateKey.generate())),
            server_url="https://central.example.mx",
        )
    db.close()

    shown: list[str] = []
    thanked: list[uuid.UUID] = []  # surveys whose "gracias" screen was shown
    killed_mid_run = 0
    server = WriterServer(db_path)
    try:
        assert server.next_line() == "ready"
        for _ in range(KILLS):
            server.send(f"fork {rng.randrange(2**32)}")
            line = server.next_line()
            while not line.startswith("pid "):
                pytest.fail(f"unexpected line before pid: {line}")
            pid = int(line.split()[1])
            time.sleep(rng.uniform(0, MAX_RUN_SECONDS))
            os.kill(pid, signal.SIGKILL)
            while True:
                line = server.next_line()
                if line.startswith("folio "):
                    shown.append(line.split()[1])
                elif line.startswith("survey "):
                    thanked.append(uuid.UUID(line.split()[1]))
                elif line.startswith("exit "):
                    status = int(line.split()[2])
                    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (
                        f"writer ended on its own (status {status}), not by the kill"
                    )
                    killed_mid_run += 1
                    break
                else:
                    pytest.fail(f"writer said: {line}")
    finally:
        server.close()

    assert killed_mid_run == KILLS >= 200 or "TD_CRASH_KILLS" in os.environ
    assert len(shown) > KILLS // 2, "writers hardly wrote anything before being killed"

    result = open_database(db_path)
    assert result.quarantined_to is None
    db = result.database
    try:
        assert db.integrity_check() == ["ok"]
        with db.read() as session:
            cases = session.exec(select(Case).order_by(col(Case.sequence))).all()
            survey_ids = set(session.exec(select(SurveyResponse.id)).all())
            entries = session.exec(select(OutboxEntry).order_by(col(OutboxEntry.seq))).all()
    finally:
        db.close()
    stored = {c.folio for c in cases}
    lost = [f for f in shown if f not in stored]
    assert lost == [], f"{len(lost)} shown folios lost (seed {seed})"
    assert len(set(shown)) == len(shown)  # no folio was ever given twice
    assert [s for s in thanked if s not in survey_ids] == []
    # Folio, case row and outbox entry were one transaction: no gaps, no orphans.
    assert [c.sequence for c in cases] == list(range(1, len(cases) + 1))
    assert [parse_folio(c.folio).sequence for c in cases] == [c.sequence for c in cases]
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert {e.id for e in entries} == {c.id for c in cases} | survey_ids
    for entry in [e for e in entries if e.kind == "case"][:: max(1, len(cases) // 50)]:
        assert entry.wire_record().body.folio in stored  # type: ignore[union-attr]
    print(
        f"{KILLS} kills, {len(shown)} folios and {len(thanked)} surveys shown, "
        f"{len(cases)} cases and {len(survey_ids)} surveys stored"
    )
