"""The module's case list: time to open it (summary and first page, the widget filled and
laid out) with 5,000 cases at the module, beside an empty list, in the same run; then the
list scrolled from top to bottom in frames at 60 Hz (a few rows a frame, as a quick swipe:
each frame moves the scroll bar, paints the list and runs the event loop, which fetches the
next page of cases from the store when the view nears the end), counting the frames that take
longer than a 60 Hz frame (16.7 ms), beside the same frames over the empty list.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_staff_cases.py [--cases 5000]

Offscreen Qt paints in software, as a kiosk PC without a GPU driver does; on a busy machine
the frame times include its other work (run it alone for figures to compare).
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

from PySide6.QtWidgets import QAbstractItemView, QApplication

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


FRAME_MS = 1000 / 60


def time_scroll(cases: ModuleCases, rows_per_frame: int) -> tuple[list[float], int]:
    """Scroll the list from top to bottom, ``rows_per_frame`` rows a frame; the time of each
    frame (ms) and the rows the list holds at the end (all of them, fetched as it scrolled)."""
    metrics = Metrics(px_per_mm=4.0, width_px=1366, height_px=768)
    page = CasesPage(metrics, cases, AGENT)
    page.resize(1366, 768)
    page.refresh()
    page.show()
    QApplication.processEvents()
    view = page.view
    bar = view.verticalScrollBar()
    per_item = view.verticalScrollMode() == QAbstractItemView.ScrollMode.ScrollPerItem
    step = rows_per_frame * (1 if per_item else max(1, view.sizeHintForRow(0)))
    frames: list[float] = []
    while True:
        start = time.perf_counter()
        bar.setValue(bar.value() + step)
        view.viewport().repaint()
        QApplication.processEvents()
        frames.append((time.perf_counter() - start) * 1000)
        if bar.value() >= bar.maximum() and not page.model.canFetchMore():
            break
        if len(frames) > 100_000:
            raise RuntimeError("the list never reached its end")
    if len(frames) < 120:  # an empty or short list: as many frames as two seconds of it
        for _ in range(120 - len(frames)):
            start = time.perf_counter()
            bar.setValue(bar.value() + step)
            view.viewport().repaint()
            QApplication.processEvents()
            frames.append((time.perf_counter() - start) * 1000)
    rows = page.model.rowCount()
    page.close()
    page.deleteLater()
    QApplication.processEvents()
    return frames, rows


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--rows-per-frame", type=int, default=3,
                        help="rows the list moves each 60 Hz frame (3: a quick swipe)")
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
        for name, cases in (("empty", empty), (f"{args.cases} cases", full)):
            frames, rows = time_scroll(cases, args.rows_per_frame)
            over = sum(1 for f in frames if f > FRAME_MS)
            print(f"case list scroll, {name:>12}: {len(frames)} frames through {rows} rows, "
                  f"{over} over {FRAME_MS:.1f} ms ({100 * over / len(frames):.1f} %), "
                  f"median {statistics.median(frames):5.2f} ms, p95 {p95(frames):5.2f} ms, "
                  f"max {max(frames):5.1f} ms")
    del app


if __name__ == "__main__":
    main()
