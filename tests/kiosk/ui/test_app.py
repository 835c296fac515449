"""The composition root: the attract screen before the store, the store after the first paint,
and a damaged database reported to the staff instead of a crash."""

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.app import (
    Kiosk,
    StoreLoader,
    build_kiosk,
    cover_screen,
    create_window,
    keep_on_top,
    load_after_first_paint,
)
from kiosk.clock import FixedClock
from kiosk.flow.session import SurveyState
from kiosk.services.surveys import SurveyService
from kiosk.settings import KioskSettings
from tests.kiosk.ui.conftest import make_settings


def _two_step(qtbot: QtBot, settings: KioskSettings, clock: FixedClock) -> Kiosk:
    kiosk = create_window(clock=clock, kiosk_mode=False)
    qtbot.addWidget(kiosk.window)
    loader = StoreLoader(kiosk, lambda: settings, clock, False, start_sync=False)
    kiosk.loader = loader
    loader.defer()
    return kiosk


def test_store_loads_after_the_attract_screen_painted(
    qtbot: QtBot, settings: KioskSettings, clock: FixedClock
) -> None:
    kiosk = _two_step(qtbot, settings, clock)
    try:
        assert kiosk.database is None and kiosk.window.current == "attract"
        load_after_first_paint(kiosk.loader)  # type: ignore[arg-type]
        kiosk.window.show()
        qtbot.waitUntil(lambda: kiosk.database is not None, timeout=5000)
        assert isinstance(kiosk.window.survey_service, SurveyService)
        assert kiosk.window.config.idle_seconds == settings.idle_seconds
        assert settings.db_path.is_file()
    finally:
        kiosk.close()


def test_kiosk_mode_keeps_the_shown_window_on_top_in_place(
    qtbot: QtBot, settings: KioskSettings, clock: FixedClock
) -> None:
    """keep_on_top runs after the first paint: the same native window, still covering the
    screen, now above other windows for the window system and in the widget's own record."""
    kiosk = _two_step(qtbot, settings, clock)
    try:
        window = kiosk.window
        cover_screen(window)
        qtbot.waitExposed(window)
        native = window.winId()
        keep_on_top(window)
        qtbot.wait(50)
        on_top = Qt.WindowType.WindowStaysOnTopHint
        assert window.windowFlags() & on_top and window.windowHandle().flags() & on_top
        assert window.winId() == native and window.isVisible() and window.isFullScreen()
        assert window.geometry() == window.screen().geometry()
    finally:
        kiosk.close()


def test_a_submission_before_the_store_loaded_loads_it_first(
    qtbot: QtBot, settings: KioskSettings, clock: FixedClock
) -> None:
    kiosk = _two_step(qtbot, settings, clock)
    try:
        w = kiosk.window
        w.session.flow = "survey"
        w.session.survey = SurveyState(rating=3, answered=True, service_code="farmacia")
        w.go("survey_comment")
        w.survey_flow.submit("")
        assert w.current == "survey_thanks"
        assert kiosk.database is not None
    finally:
        kiosk.close()


def test_damaged_database_is_set_aside_and_staff_told(
    qtbot: QtBot, tmp_path: Path, clock: FixedClock
) -> None:
    settings = make_settings(tmp_path / "data")
    settings.db_path.parent.mkdir(parents=True)
    settings.db_path.write_bytes(b"this is not a SQLite database" * 200)
    kiosk = build_kiosk(settings, clock=clock, kiosk_mode=False, start_sync=False)
    qtbot.addWidget(kiosk.window)
    try:
        assert kiosk.database is not None
        assert kiosk.window.banner.isVisibleTo(kiosk.window)
        assert "dañada" in kiosk.window.banner_label.text()
        assert list(settings.db_path.parent.glob("kiosk.db.damaged-*"))
    finally:
        kiosk.close()


