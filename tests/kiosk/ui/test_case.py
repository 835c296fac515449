"""Every case flow driven by taps from the menu to the folio, then the stored row checked field
by field (real SQLite file, real services); double taps and save failures."""

from typing import Any

import pytest
from PySide6.QtCore import Qt

from kiosk.services.errors import StorageFull
from kiosk.settings import KioskSettings
from tests.kiosk.ui.conftest import (
    Harness,
    answer_text,
    editor_text,
    left_button,
    pick_many,
    to_review,
)
from trato.domain.enums import CaseType, Channel
from trato.protocol.sealing import open_json

VALID_NSS = "12345678903"


VALID_CURP = "GOMA800101MDFRRR00"


def test_complaint_with_identification_by_taps(harness: Harness) -> None:
    h = harness
    h.start()
    h.choose("menu", "case", then="case_type")
    h.choose("case_type", "queja", then="case_service")
    h.choose("case_service", "urgencias", then="case_category")
    pick_many(h, "case_category", ["tiempo_espera", "acoso"], then="case_narrative")
    answer_text(h, "case_narrative", "Esperé tres horas, ¿por qué?", then="case_staff")
    answer_text(h, "case_staff", "Recepcionista", then="case_request")
    answer_text(h, "case_request", "Una disculpa", then="case_contact_choice")
    contact_hint = h.window.page("case_contact_choice").hint.text()
    assert "no podremos darle seguimiento" in contact_hint
    h.choose("case_contact_choice", "yes", then="case_privacy")
    privacy: Any = h.window.page("case_privacy")
    assert not privacy.continue_button.isEnabled()
    assert privacy.qr.data == h.kiosk.settings.privacy_notice_url
    h.tap(privacy.consent)
    h.tap(privacy.continue_button)
    h.wait_page("case_identity")
    identity: Any = h.window.page("case_identity")
    h.qtbot.mouseClick(identity.fields["filer_name"].editor, left_button())
    h.type_keys("Ana Pérez")
    h.qtbot.mouseClick(identity.fields["nss"].editor, left_button())
    assert h.window.keyboard.layer == "numeric"
    h.type_keys(VALID_NSS)
    h.qtbot.mouseClick(identity.fields["curp"].editor, left_button())
    identity.fields["curp"].editor.insert(VALID_CURP)
    h.tap(identity.continue_button)
    h.wait_page("case_contact")
    contact: Any = h.window.page("case_contact")
    h.qtbot.mouseClick(contact.fields["phone"].editor, left_button())
    h.type_keys("5512345678")
    h.qtbot.mouseClick(contact.fields["postal_code"].editor, left_button())
    h.type_keys("03100")
    h.tap(contact.continue_button)
    h.wait_page("case_review")
    review: Any = h.window.page("case_review")
    texts = review.row_texts()
    assert "Queja" in texts and "Urgencias" in texts
    assert h.window.step_label.text() == "Paso 11 de 11"
    h.tap(review.submit_button)
    h.wait_page("case_done")

    [row] = h.cases()
    done: Any = h.window.page("case_done")
    assert done.folio.text() == row.folio
    assert done.qr.data.endswith("/folio/" + row.folio.replace("-", ""))
    assert done.sensitive_note.isVisible()
    assert row.case_type == CaseType.QUEJA
    assert row.channel == Channel.KIOSK
    assert row.language == "es"
    assert row.service_code == "urgencias"
    assert row.categories == ["tiempo_espera", "acoso"]
    assert row.sensitive is True
    assert row.narrative == "Esperé tres horas, ¿por qué?"
    assert row.staff_involved == "Recepcionista"
    assert row.request == "Una disculpa"
    assert row.has_contact is True
    assert row.consent_given is True
    assert row.privacy_notice_version == h.kiosk.settings.privacy_notice_version
    assert row.from_survey_id is None
    assert h.key is not None and row.sealed_personal
    sealed = open_json(h.key, row.sealed_personal)
    assert sealed["filer_name"] == "Ana Pérez"
    assert sealed["nss"] == VALID_NSS
    assert sealed["curp"] == VALID_CURP
    assert sealed["phone"] == "5512345678"
    assert sealed["postal_code"] == "03100"
    assert "email" not in sealed
    # After the receipt, nothing the person typed is left in any field.
    assert all(not editor_text(e) for e in h.editors())


def test_suggestion_without_contact(harness: Harness) -> None:
    h = harness
    h.start()
    h.choose("menu", "case", then="case_type")
    h.choose("case_type", "sugerencia", then="case_service")
    h.choose("case_service", "farmacia", then="case_category")
    pick_many(h, "case_category", ["medicamentos"], then="case_narrative")
    narrative: Any = h.window.page("case_narrative")
    assert not narrative.continue_button.isEnabled()  # a suggestion needs its text
    answer_text(h, "case_narrative", "Más ventanillas", then="case_contact_choice")
    assert h.window.page("case_contact_choice").hint.text() == "Es opcional."
    h.choose("case_contact_choice", "no", then="case_privacy")
    privacy: Any = h.window.page("case_privacy")
    h.tap(privacy.consent)
    h.tap(privacy.continue_button)
    h.wait_page("case_review")
    h.tap(h.window.page("case_review").submit_button)  # type: ignore[attr-defined]
    h.wait_page("case_done")
    [row] = h.cases()
    assert row.case_type == CaseType.SUGERENCIA
    assert row.categories == ["medicamentos"]
    assert row.narrative == "Más ventanillas"
    assert row.request == "" and row.staff_involved == ""
    assert row.sealed_personal is None and row.has_contact is False
    assert row.sensitive is False


