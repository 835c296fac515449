"""The kiosk's perception-campaign screens to ``docs/screenshots/`` (issue 12):

``QT_QPA_PLATFORM=offscreen python -m devtools.campaign_screenshots [--out DIR]
[--sizes 1366x768 1280x720]``

The real kiosk (composition root, a real store enrolled with a throwaway identity) receives
a campaign of the bundled perception instrument through the change applier, open on the
demo day; the survey's thank-you page with the offer, a question (also with "Texto grande")
and the thanks are grabbed at 1920x1080 (both themes) and on the portrait panel, or in the
normal theme at each of ``--sizes``. The same scenes are in
:func:`devtools.screenshots.scenes` (``./dev screenshots``, the layout test).
"""

import argparse
import json
import sys
import tempfile
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from devtools.screenshots import (
    DEFAULT_OUT,
    DEMO_TIME,
    _survey,
    enrol_demo_identity,
    parse_size,
    settle,
    shot_name,
)
from kiosk.clock import FixedClock
from kiosk.settings import load_settings
from kiosk.sync.changes import apply_change
from kiosk.ui.theme import HIGH_CONTRAST, NORMAL
from trato.protocol.wire import CampaignData, Change, ChangeKind

if TYPE_CHECKING:
    from kiosk.ui.window import KioskWindow

ROOT = Path(__file__).resolve().parents[1]
SIZES = {(1920, 1080): (NORMAL, HIGH_CONTRAST), (1080, 1920): (NORMAL,)}


def campaign_change() -> Change:
    definition = json.loads((ROOT / "assets" / "instruments" / "percepcion-hospitalaria"
                             / "v1.json").read_text(encoding="utf-8"))
    day = DEMO_TIME.date()
    data = CampaignData(
        campaign_id=uuid.UUID(int=12), name="Percepción hospitalaria, bimestre",
        instrument_id=definition["id"], instrument_version=definition["version"],
        starts_on=day - timedelta(days=3), ends_on=day + timedelta(days=40),
        channels=["kiosk"], intro=definition["intro"],
        not_applicable_label=definition["not_applicable_label"],
        questions=[{"code": q["code"], "text": q["text"],
                    "scale": [p["label"] for p in q["scale"]]}
                   for q in definition["questions"]])
    return Change(cursor=1, kind=ChangeKind.CAMPAIGN, key=str(data.campaign_id), version=1,
                  data=data.model_dump(mode="json"))


class _Offers:
    """A stand-in for :class:`kiosk.services.campaigns.CampaignOffers`: the sample campaign."""

    def current(self) -> CampaignData:
        return CampaignData.model_validate(campaign_change().data)


def _offered(w: "KioskWindow") -> None:
    w.campaigns = _Offers()
    _survey(w, rating=4)
    w.go("survey_comment")
    w.survey_flow.submit("")


def _question(w: "KioskWindow") -> None:
    _offered(w)
    w.campaign_flow.start()
    w.campaign_flow.answer("4")  # the second question, as after a tap


def _thanks(w: "KioskWindow") -> None:
    _offered(w)
    w.campaign_flow.start()
    for _ in w.session.campaign.questions:
        w.campaign_flow.answer("4")


def _question_large(w: "KioskWindow") -> None:
    w.large_text_button.setChecked(True)
    _question(w)


def campaign_scenes() -> list[tuple[str, Callable[["KioskWindow"], None]]]:
    """The campaign's screens for :func:`devtools.screenshots.scenes` (and the layout test)."""
    return [("campaign-offer", _offered), ("campaign-question", _question),
            ("campaign-thanks", _thanks), ("campaign-question-large-text", _question_large)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--sizes", nargs="*", default=None, metavar="WxH",
                        help="only these sizes, normal theme (default: " + ", ".join(
                            f"{w}x{h}" for w, h in SIZES) + ")")
    args = parser.parse_args(argv)
    sizes = {parse_size(s): (NORMAL,) for s in args.sizes} if args.sizes else SIZES
    from kiosk.app import build_kiosk

    app = QApplication.instance() or QApplication(sys.argv[:1])
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="trato-campaign-shots-") as tmp:
        settings = load_settings(tmp)
        enrol_demo_identity(settings)
        kiosk = build_kiosk(settings, clock=FixedClock(DEMO_TIME), kiosk_mode=False,
                            start_sync=False, ui_overrides={"confirm_ms": 0})
        assert kiosk.database is not None
        with kiosk.database.write() as session:  # received as from the server
            assert apply_change(session, campaign_change(), DEMO_TIME)
        window = kiosk.window
        window.show()
        try:
            for size, themes in sizes.items():
                window.end_session()
                window.resize(*size)
                settle(app)
                for theme in themes:
                    for name, scene in campaign_scenes():
                        window.end_session()
                        window.contrast_button.setChecked(theme == HIGH_CONTRAST)
                        scene(window)
                        settle(app)
                        path = args.out / shot_name(name, size, theme)
                        window.grab().save(str(path))
                        print(path)
        finally:
            kiosk.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
