"""A perception campaign opened on a real central server reaches an enrolled kiosk through a
real sync, and the real kiosk window (offscreen) offers it on the survey's thank-you page only
inside its window on the kiosk's clock: "Sí, responder" asks its questions and the answers go
up through the outbox with the instrument and the campaign; declining is the usual
"Terminar"; the day before its first day and the day after its last, no offer."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from sqlmodel import select

from kiosk.app import build_kiosk
from kiosk.clock import FixedClock
from kiosk.settings import load_settings
from kiosk.storage.models import SurveyResponse
from tests.faults.sync_support import (
    central_python,
    central_sql,
    issue_token,
    load_small_catalogue,
    make_kiosk,
)
from tests.integration.test_pulled_configuration import _sync
from tests.support.central import running_central
from trato.domain.campaigns import CAMPAIGN_KEY, DIMENSIONS, PERCEPTION_INSTRUMENT

OPEN = """
import sys
from sqlmodel import Session
from central.db import make_engine
from central.models import OrgNode
from central.services.campaigns import CampaignForm, create_campaign
from central.settings import load_settings
from central.web.scope import Scope
from sqlalchemy import select
engine = make_engine(load_settings().database_url)
with Session(engine) as s:
    unit = s.execute(select(OrgNode).where(OrgNode.code == "ASIMS000039")).scalar_one()
    campaign = create_campaign(s, Scope(None, None), CampaignForm(
        name="Percepción hospitalaria", instrument="percepcion-hospitalaria@1",
        starts_on={starts!r}, ends_on={ends!r}, target="10", channels=["kiosk"],
        units=[str(unit.id)]), created_by="nacional")
    s.commit()
    print(campaign.id)
"""


def _tap(qtbot: Any, button: Any) -> None:
    qtbot.waitUntil(button.window().tap_guard.is_open, timeout=3000)
    qtbot.waitUntil(button.isVisible, timeout=3000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _to_thanks(qtbot: Any, window: Any) -> Any:
    """A whole survey by taps, to its thank-you page (the page)."""
    _tap(qtbot, window.page("attract").button)
    for page_name, code in (("language", "es"), ("menu", "survey")):
        qtbot.waitUntil(lambda n=page_name: window.current == n, timeout=3000)
        _tap(qtbot, window.page(page_name).buttons[code])
    qtbot.waitUntil(lambda: window.current == "survey_rating", timeout=3000)
    _tap(qtbot, window.page("survey_rating").faces[4])
    qtbot.waitUntil(lambda: window.current == "survey_reasons", timeout=3000)
    _tap(qtbot, window.page("survey_reasons").continue_button)
    qtbot.waitUntil(lambda: window.current == "survey_service", timeout=3000)
    _tap(qtbot, window.page("survey_service").buttons["farmacia"])
    qtbot.waitUntil(lambda: window.current == "survey_comment", timeout=3000)
    _tap(qtbot, window.page("survey_comment").continue_button)
    qtbot.waitUntil(lambda: window.current == "survey_thanks", timeout=3000)
    return window.page("survey_thanks")


def _finish(qtbot: Any, window: Any, page: Any) -> None:
    _tap(qtbot, page.finish_button)
    qtbot.waitUntil(lambda: window.current == "attract", timeout=3000)


def _campaign_rows(kiosk: Any) -> list[dict[str, Any]]:
    with kiosk.database.read() as session:
        rows = session.exec(select(SurveyResponse)).all()
        return [dict(r.answers) | {"_instrument": r.instrument_id} for r in rows
                if CAMPAIGN_KEY in r.answers]


def test_campaign_offered_inside_its_window_only(qtbot: Any, tmp_path: Path) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    today = now.astimezone(ZoneInfo("America/Mexico_City")).date()
    clock = FixedClock(now)
    with running_central(f"sqlite:///{tmp_path / 'central.db'}", tmp_path / "central",
                         load_catalogue=False) as central:
        load_small_catalogue(central, tmp_path)  # publishes the bundled instruments
        campaign_id = central_python(central, OPEN.format(
            starts=(today - timedelta(days=1)).isoformat(),
            ends=(today + timedelta(days=1)).isoformat())).splitlines()[-1]
        kiosk_dir = tmp_path / "kiosk"
        make_kiosk(kiosk_dir, central.base_url, issue_token(central)).close()
        kiosk = build_kiosk(load_settings(kiosk_dir), clock=clock, kiosk_mode=True,
                            ui_overrides={"confirm_ms": 20})
        try:
            window = kiosk.window
            qtbot.addWidget(window)
            window.resize(1920, 1080)
            window.show()
            _sync(qtbot, kiosk, lambda: window.campaigns is not None
                  and window.campaigns.current() is not None)

            # Inside the window: offered, and answered.
            thanks = _to_thanks(qtbot, window)
            assert thanks.campaign_button.isVisible()
            assert "6 preguntas más" in thanks.campaign_text.text()
            _tap(qtbot, thanks.campaign_button)
            page = window.page("campaign_question")
            for i, code in enumerate(DIMENSIONS):
                qtbot.waitUntil(lambda i=i: page.hint.text() == f"Pregunta {i + 1} de 6",
                                timeout=3000)
                assert window.current == "campaign_question"
                _tap(qtbot, page.buttons["na" if code == "medicamentos" else "4"])
            qtbot.waitUntil(lambda: window.current == "campaign_thanks", timeout=3000)
            _finish(qtbot, window, window.page("campaign_thanks"))
            rows = _campaign_rows(kiosk)
            assert len(rows) == 1 and rows[0][CAMPAIGN_KEY] == campaign_id
            assert rows[0]["_instrument"] == PERCEPTION_INSTRUMENT
            assert rows[0]["medicamentos"] == "na" and rows[0]["limpieza"] == 4

            # Declining is the usual end: one tap, nothing more stored.
            _finish(qtbot, window, _to_thanks(qtbot, window))
            assert len(_campaign_rows(kiosk)) == 1

            _sync(qtbot, kiosk, lambda: kiosk.sync_bridge.status().waiting == 0)
            stored = central_sql(central, "SELECT question, answers, rating_4, not_applicable "
                                          "FROM rollup_campaign_unit ORDER BY question")
            by_question = {q: (a, r4, na) for q, a, r4, na in stored}
            assert by_question[""] == (1, 0, 0)
            assert by_question["limpieza"] == (1, 1, 0)
            assert by_question["medicamentos"] == (1, 0, 1)
            assert central_sql(central, "SELECT count(*) FROM survey_response")[0][0] == 3

            # The kiosk's clock outside the window, both ways: no offer.
            for days in (2, -2):
                clock.set(now + timedelta(days=days))
                thanks = _to_thanks(qtbot, window)
                assert not thanks.campaign_button.isVisible()
                assert not thanks.campaign_offer.isVisible()
                _finish(qtbot, window, thanks)
        finally:
            kiosk.close()
