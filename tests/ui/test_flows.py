"""Every beneficiary flow driven by taps from the attract screen to the confirmation, then
the stored row checked field by field (real SQLite file, real services)."""

from typing import Any

from tests.ui.conftest import Harness
from trato.domain.enums import CaseType, Channel
from trato.protocol.sealing import open_json

VALID_NSS = "12345678903"
VALID_CURP = "GOMA800101MDFRRR00"


def _multi(h: Harness, page_name: str, codes: list[str], then: str) -> None:
    h.wait_page(page_name)
    page: Any = h.window.page(page_name)
    for code in codes:
        h.tap(page.buttons[code])
    h.tap(page.continue_button)
    h.wait_page(then)


def _text(h: Harness, page_name: str, text: str, then: str) -> None:
    h.wait_page(page_name)
    page: Any = h.window.page(page_name)
    if text:
        h.type_keys(text)
    assert page.field.text() == text
    h.tap(page.continue_button)
    h.wait_page(then)


def test_survey_by_taps_is_stored_field_by_field(harness: Harness) -> None:
    h = harness
    assert h.window.current == "attract"
    h.start()
    h.choose("menu", "survey", then="survey_rating")
    assert h.window.step_label.text() == "Paso 1 de 4"
    h.clock.advance(7)
    h.tap(h.window.page("survey_rating").faces[4])  # type: ignore[attr-defined]
    h.wait_page("survey_reasons")
    _multi(h, "survey_reasons", ["trato_personal", "limpieza"], then="survey_service")
    h.choose("survey_service", "farmacia", then="survey_comment")
    assert h.window.step_label.text() == "Paso 4 de 4"
    h.clock.advance(23)
    h.type_keys("Muy amables ñ")
    page: Any = h.window.page("survey_comment")
    h.tap(page.continue_button)
    h.wait_page("survey_thanks")
    assert not h.window.page("survey_thanks").offer.isVisible()  # type: ignore[attr-defined]

    [row] = h.surveys()
    assert row.instrument_id == "trato-general"
    assert row.instrument_version == 1
    assert row.language == "es"
    assert row.channel == Channel.KIOSK
    assert row.service_code == "farmacia"
    assert row.rating == 4
    assert row.reasons == ["trato_personal", "limpieza"]
    assert row.comment == "Muy amables ñ"
    assert row.duration_ms == 30_000
    assert h.cases() == []


def test_declined_rating_skips_reasons(harness: Harness) -> None:
    h = harness
    h.start()
    h.choose("menu", "survey", then="survey_rating")
    h.tap(h.window.page("survey_rating").decline)  # type: ignore[attr-defined]
    h.wait_page("survey_service")
    assert h.window.step_label.text() == "Paso 2 de 3"
    h.choose("survey_service", "urgencias", then="survey_comment")
    h.tap(h.window.page("survey_comment").continue_button)  # type: ignore[attr-defined]
    h.wait_page("survey_thanks")
    [row] = h.surveys()
    assert row.rating is None and row.reasons == [] and row.comment == ""


def test_complaint_with_identification_by_taps(harness: Harness) -> None:
    h = harness
    h.start()
    h.choose("menu", "case", then="case_type")
    h.choose("case_type", "queja", then="case_service")
    h.choose("case_service", "urgencias", then="case_category")
    _multi(h, "case_category", ["tiempo_espera", "acoso"], then="case_narrative")
    _text(h, "case_narrative", "Esperé tres horas, ¿por qué?", then="case_staff")
    _text(h, "case_staff", "Recepcionista", then="case_request")
    _text(h, "case_request", "Una disculpa", then="case_contact_choice")
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
    h.qtbot.mouseClick(identity.fields["filer_name"].editor, _left())
    h.type_keys("Ana Pérez")
    h.qtbot.mouseClick(identity.fields["nss"].editor, _left())
    assert h.window.keyboard.layer == "numeric"
    h.type_keys(VALID_NSS)
    h.qtbot.mouseClick(identity.fields["curp"].editor, _left())
    identity.fields["curp"].editor.insert(VALID_CURP)
    h.tap(identity.continue_button)
    h.wait_page("case_contact")
    contact: Any = h.window.page("case_contact")
    h.qtbot.mouseClick(contact.fields["phone"].editor, _left())
    h.type_keys("5512345678")
    h.qtbot.mouseClick(contact.fields["postal_code"].editor, _left())
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
    assert all(not _editor_text(e) for e in h.editors())


def test_suggestion_without_contact(harness: Harness) -> None:
    h = harness
    h.start()
    h.choose("menu", "case", then="case_type")
    h.choose("case_type", "sugerencia", then="case_service")
    h.choose("case_service", "farmacia", then="case_category")
    _multi(h, "case_category", ["medicamentos"], then="case_narrative")
    narrative: Any = h.window.page("case_narrative")
    assert not narrative.continue_button.isEnabled()  # a suggestion needs its text
    _text(h, "case_narrative", "Más ventanillas", then="case_contact_choice")
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
    _multi(h, "case_category", ["amabilidad", "empatia"], then="case_narrative")
    _text(h, "case_narrative", "", then="case_recognised")
    who: Any = h.window.page("case_recognised")
    assert not who.continue_button.isEnabled()
    _text(h, "case_recognised", "Dra. López", then="case_publish")
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


