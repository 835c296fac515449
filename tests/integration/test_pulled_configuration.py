"""Pulled configuration takes effect (design principle 7): a new survey instrument written and
published to the kiosk's OOAD on the board's ``/instrumentos`` pages of a real central server
reaches an enrolled, running kiosk through its sync, appears at the next session without a
restart (never in the middle of one), and the responses carry the version that was on screen:
in the kiosk's record, in the wire JSON it sent, and in the server's stored record. A
malformed instrument received later does not break the kiosk: it shows the bundled one and
logs the fault without the document."""

import json
import logging
import re
from pathlib import Path
from typing import Any

import httpx
from PySide6.QtCore import Qt
from sqlmodel import select

from kiosk.app import build_kiosk
from kiosk.settings import load_settings
from kiosk.storage.models import Instrument, OutboxEntry, SurveyResponse
from tests.faults.sync_support import (
    central_python,
    central_sql,
    issue_token,
    load_small_catalogue,
    make_kiosk,
)
from tests.support.central import ROOT, running_central

V2_HEADLINE = "¿Cómo le trataron hoy en esta unidad?"

PUBLISH = """
import json
from sqlmodel import Session
from central.db import make_engine
from central.models import Instrument
from central.services.changes import publish_instrument
from central.settings import load_settings
definition = json.loads({definition!r})
engine = make_engine(load_settings().database_url)
with Session(engine) as s:
    publish_instrument(s, Instrument(instrument_id="trato-general", version={version},
                                     title="Percepción del trato", definition=definition))
    s.commit()
"""


def _publish(central: Any, version: int, definition: dict[str, Any]) -> None:
    central_python(central, PUBLISH.format(definition=json.dumps(definition), version=version))


def _publish_on_the_board(central: Any, definition: dict[str, Any]) -> int:
    """As an OOAD administrator would: save the JSON as a draft, publish it to the OOAD."""
    central.create_user("ooad_ags", role="ooad", scope_code="AGS")
    with httpx.Client(base_url=central.base_url, timeout=30) as web:
        page = web.get("/entrar")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        web.post("/entrar", data={"username": "ooad_ags", "password": "contraseña-segura-1",
                                  "csrf_token": token, "next": "/tablero"})
        editor = web.get("/instrumentos/nuevo")
        token = re.search(r'name="csrf_token" value="([^"]+)"', editor.text).group(1)
        saved = web.post("/instrumentos/nuevo", data={
            "csrf_token": token, "accion": "guardar", "documento": json.dumps(definition)})
        assert saved.status_code == 303, saved.text[-2000:]
        draft = web.get(saved.headers["location"])
        node = re.search(r'<option value="([^"]+)">OOAD Aguascalientes', draft.text).group(1)
        published = web.post(saved.headers["location"] + "/publicar",
                             data={"csrf_token": token, "nodo": node})
        assert published.status_code == 303
        assert 'data-status="published"' in web.get(published.headers["location"]).text
        return int(saved.headers["location"].rsplit("/", 1)[1])


def _received_version(kiosk: Any) -> int | None:
    with kiosk.database.read() as session:
        row = session.get(Instrument, "trato-general")
        return row.version if row is not None else None


def _sync(qtbot: Any, kiosk: Any, until: Any) -> None:
    bridge = kiosk.sync_bridge
    qtbot.waitUntil(lambda: not bridge.busy, timeout=30_000)
    bridge.sync_now()
    qtbot.waitUntil(lambda: not bridge.busy and until(), timeout=30_000)


