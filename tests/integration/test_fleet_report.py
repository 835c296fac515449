"""Each kiosk's version and last self-test on the board's kiosk page, end to end: the real
``trato-kiosk self-test`` stores its summary, a real sync round sends it to a real central
server, and the page a signed-in user reads over HTTP shows it within the user's branch."""

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx

from kiosk import __version__
from kiosk.selftest import EXIT_FAILED
from kiosk.sync.report import load_self_test, save_self_test, self_test_path, summarise
from tests.central.web.conftest import PASSWORD, login
from tests.faults.sync_support import make_kiosk
from tests.support.central import running_central

TRATO_KIOSK = Path(sys.executable).parent / "trato-kiosk"


def kiosk_rows(html: str) -> int:
    return html.count("<tr data-kiosk=")


def test_a_kiosk_self_test_reaches_the_kiosk_page(tmp_path: Path) -> None:
    with running_central(f"sqlite:///{tmp_path / 'central.db'}", tmp_path / "central") as central:
        kiosk = make_kiosk(tmp_path / "kiosk", central.base_url,
                           central.issue_token("ASIMS000039"))
        older = central.enrol_kiosk("BCIMS000039")  # a kiosk that never sends a report
        # The graphics platform cannot load (as when the xcb libraries are missing).
        env = dict(os.environ, QT_QPA_PLATFORM="no-such-platform")
        env.pop("TD_KIOSK_DATA_DIR", None)
        done = subprocess.run([str(TRATO_KIOSK), "self-test", "--data-dir",
                               str(kiosk.settings.data_dir)],
                              capture_output=True, text=True, timeout=120, check=False, env=env)
        assert done.returncode == EXIT_FAILED, done.stdout + done.stderr
        stored = json.loads(self_test_path(kiosk.settings.data_dir).read_text("utf-8"))
        assert stored["result"] == "failures"
        assert {"name": "qt", "status": "falla"} in stored["checks"]
        assert str(kiosk.settings.data_dir) not in json.dumps(stored)  # names and outcomes only

        engine = kiosk.engine()
        assert engine.run_round().ok
        assert not engine.send_report()  # nothing changed since: not sent again

        central.create_user("jefa_ags", role="ooad", scope_code="AGS")
        central.create_user("jefe_bc", role="ooad", scope_code="BC")
        with httpx.Client(base_url=central.base_url, timeout=30) as web:
            assert login(web, "jefa_ags", PASSWORD).status_code in (302, 303)
            page = web.get("/kioscos").text
            assert kiosk_rows(page) == 1
            # This machine's kiosk takes Linux builds; it says so (signed updates).
            assert (f'<td class="version">{__version__}<br><span class="sub">Linux</span>'
                    '</td>') in page
            assert "Con fallas" in page
            assert "<strong>Pantalla y gráficos</strong>: el programa no pudo abrir la " \
                   "pantalla" in page
            assert kiosk_rows(web.get("/kioscos", params={"problemas": "1"}).text) == 1
        with httpx.Client(base_url=central.base_url, timeout=30) as web:
            assert login(web, "jefe_bc", PASSWORD).status_code in (302, 303)
            page = web.get("/kioscos").text
            assert kiosk_rows(page) == 1 and f'data-kiosk="{older.kiosk_id}"' in page
            assert "No reportado" in page and "Pantalla y gráficos" not in page
            assert '<td class="version">0.1.0</td>' in page  # no platform reported

        # Mended: the next self-test passes, the next round reports it, the filter drops it.
        summary = load_self_test(kiosk.settings.data_dir)
        assert summary is not None

        save_self_test(kiosk.settings.data_dir, summarise(
            [(c.name, "ok") for c in summary.checks], summary.ran_at))
        assert engine.run_round().ok
        with httpx.Client(base_url=central.base_url, timeout=30) as web:
            login(web, "jefa_ags", PASSWORD)
            assert "Todo en orden" in web.get("/kioscos").text
            assert kiosk_rows(web.get("/kioscos", params={"problemas": "1"}).text) == 0
        kiosk.close()
