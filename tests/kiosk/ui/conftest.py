"""Fixtures for the kiosk UI tests: the real composition root on a real SQLite file.

Every test gets a fresh data folder in ``tmp_path``, a store enrolled with a throwaway
identity (its sealing key is returned so tests can open what the kiosk sealed), a
controllable clock, and the window built by :func:`kiosk.app.build_kiosk` in kiosk mode.

The window's tap guard (:mod:`kiosk.ui.tapguard`) runs on its own manual clock: ``tap()``
first lets its quiet period pass, as a person reading the new screen would, and the
double-tap tests advance it by exactly the gap between two taps.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from nacl.public import PrivateKey
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QWidget
from pytestqt.qtbot import QtBot
from sqlmodel import select

from devtools.screenshots import DEMO_TIME, enrol_demo_identity
from kiosk.app import Kiosk, build_kiosk
from kiosk.clock import FixedClock
from kiosk.settings import KioskSettings, load_settings
from kiosk.storage.db import open_database
from kiosk.storage.models import Case, SurveyResponse
from kiosk.ui.window import KioskWindow

IDLE_SECONDS = 60
COUNTDOWN_SECONDS = 25


class ManualClock:
    """A monotonic clock that moves only when told to (the tap guard's, in tests)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Harness:
    """The kiosk under test and helpers to drive it by taps."""

    kiosk: Kiosk
    qtbot: QtBot
    clock: FixedClock
    key: PrivateKey | None
    guard_clock: ManualClock

    @property
    def window(self) -> KioskWindow:
        return self.kiosk.window

    def settle(self) -> None:
        """Let the tap guard's quiet period after the last change of screen pass."""
        left = self.window.tap_guard.quiet_left()
        if left:
            self.guard_clock.advance(left + 0.001)  # past it, whatever the float rounding

    def tap(self, button: QAbstractButton) -> None:
        assert button.isVisible(), f"{button.text()!r} is not visible"
        self.click(button)

    def click(self, widget: QWidget) -> None:
        """A deliberate tap on ``widget`` (a field, a button), once the screen is ready."""
        self.settle()
        self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)

    def wait_page(self, name: str) -> None:
        self.qtbot.waitUntil(lambda: self.window.current == name, timeout=3000)

    def choose(self, page_name: str, code: str, then: str | None = None) -> None:
        """Tap a one-tap answer on ``page_name`` and wait for the flow to move on."""
        self.wait_page(page_name)
        page: Any = self.window.page(page_name)
        self.tap(page.buttons[code])
        if then:
            self.wait_page(then)

    def type_keys(self, text: str) -> None:
        """Type on the on-screen keyboard, key by key: shift for a capital on the letters,
        "123"/"ABC" for what is on the other layer of free text."""
        kb = self.window.keyboard
        self.qtbot.waitUntil(kb.isVisible, timeout=3000)  # a person waits for it to come up
        for ch in text:
            key = kb.key_for(ch)
            if key is None and kb.layer in ("letters", "symbols"):
                self.tap(kb.symbols_key if kb.layer == "letters" else kb.letters_key)
                key = kb.key_for(ch)
            assert key is not None, f"no key for {ch!r} on the {kb.layer} layer"
            if kb.layer == "letters" and ch.lower() != ch:
                self.tap(kb.shift_key)
            self.tap(key)

    def start(self) -> None:
        """From the attract screen to the menu (Spanish)."""
        self.tap(self.window.page("attract").button)  # type: ignore[attr-defined]
        self.choose("language", "es", then="menu")

    def rows(self, model: type) -> list[Any]:
        db = self.kiosk.database
        assert db is not None
        with db.read() as session:
            return list(session.exec(select(model)).all())

    def surveys(self) -> list[SurveyResponse]:
        return self.rows(SurveyResponse)

    def cases(self) -> list[Case]:
        return self.rows(Case)

    def editors(self) -> list[QWidget]:
        from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

        return [*self.window.findChildren(QLineEdit), *self.window.findChildren(QPlainTextEdit)]


