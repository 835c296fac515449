"""The module's cases reached from the staff hub, by taps: the list shows a queja filed at the
kiosk, its detail opens, a stage change is queued for the central server, and after the
agent signs out the pages keep nothing of what they showed."""

from typing import Any

from PySide6.QtCore import Qt
from sqlmodel import select

from kiosk.storage.models import CaseEvent
from tests.kiosk.storage.factories import case_draft
from tests.kiosk.ui.conftest import Harness
from tests.kiosk.ui.staff_support import AGENT_ID, AGENT_NAME, AGENT_PIN, add_roster, sign_in
from trato.domain.enums import CaseStage


def test_the_hub_opens_the_module_cases_and_a_stage_change_is_queued(
    harness: Harness,
) -> None:
    h = harness
    add_roster(h)
    saved = h.window.case_service.submit(case_draft())
    sign_in(h, AGENT_ID, AGENT_PIN)
    hub: Any = h.window.page("staff_hub")
    assert "casos" in hub.visible_sections()
    h.tap(hub.buttons["casos"])
    h.wait_page("staff_cases")
    cases: Any = h.window.page("staff_cases")
    (line,) = cases.shown()
    assert saved.folio.replace("-", "")[:4] in line.replace("-", "") and "Queja" in line
    rect = cases.view.visualRect(cases.model.index(0))
    h.settle()
    h.qtbot.mouseClick(cases.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    h.wait_page("staff_case")
    detail: Any = h.window.page("staff_case")
    assert "Tipo: Queja" in detail.facts.text()
    assert [b.text() for b in detail.stage_buttons] == ["Pasar a Integración"]
    h.qtbot.waitUntil(detail.stage_buttons[0].isVisible, timeout=3000)  # shown on the next turn
    h.tap(detail.stage_buttons[0])
    h.qtbot.waitUntil(lambda: "se enviará" in detail.message.text(), timeout=5000)
    database = h.kiosk.database
    assert database is not None
    with database.read() as session:
        (event,) = session.exec(select(CaseEvent)).all()
    assert event.case_id == saved.id and CaseStage(event.stage) is CaseStage.INTEGRACION
    assert event.agent == AGENT_NAME  # who did it, as the timeline shows it
    h.tap(detail.back_button)
    h.wait_page("staff_cases")
    h.tap(cases.exit_button)
    h.wait_page("staff_hub")
    h.tap(hub.sign_out_button)
    h.wait_page("attract")
    assert cases.shown() == [] and detail.facts.text() == "" and detail.case_id is None