def test_read_only_data_folder_is_reported_not_fatal(
    qtbot: QtBot, tmp_path: Path, clock: FixedClock, monkeypatch: Any
) -> None:
    from kiosk.services.errors import StorageReadOnly

    def read_only(*_a: object, **_k: object) -> object:
        raise StorageReadOnly("attempt to write a readonly database")

    monkeypatch.setattr("kiosk.storage.db.open_database", read_only)
    settings = make_settings(tmp_path / "data")
    kiosk = build_kiosk(settings, clock=clock, kiosk_mode=False, start_sync=False)
    qtbot.addWidget(kiosk.window)
    try:
        w = kiosk.window
        assert "solo lectura" in w.banner_label.text()
        w.session.flow = "survey"
        w.session.survey = SurveyState(rating=5, answered=True)
        w.go("survey_comment")
        w.survey_flow.submit("")
        assert w.current == "survey_comment"
        assert "No pudimos guardar" in w.page("survey_comment").error.text()  # type: ignore[attr-defined]
    finally:
        kiosk.close()


@pytest.mark.parametrize("with_data_dir", [True, False], ids=["argparse", "plain-run"])
def test_trato_kiosk_run_starts_loads_and_stops_on_sigterm(qtbot: QtBot, tmp_path: Path,
                                                          with_data_dir: bool) -> None:
    """The real entry point in its own process: attract screen, store loaded after the first
    paint, and a clean stop (store closed, log written) on SIGTERM. ``run --windowed`` alone
    is read without argparse (kiosk.cli._PLAIN_RUNS); with ``--data-dir``, by argparse."""
    import os
    import signal
    import subprocess
    import sys

    data_dir = tmp_path / "data"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TD_KIOSK_DATA_DIR=str(data_dir))
    if with_data_dir:  # another folder in the environment: only the argument can lead here
        env["TD_KIOSK_DATA_DIR"] = str(tmp_path / "elsewhere")
    extra = ["--data-dir", str(data_dir)] if with_data_dir else []
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk.cli", "run", "--windowed", *extra],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    log_file = data_dir / "logs" / "kiosk.log"

    def started() -> bool:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        return (
            (data_dir / "kiosk.db").is_file()
            and log_file.is_file()
            and "kiosk starting" in log_file.read_text(encoding="utf-8")
        )

    try:
        qtbot.waitUntil(started, timeout=60_000)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    text = log_file.read_text(encoding="utf-8")
    assert "kiosk starting (windowed=True)" in text
    assert "kiosk stopped (0)" in text
    assert "Traceback" not in text


_FONTS_AT_START = """
import json, os, sys
from pathlib import Path
from kiosk.ui.assets import AssetLibrary
assets = AssetLibrary(Path(sys.argv[1]))
os.environ["FONTCONFIG_FILE"] = str(assets.fontconfig_file)  # as kiosk.app.main sets it
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication
app = QApplication([])
from kiosk.app import check_fonts, create_window
from kiosk.clock import SystemClock
kiosk = create_window(clock=SystemClock(), kiosk_mode=False, assets=assets)
added = bool(QFontDatabase.applicationFontFamilies(0))  # the first font Qt was given, if any
kiosk.window.show()
app.processEvents()
check_fonts(kiosk.window)  # kiosk.app.main: once the attract screen painted
app.processEvents()
print(json.dumps({"added_before_paint": added,
                  "drawn_with": kiosk.window.page("attract").button.fontInfo().family()}))
"""


@pytest.mark.parametrize("listed", [True, False], ids=["fontconfig-lists-them", "it-does-not"])
def test_the_bundled_fonts_come_from_fontconfig_or_are_loaded_after_the_first_paint(
        tmp_path: Path, listed: bool) -> None:
    """Linux, under the kiosk's fonts.conf: Qt is given no font before the first paint
    (fontconfig lists them); if fontconfig did not, the kiosk loads them then, says so in
    its log and draws the attract screen with them."""
    import json
    import os
    import subprocess
    import sys

    from kiosk.ui.assets import FONT_FAMILY
    from tests.support.assets import copy_of_assets

    assets = copy_of_assets(tmp_path, fontconfig_lists_fonts=listed)
    done = subprocess.run(
        [sys.executable, "-c", _FONTS_AT_START, str(assets)], capture_output=True, text=True,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CACHE_HOME=str(tmp_path)),
        timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen == {"added_before_paint": False, "drawn_with": FONT_FAMILY}
    warned = "fontconfig did not list the bundled fonts" in done.stderr
    assert warned is not listed, done.stderr


