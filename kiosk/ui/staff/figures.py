"""The module's figures in the staff area: "Tablero del módulo" (:mod:`.module_board`) and
"Exportar a una memoria USB" (:mod:`.export_page`; where to is :func:`find_places`).

Built on first use over the kiosk's store (``StaffArea.database``), read again each time it is
shown (:meth:`for_agent`), emptied when the agent leaves."""

from typing import Any

from kiosk.ui.base import Page

BOARD_PAGE = "staff_board"
EXPORT_PAGE = "staff_export"


def find_places() -> list[Any]:
    """Where the agent may export: the USB drives mounted now, then the home folder."""
    from kiosk.services.export import places

    return places()


def _cases(area: Any) -> Any:
    from kiosk.services.module_cases import ModuleCases

    if area.database is None:
        raise RuntimeError("the module's figures need the kiosk's store")
    return ModuleCases(area.database, area.host.clock)


def board_page(area: Any) -> Page:
    from kiosk.services.module_board import BoardService
    from kiosk.ui.staff.module_board import BoardPage

    cases = _cases(area)
    page = BoardPage(area.host.metrics, BoardService(area.database, area.host.clock, cases),
                     area.agent)
    page.exit_button.clicked.connect(area.go_hub)
    area.signed_out.connect(page.forget)  # a bound slot: gone with the page when it is dropped
    return page


def export_page(area: Any) -> Page:
    from kiosk.services.export import Exporter
    from kiosk.ui.staff.export_page import ExportPage

    exporter = Exporter(area.database, area.host.clock, _cases(area))
    page = ExportPage(area.host.metrics, exporter, area.agent, lambda: find_places())
    page.exit_button.clicked.connect(area.go_hub)
    page.keys.wanted.connect(lambda: area.host.dock.show_for(page))
    area.signed_out.connect(page.forget)  # a bound slot: gone with the page when it is dropped
    return page


#: Page builders the staff area adds to its own (page name -> function(area) -> Page).
BUILDERS = {BOARD_PAGE: board_page, EXPORT_PAGE: export_page}
