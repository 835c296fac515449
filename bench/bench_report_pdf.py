"""Quarterly report as HTML and as PDF (WeasyPrint, central/web/pdf.py) with the demo data,
for Nivel Central (every unit, the longest report) and for one OOAD.

    .venv/bin/python bench/bench_report_pdf.py [--scale 0.5] [--rounds 3]

Prints the median time of each page over real HTTP, the PDF's size and page count, and how
long one PDF keeps the others waiting (two asked at once: the server renders one at a time
per process). Never part of pytest.
"""

import argparse
import io
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import pypdf  # noqa: E402

from tests.central.web.conftest import login  # noqa: E402
from tests.support.central import running_central  # noqa: E402

PASSWORD = "bench-contraseña-1"  # noqa: S105 - throwaway demo users


def _timed(client: httpx.Client, path: str) -> tuple[float, bytes]:
    started = time.perf_counter()
    response = client.get(path)
    response.raise_for_status()
    return time.perf_counter() - started, response.content


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=0.5)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from central.demo import create_demo_data

    with tempfile.TemporaryDirectory() as tmp, running_central(
            f"sqlite:///{Path(tmp) / 'central.db'}", Path(tmp) / "data",
            load_catalogue=False) as central:
        create_demo_data(central.engine, users_password=PASSWORD, scale=args.scale)
        for username in ("nacional", "ooad.jal"):
            with httpx.Client(base_url=central.base_url, timeout=120) as c:
                assert login(c, username, PASSWORD).status_code == 303
                html = [_timed(c, "/reporte")[0] for _ in range(args.rounds)]
                pdf_runs = [_timed(c, "/reporte.pdf") for _ in range(args.rounds)]
                pages = len(pypdf.PdfReader(io.BytesIO(pdf_runs[-1][1])).pages)
                print(f"{username:10s} HTML {statistics.median(html) * 1000:7.0f} ms   "
                      f"PDF {statistics.median(t for t, _ in pdf_runs) * 1000:7.0f} ms   "
                      f"{len(pdf_runs[-1][1]) / 1024:6.1f} KiB, {pages} pages")
        with httpx.Client(base_url=central.base_url, timeout=120) as c:
            assert login(c, "nacional", PASSWORD).status_code == 303
            times: list[float] = []
            threads = [threading.Thread(target=lambda: times.append(_timed(c, "/reporte.pdf")[0]))
                       for _ in range(2)]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            print(f"two national PDFs at once: {min(times) * 1000:.0f} ms and "
                  f"{max(times) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
