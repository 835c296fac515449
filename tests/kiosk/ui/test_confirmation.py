"""The receipts: a queja's confirmation states its deadlines (5 and 50 business days, in
Spanish, around weekends and Mexican holidays) and how to follow the folio; it counts down
visibly to the attract screen; its buttons, and the thanks page's, are never where "Enviar"
was; and "Imprimir comprobante" prints folio, QR, date and deadlines (to a PDF here)."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pypdf
import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from kiosk.flow.session import CASE, SURVEY, CaseState, SurveyState
from kiosk.settings import KioskSettings
from kiosk.ui.printing import PdfReceiptPrinter, ReceiptPrinter
from kiosk.ui.receipt import Receipt
from tests.kiosk.ui.conftest import Harness, make_settings, to_review
from trato.domain.enums import CaseType

#: Filing moment (UTC) -> what the confirmation says, counted by hand (see
#: tests/kiosk/services/test_lookup.py for the business-day table).
DEADLINES = [
    (datetime(2026, 12, 25, 5, 30, tzinfo=UTC), [  # 23:30 on 24 Dec in Mexico City
        "Fecha de registro: jueves 24 de diciembre de 2026.",
        "Si falta información, se le pedirá a más tardar el lunes 4 de enero de 2027 "
        "(5 días hábiles).",
        "Recibirá respuesta a más tardar el martes 9 de marzo de 2027 (50 días hábiles)."]),
    (datetime(2027, 3, 12, 18, 0, tzinfo=UTC), [  # Friday, then Benito Juárez day on Monday
        "Fecha de registro: viernes 12 de marzo de 2027.",
        "Si falta información, se le pedirá a más tardar el lunes 22 de marzo de 2027 "
        "(5 días hábiles).",
        "Recibirá respuesta a más tardar el lunes 24 de mayo de 2027 (50 días hábiles)."]),
]


def _submit(h: Harness) -> Any:
    h.tap(h.window.page("case_review").submit_button)  # type: ignore[attr-defined]
    h.wait_page("case_done")
    return h.window.page("case_done")


@pytest.mark.parametrize(("filed_at", "lines"), DEADLINES, ids=["2026-12-24", "2027-03-12"])
def test_the_confirmation_states_the_deadlines_and_how_to_follow(
        harness: Harness, filed_at: datetime, lines: list[str]) -> None:
    h = harness
    to_review(h)
    h.clock.set(filed_at)
    done = _submit(h)
    assert done.dates.text().splitlines() == lines
    follow = done.follow.text()
    assert "Consultar un folio" in follow and "módulo de Trato Digno" in follow
    assert done.qr.data and done.folio.text() == h.cases()[0].folio


def test_the_confirmation_counts_down_and_returns_when_it_says(harness: Harness) -> None:
    h = harness
    to_review(h)
    done = _submit(h)
    assert h.window.config.done_seconds >= 20
    assert done.countdown.text() == "Esta pantalla vuelve al inicio en 40 segundos."
    assert done.finish_button.isVisible() and not h.window.back_button.isVisible()
    h.clock.advance(39)
    done.refresh_countdown()
    assert done.countdown.text() == "Esta pantalla vuelve al inicio en 1 segundo."
    h.window.idle.check()
    assert h.window.current == "case_done"  # nothing ends before the countdown says so
    h.clock.advance(1)
    h.window.idle.check()
    assert h.window.current == "attract"


def test_terminar_ends_the_session_once_the_receipt_was_seen(harness: Harness) -> None:
    h = harness
    to_review(h)
    done = _submit(h)
    assert h.window.tap_guard.quiet_left() >= 1.4  # the receipt ignores input for a moment
    h.tap(done.finish_button)
    h.wait_page("attract")


def _buttons(window: QWidget) -> list[tuple[str, QRect]]:
    return [(b.text(), QRect(b.mapTo(window, b.rect().topLeft()), b.size()))
            for b in window.findChildren(QAbstractButton) if b.isVisible()]


SIZES = [(1280, 720), (1366, 768), (1920, 1080), (1080, 1920)]


def _enviar_spot(h: Harness, page_name: str, button: str) -> tuple[QRect, Any]:
    h.window.go(page_name)
    QApplication.processEvents()
    enviar = getattr(h.window.page(page_name), button)
    return QRect(enviar.mapTo(h.window, enviar.rect().topLeft()), enviar.size()), enviar


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_no_receipt_button_is_where_enviar_was(harness: Harness, width: int,
                                               height: int) -> None:
    """Reached directly (the choice lists scroll on small screens), then "Enviar" tapped."""
    h = harness
    w = h.window
    w.receipt_printer = PdfReceiptPrinter(Path("unused.pdf"))  # every button shown
    w.resize(width, height)
    h.start()
    w.session.begin(CASE, now=0.0)
    w.session.case = CaseState(case_type=CaseType.QUEJA, service_code="urgencias",
                               categories=("acoso",), narrative="Me gritaron", consent=True)
    spot, enviar = _enviar_spot(h, "case_review", "submit_button")
    h.tap(enviar)
    h.wait_page("case_done")
    QApplication.processEvents()
    done: Any = w.page("case_done")
    assert done.print_button.isVisible() and done.sensitive_note.isVisible()
    assert [text for text, rect in _buttons(w) if rect.intersects(spot)] == []

    # The survey's "Enviar" sits above the keyboard; the thanks page keeps clear of it too.
    w.end_session()
    h.start()
    w.session.begin(SURVEY, now=0.0)
    w.session.survey = SurveyState(rating=1, answered=True, service_code="farmacia")
    spot, enviar = _enviar_spot(h, "survey_comment", "continue_button")
    assert w.keyboard.isVisible()
    h.tap(enviar)
    h.wait_page("survey_thanks")
    QApplication.processEvents()
    assert w.page("survey_thanks").offer.isVisible()  # type: ignore[attr-defined]
    assert [text for text, rect in _buttons(w) if rect.intersects(spot)] == []


def _pdf_text(path: Path) -> tuple[str, Any]:
    reader = pypdf.PdfReader(str(path))
    [page] = reader.pages
    return " ".join(page.extract_text().split()), page


def test_imprimir_comprobante_prints_folio_qr_date_and_deadlines(harness: Harness,
                                                                tmp_path: Path) -> None:
    h = harness
    receipt = tmp_path / "comprobante.pdf"
    h.window.receipt_printer = PdfReceiptPrinter(receipt)
    to_review(h)
    done = _submit(h)
    [row] = h.cases()
    h.tap(done.print_button)
    assert done.print_status.text() == "Listo: tome su comprobante."
    assert not done.print_button.isEnabled()  # one receipt per case
    text, page = _pdf_text(receipt)
    assert "Su queja quedó registrada" in text and row.folio in text
    assert "Fecha de registro: lunes 2 de marzo de 2026." in text
    assert "lunes 9 de marzo de 2026 (5 días hábiles)" in text
    assert "miércoles 13 de mayo de 2026 (50 días hábiles)" in text
    assert "Me gritaron" not in text  # never the person's words
    assert len(page.images) == 1  # the QR
    assert round(float(page.mediabox.width) / 72 * 25.4) == 80


def test_without_a_printer_there_is_no_print_button(make_harness: Any, tmp_path: Path) -> None:
    # A queue CUPS does not know (no CUPS here at all) gives no printer, so no button.
    assert ReceiptPrinter.for_queue("no-such-queue") is None
    settings: KioskSettings = make_settings(tmp_path / "data").model_copy(
        update={"receipt_printer": "no-such-queue"})
    h = make_harness(settings)
    assert h.window.config.receipt_printer == "no-such-queue"
    assert h.window.receipt_printer is None
    to_review(h)
    done = _submit(h)
    assert not done.print_button.isVisible()


def test_a_long_receipt_grows_the_page(tmp_path: Path, qapp: QApplication) -> None:
    short, long = tmp_path / "short.pdf", tmp_path / "long.pdf"
    base = Receipt("Su queja quedó registrada", "16J0-7000-0013", "https://x/folio/1",
                   ("Fecha de registro: lunes 2 de marzo de 2026.",), "Consulte su folio.")
    assert PdfReceiptPrinter(short).print_receipt(base)
    assert PdfReceiptPrinter(long).print_receipt(
        Receipt(base.title, base.folio, base.tracking_url, base.dates * 6, base.follow))
    heights = [float(pypdf.PdfReader(str(p)).pages[0].mediabox.height) for p in (short, long)]
    assert heights[1] > heights[0] + 50
