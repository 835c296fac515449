"""The kiosk on a real X server, started as the Linux kiosk session starts it.

``trato-kiosk run`` (the systemd unit's command line and environment, see
:mod:`tests.xdisplay.kiosk_process`) with an enrolled data folder and a real central
server, on Xvfb at the screen sizes kiosks have, under the session's matchbox window manager
and under no window manager at all:

* the kiosk window covers the whole screen;
* SIGTERM (what systemd sends on stop, shutdown or logout) and SIGINT end it within 2 s;
* real taps (XTest pointer events) go attract screen -> language -> menu, and a hasty
  double tap never skips a screen the person must see.

One kiosk is started per screen size and window manager and reused by the checks that
leave it running.
"""

import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.ui.receipt import RECEIPT_TAP_GUARD_MS
from tests.support.xdisplay import (
    Geometry,
    XDisplay,
    resizable_xdisplay,
    screenshot,
    send_signal_and_time_exit,
    wait_until,
    window_geometry,
    xdisplay,
)
from tests.xdisplay.kiosk_process import RunningKiosk, start_kiosk

SCREENS = [(1280, 720), (1366, 768), (1920, 1080), (1080, 1920)]
WINDOW_MANAGERS = [None, "matchbox"]
EXIT_WITHIN_S = 2.0
#: A hasty double tap: the second tap 120 ms after the first (Qt's double-click interval is
#: 400 ms; people who are unsure tap again well within it).
DOUBLE_TAP_GAP_MS = 120
#: Double taps on the submit control: a twitch, a hasty tap, an unsure one, a late one.
SUBMIT_DOUBLE_TAP_GAPS_MS = [30, 100, 250, 500]



def _screen_id(size: tuple[int, int], wm: str | None) -> str:
    return f"{size[0]}x{size[1]}-{wm or 'nowm'}"


def _diagnostics(x: XDisplay, kiosk: RunningKiosk) -> str:
    return (f"\n--- xwininfo -root -tree\n{x.tree()}\n--- kiosk log\n{kiosk.log()[-3000:]}"
            f"\n--- kiosk console\n{kiosk.console()[-3000:]}")


