"""The staff screen against a real central server: what the kiosk sent, what waits, what the
server set aside and why, "Reintentar apartados", and the same facts from
``trato-kiosk status`` for IT. Nothing personal is shown or printed."""

import json
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt

from kiosk.app import build_kiosk
from kiosk.clock import SystemClock
from kiosk.services.drafts import SurveyDraft
from kiosk.services.surveys import SurveyService
from kiosk.settings import load_settings
from kiosk.storage import outbox
from kiosk.storage.models import OutboxEntry
from kiosk.ui.staff import StaffPage
from tests.faults.sync_support import issue_token, load_small_catalogue, make_kiosk
from tests.support.central import running_central
from trato.domain.enums import Channel, RecordKind
from trato.protocol.wire import CaseEventBody

NOTE = "Nota del agente con el teléfono 4491234567"


def _attempts(database, record_id: uuid.UUID) -> tuple[int, str]:
    with database.read() as session:
        entry = session.get(OutboxEntry, record_id)
        assert entry is not None
        return entry.attempts, str(entry.state)


def test_staff_screen_lists_set_aside_records_and_retries_them(qtbot, tmp_path: Path) -> None:
    with running_central(f"sqlite:///{tmp_path / 'central.db'}", tmp_path / "central",
                         load_catalogue=False) as central:
        load_small_catalogue(central, tmp_path)
        kiosk_dir = tmp_path / "kiosk"
        enrolled = make_kiosk(kiosk_dir, central.base_url, issue_token(central))
        SurveyService(enrolled.database, SystemClock()).submit(SurveyDraft(
            instrument_id="trato-general", instrument_version=1, language="es",
            channel=Channel.KIOSK, service_code="farmacia", rating=4, duration_ms=4000))
        # A follow-up note about a case the server does not know: it will be refused.
        stray = uuid.uuid4()
        with enrolled.database.write() as session:
            outbox.enqueue(session, record_id=stray, kind=RecordKind.CASE_EVENT,
                           created_at=datetime.now(UTC),
                           body=CaseEventBody(case_id=uuid.uuid4(), event_type="note",
                                              note=NOTE))
        enrolled.close()

        app = build_kiosk(load_settings(kiosk_dir), kiosk_mode=True)
        try:
            window = app.window
            qtbot.addWidget(window)
            window.resize(1920, 1080)
            window.show()
            bridge = app.sync_bridge
            assert bridge is not None
            qtbot.waitUntil(lambda: not bridge.busy
                            and bridge.status().last_success_at is not None, timeout=30_000)
            window.go("staff", push=False)
            page = window.page("staff")
            assert isinstance(page, StaffPage)
            rows = dict(page.shown_rows())
            assert "ASIMS000039" in rows["Kiosco"] and "kiosco 1" in rows["Kiosco"]
            assert rows["Registros por enviar"] == "0"
            assert rows["Registros apartados por el servidor"] == "1"
            assert rows["Último problema"] == "Ninguno"
            assert "hace un momento" in rows["Último envío correcto"]
            assert "1 registro apartado por el servidor" in page.status.text()
            (line,) = page.shown_set_aside()
            assert line.startswith("Seguimiento de caso · ")
            assert "el servidor lo rechazó" in line
            assert "Detalle para soporte: body.case_id: no such case" in line
            assert "4491234567" not in line and NOTE not in line
            assert page.retry_button.isVisible() and page.sync_button.isVisible()
            assert not page.progress.isVisible()

            # "Sincronizar ahora": a busy bar while the round runs, the button waits for it.
            qtbot.waitUntil(window.tap_guard.is_open, timeout=3000)  # the screen takes taps
            qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
            assert page.progress.isVisible() and not page.sync_button.isEnabled()
            assert page.status.text().startswith("Enviando registros…")
            qtbot.waitUntil(lambda: not bridge.busy and not page.progress.isVisible(),
                            timeout=30_000)
            assert page.sync_button.isEnabled()
            before, state = _attempts(app.database, stray)
            assert state == "set_aside"

            # "Reintentar apartados": back in the queue, sent again, refused again, kept.
            qtbot.mouseClick(page.retry_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: _attempts(app.database, stray)[0] > before
                            and not bridge.busy, timeout=30_000)
            assert _attempts(app.database, stray)[1] == "set_aside"
            qtbot.waitUntil(lambda: len(page.shown_set_aside()) == 1, timeout=5_000)
            assert dict(page.shown_rows())["Registros apartados por el servidor"] == "1"
        finally:
            app.close()

        # The same facts for IT, as JSON, with nothing personal in it.
        done = subprocess.run([sys.executable, "-m", "kiosk.cli", "status", "--data-dir",
                               str(kiosk_dir)], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        status = json.loads(done.stdout)
        assert status["set_aside"] == 1 and status["waiting"] == 0
        (item,) = status["set_aside_items"]
        assert item["kind"] == "case_event" and item["status"] == "rejected"
        assert item["detail"].startswith("body.case_id")
        assert status["clues"] == "ASIMS000039"
        assert "4491234567" not in done.stdout
