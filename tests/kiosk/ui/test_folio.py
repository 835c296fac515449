"""The folio lookup: where to look, then back to the attract screen."""

from tests.kiosk.ui.conftest import Harness


def test_folio_lookup_shows_information(harness: Harness) -> None:
    h = harness
    h.start()
    h.choose("menu", "folio", then="folio_info")
    h.tap(h.window.page("folio_info").finish_button)  # type: ignore[attr-defined]
    h.wait_page("attract")