@pytest.fixture(scope="class", params=[
    pytest.param((size, wm), id=_screen_id(size, wm))
    for size in SCREENS for wm in WINDOW_MANAGERS
])
def screen(request: pytest.FixtureRequest, kiosk_home: Path,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[XDisplay]:
    (width, height), wm = request.param
    with xdisplay(width, height, wm=wm, log_dir=tmp_path_factory.mktemp("x")) as x:
        yield x


@pytest.fixture(scope="class")
def kiosk(screen: XDisplay, kiosk_home: Path) -> Iterator[RunningKiosk]:
    """One kiosk-mode kiosk per screen; the SIGTERM check ends it, teardown kills leftovers."""
    running = start_kiosk(screen, kiosk_home)
    try:
        running.wait_started()
        yield running
    finally:
        running.stop()


def _assert_exits(x: XDisplay, kiosk: RunningKiosk, sig: signal.Signals) -> None:
    timing = send_signal_and_time_exit(kiosk.proc, sig, EXIT_WITHIN_S)
    assert timing.exited, (f"still running {timing.seconds:.1f} s after {sig.name}"
                           f"{_diagnostics(x, kiosk)}")
    assert timing.returncode == 0, f"{sig.name}: exit code {timing.returncode}"
    assert "kiosk stopped (0)" in kiosk.log(), kiosk.log()


class TestKioskMode:
    """``trato-kiosk run`` exactly as the kiosk session runs it, on every screen."""

    def test_window_covers_the_screen(self, screen: XDisplay, kiosk: RunningKiosk) -> None:
        assert screen.screen_size() == screen.size
        geometry = window_geometry(screen, kiosk.pid)
        assert geometry == Geometry(0, 0, *screen.size), (
            f"kiosk window {geometry} on a {screen.width}x{screen.height} screen"
            f"{_diagnostics(screen, kiosk)}")

    def test_sigterm_ends_it_within_2_s(self, screen: XDisplay, kiosk: RunningKiosk) -> None:
        _assert_exits(screen, kiosk, signal.SIGTERM)


@pytest.fixture
def full_hd(request: pytest.FixtureRequest, kiosk_home: Path,
            tmp_path: Path) -> Iterator[XDisplay]:
    with xdisplay(1920, 1080, wm=request.param, log_dir=tmp_path) as x:
        yield x


@pytest.mark.parametrize("full_hd", WINDOW_MANAGERS, indirect=True,
                         ids=lambda wm: wm or "nowm")
class TestSignals:
    """SIGINT (Ctrl+C in a terminal) in kiosk mode; both signals in windowed mode, which
    shows the checks pass when the window lets the application quit."""

    def test_sigint_ends_kiosk_mode_within_2_s(self, full_hd: XDisplay,
                                               kiosk_home: Path) -> None:
        self._check(full_hd, kiosk_home, signal.SIGINT)

    @pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
    def test_windowed_mode_ends_within_2_s(self, full_hd: XDisplay, kiosk_home: Path,
                                           sig: signal.Signals) -> None:
        self._check(full_hd, kiosk_home, sig, "--windowed")

    @staticmethod
    def _check(x: XDisplay, home: Path, sig: signal.Signals, *args: str) -> None:
        kiosk = start_kiosk(x, home, extra_args=args)
        try:
            kiosk.wait_started()
            _assert_exits(x, kiosk, sig)
        finally:
            kiosk.stop()


@pytest.mark.parametrize("wm", WINDOW_MANAGERS, ids=lambda wm: wm or "nowm")
def test_kiosk_mode_follows_a_resolution_change(wm: str | None, kiosk_home: Path,
                                                tmp_path: Path) -> None:
    """A panel swapped for another, or rotated, while the kiosk runs: the window covers the
    new screen, whether it shrinks, grows, or turns to portrait and back."""
    with resizable_xdisplay(1366, 768, wm=wm, log_dir=tmp_path) as screen:
        x = screen.inner
        kiosk = start_kiosk(x, kiosk_home)
        try:
            kiosk.wait_started()
            for change in [{"size": (1024, 768)}, {"size": (1600, 1200)},
                           {"size": (1280, 1024), "rotate": "left"}, {"rotate": "normal"}]:
                size = screen.change(**change)  # type: ignore[arg-type]

                def covers(size: tuple[int, int] = size) -> bool:
                    return window_geometry(x, kiosk.pid) == Geometry(0, 0, *size)

                try:
                    wait_until(covers, 10, f"the kiosk window to cover {size}")
                except Exception as exc:
                    raise AssertionError(f"{window_geometry(x, kiosk.pid)} on {size}"
                                         f"{_diagnostics(x, kiosk)}") from exc
        finally:
            kiosk.stop()


# ---------------------------------------------------------------------------- real taps


@pytest.fixture(scope="class")
def tapped(kiosk_home: Path, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[RunningKiosk]:
    """A kiosk-mode kiosk on 1366x768 under matchbox, started through the probe, which tells
    where each button is; the taps themselves are real pointer events."""
    folder = tmp_path_factory.mktemp("taps")
    with xdisplay(1366, 768, wm="matchbox", log_dir=folder) as x:
        running = start_kiosk(x, kiosk_home, probe_file=folder / "probe.json")
        try:
            running.wait_started()
            running.wait_page("attract")
            yield running
        finally:
            running.stop()


def _to_menu(kiosk: RunningKiosk) -> None:
    """From wherever the previous test left the kiosk to the menu, by taps."""
    page = kiosk.state().get("page")
    for _ in range(12):  # inside a flow: "Atrás" until the menu
        if page in ("attract", "language", "menu", "case_done", "survey_thanks"):
            break
        kiosk.tap("Atrás$")
        kiosk.wait_page_change(page)
        page = kiosk.state().get("page")
    if page in ("case_done", "survey_thanks"):
        # A receipt ignores taps for a moment after it appears (the tap guard): a person
        # reads the folio first.
        time.sleep(RECEIPT_TAP_GUARD_MS / 1000)
        kiosk.tap("^Terminar$")
        page = kiosk.wait_page("attract")["page"]
    if page == "attract":
        kiosk.tap("Toque la pantalla")
        page = kiosk.wait_page("language")["page"]
    if page == "language":
        kiosk.tap("^Español$")
        kiosk.wait_page("menu")
    assert kiosk.state()["page"] == "menu"


def _suggestion_to_contact_choice(kiosk: RunningKiosk) -> None:
    """Menu -> a suggestion up to "¿Quiere dejar sus datos de contacto?", by taps: the privacy
    notice first (a suggestion's notice only informs), then service, topic and the text."""
    kiosk.tap("queja, sugerencia")
    kiosk.wait_page("case_type")
    kiosk.tap("^Una sugerencia")
    kiosk.wait_page("case_privacy")
    kiosk.tap("^Continuar$")
    kiosk.wait_page("case_service")
    kiosk.tap("^Farmacia$")
    kiosk.wait_page("case_category")
    kiosk.tap("Tiempos de espera$")
    kiosk.tap("^Continuar$")
    kiosk.wait_page("case_narrative")
    for key in "buen trato":  # the on-screen keyboard, key by key
        kiosk.tap("^espacio$" if key == " " else f"^{key}$")
    kiosk.tap("^Continuar$")
    kiosk.wait_page("case_contact_choice")


#: The generic names Qt answers with whatever fonts there are.
QT_GENERIC_FAMILIES = {"Monospace", "Sans Serif", "Serif"}


class TestRealTaps:
    def test_it_draws_with_the_bundled_font_only(self, tapped: RunningKiosk) -> None:
        """assets/fonts/fonts.conf: the kiosk reads no system font, so every kiosk of the
        fleet draws the same letters (and fontconfig reads no system caches at start)."""
        state = tapped.wait_page("attract")
        assert set(state["font_families"]) - QT_GENERIC_FAMILIES == {"Noto Sans"}, (
            state["font_families"])

    def test_it_stays_above_other_windows(self, tapped: RunningKiosk) -> None:
        """Kiosk mode: the widget and its native window both say "stays on top" (set once the
        attract screen painted, see kiosk.app.keep_on_top), and it still covers the screen."""
        def on_top() -> dict[str, Any] | None:
            state = tapped.state()
            return state if state["stays_on_top"] == [True, True] else None

        tapped.wait_page("attract")
        state = wait_until(on_top, 5.0, "the window kept on top")
        assert state["window"] == [0, 0, *state["screen"][2:]], state
        assert "WindowFullScreen" in state["window_state"], state

    def test_attract_language_menu_by_real_taps(self, tapped: RunningKiosk,
                                                tmp_path: Path) -> None:
        tapped.wait_page("attract")
        tapped.tap("Toque la pantalla")
        tapped.wait_page("language")
        tapped.tap("^Español$")
        state = tapped.wait_page("menu")
        captions = [w["text"] for w in state["widgets"] if w["kind"] == "button"]
        for expected in ("Calificar la atención", "queja, sugerencia", "Consultar un folio"):
            assert any(expected in c for c in captions), captions
        assert state["pages"][-3:] == ["attract", "language", "menu"]
        screenshot(tapped.x, tmp_path / "menu.png")

    @pytest.mark.parametrize("gap_ms", SUBMIT_DOUBLE_TAP_GAPS_MS, ids=lambda g: f"{g}ms")
    def test_double_tap_on_enviar_keeps_the_folio_on_screen(self, tapped: RunningKiosk,
                                                            gap_ms: int) -> None:
        """"Enviar" saves at the first tap and shows the folio; the second tap, from a
        twitch (30 ms) to an unsure second press (500 ms), lands where "Enviar" was. Exactly
        one case is stored and the folio stays on screen."""
        _to_menu(tapped)
        _suggestion_to_contact_choice(tapped)
        tapped.tap("^No, continuar sin datos$")
        tapped.wait_page("case_review")
        before = tapped.count("case_record")
        tapped.double_tap("^Enviar$", gap_ms)
        # The save and the folio (a loaded machine may take a while), then long enough for
        # the second tap to have landed and done whatever it would do.
        tapped.wait_page("case_done")
        time.sleep(0.8 + gap_ms / 1000)
        assert tapped.count("case_record") == before + 1  # saved once, whatever happened
        state = tapped.state()
        assert state["page"] == "case_done", (
            f"the folio was shown for one tap only: pages {state['pages'][-4:]}")

    def test_double_tap_on_the_last_answer_shows_the_review(self,
                                                            tapped: RunningKiosk) -> None:
        """The last answer before the review moves on by itself; the second tap of a double
        tap must not press "Enviar" and send the case unreviewed."""
        _to_menu(tapped)
        _suggestion_to_contact_choice(tapped)
        before = tapped.count("case_record")
        tapped.double_tap("^No, continuar sin datos$", DOUBLE_TAP_GAP_MS)
        self._settle(tapped)
        state = tapped.state()
        assert state["page"] == "case_review", (
            f"the review was skipped: pages {state['pages'][-4:]}")
        assert tapped.count("case_record") == before

    @staticmethod
    def _settle(kiosk: RunningKiosk) -> None:
        """Long enough for both taps, a save and a page change to show in the report."""
        time.sleep(0.8 + DOUBLE_TAP_GAP_MS / 1000)
