"""Render every kiosk screen to ``docs/screenshots/``.

``QT_QPA_PLATFORM=offscreen python -m devtools.screenshots [--out DIR] [--sizes 1366x768]``
builds the real kiosk (composition root, real SQLite store in a temporary data folder
enrolled with a throwaway test identity), walks it to each screen with sample answers and
grabs it at each size of :data:`SETS`: 1920x1080 in both themes as ``<screen>-<theme>.png``,
and the small landscape and the portrait panel as ``<screen>-<W>x<H>-<theme>.png``. The staff
screens (:mod:`devtools.staff_scenes`, over a store seeded with a week of a module's work) are
also grabbed in both themes at 1366x768 (:data:`STAFF_SETS`).
"""

import argparse
import logging
import sys
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nacl.public import PrivateKey
from PySide6.QtWidgets import QApplication

from kiosk.clock import FixedClock
from kiosk.flow.session import CASE, SURVEY, CaseState, SurveyState
from kiosk.settings import KioskSettings, load_settings
from kiosk.storage.db import open_database
from kiosk.storage.identity import save_identity
from kiosk.ui.theme import HIGH_CONTRAST, NORMAL
from kiosk.ui.window import KioskWindow
from kiosk.ui.wording.notices import save_failed_text
from trato.domain.enums import CaseType
from trato.protocol.sealing import new_private_key, public_key_b64
from trato.protocol.wire import EnrolmentResponse, UnitConfig

if TYPE_CHECKING:
    from kiosk.sync.status import SyncStatus

log = logging.getLogger(__name__)

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
SIZE = (1920, 1080)
#: (width, height) -> the themes rendered at that size.
SETS: dict[tuple[int, int], tuple[str, ...]] = {
    SIZE: (NORMAL, HIGH_CONTRAST),
    (1366, 768): (NORMAL,),
    (1080, 1920): (NORMAL,),
}
#: The staff screens (``pin``, ``staff*``) also in these themes at these sizes.
STAFF_SETS: dict[tuple[int, int], tuple[str, ...]] = {
    SIZE: (NORMAL, HIGH_CONTRAST),
    (1366, 768): (NORMAL, HIGH_CONTRAST),
}
DEMO_TIME = datetime(2026, 3, 2, 15, 30, tzinfo=UTC)


class _StaffScene:
    """What the staff screen shows on a kiosk whose network went down a while ago, with one
    record the server refused (the store's own identity; the sync figures are a scene)."""

    def __init__(self, window: KioskWindow, database: Any, *, syncing: bool = False) -> None:
        from kiosk.sync.status import SetAsideItem, SyncStatus, read_status

        now = window.clock.now()
        self._status = replace(
            read_status(database) if database is not None else SyncStatus(enrolled=True),
            last_success_at=now - timedelta(minutes=42),
            waiting=3,
            oldest_waiting_at=now - timedelta(minutes=31),
            last_error="network",
            clock_offset_seconds=2.0,
            next_attempt_at=now + timedelta(minutes=4),
            syncing=syncing,
            set_aside=1,
            set_aside_items=(SetAsideItem(
                seq=118, kind="case_event", created_at=now - timedelta(days=1, hours=2),
                status="rejected", detail="body.case_id: no such case in this kiosk's unit"),),
        )

    def status(self) -> "SyncStatus":
        return self._status

    def sync_now(self) -> None:
        """Not in a screenshot."""

    def retry_set_aside(self) -> None:
        """Not in a screenshot."""


def enrol_demo_identity(
    settings: KioskSettings, *, unit_number: int = 1234, kiosk_number: int = 7
) -> PrivateKey:
    """Give the store at ``settings.db_path`` a test identity; returns the sealing key."""
    key = new_private_key()
    enrolment = EnrolmentResponse(
        kiosk_id=uuid.UUID("11111111-2222-4333-8444-555555555555"),
        sealing_public_key=public_key_b64(key),
        server_time=DEMO_TIME,
        unit=UnitConfig(
            clues="DFIMS000123",
            name="UMF 28 Gabriel Mancera",
            unit_number=unit_number,
            kiosk_number=kiosk_number,
            module_id=uuid.UUID("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"),
            module_name="Módulo de Trato Digno PB",
            tracking_base_url="https://trato.imss.gob.mx/",
        ),
    )
    database = open_database(settings.db_path).database
    try:
        with database.write() as session:
            save_identity(session, enrolment=enrolment, server_url="https://trato.imss.gob.mx")
    finally:
        database.close()
    return key


