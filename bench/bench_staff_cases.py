"""The module's case list: time to open it (summary and first page, the widget filled and
laid out) with 5,000 cases at the module, beside an empty list, in the same run.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_staff_cases.py [--cases 5000]
"""

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication

from kiosk.clock import FixedClock
from kiosk.services.module_cases import ModuleCases
from kiosk.storage.db import open_database
from kiosk.storage.models import CaseStatus
from kiosk.ui.metrics import Metrics
from kiosk.ui.staff.cases import CasesPage
from tests.kiosk.staff.support import AGENT

NOW = datetime(2026, 3, 13, 15, 30, tzinfo=UTC)
STAGES = ("recepcion", "integracion", "investigacion", "dictamen", "acuerdo", "cerrado")


def fill(path: Path, n: int) -> ModuleCases:
    database = open_database(path).database
    with database.write() as session:
        for i in range(n):
            due = (NOW.date() + timedelta(days=(i % 120) - 30)).isoformat()
            session.add(CaseStatus(case_id=uuid.uuid4(), folio=f"1234-02-{i:06d}",
                                   stage=STAGES[i % len(STAGES)], resolution_due=due,
                                   completion_due=due, updated_at=NOW))
    return ModuleCases(database, FixedClock(NOW))


def time_open(cases: ModuleCases, rounds: int) -> list[float]:
    metrics = Metrics(px_per_mm=4.0, width_px=1366, height_px=768)
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        page = CasesPage(metrics, cases, AGENT)
        page.resize(1366, 768)
        page.refresh()
        page.show()
        QApplication.processEvents()
        out.append((time.perf_counter() - start) * 1000)
        page.close()
        page.deleteLater()
        QApplication.processEvents()
    return out


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        empty = fill(Path(tmp) / "empty.db", 0)
        full = fill(Path(tmp) / "full.db", args.cases)
        time_open(full, 3)  # warm up imports and caches
        for name, cases in (("empty", empty), (f"{args.cases} cases", full)):
            times = time_open(cases, args.rounds)
            print(f"case list open, {name:>12}: median {statistics.median(times):6.1f} ms, "
                  f"p95 {p95(times):6.1f} ms ({args.rounds} rounds)")
    del app


if __name__ == "__main__":
    main()