def make_settings(data_dir: Path) -> KioskSettings:
    return load_settings(
        data_dir, idle_seconds=IDLE_SECONDS, idle_countdown_seconds=COUNTDOWN_SECONDS
    )


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(DEMO_TIME)


@pytest.fixture
def settings(tmp_path: Path) -> KioskSettings:
    return make_settings(tmp_path / "data")


@pytest.fixture
def make_harness(qtbot: QtBot, clock: FixedClock) -> Iterator[Callable[..., Harness]]:
    made: list[Kiosk] = []

    def make(settings: KioskSettings, *, enrol: bool = True, confirm_ms: int = 20) -> Harness:
        key = enrol_demo_identity(settings) if enrol else None
        if not enrol:
            open_database(settings.db_path).database.close()
        kiosk = build_kiosk(
            settings,
            clock=clock,
            kiosk_mode=True,
            start_sync=False,
            ui_overrides={"confirm_ms": confirm_ms},
        )
        made.append(kiosk)
        qtbot.addWidget(kiosk.window)
        kiosk.window.resize(1920, 1080)
        kiosk.window.show()
        qtbot.waitExposed(kiosk.window)
        guard_clock = ManualClock()
        kiosk.window.tap_guard.clock = guard_clock
        return Harness(kiosk=kiosk, qtbot=qtbot, clock=clock, key=key, guard_clock=guard_clock)

    yield make
    for kiosk in made:
        kiosk.close()


@pytest.fixture
def harness(make_harness: Callable[..., Harness], settings: KioskSettings) -> Harness:
    return make_harness(settings)


# ---------------------------------------------------------------------------- driving a flow


def pick_many(h: Harness, page_name: str, codes: list[str], then: str) -> None:
    h.wait_page(page_name)
    page: Any = h.window.page(page_name)
    for code in codes:
        h.tap(page.buttons[code])
    h.tap(page.continue_button)
    h.wait_page(then)


def answer_text(h: Harness, page_name: str, text: str, then: str) -> None:
    h.wait_page(page_name)
    page: Any = h.window.page(page_name)
    if text:
        h.type_keys(text)
    assert page.field.text() == text
    h.tap(page.continue_button)
    h.wait_page(then)


def left_button() -> Any:
    return Qt.MouseButton.LeftButton


def editor_text(editor: Any) -> str:
    return editor.toPlainText() if hasattr(editor, "toPlainText") else editor.text()


def accept_privacy(h: Harness, then: str) -> None:
    """The privacy notice: the consent tap where the type asks one, then "Continuar"."""
    h.wait_page("case_privacy")
    privacy: Any = h.window.page("case_privacy")
    if privacy.asks_consent:
        assert not privacy.continue_button.isEnabled()
        h.tap(privacy.consent)
    h.tap(privacy.continue_button)
    h.wait_page(then)


def to_narrative(h: Harness, text: str) -> None:
    h.start()
    h.choose("menu", "case", then="case_type")
    h.choose("case_type", "queja", then="case_privacy")
    accept_privacy(h, then="case_service")
    h.choose("case_service", "urgencias", then="case_category")
    page: Any = h.window.page("case_category")
    h.tap(page.buttons["trato_grosero"])
    h.tap(page.continue_button)
    h.wait_page("case_narrative")
    h.type_keys(text)


def to_review(h: Harness) -> None:
    to_narrative(h, "Me gritaron")
    h.tap(h.window.page("case_narrative").continue_button)  # type: ignore[attr-defined]
    h.wait_page("case_staff")
    h.tap(h.window.page("case_staff").continue_button)  # type: ignore[attr-defined]
    h.wait_page("case_request")
    h.tap(h.window.page("case_request").continue_button)  # type: ignore[attr-defined]
    h.choose("case_contact_choice", "no", then="case_review")
