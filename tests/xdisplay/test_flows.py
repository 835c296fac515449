"""Every beneficiary flow on a real X server, by real pointer events (XTest through xdotool):
a survey, a queja, a sugerencia, a reconocimiento and the lookup of the folio just filed.

On every page the kiosk's window must equal the screen (the probe's window rectangle, and the
X server's view of it once per flow) and every button and field the probe reports must lie
inside the screen; "Continuar", "Enviar" and "Consultar" must be in one place on every page
(the action bar, :mod:`kiosk.ui.frame`). A screenshot of each page goes to the test's tmp
folder (``.../flows-<screen>/<flow>/NN-<page>.png``), never into the repository.

Run time: every flow at every screen size under the kiosk session's window manager, and the
sugerencia and the folio lookup (the keyboard, a review, a receipt, the lookup) at two sizes
without a window manager, one kiosk per screen.
"""

import re
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.ui.receipt import RECEIPT_TAP_GUARD_MS
from tests.support.xdisplay import Geometry, Screenshooter, XDisplay, window_geometry, xdisplay
from tests.xdisplay.kiosk_process import RunningKiosk, kiosk_data_dir, start_kiosk

SCREENS = [(1280, 720), (1366, 768), (1920, 1080), (1080, 1920)]
FLOWS = ["survey", "queja", "sugerencia", "reconocimiento", "folio"]
WITHOUT_WM = [(1280, 720), (1080, 1920)]
MAIN_ACTIONS = ("Continuar", "Enviar", "Consultar")

#: (page to wait for, what to do there): a caption (regular expression) to tap, or
#: ``("type", text)`` on the on-screen keyboard. ``None``: the page moves on by itself.
Step = tuple[str, Any]
CASE_START: list[Step] = [("menu", "queja, sugerencia")]
STEPS: dict[str, list[Step]] = {
    "survey": [
        ("menu", "^Calificar la atención"),
        ("survey_rating", "^Bien$"),
        ("survey_reasons", "^Continuar$"),
        ("survey_service", "^Farmacia$"),
        ("survey_comment", "^Enviar$"),
        ("survey_thanks", None),
    ],
    "queja": [
        *CASE_START,
        ("case_type", "^Una queja"),
        ("case_privacy", "acepto|Acepto"),
        ("case_privacy", "^Continuar$"),
        ("case_service", "^Farmacia$"),
        ("case_category", "^Esperé demasiado tiempo$"),
        ("case_category", "^Continuar$"),
        ("case_narrative", ("type", "mal trato")),
        ("case_narrative", "^Continuar$"),
        ("case_staff", "^Continuar$"),
        ("case_request", "^Continuar$"),
        ("case_contact_choice", "^No, continuar sin datos$"),
        ("case_review", "^Enviar$"),
        ("case_done", None),
    ],
    "sugerencia": [
        *CASE_START,
        ("case_type", "^Una sugerencia"),
        ("case_privacy", "^Continuar$"),
        ("case_service", "^Farmacia$"),
        ("case_category", "Tiempos de espera$"),
        ("case_category", "^Continuar$"),
        ("case_narrative", ("type", "buen trato")),
        ("case_narrative", "^Continuar$"),
        ("case_contact_choice", "^No, continuar sin datos$"),
        ("case_review", "^Enviar$"),
        ("case_done", None),
    ],
    "reconocimiento": [
        *CASE_START,
        ("case_type", "^Un reconocimiento"),
        ("case_privacy", "^Continuar$"),
        ("case_service", "^Farmacia$"),
        ("case_category", "^Amabilidad"),
        ("case_category", "^Continuar$"),
        ("case_narrative", "^Continuar$"),
        ("case_recognised", ("type", "luz")),
        ("case_recognised", "^Continuar$"),
        ("case_publish", "^Sí, pueden publicarlo$"),
        ("case_contact_choice", "^No, continuar sin datos$"),
        ("case_review", "^Enviar$"),
        ("case_done", None),
    ],
    "folio": [
        ("menu", "^Consultar un folio$"),
        ("folio_info", ("type", "FOLIO")),
        ("folio_info", "^Consultar$"),
        ("folio_result", None),
    ],
}


#: Where every flow runs: the panel the institution buys most. Elsewhere the two flows that
#: together reach every kind of page (choices, text with the keyboard, the privacy notice, the
#: receipt) run; the offscreen layout check covers every page at every size. Kept this way so
#: the whole suite stays inside CI's 30 minutes.
EVERY_FLOW_AT = (1366, 768)
SOME_FLOWS = ["survey", "sugerencia"]


