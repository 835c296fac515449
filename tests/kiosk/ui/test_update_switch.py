"""A staged update switches only when the real window is back on the attract screen: never
while someone is using the kiosk (kiosk/ui/update_bridge.py)."""

from datetime import UTC, datetime
from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.sync.updater import Updater
from kiosk.ui.update_bridge import UpdateBridge
from tests.kiosk.ui.conftest import Harness
from trato.protocol.wire import UpdateState


def test_the_switch_waits_for_the_attract_screen(harness: Harness, tmp_path: Path) -> None:
    installed = tmp_path / "opt"
    installed.mkdir()
    updater = Updater(None, tmp_path / "data", installed, "k", "0.1.0")  # type: ignore[arg-type]
    staged = updater.layout.version_dir("0.2.0")
    staged.mkdir(parents=True)
    (staged / "trato-kiosk").write_text("#!/bin/sh\n")
    window = harness.window
    harness.start()  # someone is using the kiosk
    bridge = UpdateBridge(updater, window, on_attract=window.current == "attract")
    window.page_changed.connect(bridge.page_shown)
    updater.layout.save_status(UpdateState.READY, "0.2.0", datetime.now(UTC))
    with harness.qtbot.assertNotEmitted(bridge.restartRequested):
        bridge.page_shown(window.current)  # staged, but the menu is showing
        window.go("language")
    assert not updater.layout.current.exists()
    with harness.qtbot.waitSignal(bridge.restartRequested, timeout=3000):
        window.end_session()  # the session ends: back on the attract screen
    assert updater.layout.running_dir() == staged.absolute()
    # The window may show the attract screen again before the restart (the app quitting
    # wipes the session): no second switch, and `previous` still holds what ran.
    with harness.qtbot.assertNotEmitted(bridge.restartRequested):
        window.end_session()
    assert updater.ready_version() is None
    assert updater.layout.previous.resolve() == installed.resolve()


def test_the_running_version_confirms_itself_after_its_probation(qtbot: QtBot,
                                                                 tmp_path: Path) -> None:
    """The launcher's probation file (kiosk/sync/versions.py) is removed only once the kiosk
    has run for its probation window."""
    updater = Updater(None, tmp_path / "data", tmp_path / "opt", "k", "0.2.0")  # type: ignore[arg-type]
    updater.layout.root.mkdir(parents=True)
    updater.layout.probation.write_text("0.2.0 1\n")
    bridge = UpdateBridge(updater, probation_ms=300)
    bridge.start()
    try:
        qtbot.wait(100)
        assert updater.layout.probation.exists()  # not yet
        qtbot.waitUntil(lambda: not updater.layout.probation.exists(), timeout=3000)
    finally:
        bridge.stop()
