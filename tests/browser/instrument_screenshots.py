"""Screenshots of ``/instrumentos`` (not a test; run by hand, or from board_screenshots):

    .venv/bin/python -m tests.browser.instrument_screenshots [docs/screenshots]

Writes ``board-demo-instrumentos.png`` (the list), ``-borrador.png`` (a draft with the
preview of each kiosk screen and the publish form) and ``-error.png`` (the editor refusing a
document, each error worded)."""

import copy
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from tests.support.browser import CHROMIUM_ARGS, sign_in
from tests.support.central import ROOT, running_central

PASSWORD = "demo-contraseña-1"  # noqa: S105 - throwaway demo user


def _documents() -> tuple[dict[str, Any], dict[str, Any]]:
    v1 = json.loads((ROOT / "assets" / "instruments" / "trato-general" / "v1.json")
                    .read_text(encoding="utf-8"))
    good = copy.deepcopy(v1)
    good["headline"]["text"] = "En general, ¿cómo lo trataron hoy en esta unidad?"
    good["services"] = ["consulta_externa", "urgencias", "farmacia", "laboratorio"]
    bad = copy.deepcopy(v1)
    del bad["reasons"]["bands"][1]["choices"][1]["label"]
    bad["headline"]["scale"][0]["face"] = "enojado"
    bad["translations"] = {"nah": {"headline": "¿Quenin mitzmotlaliliqueh?",
                                   "scale": {str(v): "…" for v in range(1, 6)}}}
    return good, bad


def instrument_shots(page: Any, base_url: str, out: Path) -> None:
    good, bad = _documents()
    page.goto(f"{base_url}/instrumentos/nuevo")
    page.fill("#documento", json.dumps(bad, ensure_ascii=False, indent=2))
    page.click("#instrument-form button[value=guardar]")
    page.wait_for_selector("#instrument-check")
    page.screenshot(path=str(out / "board-demo-instrumentos-error.png"))
    page.fill("#documento", json.dumps(good, ensure_ascii=False, indent=2))
    page.click("#instrument-form button[value=guardar]")
    page.wait_for_selector("#preview")
    page.screenshot(path=str(out / "board-demo-instrumentos-borrador.png"), full_page=True)
    page.goto(f"{base_url}/instrumentos")
    page.screenshot(path=str(out / "board-demo-instrumentos.png"), full_page=True)


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    tmp = Path(tempfile.mkdtemp(prefix="td-shots-"))
    from playwright.sync_api import sync_playwright
    from sqlmodel import Session

    from central.catalogue import publish_bundled_configuration

    try:
        with running_central(f"sqlite:///{tmp / 'central.db'}", tmp / "data") as central:
            with Session(central.engine) as session:
                publish_bundled_configuration(session)
            central.create_user("comite", role="nacional", password=PASSWORD,
                                display_name="Comité Nacional")
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1366, "height": 900})
                sign_in(page, central.base_url, "comite", PASSWORD)
                instrument_shots(page, central.base_url, out)
                browser.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
