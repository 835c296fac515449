"""The administrator's part of the staff area: "Ajustes del kiosco" (:mod:`.settings_page`).

Built on first use over the editor the composition root attached
(``StaffArea.settings_editor``), read again each time it is shown (:meth:`for_agent`),
emptied when the administrator leaves."""

from typing import Any

from kiosk.ui.base import Page

SETTINGS_PAGE = "staff_settings"


def find_printers() -> list[str]:
    """The printer queues Qt sees now (CUPS on Linux), by name."""
    from PySide6.QtPrintSupport import QPrinterInfo

    return sorted(QPrinterInfo.availablePrinterNames(), key=str.casefold)


def settings_page(area: Any) -> Page:
    from kiosk.ui.i18n import available_languages
    from kiosk.ui.staff.settings_page import SettingsPage

    if area.settings_editor is None:
        raise RuntimeError("the kiosk settings need the kiosk's store")
    languages = available_languages(area.host.assets.translations_dir)
    page = SettingsPage(area.host.metrics, area.settings_editor, area.agent,
                        lambda: find_printers(), languages)
    page.exit_button.clicked.connect(area.go_hub)
    page.keys.wanted.connect(lambda: area.host.dock.show_for(page))
    area.signed_out.connect(page.forget)  # a bound slot: gone with the page when it is dropped
    return page


#: Page builders the staff area adds to its own (page name -> function(area) -> Page).
BUILDERS = {SETTINGS_PAGE: settings_page}
