"""The staff case pages, real widgets offscreen on a real store: the list due first, search by
folio, a case's detail with its timeline, allowed and refused stage changes, reserved cases."""

import threading
import uuid
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.services.module_cases import PAGE_SIZE
from kiosk.ui.metrics import Metrics
from kiosk.ui.staff.case_detail import CaseDetailPage
from kiosk.ui.staff.cases import CasesPage
from tests.kiosk.staff.support import AGENT, SUPERVISOR, Module
from trato.domain.enums import CaseStage
from trato.domain.folio import make_folio

METRICS = Metrics(px_per_mm=4.0, width_px=1366, height_px=768)


def _list(qtbot: QtBot, module: Module, agent=AGENT) -> CasesPage:
    page = CasesPage(METRICS, module.cases, agent)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.refresh()
    return page


def test_the_list_shows_due_first_and_searches_by_folio(qtbot: QtBot, module: Module) -> None:
    late = module.file(date(2026, 1, 5))
    recent = module.file(date(2026, 3, 12))
    secret = module.file(date(2026, 3, 11), categories=("acoso",))
    module.today(date(2026, 3, 13))
    page = _list(qtbot, module)
    shown = page.shown()
    assert len(shown) == 3
    folio = module.cases.row(recent).display_folio
    assert shown[-1].startswith(folio) and "Completar información: 4 días hábiles" in shown[-1]
    assert "Reservado" in shown[1] and "M. G." not in shown[1]
    assert "M. G." in shown[0] and "Queja" in shown[0]
    assert "Abiertos: 3" in page.summary.text() and "Vencidos: 0" in page.summary.text()
    qtbot.keyClicks(page.search, module.cases.row(late).folio.replace("-", "").lower())
    qtbot.mouseClick(page.search_button, Qt.MouseButton.LeftButton)
    assert len(page.shown()) == 1 and page.shown()[0].startswith(
        module.cases.row(late).display_folio)
    with qtbot.waitSignal(page.open_case) as opened:
        rect = page.view.visualRect(page.model.index(0))
        qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [late]
    page.search.clear()
    page.apply_search()
    assert not page.empty.isVisible() and page.model.rowCount() == 3
    assert secret in {page.model.row_at(n).case_id for n in range(3)}


def test_an_empty_list_says_so(qtbot: QtBot, module: Module) -> None:
    page = _list(qtbot, module)
    assert page.shown() == [] and page.empty.isVisible()


def _detail(qtbot: QtBot, module: Module, case_id, agent=AGENT) -> CaseDetailPage:
    page = CaseDetailPage(METRICS, module.follow_up, agent)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.show_case(case_id)
    return page


def test_the_detail_changes_stage_and_adds_a_note(qtbot: QtBot, module: Module) -> None:
    case_id = module.file(date(2026, 3, 10))
    page = _detail(qtbot, module, case_id)
    assert "Tipo: Queja" in page.facts.text() and "12345678903" not in page.facts.text()
    assert [b.text() for b in page.stage_buttons] == ["Pasar a Integración"]
    page.note.setPlainText("Se pidió el NSS por teléfono")
    with qtbot.waitSignal(page.changed):
        qtbot.mouseClick(page.stage_buttons[0], Qt.MouseButton.LeftButton)
    assert "se enviará" in page.message.text()
    assert module.cases.row(case_id).stage is CaseStage.INTEGRACION
    assert [b.text() for b in page.stage_buttons] == ["Pasar a Investigación"]
    lines = [w.text() for w in page.timeline_box.findChildren(type(page.facts))]
    assert "Cambio de etapa · Integración · Se pidió el NSS por teléfono" in lines[-1]
    assert "por enviar" in lines[-1]
    with qtbot.assertNotEmitted(page.changed):
        qtbot.mouseClick(page.note_button, Qt.MouseButton.LeftButton)
    assert page.message.text() == "Escriba la nota antes de agregarla."
    page.note.setPlainText("Llamada de seguimiento")
    qtbot.mouseClick(page.note_button, Qt.MouseButton.LeftButton)
    assert page.message.text().startswith("Nota guardada")


def test_a_refused_change_says_why(qtbot: QtBot, module: Module) -> None:
    case_id = module.file(date(2026, 3, 10))
    page = _detail(qtbot, module, case_id)
    # The server moved the case meanwhile: the button the agent sees is now a skip.
    module.status(case_id, "x", "investigacion", version=2)
    with qtbot.assertNotEmitted(page.changed):
        page.change_stage(CaseStage.INTEGRACION)
    assert page.message.text() == ("No se puede regresar a una etapa anterior: el caso está en "
                                   "Investigación.")
    page.change_stage(CaseStage.NOTIFICACION)
    assert page.message.text().startswith("No se puede saltar etapas")


def test_a_sensitive_case_is_reserved_for_an_agent_without_the_right(
        qtbot: QtBot, module: Module) -> None:
    case_id = module.file(date(2026, 3, 10), categories=("violencia",))
    page = _detail(qtbot, module, case_id)
    assert "Caso sensible" in page.facts.text() and "El 2 de marzo" not in page.facts.text()
    assert page.stage_buttons == [] and not page.note_button.isVisible()
    allowed = _detail(qtbot, module, case_id, SUPERVISOR)
    assert "El 2 de marzo" in allowed.facts.text() and len(allowed.stage_buttons) == 1


def test_scrolling_to_the_end_reads_the_next_pages_without_waiting(
        qtbot: QtBot, module: Module, monkeypatch: pytest.MonkeyPatch) -> None:
    total = PAGE_SIZE * 2 + 5
    for n in range(total):
        module.status(uuid.uuid4(), str(make_folio(unit_number=1234, kiosk_number=9,
                                                   sequence=n + 1)), "recepcion",
                      resolution_due=f"2026-04-{n % 28 + 1:02d}")
    page = _list(qtbot, module)
    assert page.model.rowCount() == PAGE_SIZE  # the first page at once
    gate = threading.Event()  # a slow store (fault): the next pages wait for the gate
    read = module.cases.page

    def slow(offset: int, *args: object, **kwargs: object) -> object:
        if offset:
            gate.wait(10)
        return read(offset, *args, **kwargs)

    monkeypatch.setattr(module.cases, "page", slow)
    bar = page.view.verticalScrollBar()
    bar.setValue(bar.maximum())
    page.view.viewport().repaint()
    QApplication.processEvents()  # the screen keeps painting while the store reads
    assert page.model.rowCount() == PAGE_SIZE
    gate.set()

    def swiped_to_the_end() -> bool:
        bar.setValue(bar.maximum())
        return page.model.rowCount() == total

    qtbot.waitUntil(swiped_to_the_end, timeout=5000)
    dues = [page.model.row_at(n).clock.due for n in range(total)]
    assert dues == sorted(dues)  # the pages follow on in the list's order
