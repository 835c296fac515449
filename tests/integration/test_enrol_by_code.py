"""Enrolment by short code, end to end: a user issues a code on the board's Kioscos page,
the technician types the server's address and the code on the kiosk's first-run screen by
taps, and the kiosk is registered, syncs and shows on the page. A used or expired code, or a
server that does not answer, is refused in plain Spanish on the screen."""

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtWidgets import QApplication
from sqlmodel import select

from central.models import OrgNode
from central.services.enrolment import issue_code, resolve_module
from devtools.screenshots import settle
from kiosk import __version__
from kiosk.app import build_kiosk
from kiosk.clock import FixedClock
from kiosk.settings import load_settings
from kiosk.sync.credentials import load_credentials
from kiosk.sync.enrolment import EnrolmentError, enroll
from kiosk.ui.wording.enrolment import enrolment_problem
from tests.central.web.conftest import PASSWORD, csrf_from, login
from tests.kiosk.ui.conftest import Harness, ManualClock
from tests.kiosk.ui.layout_check import check_screen
from tests.support.central import running_central

CODE = re.compile(r'<p class="enrolment-code"><strong>([A-Z0-9]{4}-[A-Z0-9]{4})</strong>')


def board_code(web: httpx.Client, module_id: str) -> str:
    page = web.get("/kioscos")
    assert f'<option value="{module_id}">' in page.text
    answer = web.post("/kioscos/codigo", data={"csrf_token": csrf_from(page.text),
                                               "modulo": module_id})
    assert answer.status_code == 200, answer.text
    assert "No se volverá a mostrar" in answer.text
    found = CODE.search(answer.text)
    assert found is not None
    return found.group(1)


def retype(h: Harness, field: Any, text: str) -> None:
    h.click(field.editor)
    for _ in field.text():
        h.tap(h.window.keyboard.backspace_key)
    h.type_keys(text)
    assert field.text() == text


def test_a_board_code_enrols_the_kiosk_from_its_first_run_screen(qtbot, tmp_path: Path
                                                                 ) -> None:
    with running_central(f"sqlite:///{tmp_path / 'central.db'}", tmp_path / "central") as central:
        central.create_user("jefa_ags", role="ooad", scope_code="AGS")
        central.create_user("jefe_bc", role="ooad", scope_code="BC")
        with central.session() as s:
            module = s.exec(select(OrgNode).where(OrgNode.code == "ASIMS000039-M1")).one()
            module_id = str(module.id)
            expired = issue_code(s, resolve_module(s, "ASIMS000039"), hours=-1)[0]
            used = issue_code(s, resolve_module(s, "ASIMS000039"))[0]
        enroll(load_settings(tmp_path / "other"), central.base_url, used)
        with httpx.Client(base_url=central.base_url, timeout=30) as web:
            login(web, "jefe_bc", PASSWORD)  # another branch cannot issue for this module
            page = web.get("/kioscos").text
            assert module_id not in page
            assert web.post("/kioscos/codigo", data={"csrf_token": csrf_from(page),
                                                     "modulo": module_id}).status_code == 404
        web = httpx.Client(base_url=central.base_url, timeout=30)
        login(web, "jefa_ags", PASSWORD)
        code = board_code(web, module_id)

        kiosk = build_kiosk(load_settings(tmp_path / "kiosk"), clock=FixedClock(),
                            kiosk_mode=True, start_sync=True)
        qtbot.addWidget(kiosk.window)
        kiosk.window.resize(1280, 720)  # the smallest panel, with the keyboard up
        kiosk.window.show()
        qtbot.waitExposed(kiosk.window)
        assert kiosk.window.current == "enrol"
        # Shown again once the window is on screen, as in production (the store loads after
        # the first paint): the keyboard is sized for the shown window.
        kiosk.window.go("enrol", push=False)
        guard = ManualClock()
        kiosk.window.tap_guard.clock = guard
        h = Harness(kiosk=kiosk, qtbot=qtbot, clock=FixedClock(), key=None, guard_clock=guard)
        try:
            assert kiosk.sync_bridge is None
            page: Any = h.window.page("enrol")
            settle(QApplication.instance())
            assert h.window.keyboard.isVisible() and h.window.keyboard.layer == "url"
            assert check_screen(h.window, h.window.metrics) == []  # the layout check's rules
            assert page.server.text() == "https://"
            retype(h, page.server, central.base_url)
            for typed, problem in ((used, "token_used"), (expired, "token_expired"),
                                   ("ZZZZ-2345", "invalid_token")):
                retype(h, page.code, typed)
                h.tap(page.enrol_button)
                qtbot.waitUntil(lambda p=problem: page.message.text() == enrolment_problem(p),
                                timeout=15_000)
            assert "ya se usó" in enrolment_problem("token_used")
            assert "ya venció" in enrolment_problem("token_expired")
            retype(h, page.code, code.replace("-", ""))  # without the dash, as people may
            h.tap(page.enrol_button)
            qtbot.waitUntil(lambda: page.registered, timeout=15_000)
            assert "registrado" in page.message.text()
            assert page.enrol_button.text() == "Comenzar" and not page.code.isVisible()
            bridge = kiosk.sync_bridge
            assert bridge is not None
            h.tap(page.enrol_button)
            h.wait_page("attract")
            qtbot.waitUntil(lambda: bridge.status().last_success_at is not None,
                            timeout=30_000)
            creds = load_credentials(kiosk.settings.credentials_dir)  # type: ignore[union-attr]
            assert creds is not None
            fleet = web.get("/kioscos").text
            assert fleet.count("<tr data-kiosk=") == 2  # with the one that used the other code
            row = fleet[fleet.index(f'<tr data-kiosk="{creds.kiosk_id}"'):]
            row = row[:row.index("</tr>")]
            # Its version and its platform (this machine: Linux), from its report.
            assert (f'<td class="version">{__version__}<br><span class="sub">Linux</span>'
                    '</td>') in row
            assert "No reportado" not in row  # the start-up self-test was reported
        finally:
            kiosk.close()
            web.close()


def test_a_server_that_does_not_answer_is_worded(tmp_path: Path) -> None:
    with pytest.raises(EnrolmentError) as refused:
        enroll(load_settings(tmp_path / "kiosk"), "http://127.0.0.1:9", "ABCD-2345",
               connect_timeout=2, read_timeout=2)
    assert refused.value.code == "unreachable"
    assert enrolment_problem("unreachable").startswith("No se pudo contactar al servidor")
    with pytest.raises(EnrolmentError) as refused:
        enroll(load_settings(tmp_path / "kiosk"), "127.0.0.1", "ABCD-2345")
    assert enrolment_problem(refused.value.code).startswith("La dirección del servidor")
