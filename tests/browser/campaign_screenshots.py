"""Screenshots of the campaign pages with the demo data (not a test; run by hand):

    .venv/bin/python -m tests.browser.campaign_screenshots [docs/screenshots]

Also called by :mod:`tests.browser.board_screenshots`. Two campaigns of the perception
instrument over the demo OOAD with the most units (the earlier one closed), their answers
recorded through the web's staff entry (the ingest and its rollup), and a third one scheduled;
then ``/campanas``, the form answered with a window that ends before it starts, the results,
the entry form, the scheduled one's edit form, the open one's (its end only, answered with a
day before today), its withdrawal form, and its results once withdrawn:
``board-demo-campanas*.png``.
"""

import random
import shutil
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from tests.support.browser import CHROMIUM_ARGS, sign_in
from tests.support.central import running_central

PASSWORD = "demo-contraseña-1"  # noqa: S105 - throwaway demo users


def _seed(central: Any) -> tuple[str, str]:
    """The three campaigns and the answers; the current and the scheduled one's ids."""
    import sqlalchemy as sa
    from sqlmodel import Session

    from central.db import local_day, utcnow
    from central.models import OrgNode, User
    from central.services.campaign_entry import record_entry
    from central.services.campaigns import CampaignForm, create_campaign
    from central.web.scope import Scope
    from trato.domain.campaigns import DIMENSIONS, PERCEPTION_INSTRUMENT

    rng = random.Random(12)
    today = local_day(utcnow())
    with Session(central.engine, expire_on_commit=False) as s:
        ooad = s.execute(sa.select(OrgNode).join(OrgNode.__table__.alias("u"), sa.text(
            "u.ooad_id = org_node.id AND u.level = 'unit'")).where(OrgNode.level == "ooad")
            .group_by(OrgNode.id).order_by(sa.func.count().desc(), OrgNode.code).limit(1)
        ).scalar_one()  # ties broken by code: the same OOAD in every run
        user = s.execute(sa.select(User).where(User.username == "comite")).scalar_one()
        ids = []
        for name, starts, ends, lean in (
                ("Percepción hospitalaria, septiembre-octubre", today - timedelta(days=100),
                 today - timedelta(days=40), 0.9),
                ("Percepción hospitalaria, noviembre-diciembre", today - timedelta(days=20),
                 today + timedelta(days=40), 0.6),
                ("Percepción hospitalaria, marzo-abril", today + timedelta(days=90),
                 today + timedelta(days=150), None)):
            campaign = create_campaign(s, Scope(None, None), CampaignForm(
                name=name, instrument=f"{PERCEPTION_INSTRUMENT}@1",
                starts_on=starts.isoformat(), ends_on=ends.isoformat(), target="25",
                channels=["kiosk", "staff", "phone"], node=str(ooad.id)), created_by="comite")
            s.flush()
            units = s.execute(sa.select(OrgNode).where(OrgNode.level == "unit",
                                                       OrgNode.ooad_id == ooad.id)).scalars()
            # Answered inside its window (the ingest refuses answers outside it): a closed
            # campaign's on the day before its last.
            answered = utcnow() - timedelta(days=max(0, (today - ends).days + 1))
            for i, unit in enumerate(units if lean is not None else ()):
                for _ in range(3 if i == 1 else rng.randint(12, 34)):
                    answers: dict[str, int | str] = {
                        code: "na" if rng.random() < 0.07 else
                        min(5, 1 + int(5 * rng.random() ** lean)) for code in DIMENSIONS}
                    record_entry(s, campaign, unit, rng.choice(["staff", "phone"]), answers,
                                 user=user, now=answered, timezone="America/Mexico_City")
            ids.append(str(campaign.id))
        s.commit()
    return ids[1], ids[2]


def campaign_shots(page: Any, central: Any, out: Path) -> None:
    current, scheduled = _seed(central)
    base = central.base_url
    page.goto(f"{base}/campanas")
    page.screenshot(path=str(out / "board-demo-campanas.png"), full_page=True)
    page.fill("#f-nombre", "Percepción hospitalaria, enero-febrero")
    page.fill("#f-inicio", "2027-02-28")
    page.fill("#f-fin", "2027-01-31")
    page.fill("#f-meta", "0")
    page.click("#campaign-form button[type=submit]")
    page.wait_for_selector("#form-errors")
    page.locator("#campaign-form").screenshot(path=str(out / "board-demo-campanas-errores.png"))
    page.goto(f"{base}/campanas/{current}")
    page.screenshot(path=str(out / "board-demo-campanas-resultados.png"), full_page=True)
    page.goto(f"{base}/campanas/{current}/capturar")
    page.screenshot(path=str(out / "board-demo-campanas-captura.png"))
    page.goto(f"{base}/campanas/{scheduled}/capturar")  # not open yet: why, and no form
    page.screenshot(path=str(out / "board-demo-campanas-captura-programada.png"))
    page.goto(f"{base}/campanas/{scheduled}/modificar")
    page.screenshot(path=str(out / "board-demo-campanas-modificar.png"), full_page=True)
    page.goto(f"{base}/campanas/{current}/modificar")
    from central.db import local_day, utcnow

    page.fill("#f-fin", (local_day(utcnow()) - timedelta(days=1)).isoformat())
    page.click("#campaign-edit-form button[type=submit]")
    page.wait_for_selector("#form-errors")
    page.screenshot(path=str(out / "board-demo-campanas-modificar-abierta.png"),
                    full_page=True)
    page.goto(f"{base}/campanas/{current}/retirar")
    page.fill("#f-motivo", "Se sustituye por la encuesta estatal de diciembre, que pregunta "
                           "lo mismo.")
    page.screenshot(path=str(out / "board-demo-campanas-retirar.png"), full_page=True)
    page.click("#campaign-withdraw-form button[type=submit]")
    page.wait_for_selector("#campaign-withdrawn")
    page.screenshot(path=str(out / "board-demo-campanas-retirada.png"))


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    tmp = Path(tempfile.mkdtemp(prefix="td-campaign-shots-"))
    from playwright.sync_api import sync_playwright

    from central.demo import create_demo_data

    try:
        with running_central(f"sqlite:///{tmp / 'central.db'}", tmp / "data",
                             load_catalogue=False) as central:
            create_demo_data(central.engine, sealing_public_key=central.public_key(),
                             users_password=PASSWORD)
            central.create_user("comite", role="nacional", password=PASSWORD,
                                display_name="Comité Nacional")
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1366, "height": 900})
                sign_in(page, central.base_url, "comite", PASSWORD)
                campaign_shots(page, central, out)
                browser.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
