"""The module's board reached from the staff hub by taps: with fewer than five rated
responses the index is withheld ("Menos de 5 respuestas: no se muestra"); with more, the
figures shown are the board service's over the same store; recognitions by name; "Volver"
leads to the hub and signing out empties the page."""

from typing import Any

from kiosk.services.module_board import BoardService
from kiosk.services.module_cases import ModuleCases
from kiosk.services.surveys import SurveyService
from tests.kiosk.storage.factories import case_draft, survey_draft
from tests.kiosk.ui.conftest import Harness
from tests.kiosk.ui.staff_support import AGENT_ID, AGENT_PIN, add_roster, sign_in
from trato.domain.enums import CaseType

RULE = "Menos de 5 respuestas: no se muestra"


def _open_board(h: Harness) -> Any:
    hub: Any = h.window.page("staff_hub")
    assert "tablero" in hub.visible_sections()
    h.tap(hub.buttons["tablero"])
    h.wait_page("staff_board")
    return h.window.page("staff_board")


def test_the_board_shows_the_service_figures_and_the_small_number_rule(
    harness: Harness,
) -> None:
    h = harness
    add_roster(h)
    database = h.kiosk.database
    assert database is not None
    surveys = SurveyService(database, h.clock)
    for rating in (5, 4, 1):
        surveys.submit(survey_draft(rating=rating))
    h.window.case_service.submit(case_draft())
    for name in ("Enf. Lupita", "enf lupita", "Dr. Ramos"):
        h.window.case_service.submit(case_draft(
            case_type=CaseType.RECONOCIMIENTO, categories=(), recognised_person=name,
            narrative="Gracias", request="", staff_involved=""))
    sign_in(h, AGENT_ID, AGENT_PIN)
    board = _open_board(h)
    assert "Respuestas hoy: 3 · Esta semana: 3" in board.responses.text()
    assert board.index.text().count(RULE) == 3  # today, this week, the last days: all < 5
    assert "Casos abiertos: 4" in board.cases.text()
    assert "Enf. Lupita (2)" in board.recognitions.text()
    assert "Dr. Ramos (1)" in board.recognitions.text()
    assert all(index is None for _day, index in board.chart.weeks())

    h.tap(board.exit_button)
    h.wait_page("staff_hub")
    for rating in (5, 5, 2):
        surveys.submit(survey_draft(rating=rating))
    board = _open_board(h)  # read again when shown
    expected = BoardService(database, h.clock, ModuleCases(database, h.clock)).board()
    assert expected.today.rated.index is not None
    figure = f"{expected.today.rated.index:.0f} de 100"
    assert figure == "67 de 100"  # 4 of 6 rated 4 or 5
    assert f"hoy {figure}" in board.index.text() and RULE not in board.index.text()
    assert f"Respuestas hoy: {expected.today.responses}" in board.responses.text()
    (this_week,) = [i for day, i in board.chart.weeks()
                    if day == expected.trend[-1][0].strftime("%d/%m")]
    assert this_week == expected.trend[-1][1].index
    assert [i for _d, i in board.chart.weeks()][:-1] == [None] * (len(expected.trend) - 1)
    board.grab()  # the chart paints without error

    h.tap(board.exit_button)
    h.wait_page("staff_hub")
    h.tap(h.window.page("staff_hub").sign_out_button)
    h.wait_page("attract")
    assert board.index.text() == "" and board.chart.weeks() == []
