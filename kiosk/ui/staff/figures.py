"""The module's figures in the staff area: "Tablero del módulo" (:mod:`.module_board`).

Built on first use over the kiosk's store (``StaffArea.database``), read again each time it is
shown (:meth:`for_agent`), emptied when the agent leaves."""

from typing import Any

from kiosk.ui.base import Page

BOARD_PAGE = "staff_board"


def board_page(area: Any) -> Page:
    from kiosk.services.module_board import BoardService
    from kiosk.services.module_cases import ModuleCases
    from kiosk.ui.staff.module_board import BoardPage

    if area.database is None:
        raise RuntimeError("the module's board needs the kiosk's store")
    cases = ModuleCases(area.database, area.host.clock)
    page = BoardPage(area.host.metrics, BoardService(area.database, area.host.clock, cases),
                     area.agent)
    page.exit_button.clicked.connect(area.go_hub)
    area.signed_out.connect(lambda _reason: page.forget())
    return page


#: Page builders the staff area adds to its own (page name -> function(area) -> Page).
BUILDERS = {BOARD_PAGE: board_page}
