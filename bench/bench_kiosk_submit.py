"""Tap on "Enviar" to the confirmation painted: median and p95 over 200 submissions.

Runs the real kiosk (composition root, enrolled SQLite store in a temporary folder, WAL with
synchronous=FULL) on the offscreen platform. Each round prepares a complaint with personal
data on the review screen (not timed), then times from the mouse click on "Enviar" until the
confirmation page has painted. Target: p95 under 50 ms. Figures are printed, never asserted.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_kiosk_submit.py [--n 200]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from devtools.screenshots import enrol_demo_identity
from kiosk.app import build_kiosk
from kiosk.flow.session import CaseState, SurveyState
from kiosk.settings import load_settings
from kiosk.ui.window import KioskWindow
from trato.domain.enums import CaseType


class PaintProbe(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.painted = False

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _wait_painted(app: QApplication, probe: PaintProbe, timeout_s: float = 5.0) -> None:
    end = time.perf_counter() + timeout_s
    while not probe.painted and time.perf_counter() < end:
        app.processEvents()


def _prepare_case(w: KioskWindow, i: int) -> None:
    w.end_session()
    w.session.flow = "case"
    w.session.case = CaseState(
        case_type=CaseType.QUEJA,
        service_code="urgencias",
        categories=("tiempo_espera",),
        narrative=f"Esperé tres horas en urgencias (ronda {i}).",
        request="Una explicación",
        wants_contact=True,
        consent=True,
        personal={"filer_name": "Ana Pérez", "nss": "12345678903", "phone": "5512345678"},
    )
    w.go("case_review")


def _prepare_survey(w: KioskWindow, _i: int) -> None:
    w.end_session()
    w.session.flow = "survey"
    w.session.survey = SurveyState(
        started_at=w.clock.monotonic(),
        rating=4,
        answered=True,
        reasons=("espera",),
        service_code="farmacia",
    )
    w.go("survey_comment")


def run(n: int) -> dict[str, list[float]]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    results: dict[str, list[float]] = {"case": [], "survey": []}
    with tempfile.TemporaryDirectory(prefix="trato-bench-") as tmp:
        settings = load_settings(tmp)
        enrol_demo_identity(settings)
        # No quiet period after a change of screen: the figure is the save and the paint.
        kiosk = build_kiosk(settings, kiosk_mode=False, start_sync=False,
                            ui_overrides={"tap_guard_ms": 0})
        w = kiosk.window
        w.resize(1920, 1080)
        w.show()
        app.processEvents()
        plans = (
            ("case", _prepare_case, "case_review", "submit_button", "case_done"),
            ("survey", _prepare_survey, "survey_comment", "continue_button", "survey_thanks"),
        )
        try:
            for kind, prepare, page_name, button_name, done_name in plans:
                done_page = w.page(done_name)
                for i in range(n + 5):  # 5 warm-up rounds
                    prepare(w, i)
                    app.processEvents()
                    button = getattr(w.page(page_name), button_name)
                    probe = PaintProbe()
                    done_page.installEventFilter(probe)
                    start = time.perf_counter()
                    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
                    _wait_painted(app, probe)
                    elapsed = (time.perf_counter() - start) * 1000
                    done_page.removeEventFilter(probe)
                    if w.current != done_name:
                        raise RuntimeError(f"{kind} submission did not reach {done_name}")
                    if i >= 5:
                        results[kind].append(elapsed)
        finally:
            kiosk.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    results = run(args.n)
    for kind, values in results.items():
        print(
            f"{kind:6s} Enviar -> confirmation painted, n={len(values)}: "
            f"median {statistics.median(values):6.1f} ms, p95 {_percentile(values, 0.95):6.1f} ms, "
            f"max {max(values):6.1f} ms  (target p95 < 50 ms)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
