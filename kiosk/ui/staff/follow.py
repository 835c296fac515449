"""The module's cases in the staff area: "Casos del módulo" (the due-first list) and a case's
detail with its timeline, stage changes and notes.

Both pages are built on first use for the agent signed in (``StaffArea.agent``) over the
kiosk's store (``StaffArea.database``), are told of each new agent when shown
(:meth:`for_agent`), and forget what they showed when the agent leaves."""

import uuid
from typing import Any

from kiosk.ui.base import Page

CASES_PAGE = "staff_cases"
CASE_PAGE = "staff_case"


def _cases(area: Any) -> Any:
    from kiosk.services.module_cases import ModuleCases

    if area.database is None:
        raise RuntimeError("the module's cases need the kiosk's store")
    return ModuleCases(area.database, area.host.clock)


def cases_page(area: Any) -> Page:
    from kiosk.ui.staff.cases import CasesPage

    page = CasesPage(area.host.metrics, _cases(area), area.agent)

    def open_case(case_id: uuid.UUID) -> None:
        area.host.go(CASE_PAGE)
        area.host.page(CASE_PAGE).show_case(case_id)

    page.open_case.connect(open_case)
    page.keys.wanted.connect(lambda: area.host.dock.show_for(page))
    page.exit.connect(area.go_hub)
    area.signed_out.connect(page.forget)  # a bound slot: gone with the page when it is dropped
    return page


def case_page(area: Any) -> Page:
    from kiosk.services.case_follow_up import CaseFollowUp
    from kiosk.ui.staff.case_detail import CaseDetailPage

    follow_up = CaseFollowUp(area.database, _cases(area), area.host.case_service)
    page = CaseDetailPage(area.host.metrics, follow_up, area.agent)
    page.back.connect(lambda: area.host.go(CASES_PAGE, push=False))
    page.keys.wanted.connect(lambda: area.host.dock.show_for(page))
    area.signed_out.connect(page.forget)  # a bound slot: gone with the page when it is dropped
    return page


#: Page builders the staff area adds to its own (page name -> function(area) -> Page).
BUILDERS = {CASES_PAGE: cases_page, CASE_PAGE: case_page}