def test_a_bug_in_a_slot_writes_a_crash_file_and_returns_to_attract(
    harness: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    import sys

    from kiosk.app import install_crash_handler

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    crash_dir = tmp_path / "crashes"
    install_crash_handler(harness.kiosk, crash_dir)
    harness.start()
    assert harness.window.current == "menu"
    try:
        raise ValueError("María 12345678903")  # a message that could hold personal data
    except ValueError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    assert harness.window.current == "attract"
    [crash] = list(crash_dir.glob("crash-*.txt"))
    text = crash.read_text(encoding="utf-8")
    assert "ValueError" in text and "test_app.py" in text
    assert "María" not in text and "12345678903" not in text


def test_unenrolled_kiosk_starts_without_sync_and_says_so_to_staff(
    qtbot: QtBot, settings: KioskSettings, clock: FixedClock
) -> None:
    kiosk = build_kiosk(settings, clock=clock, kiosk_mode=False, start_sync=True)
    qtbot.addWidget(kiosk.window)
    try:
        assert kiosk.sync_bridge is None
        kiosk.window.go("staff")
        status = kiosk.window.page("staff").status.text()  # type: ignore[attr-defined]
        assert "no está dado de alta" in status
    finally:
        kiosk.close()


def test_enrolled_kiosk_runs_sync_off_the_gui_thread_and_shows_its_status(
    qtbot: QtBot, settings: KioskSettings, clock: FixedClock
) -> None:
    """With credentials the sync bridge starts; an unreachable server never reaches the
    person, the staff page words the status, and a saved record asks for a round."""
    import uuid

    from nacl.signing import SigningKey

    from devtools.screenshots import enrol_demo_identity
    from kiosk.sync.credentials import KioskCredentials, save_credentials

    enrol_demo_identity(settings)
    assert settings.credentials_dir is not None
    save_credentials(
        settings.credentials_dir,
        KioskCredentials(
            kiosk_id=uuid.UUID("11111111-2222-4333-8444-555555555555"),
            signing_key=SigningKey.generate(),
            server_url="http://127.0.0.1:9",  # nothing listens there
        ),
    )
    kiosk = build_kiosk(settings, clock=clock, kiosk_mode=False, start_sync=True)
    qtbot.addWidget(kiosk.window)
    try:
        bridge = kiosk.sync_bridge
        assert bridge is not None
        qtbot.waitUntil(
            lambda: not bridge.busy and bridge.status().last_error is not None, timeout=20_000
        )
        w = kiosk.window
        w.session.flow = "survey"
        w.session.survey = SurveyState(rating=4, answered=True, service_code="farmacia")
        w.go("survey_comment")
        with qtbot.waitSignal(bridge.statusChanged, timeout=20_000):
            w.survey_flow.submit("")
        assert w.current == "survey_thanks" and not w.banner.isVisibleTo(w)
        qtbot.waitUntil(lambda: not bridge.busy and bridge.status().waiting >= 1, timeout=20_000)
        w.go("staff")
        status = w.page("staff").status.text()  # type: ignore[attr-defined]
        assert "esperando red" in status or "sin conexión" in status.lower(), status
    finally:
        kiosk.close()


def test_a_stop_while_the_store_opens_starts_no_sync_thread(
    qtbot: QtBot, settings: KioskSettings, clock: FixedClock
) -> None:
    """SIGTERM can land while the store is still loading (Python runs the handler between
    bytecodes of the load): the load then leaves no open store and no sync worker behind
    (a running QThread destroyed at exit aborts the process)."""
    import uuid

    from nacl.signing import SigningKey

    from devtools.screenshots import enrol_demo_identity
    from kiosk.sync.credentials import KioskCredentials, save_credentials

    enrol_demo_identity(settings)
    assert settings.credentials_dir is not None
    save_credentials(
        settings.credentials_dir,
        KioskCredentials(
            kiosk_id=uuid.UUID("11111111-2222-4333-8444-555555555556"),
            signing_key=SigningKey.generate(),
            server_url="http://127.0.0.1:9",
        ),
    )
    kiosk = create_window(clock=clock, kiosk_mode=False)
    qtbot.addWidget(kiosk.window)

    def settings_then_stop() -> KioskSettings:
        kiosk.close()  # what aboutToQuit runs, arriving in the middle of the load
        return settings

    loader = StoreLoader(kiosk, settings_then_stop, clock, False, start_sync=True)
    kiosk.loader = loader
    loader.load()
    assert kiosk.sync_bridge is None
    assert kiosk.database is None