def test_recognition_with_consent_to_publish(harness: Harness) -> None:
    h = harness
    h.start()
    h.choose("menu", "case", then="case_type")
    h.choose("case_type", "reconocimiento", then="case_service")
    h.choose("case_service", "consulta_externa", then="case_category")
    pick_many(h, "case_category", ["amabilidad", "empatia"], then="case_narrative")
    answer_text(h, "case_narrative", "", then="case_recognised")
    who: Any = h.window.page("case_recognised")
    assert not who.continue_button.isEnabled()
    answer_text(h, "case_recognised", "Dra. López", then="case_publish")
    h.choose("case_publish", "yes", then="case_contact_choice")
    h.choose("case_contact_choice", "no", then="case_privacy")
    privacy: Any = h.window.page("case_privacy")
    h.tap(privacy.consent)
    h.tap(privacy.continue_button)
    h.wait_page("case_review")
    h.tap(h.window.page("case_review").submit_button)  # type: ignore[attr-defined]
    h.wait_page("case_done")
    [row] = h.cases()
    assert row.case_type == CaseType.RECONOCIMIENTO
    assert row.recognised_person == "Dra. López"
    assert row.publish_recognition is True
    assert row.categories == ["amabilidad", "empatia"]
    assert row.narrative == ""


def test_answers_of_an_abandoned_type_are_not_sent(harness: Harness) -> None:
    h = harness
    h.start()
    h.choose("menu", "case", then="case_type")
    h.choose("case_type", "queja", then="case_service")
    h.choose("case_service", "farmacia", then="case_category")
    pick_many(h, "case_category", ["medicamentos"], then="case_narrative")
    answer_text(h, "case_narrative", "Falta medicina", then="case_staff")
    answer_text(h, "case_staff", "Farmaceutico", then="case_request")
    for back_to in ("case_staff", "case_narrative", "case_category", "case_service", "case_type"):
        h.tap(h.window.back_button)
        h.wait_page(back_to)
    h.choose("case_type", "sugerencia", then="case_service")
    h.choose("case_service", "farmacia", then="case_category")
    pick_many(h, "case_category", ["medicamentos"], then="case_narrative")
    narrative: Any = h.window.page("case_narrative")
    assert narrative.field.text() == "Falta medicina"  # what the person wrote is kept
    h.tap(narrative.continue_button)
    h.choose("case_contact_choice", "no", then="case_privacy")
    privacy: Any = h.window.page("case_privacy")
    h.tap(privacy.consent)
    h.tap(privacy.continue_button)
    h.wait_page("case_review")
    h.tap(h.window.page("case_review").submit_button)  # type: ignore[attr-defined]
    h.wait_page("case_done")
    [row] = h.cases()
    assert row.case_type == CaseType.SUGERENCIA
    assert row.narrative == "Falta medicina"
    assert row.staff_involved == "" and row.request == ""


def test_identity_form_refuses_continuing_with_a_bad_value(harness: Harness) -> None:
    h = harness
    h.window.session.flow = "case"
    h.window.go("case_contact")
    page: Any = h.window.page("case_contact")
    page.fields["phone"].set_text("55123")
    assert page.fields["phone"].message.text() == "El teléfono tiene 10 números; faltan 5."
    assert not page.continue_button.isEnabled()
    page.fields["phone"].set_text("5512345678")
    page.fields["postal_code"].set_text("00999")
    assert page.fields["postal_code"].message.text() == "Este código postal no existe en México."
    assert not page.continue_button.isEnabled()
    page.fields["postal_code"].set_text("")
    assert page.continue_button.isEnabled()


def test_double_tap_on_enviar_stores_one_case(harness: Harness) -> None:
    h = harness
    to_review(h)
    button = h.window.page("case_review").submit_button  # type: ignore[attr-defined]
    h.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    h.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    h.window.case_flow.submit()  # even a direct second request does nothing
    h.wait_page("case_done")
    assert len(h.cases()) == 1


def test_known_error_says_so_and_stores_nothing(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness
    to_review(h)

    def disk_full(_draft: object) -> object:
        raise StorageFull("database or disk is full")

    monkeypatch.setattr(h.window.case_service, "submit", disk_full)
    review: Any = h.window.page("case_review")
    h.tap(review.submit_button)
    assert h.window.current == "case_review"
    assert "No pudimos guardar" in review.error.text()
    assert review.error.isVisible()
    assert h.window.banner.isVisible()
    assert "lleno" in h.window.banner_label.text()
    assert review.submit_button.isEnabled()  # the person may try again
    assert h.cases() == []


def test_unenrolled_kiosk_refuses_a_case_calmly(make_harness: Any, settings: KioskSettings) -> None:
    h = make_harness(settings, enrol=False)
    to_review(h)
    review: Any = h.window.page("case_review")
    h.tap(review.submit_button)
    assert h.window.current == "case_review"
    assert "avise al personal" in review.error.text()
    assert "no está dado de alta" in h.window.banner_label.text()
    assert h.cases() == []
