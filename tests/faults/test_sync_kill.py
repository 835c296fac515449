"""The kiosk's sync process is killed with SIGKILL between the server's commit and the local
mark, at least 100 times: 0 records lost, 0 duplicated, and everything ends marked sent."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.faults.sync_support import (
    bulk_surveys,
    central_counts,
    issue_token,
    load_small_catalogue,
    make_kiosk,
    open_kiosk,
    outbox_state_ids,
)
from tests.support.central import ROOT, running_central

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

KILLS = 100
RECORDS = 2_500


def test_sigkill_between_commit_and_mark(pg_url: str, tmp_path: Path) -> None:
    with running_central(pg_url, tmp_path / "central", load_catalogue=False) as central:
        load_small_catalogue(central, tmp_path)
        data_dir = tmp_path / "kiosk"
        kiosk = make_kiosk(data_dir, central.base_url, issue_token(central))
        ids = set(bulk_surveys(kiosk.database, RECORDS))
        kiosk.close()

        done = subprocess.run(
            [sys.executable, "-m", "tests.faults.sync_kill_child", "--data-dir", str(data_dir),
             "--kills", str(KILLS), "--batch-size", "10"],
            cwd=ROOT, capture_output=True, text=True, timeout=900,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        outcome = json.loads(done.stdout.strip().splitlines()[-1])
        assert outcome["kills"] >= KILLS

        # Whatever was killed mid-way: one last clean process finishes the job.
        kiosk = open_kiosk(data_dir)
        engine = kiosk.engine(batch_size=500)
        for _ in range(10):
            if engine.run_round().ok and engine.status().waiting == 0:
                break
        counts = central_counts(central.database_url, kiosk.credentials.kiosk_id)
        sent = outbox_state_ids(kiosk.database, "sent")
        assert counts.duplicated == 0 and counts.survey_rows == len(counts.unique)
        assert counts.unique == ids  # 0 lost
        assert sent == ids
        assert kiosk.database.integrity_check() == ["ok"]
        engine.client.close()
        kiosk.close()