def test_very_bad_rating_becomes_a_complaint_in_one_tap(harness: Harness) -> None:
    h = harness
    h.start()
    h.choose("menu", "survey", then="survey_rating")
    h.tap(h.window.page("survey_rating").faces[1])  # type: ignore[attr-defined]
    _multi(h, "survey_reasons", ["espera"], then="survey_service")
    h.choose("survey_service", "laboratorio", then="survey_comment")
    h.tap(h.window.page("survey_comment").continue_button)  # type: ignore[attr-defined]
    h.wait_page("survey_thanks")
    thanks: Any = h.window.page("survey_thanks")
    assert thanks.offer.isVisible()
    h.tap(thanks.complaint_button)
    h.wait_page("case_category")
    assert h.window.step_label.text().startswith("Paso 3 de")
    _multi(h, "case_category", ["tiempo_espera"], then="case_narrative")
    # "Atrás" twice reaches the service page with the survey's service marked.
    h.tap(h.window.back_button)
    h.wait_page("case_category")
    h.tap(h.window.back_button)
    h.wait_page("case_service")
    assert h.window.page("case_service").buttons["laboratorio"].isChecked()  # type: ignore[attr-defined]
    h.choose("case_service", "laboratorio", then="case_category")
    _multi(h, "case_category", [], then="case_narrative")
    _text(h, "case_narrative", "Nadie me atendio", then="case_staff")
    _text(h, "case_staff", "", then="case_request")
    _text(h, "case_request", "", then="case_contact_choice")
    h.choose("case_contact_choice", "no", then="case_privacy")
    privacy: Any = h.window.page("case_privacy")
    h.tap(privacy.consent)
    h.tap(privacy.continue_button)
    h.wait_page("case_review")
    h.tap(h.window.page("case_review").submit_button)  # type: ignore[attr-defined]
    h.wait_page("case_done")
    [survey] = h.surveys()
    [case] = h.cases()
    assert survey.rating == 1
    assert case.from_survey_id == survey.id
    assert case.service_code == "laboratorio"
    assert case.case_type == CaseType.QUEJA
    assert case.categories == ["tiempo_espera"]


def test_folio_lookup_shows_information(harness: Harness) -> None:
    h = harness
    h.start()
    h.choose("menu", "folio", then="folio_info")
    h.tap(h.window.page("folio_info").finish_button)  # type: ignore[attr-defined]
    h.wait_page("attract")


def _left() -> Any:
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def _editor_text(editor: Any) -> str:
    return editor.toPlainText() if hasattr(editor, "toPlainText") else editor.text()


def test_changing_the_rating_band_forgets_reasons_of_the_other_band(harness: Harness) -> None:
    h = harness
    h.start()
    h.choose("menu", "survey", then="survey_rating")
    h.tap(h.window.page("survey_rating").faces[1])  # type: ignore[attr-defined]
    _multi(h, "survey_reasons", ["espera"], then="survey_service")
    h.tap(h.window.back_button)
    h.wait_page("survey_reasons")
    h.tap(h.window.back_button)
    h.wait_page("survey_rating")
    h.tap(h.window.page("survey_rating").faces[5])  # type: ignore[attr-defined]
    h.wait_page("survey_reasons")
    page: Any = h.window.page("survey_reasons")
    assert page.selected() == ()
    assert page.question.text() == "¿Qué fue lo que más le gustó?"
    h.tap(page.continue_button)
    h.choose("survey_service", "farmacia", then="survey_comment")
    h.tap(h.window.page("survey_comment").continue_button)  # type: ignore[attr-defined]
    h.wait_page("survey_thanks")
    [row] = h.surveys()
    assert row.rating == 5 and row.reasons == []


def test_answers_of_an_abandoned_type_are_not_sent(harness: Harness) -> None:
    h = harness
    h.start()
    h.choose("menu", "case", then="case_type")
    h.choose("case_type", "queja", then="case_service")
    h.choose("case_service", "farmacia", then="case_category")
    _multi(h, "case_category", ["medicamentos"], then="case_narrative")
    _text(h, "case_narrative", "Falta medicina", then="case_staff")
    _text(h, "case_staff", "Farmaceutico", then="case_request")
    for back_to in ("case_staff", "case_narrative", "case_category", "case_service", "case_type"):
        h.tap(h.window.back_button)
        h.wait_page(back_to)
    h.choose("case_type", "sugerencia", then="case_service")
    h.choose("case_service", "farmacia", then="case_category")
    _multi(h, "case_category", ["medicamentos"], then="case_narrative")
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
