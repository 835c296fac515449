"""The newcomer's demo (``./dev run``): the embedded central server on SQLite with demo data,
a kiosk enrolled to it, and a record made on that kiosk arriving on the board.

The demo runs as people run it (``python -m kiosk.demo``), without the window and the browser;
the record is made through the kiosk's own services and sent with ``trato-kiosk sync``."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from kiosk.clock import SystemClock
from kiosk.demo import open_board
from kiosk.services.drafts import SurveyDraft
from kiosk.services.staff import StaffAccounts
from kiosk.services.surveys import SurveyService
from kiosk.settings import load_settings
from kiosk.storage.db import open_database
from trato.domain.enums import Channel

pytestmark = pytest.mark.slow

FIGURE = re.compile(r'data-figure="responses_total">([\d,]+)<')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_demo(folder: Path, port: int) -> tuple[subprocess.Popen[str], str, list[str]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk.demo", "--dir", str(folder), "--port", str(port),
         "--no-browser", "--no-kiosk"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    said: list[str] = []
    base_url = ""
    deadline = time.monotonic() + 600
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            pytest.fail(f"the demo stopped: {''.join(said)}")
        said.append(line)
        match = re.search(r"Tablero: (http://\S+)/tablero", line)
        if match:
            base_url = match.group(1)
        if base_url and line.startswith("Usuario del tablero"):
            return proc, base_url, said
    proc.kill()
    pytest.fail("the demo did not start in 10 minutes")


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGINT)  # Ctrl+C, as a person stops it
    try:
        assert proc.wait(timeout=90) == 0  # a loaded machine: the server drains first
    finally:
        if proc.poll() is None:
            proc.kill()


def _board_responses(base_url: str, password: str) -> int:
    with httpx.Client(base_url=base_url, timeout=30) as client:
        page = client.get("/entrar").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert token
        signed_in = client.post("/entrar", data={"username": "demo", "password": password,
                                                 "csrf_token": token.group(1),
                                                 "next": "/tablero"})
        assert signed_in.status_code == 303
        board = client.get("/tablero")
        assert board.status_code == 200
        figure = FIGURE.search(board.text)
        assert figure, "no responses figure on the board"
        return int(figure.group(1).replace(",", ""))


def test_demo_serves_the_board_and_a_kiosk_record_arrives(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    proc, base_url, said = _start_demo(folder, _free_port())
    try:
        password_line = next(line for line in said if "contraseña:" in line)
        password = (folder / "board-password.txt").read_text(encoding="utf-8").split()[1]
        assert password in password_line  # shown once to the person who started it
        before = _board_responses(base_url, password)
        assert before > 100  # months of demo data

        # A beneficiary answers the survey on the enrolled kiosk; one sync round sends it.
        kiosk_dir = folder / "kiosk"
        database = open_database(load_settings(kiosk_dir).db_path).database
        SurveyService(database, SystemClock()).submit(SurveyDraft(
            instrument_id="trato-general", instrument_version=1, language="es",
            channel=Channel.KIOSK, service_code="urgencias", rating=5, reasons=(),
            comment="", duration_ms=9000))
        database.engine.dispose()
        sync = subprocess.run([sys.executable, "-m", "kiosk.cli", "sync", "--data-dir",
                               str(kiosk_dir)], capture_output=True, text=True, timeout=120)
        assert sync.returncode == 0, sync.stderr
        assert _board_responses(base_url, password) == before + 1

        # The staff sign-in the demo prints works once the roster came down with that sync.
        staff_line = next(line for line in said if line.startswith("Personal del módulo"))
        number, pin = re.search(r"número (\d+) .*?PIN (\d+);", staff_line).groups()  # type: ignore[union-attr]
        database = open_database(load_settings(kiosk_dir).db_path).database
        try:
            accounts = StaffAccounts(database, SystemClock())
            assert accounts.verify(number, pin) is not None
            assert accounts.verify(number, "000000") is None
        finally:
            database.engine.dispose()
    finally:
        _stop(proc)

    # A second start reuses everything: no new password, the same kiosk, the same data.
    proc, base_url, said = _start_demo(folder, _free_port())
    try:
        assert not any("contraseña:" in line for line in said)
        assert _board_responses(base_url, password) == before + 1
    finally:
        _stop(proc)

    # A start that fails where Qt aborts the process (a display it cannot open: no
    # ``finally`` runs) still stops the central server it started.
    port = _free_port()
    failed = subprocess.run(
        [sys.executable, "-m", "kiosk.demo", "--dir", str(folder), "--port", str(port),
         "--no-browser"],
        env={**os.environ, "QT_QPA_PLATFORM": "xcb", "DISPLAY": ":999"},
        capture_output=True, text=True, timeout=120)  # an orphaned server holds the pipe
    assert failed.returncode != 0, failed.stdout
    assert f"127.0.0.1:{port}/tablero" in failed.stdout  # the server had come up
    deadline = time.monotonic() + 10
    while _answers(port) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _answers(port), "the demo's central server outlived the failed start"


def _answers(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_board_not_opened_says_why_and_where(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert "pantalla" in (open_board("http://127.0.0.1:1/tablero") or "")
    if os.geteuid() == 0:  # CI and this machine run as root, where browsers refuse to start
        monkeypatch.setenv("DISPLAY", ":0")
        assert "root" in (open_board("http://127.0.0.1:1/tablero") or "")