def _survey(w: KioskWindow, rating: int | None = 2) -> None:
    w.session.flow = SURVEY
    w.session.survey = SurveyState(
        started_at=w.clock.monotonic(), rating=rating, answered=True, service_code="farmacia"
    )


def _case(w: KioskWindow, case_type: CaseType = CaseType.QUEJA, contact: bool = True) -> None:
    w.session.flow = CASE
    w.session.case = CaseState(
        case_type=case_type,
        service_code="urgencias",
        categories=("tiempo_espera", "trato_grosero"),
        narrative="El lunes a las 9:00 esperé tres horas en urgencias y nadie me explicó nada.",
        staff_involved="Recepcionista del turno matutino",
        request="Que me expliquen los tiempos de espera.",
        wants_contact=contact,
        consent=True,
        personal={
            "filer_name": "María Guadalupe Gómez",
            "nss": "12345678903",
            "phone": "5512345678",
            "email": "maria@correo.mx",
            "postal_code": "03100",
        },
    )


def _type(w: KioskWindow, text: str) -> None:
    page = w.current_page()
    editor = page.first_editor()
    if editor is not None:
        editor.insertPlainText(text) if hasattr(editor, "insertPlainText") else editor.insert(text)  # type: ignore[union-attr]


def scenes(database: Any = None) -> list[tuple[str, Callable[[KioskWindow], None]]]:
    """(screen name, how to get there) for every screen of the kiosk."""
    from devtools import staff_scenes
    from devtools.campaign_screenshots import campaign_scenes

    def go(
        name: str, prepare: Callable[[KioskWindow], None] | None = None
    ) -> Callable[[KioskWindow], None]:
        def run(w: KioskWindow) -> None:
            if prepare is not None:
                prepare(w)
            w.go(name)

        return run

    def reasons(w: KioskWindow) -> None:
        _survey(w)
        w.go("survey_reasons")
        page = w.current_page()
        for code in list(page.buttons)[:2]:  # type: ignore[attr-defined]
            page.buttons[code].setChecked(True)  # type: ignore[attr-defined]

    def comment(w: KioskWindow) -> None:
        _survey(w)
        w.go("survey_comment")
        _type(w, "La doctora fue muy amable, pero la espera en farmacia fue larga.")

    def thanks(w: KioskWindow) -> None:
        _survey(w, rating=1)
        w.go("survey_comment")
        w.survey_flow.submit("")

    def narrative(w: KioskWindow) -> None:
        _case(w)
        w.go("case_narrative")

    def identity(w: KioskWindow) -> None:
        _case(w)
        w.go("case_identity")
        page = w.current_page()
        page.fields["filer_name"].set_text("María Guadalupe Gómez")  # type: ignore[attr-defined]
        page.fields["nss"].set_text("123456789")  # type: ignore[attr-defined]

    def contact(w: KioskWindow) -> None:
        _case(w)
        w.go("case_contact")
        page = w.current_page()
        page.fields["phone"].set_text("5512345678")  # type: ignore[attr-defined]
        page.fields["email"].set_text("maria@correo")  # type: ignore[attr-defined]
        w.keyboard.show_layer("numeric")

    def done(w: KioskWindow) -> None:
        _case(w)
        w.go("case_review")
        w.case_flow.submit()

    def idle(w: KioskWindow) -> None:
        _case(w)
        w.go("case_narrative")
        w.page("case_narrative").field.set_text("Esperé tres horas")  # type: ignore[attr-defined]
        w.idle.start()
        w.clock.advance(w.config.idle_seconds + 3)  # type: ignore[attr-defined]
        w.idle.check()

    def staff(w: KioskWindow) -> None:
        # The stand-in stays until the next scene's end_session (the grab comes after this).
        w.staff.bridge = _StaffScene(w, database)
        w.go("staff")

    def staff_syncing(w: KioskWindow) -> None:
        w.staff.bridge = _StaffScene(w, database, syncing=True)
        w.go("staff")

    def error(w: KioskWindow) -> None:
        _case(w)
        w.go("case_review")
        w.page("case_review").show_error(save_failed_text())  # type: ignore[attr-defined]
        w.show_staff_notice("storage_full")

    def large(scene: Callable[[KioskWindow], None]) -> Callable[[KioskWindow], None]:
        def run(w: KioskWindow) -> None:
            w.large_text_button.setChecked(True)
            scene(w)

        return run

    return [
        ("attract", go("attract")),
        ("language", go("language")),
        ("menu", go("menu")),
        ("folio-info", go("folio_info")),
        ("survey-rating", go("survey_rating", _survey)),
        ("survey-reasons", reasons),
        ("survey-service", go("survey_service", _survey)),
        ("survey-comment", comment),
        ("survey-thanks", thanks),
        ("case-type", go("case_type", _case)),
        ("case-service", go("case_service", _case)),
        ("case-category", go("case_category", _case)),
        ("case-narrative", narrative),
        ("case-staff", go("case_staff", _case)),
        ("case-request", go("case_request", _case)),
        ("case-recognised", go("case_recognised", lambda w: _case(w, CaseType.RECONOCIMIENTO))),
        ("case-publish", go("case_publish", lambda w: _case(w, CaseType.RECONOCIMIENTO))),
        ("case-contact-choice", go("case_contact_choice", _case)),
        ("case-privacy", go("case_privacy", _case)),
        ("case-identity", identity),
        ("case-contact", contact),
        ("case-review", go("case_review", _case)),
        ("case-review-error", error),
        ("case-confirmation", done),
        ("idle", idle),
        ("pin", go("pin")),
        ("staff", staff),
        ("staff-syncing", staff_syncing),
        *staff_scenes.scenes(),
        *campaign_scenes(),
        ("case-category-large-text", large(go("case_category", _case))),
        ("case-identity-large-text", large(identity)),
        ("survey-rating-large-text", large(go("survey_rating", _survey))),
    ]


