"""Board update latency: batch accepted → figure changed in an open browser. Target p95 < 2 s.

A real ``trato-central serve`` with two worker processes on a throwaway PostgreSQL cluster
(LISTEN/NOTIFY fans each batch out to every process), headless Chromium (Debian's chromium via
Playwright) with the board open and signed in, and a signed test kiosk pushing N batches one
after another. In the page a MutationObserver stamps ``Date.now()`` when the "Respuestas" figure
changes; the latency is that stamp minus the moment the push response arrived (same machine,
same clock). The latency from the push request start is printed too.

    .venv/bin/python bench/bench_board_latency.py [--n 40] [--workers 2] [--demo]
"""

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.browser import CHROMIUM_ARGS, sign_in
from tests.support.central import running_central, survey_record
from tests.support.postgres import postgres_cluster

PASSWORD = "contraseña-segura-1"  # noqa: S105 - test user

OBSERVER = """
() => {
  window.__changes = [];
  const read = () => {
    const el = document.querySelector('[data-figure="responses_total"]');
    return el ? el.textContent.trim().replace(/,/g, '') : null;  // 27,979 -> 27979
  };
  let last = read();
  new MutationObserver(() => {
    const now = Date.now();
    const value = read();
    if (value !== last) { last = value; window.__changes.push({value: value, t: now}); }
  }).observe(document.getElementById('board-live'),
             {subtree: true, childList: true, characterData: true});
  return last;
}
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40, help="batches to push (>= 30)")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--records", type=int, default=5, help="survey responses per batch")
    parser.add_argument("--gap", type=float, default=0.0,
                        help="seconds to wait between batches (the board refreshes at most "
                             "twice a second, so back-to-back batches include that wait)")
    parser.add_argument("--demo", action="store_true",
                        help="load central.demo data first (120 days, national scale)")
    args = parser.parse_args()
    chromium = os.environ.get("TD_CHROMIUM") or shutil.which("chromium")
    if not chromium:
        sys.exit("Debian's chromium is needed")
    from playwright.sync_api import expect, sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="td-bench-board-"))
    try:
        with postgres_cluster() as cluster:
            url = cluster.create_database(prefix="bench")
            with running_central(url, tmp / "data", workers=args.workers,
                                 load_catalogue=not args.demo) as central:
                if args.demo:
                    from central.demo import create_demo_data

                    create_demo_data(central.engine, sealing_public_key=central.public_key())
                central.create_user("comite", role="nacional", display_name="Comité")
                kiosk = central.enrol_kiosk("ASIMS000039")
                with sync_playwright() as p:
                    browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                    page = browser.new_page(viewport={"width": 1366, "height": 900})
                    sign_in(page, central.base_url, "comite", PASSWORD)
                    expect(page.locator("#live-status")).to_have_class(re.compile(r"\bon\b"))
                    current = int(page.evaluate(OBSERVER))
                    figure = page.locator('[data-figure="responses_total"]')
                    after_response: list[float] = []
                    after_start: list[float] = []
                    for i in range(args.n):
                        if args.gap:
                            time.sleep(args.gap)
                        records = [survey_record(kiosk.next_seq(), rating=4 + (i % 2))
                                   for _ in range(args.records)]
                        started = time.time() * 1000
                        response = kiosk.push(records)
                        answered = time.time() * 1000
                        if response.status_code != 200:
                            sys.exit(f"push failed: {response.status_code} {response.text}")
                        current += args.records
                        expect(figure).to_have_text(f"{current:,}", timeout=30000)
                        changed = page.evaluate(
                            f"window.__changes.find(c => c.value === '{current}').t")
                        after_response.append(changed - answered)
                        after_start.append(changed - started)
                    browser.close()
            cluster.drop_database(url)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"board latency on PostgreSQL (LISTEN/NOTIFY, {args.workers} server processes), "
          f"{args.n} batches of {args.records} responses"
          f"{', national board over demo data' if args.demo else ''}"
          f"{f', {args.gap:g} s apart' if args.gap else ', back to back'}")
    for name, values in (("push response -> figure changed", after_response),
                         ("push request  -> figure changed", after_start)):
        print(f"  {name}: median {statistics.median(values):7.1f} ms   "
              f"p95 {percentile(values, 95):7.1f} ms   max {max(values):7.1f} ms")
    p95 = percentile(after_response, 95)
    print(f"  target p95 < 2000 ms: {'met' if p95 < 2000 else 'NOT met'}")


if __name__ == "__main__":
    main()
