"""Screenshot of the Kioscos page with signed updates under way (not a test; run by hand):

    .venv/bin/python -m tests.browser.update_screenshots [docs/screenshots]

A real server on a temporary SQLite file with the small test tree; two versions published in
its TUF repository (the newer for Linux and Windows), a rollout staged for one OOAD, and five
kiosks whose signed reports say where their update stands (descargando, lista para instalar,
instalada, revertida, rechazada por firma) and, for some, their platform. Writes
``board-kioscos-actualizaciones.png``.
"""

import json
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from central.updates.repository import Repository
from central.updates.rollout import stage
from tests.support.browser import CHROMIUM_ARGS, sign_in
from tests.support.central import running_central
from trato.protocol.wire import REPORT_PATH

PASSWORD = "contraseña-segura-1"  # noqa: S105 - throwaway user
STATES = [("downloading", "0.2.0", ""), ("ready", "0.2.0", ""), ("installed", "0.2.0", ""),
          ("rolled_back", "0.2.0", "self_test_failed"), ("refused", "0.2.0", "bad_hash")]


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    tmp = Path(tempfile.mkdtemp(prefix="td-update-shots-"))
    from playwright.sync_api import sync_playwright
    from sqlmodel import select

    from central.models import OrgNode

    try:
        with running_central(f"sqlite:///{tmp / 'central.db'}", tmp / "data") as central:
            repo = Repository(central.data_dir)
            repo.init(tmp / "offline")
            for version, program in (("0.1.1", "trato-kiosk"), ("0.2.0", "trato-kiosk"),
                                     ("0.2.0", "trato-kiosk.exe")):  # 0.2.0 for Windows too
                build = tmp / f"{version}-{program}"
                (build / "_internal").mkdir(parents=True)
                (build / program).write_text("#!/bin/sh\n")
                (build / "_internal" / "VERSION").write_text(version)
                repo.publish(build, version)
            with central.session() as session:
                ags = session.exec(select(OrgNode).where(OrgNode.code == "AGS")).one()
                stage(session, ags.id, "0.2.0", "admin")
                session.commit()
            now = datetime.now(UTC).isoformat()
            for state, version, detail in STATES:
                kiosk = central.enrol_kiosk("ASIMS000039")
                body = json.dumps({
                    "schema_version": 1, "kiosk_id": kiosk.kiosk_id,
                    "app_version": "0.2.0" if state == "installed" else "0.1.0",
                    "platform": "windows" if state in ("ready", "refused") else "linux",
                    "update": {"state": state, "version": version, "detail": detail,
                               "at": now}}).encode()
                headers = {"Content-Type": "application/json",
                           **kiosk.signed_headers("POST", REPORT_PATH, body)}
                answer = kiosk.client.post(REPORT_PATH, content=body, headers=headers)
                assert answer.status_code == 200, answer.text
            central.enrol_kiosk("BCIMS000039")  # no update under way
            central.create_user("admin", role="admin", password=PASSWORD,
                                display_name="Administración")
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1500, "height": 900})
                sign_in(page, central.base_url, "admin", PASSWORD)
                page.goto(f"{central.base_url}/kioscos?nodo={ags.id}")
                page.screenshot(path=str(out / "board-kioscos-actualizaciones.png"),
                                full_page=True)
                browser.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