def settle(app: Any, rounds: int = 8) -> None:
    """Let the layouts finish: a scroll pane shows its cue, a window re-sizes its pages, one
    event-loop round after another."""
    for _ in range(rounds):
        app.sendPostedEvents()
        app.processEvents()


def is_staff(name: str) -> bool:
    return name == "pin" or name.startswith("staff")


def themes_at(size: tuple[int, int], name: str) -> tuple[str, ...]:
    """The themes scene ``name`` is grabbed in at ``size``."""
    extra = STAFF_SETS.get(size, ()) if is_staff(name) else ()
    return tuple(dict.fromkeys((*SETS.get(size, (NORMAL,)), *extra)))


def shot_name(name: str, size: tuple[int, int], theme: str) -> str:
    sized = "" if size == SIZE else f"-{size[0]}x{size[1]}"
    return f"{name}{sized}-{theme.replace('_', '-')}.png"


def render(
    out: Path,
    *,
    themes: tuple[str, ...] | None = None,
    sizes: tuple[tuple[int, int], ...] | None = None,
) -> list[Path]:
    """Grab every scene at each size of ``sizes`` (default: all of :data:`SETS`) in
    ``themes`` (default: the themes of that size's set)."""
    from kiosk.app import build_kiosk

    app = QApplication.instance() or QApplication(sys.argv[:1])
    written: list[Path] = []
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="trato-shots-") as tmp:
        settings = load_settings(tmp)
        enrol_demo_identity(settings)
        clock = FixedClock(DEMO_TIME)
        from devtools.staff_scenes import seed

        kiosk = build_kiosk(
            settings,
            clock=clock,
            kiosk_mode=False,
            start_sync=False,
            ui_overrides={"confirm_ms": 0},
        )
        assert kiosk.database is not None
        seed(kiosk.database, DEMO_TIME)
        window = kiosk.window
        window.show()
        try:
            for size in sizes or tuple(SETS):
                window.end_session()
                window.resize(*size)
                settle(app)
                for theme in themes or (NORMAL, HIGH_CONTRAST):
                    for name, scene in scenes(kiosk.database):
                        if themes is None and theme not in themes_at(size, name):
                            continue
                        window.end_session()
                        window.staff.bridge = kiosk.sync_bridge  # undo a scene's stand-in
                        window.banner.hide()
                        window.contrast_button.setChecked(theme == HIGH_CONTRAST)
                        scene(window)
                        settle(app)
                        path = out / shot_name(name, size, theme)
                        window.grab().save(str(path))
                        written.append(path)
        finally:
            window.banner.hide()
            kiosk.close()
    return written


def parse_size(text: str) -> tuple[int, int]:
    """``"1366x768"`` -> ``(1366, 768)`` (the ``--sizes`` of the screenshot commands)."""
    width, height = (int(v) for v in text.lower().split("x"))
    return width, height


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--sizes", nargs="*", default=None, metavar="WxH",
                        help="only these sizes (default: " + ", ".join(
                            f"{w}x{h}" for w, h in SETS) + ")")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    sizes = tuple(parse_size(s) for s in args.sizes) if args.sizes else None
    paths = render(args.out, sizes=sizes)
    log.info("wrote %d screenshots to %s", len(paths), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
