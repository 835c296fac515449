""""Consultar un folio", offline: typed on the on-screen keyboard as people type it, a typo
caught by the check character, an unknown folio answered plainly, a case filed here and not
sent yet, a status pulled from the central server with its "as of", a sensitive case with
only its stage; never any personal data on screen."""

import uuid
from datetime import UTC, datetime
from typing import Any

from PySide6.QtWidgets import QLabel
from sqlmodel import select

from kiosk.storage.models import SINGLE_ROW_ID, Case, SyncState
from kiosk.sync import outbox
from kiosk.sync.changes import apply_change
from tests.kiosk.ui.conftest import Harness, to_review
from trato.domain.folio import make_folio
from trato.protocol.wire import Change, ChangeKind, RecordResult, RecordStatus


def _file_a_queja(h: Harness) -> str:
    to_review(h)
    h.tap(h.window.page("case_review").submit_button)  # type: ignore[attr-defined]
    h.wait_page("case_done")
    folio = h.window.page("case_done").folio.text()  # type: ignore[attr-defined]
    h.tap(h.window.page("case_done").finish_button)  # type: ignore[attr-defined]
    h.wait_page("attract")
    return folio


def _look_up(h: Harness, typed: str) -> Any:
    h.start()
    h.choose("menu", "folio", then="folio_info")
    entry: Any = h.window.page("folio_info")
    assert h.window.keyboard.isVisible()
    h.type_keys(typed)
    return entry


def _answer(h: Harness, entry: Any) -> str:
    h.tap(entry.lookup_button)
    h.wait_page("folio_result")
    return h.window.page("folio_result").lines.text()  # type: ignore[attr-defined]


def _screen_texts(h: Harness) -> str:
    return "\n".join(lab.text() for lab in h.window.findChildren(QLabel) if lab.isVisible())


def test_a_case_filed_here_and_not_sent_yet(harness: Harness) -> None:
    h = harness
    folio = _file_a_queja(h)
    # As dictated: lower case, spaces instead of hyphens, O for zero.
    entry = _look_up(h, folio.lower().replace("-", " ").replace("0", "o"))
    assert entry.lookup_button.isEnabled() and entry.field.message.text() == ""
    text = _answer(h, entry)
    assert h.window.page("folio_result").question.text() == f"Folio {folio}"  # type: ignore[attr-defined]
    assert "Recibido en este kiosco; se enviará cuando haya red." in text
    assert "Fecha de registro: lunes 2 de marzo de 2026." in text
    assert "lunes 9 de marzo de 2026 (5 días hábiles)" in text
    assert "Me gritaron" not in _screen_texts(h)  # the person's words stay out of it
    h.tap(h.window.page("folio_result").finish_button)  # type: ignore[attr-defined]
    h.wait_page("attract")
    assert h.window.page("folio_info").field.text() == ""  # type: ignore[attr-defined]


def test_a_typo_is_caught_by_the_check_character(harness: Harness) -> None:
    h = harness
    folio = str(make_folio(unit_number=1234, kiosk_number=7, sequence=5))
    typo = folio[:-1] + ("2" if folio[-1] != "2" else "3")
    entry = _look_up(h, typo[:6])
    assert entry.field.message.text() == "El folio tiene 12 caracteres; faltan 7."
    assert not entry.lookup_button.isEnabled()
    h.type_keys(typo[6:])
    assert "algún carácter está mal escrito" in entry.field.message.text()
    assert not entry.lookup_button.isEnabled()
    h.tap(h.window.keyboard.backspace_key)
    h.type_keys(folio[-1])
    assert entry.lookup_button.isEnabled()


def test_an_unknown_folio_gets_a_plain_answer(harness: Harness) -> None:
    h = harness
    entry = _look_up(h, str(make_folio(unit_number=77, kiosk_number=1, sequence=9)))
    text = _answer(h, entry)
    assert text.startswith("No encontramos este folio en este kiosco.")
    assert "módulo de Trato Digno" in text
    page: Any = h.window.page("folio_result")
    h.tap(page.again_button)
    h.wait_page("folio_info")
    assert h.window.page("folio_info").field.text() == ""  # type: ignore[attr-defined]


def _pulled(h: Harness, folio: str, **data: object) -> None:
    """The case was sent and acknowledged; the central server's status came down through
    the real change applier; the sync round succeeded at 16:40 UTC (10:40 in Mexico City)."""
    db = h.kiosk.database
    assert db is not None
    [row] = [c for c in h.cases() if c.folio == folio]
    synced = datetime(2026, 3, 3, 16, 40, tzinfo=UTC)
    with db.write() as session:
        outbox.mark_sending(session, ids=[row.id], now=synced)
        outbox.apply_results(session, results=[RecordResult(id=row.id,
                                                            status=RecordStatus.STORED)],
                             now=synced)
        change = Change(cursor=1, kind=ChangeKind.CASE_STATUS, key=str(row.id), version=2,
                        data={"case_id": str(row.id), "folio": folio, **data})
        assert apply_change(session, change, synced)
        state = session.get(SyncState, SINGLE_ROW_ID) or SyncState(id=SINGLE_ROW_ID)
        state.last_success_at = synced
        session.add(state)


def test_a_pulled_status_with_its_dates_and_as_of(harness: Harness) -> None:
    h = harness
    folio = _file_a_queja(h)
    _pulled(h, folio, stage="investigacion", updated_at="2026-03-03T15:05:00+00:00",
            completion_due="2026-03-10", resolution_due="2026-05-14")
    text = _answer(h, _look_up(h, folio))
    assert "Etapa: En investigación." in text
    assert "martes 10 de marzo de 2026 (5 días hábiles)" in text
    assert "jueves 14 de mayo de 2026 (50 días hábiles)" in text
    assert "Último cambio: 3 de marzo de 2026, 09:05." in text
    assert text.endswith("Información al 3 de marzo de 2026, 10:40.")


def test_a_sensitive_case_shows_only_its_stage(harness: Harness) -> None:
    h = harness
    folio = _file_a_queja(h)
    db = h.kiosk.database
    assert db is not None
    with db.write() as session:  # as if "Acoso" had been chosen (that page scrolls)
        row = session.exec(select(Case)).one()
        row.sensitive = True
        session.add(row)
    _pulled(h, folio, stage="dictamen", updated_at="2026-03-03T15:05:00+00:00",
            completion_due="2026-03-10", resolution_due="2026-05-14")
    text = _answer(h, _look_up(h, folio))
    assert "Etapa: En dictamen: se decide la respuesta." in text
    assert "Para más detalle, pregunte en el módulo de Trato Digno." in text
    assert "2026 (" not in text and "Último cambio" not in text and "Fecha" not in text
    assert "Información al 3 de marzo de 2026, 10:40." in text


def test_a_status_for_a_folio_filed_elsewhere(harness: Harness) -> None:
    h = harness
    folio = str(make_folio(unit_number=1234, kiosk_number=2, sequence=17))
    db = h.kiosk.database
    assert db is not None
    with db.write() as session:
        change = Change(cursor=1, kind=ChangeKind.CASE_STATUS, key="x", version=1,
                        data={"case_id": str(uuid.uuid4()), "folio": folio, "stage": "cerrado",
                              "updated_at": "2026-03-03T15:05:00+00:00"})
        assert apply_change(session, change, datetime(2026, 3, 3, tzinfo=UTC))
    text = _answer(h, _look_up(h, folio))
    assert text.startswith("Etapa: Cerrada.")