def _tap(qtbot: Any, button: Any) -> None:
    # As a person would: once the screen takes taps again (kiosk.ui.tapguard).
    qtbot.waitUntil(button.window().tap_guard.is_open, timeout=3000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _start_survey(qtbot: Any, window: Any) -> Any:
    """From the attract screen to the rating page, by taps; the rating page."""
    _tap(qtbot, window.page("attract").button)
    for page_name, code in (("language", "es"), ("menu", "survey")):
        qtbot.waitUntil(lambda n=page_name: window.current == n, timeout=3000)
        _tap(qtbot, window.page(page_name).buttons[code])
    qtbot.waitUntil(lambda: window.current == "survey_rating", timeout=3000)
    return window.page("survey_rating")


def _finish_survey(qtbot: Any, window: Any) -> None:
    _tap(qtbot, window.page("survey_rating").decline)
    qtbot.waitUntil(lambda: window.current == "survey_service", timeout=3000)
    _tap(qtbot, window.page("survey_service").buttons["farmacia"])
    qtbot.waitUntil(lambda: window.current == "survey_comment", timeout=3000)
    _tap(qtbot, window.page("survey_comment").continue_button)
    qtbot.waitUntil(lambda: window.current == "survey_thanks", timeout=3000)
    _tap(qtbot, window.page("survey_thanks").finish_button)
    qtbot.waitUntil(lambda: window.current == "attract", timeout=3000)


def _kiosk_versions(kiosk: Any) -> list[int]:
    with kiosk.database.read() as session:
        rows = session.exec(select(SurveyResponse).order_by(SurveyResponse.created_at)).all()
        return [r.instrument_version for r in rows]


def _wire_versions(kiosk: Any) -> list[tuple[str, int]]:
    """The instrument of each survey response in the JSON the kiosk sends (its outbox)."""
    with kiosk.database.read() as session:
        entries = session.exec(select(OutboxEntry).order_by(OutboxEntry.seq)).all()
        bodies = [json.loads(e.payload)["body"] for e in entries]
    return [(b["instrument_id"], b["instrument_version"]) for b in bodies
            if b["kind"] == "survey_response"]


def test_a_published_instrument_reaches_the_next_session_and_its_responses(
        qtbot: Any, tmp_path: Path, caplog: Any) -> None:
    v1 = json.loads((ROOT / "assets" / "instruments" / "trato-general" / "v1.json")
                    .read_text(encoding="utf-8"))
    v2 = {**v1, "version": 2, "headline": {**v1["headline"], "text": V2_HEADLINE}}
    with running_central(f"sqlite:///{tmp_path / 'central.db'}", tmp_path / "central",
                         load_catalogue=False) as central:
        load_small_catalogue(central, tmp_path)  # also publishes the bundled v1
        kiosk_dir = tmp_path / "kiosk"
        make_kiosk(kiosk_dir, central.base_url, issue_token(central)).close()
        kiosk = build_kiosk(load_settings(kiosk_dir), kiosk_mode=True,
                            ui_overrides={"confirm_ms": 20})
        try:
            window = kiosk.window
            qtbot.addWidget(window)
            window.resize(1920, 1080)
            window.show()
            _sync(qtbot, kiosk, lambda: _received_version(kiosk) == 1)

            rating = _start_survey(qtbot, window)
            assert rating.question.text() == v1["headline"]["text"]
            # Published and received while a person is on the rating page: not switched.
            assert _publish_on_the_board(central, v2) == 2
            _sync(qtbot, kiosk, lambda: _received_version(kiosk) == 2)
            assert window.current == "survey_rating"
            assert window.page("survey_rating").question.text() == v1["headline"]["text"]
            _finish_survey(qtbot, window)

            # The next person, same running window: the new version.
            rating = _start_survey(qtbot, window)
            assert rating.question.text() == V2_HEADLINE
            _finish_survey(qtbot, window)
            assert _kiosk_versions(kiosk) == [1, 2]
            assert _wire_versions(kiosk) == [("trato-general", 1), ("trato-general", 2)]
            _sync(qtbot, kiosk, lambda: kiosk.sync_bridge.status().waiting == 0)
            synced = central_sql(central, "SELECT instrument_id, instrument_version "
                                          "FROM survey_response ORDER BY instrument_version")
            assert [tuple(row) for row in synced] == [("trato-general", 1), ("trato-general", 2)]

            # A malformed version: the kiosk keeps working on the bundled instrument.
            marker = "documento-que-no-debe-registrarse"
            broken = {**v2, "version": 3, "headline": {"text": marker, "scale": "oops"}}
            caplog.set_level(logging.WARNING, logger="kiosk.services.configuration")
            _publish(central, 3, broken)
            _sync(qtbot, kiosk, lambda: _received_version(kiosk) == 3)
            rating = _start_survey(qtbot, window)
            assert rating.question.text() == v1["headline"]["text"]
            _finish_survey(qtbot, window)
            assert _kiosk_versions(kiosk) == [1, 2, 1]
            assert "instrument trato-general v3 is malformed" in caplog.text
            assert marker not in caplog.text
        finally:
            kiosk.close()