def _combos() -> list[Any]:
    out = []
    for size in SCREENS:
        for wm in ("matchbox", None):
            if wm:
                flows = FLOWS if size == EVERY_FLOW_AT else SOME_FLOWS
            else:
                flows = ["sugerencia", "folio"] if size == WITHOUT_WM[0] else []
            screen_id = f"{size[0]}x{size[1]}-{wm or 'nowm'}"
            out += [pytest.param((size, wm), flow, id=f"{screen_id}-{flow}") for flow in flows]
    return out


class Screen:
    """One kiosk on one display, kept for the flows run on it."""

    def __init__(self, x: XDisplay, kiosk: RunningKiosk, shots: Path) -> None:
        self.x = x
        self.kiosk = kiosk
        self.shots = shots
        self.camera = Screenshooter(x)
        self.main_action_at: set[tuple[int, int, int, int]] = set()


@pytest.fixture(scope="module")
def flow_screen(request: pytest.FixtureRequest, kiosk_home: Path,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[Screen]:
    (width, height), wm = request.param
    folder = tmp_path_factory.mktemp(f"flows-{width}x{height}-{wm or 'nowm'}")
    with xdisplay(width, height, wm=wm, log_dir=folder) as x:
        kiosk = start_kiosk(x, kiosk_home, probe_file=folder / "probe.json")
        screen = Screen(x, kiosk, folder)
        try:
            kiosk.wait_started()
            kiosk.wait_page("attract")
            yield screen
        finally:
            screen.camera.close()
            kiosk.stop()


def _check_page(screen: Screen, state: dict[str, Any], flow: str, n: int) -> None:
    x = screen.x
    full = Geometry(0, 0, x.width, x.height)
    page = state["page"]
    assert Geometry(*state["window"]) == full, f"{page}: window {state['window']} on {full}"
    for widget in state["widgets"]:
        wx, wy, ww, wh = widget["rect"]
        assert wx >= 0 and wy >= 0 and wx + ww <= x.width and wy + wh <= x.height, (
            f"{page}: {widget.get('text', widget['kind'])!r} at {widget['rect']} is off the "
            f"{x.width}x{x.height} screen")
        if widget["kind"] == "button" and widget["text"] in MAIN_ACTIONS:
            screen.main_action_at.add(tuple(widget["rect"]))
    screen.camera.shoot(screen.shots / flow / f"{n:02d}-{page}.png")


def _to_menu(kiosk: RunningKiosk) -> None:
    page = kiosk.state().get("page")
    if page in ("case_done", "survey_thanks", "folio_result"):
        time.sleep(RECEIPT_TAP_GUARD_MS / 1000)  # a receipt ignores taps for a moment
        kiosk.tap("^Terminar$")
        page = kiosk.wait_page("attract")["page"]
    assert page == "attract", f"a flow left the kiosk on {page!r}"
    kiosk.tap("Toque la pantalla")
    kiosk.wait_page("language")
    kiosk.tap("^Español$")
    kiosk.wait_page("menu")


def _last_folio(kiosk: RunningKiosk) -> str:
    db = kiosk_data_dir(kiosk.home) / "kiosk.db"
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
        row = conn.execute("SELECT folio FROM case_record ORDER BY rowid DESC LIMIT 1").fetchone()
    assert row is not None, "no case filed before the lookup"
    return str(row[0])


def type_on_screen(kiosk: RunningKiosk, text: str) -> None:
    """Key by key on the on-screen keyboard, as a person types."""
    for key in text:
        kiosk.tap("^espacio$" if key == " " else f"^{re.escape(key)}$")


@pytest.mark.parametrize(("flow_screen", "flow"), _combos(), indirect=["flow_screen"],
                         scope="module")
def test_flow_by_real_taps_fits_the_screen(flow_screen: Screen, flow: str) -> None:
    screen, kiosk = flow_screen, flow_screen.kiosk
    assert window_geometry(screen.x, kiosk.pid) == Geometry(0, 0, *screen.x.size)
    _to_menu(kiosk)
    folio = _last_folio(kiosk) if flow == "folio" else ""
    before = (kiosk.count("survey_response"), kiosk.count("case_record"))
    checked = ""
    for n, (page, action) in enumerate(STEPS[flow]):
        state = kiosk.wait_page(page)
        if page != checked:
            _check_page(screen, state, flow, n)
            checked = page
        if action is None:
            continue
        if isinstance(action, tuple):
            type_on_screen(kiosk, folio if action[1] == "FOLIO" else action[1])
        else:
            kiosk.tap(action)
    after = (kiosk.count("survey_response"), kiosk.count("case_record"))
    stored = {"survey": (1, 0), "folio": (0, 0)}.get(flow, (0, 1))
    assert (after[0] - before[0], after[1] - before[1]) == stored
    assert window_geometry(screen.x, kiosk.pid) == Geometry(0, 0, *screen.x.size)
    assert len(screen.main_action_at) == 1, (
        f"the main action moved between pages: {sorted(screen.main_action_at)}")
