"""The perception survey driven by taps: stored field by field, reasons per rating band, step
numbers that a declined rating does not move, the thanks page and the very bad rating that
becomes a complaint with what the survey said (double taps: ``test_taps.py``)."""

from typing import Any

from tests.kiosk.ui.conftest import (
    IDLE_SECONDS,
    Harness,
    accept_privacy,
    answer_text,
    pick_many,
)
from trato.domain.enums import CaseType, Channel


def test_survey_by_taps_is_stored_field_by_field(harness: Harness) -> None:
    h = harness
    assert h.window.current == "attract"
    h.start()
    h.choose("menu", "survey", then="survey_rating")
    assert h.window.step_label.text() == "Paso 1 de 3"
    h.clock.advance(7)
    h.tap(h.window.page("survey_rating").faces[4])  # type: ignore[attr-defined]
    h.wait_page("survey_reasons")
    assert h.window.step_label.text() == "Paso 1 de 3"  # the reasons of the rating
    pick_many(h, "survey_reasons", ["trato_personal", "limpieza"], then="survey_service")
    assert h.window.step_label.text() == "Paso 2 de 3"
    h.choose("survey_service", "farmacia", then="survey_comment")
    assert h.window.step_label.text() == "Paso 3 de 3"
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
    assert h.window.step_label.text() == "Paso 2 de 3"  # as after a rating: nothing moved
    h.choose("survey_service", "urgencias", then="survey_comment")
    h.tap(h.window.page("survey_comment").continue_button)  # type: ignore[attr-defined]
    h.wait_page("survey_thanks")
    [row] = h.surveys()
    assert row.rating is None and row.reasons == [] and row.comment == ""


def test_changing_the_rating_band_forgets_reasons_of_the_other_band(harness: Harness) -> None:
    h = harness
    h.start()
    h.choose("menu", "survey", then="survey_rating")
    h.tap(h.window.page("survey_rating").faces[1])  # type: ignore[attr-defined]
    pick_many(h, "survey_reasons", ["espera"], then="survey_service")
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


def test_very_bad_rating_becomes_a_complaint_with_what_the_survey_said(
        harness: Harness) -> None:
    h = harness
    h.start()
    h.choose("menu", "survey", then="survey_rating")
    h.tap(h.window.page("survey_rating").faces[1])  # type: ignore[attr-defined]
    pick_many(h, "survey_reasons", ["espera", "limpieza"], then="survey_service")
    h.choose("survey_service", "laboratorio", then="survey_comment")
    h.type_keys("Nadie me explico")
    h.tap(h.window.page("survey_comment").continue_button)  # type: ignore[attr-defined]
    h.wait_page("survey_thanks")
    thanks: Any = h.window.page("survey_thanks")
    assert thanks.offer.isVisible()
    h.tap(thanks.complaint_button)
    # The privacy notice first, as for any queja; then everything already said, editable.
    h.wait_page("case_privacy")
    assert h.window.step_label.text() == "Paso 1 de 8"
    accept_privacy(h, then="case_service")
    service: Any = h.window.page("case_service")
    assert service.buttons["laboratorio"].isChecked()
    h.choose("case_service", "laboratorio", then="case_category")
    category: Any = h.window.page("case_category")
    assert category.selected() == ("tiempo_espera", "otro")
    h.tap(category.buttons["trato_grosero"])
    pick_many(h, "case_category", [], then="case_narrative")
    narrative: Any = h.window.page("case_narrative")
    assert narrative.field.text() == "Nadie me explico"
    h.type_keys(" nada")
    h.tap(narrative.continue_button)
    h.wait_page("case_staff")
    answer_text(h, "case_staff", "", then="case_request")
    answer_text(h, "case_request", "", then="case_contact_choice")
    h.choose("case_contact_choice", "no", then="case_review")
    texts = h.window.page("case_review").row_texts()  # type: ignore[attr-defined]
    assert "Laboratorio" in texts and "Nadie me explico nada" in texts
    h.tap(h.window.page("case_review").submit_button)  # type: ignore[attr-defined]
    h.wait_page("case_done")
    [survey] = h.surveys()
    [case] = h.cases()
    assert survey.rating == 1 and survey.reasons == ["espera", "limpieza"]
    assert case.from_survey_id == survey.id
    assert case.service_code == "laboratorio"
    assert case.case_type == CaseType.QUEJA
    assert case.categories == ["trato_grosero", "tiempo_espera", "otro"]
    assert case.narrative == "Nadie me explico nada"
    assert case.consent_given is True


def test_thank_you_page_returns_to_attract_by_itself(harness: Harness) -> None:
    h = harness
    h.start()
    h.choose("menu", "survey", then="survey_rating")
    h.tap(h.window.page("survey_rating").decline)  # type: ignore[attr-defined]
    h.choose("survey_service", "farmacia", then="survey_comment")
    h.tap(h.window.page("survey_comment").continue_button)  # type: ignore[attr-defined]
    h.wait_page("survey_thanks")
    h.clock.advance(h.window.config.done_seconds + 1)
    h.window.idle.check()
    assert h.window.current == "attract"
    assert not h.window.idle_panel.isVisible()
    # The next session gets the full quiet period again.
    h.start()
    h.clock.advance(IDLE_SECONDS - 1)
    h.window.idle.check()
    assert not h.window.idle_panel.isVisible()


def test_odd_text_is_stored_exactly_as_accepted(harness: Harness) -> None:
    h = harness
    h.start()
    h.choose("menu", "survey", then="survey_rating")
    h.tap(h.window.page("survey_rating").decline)  # type: ignore[attr-defined]
    h.choose("survey_service", "farmacia", then="survey_comment")
    page: Any = h.window.page("survey_comment")
    page.field.editor.insertPlainText("שלום 👩🏽‍⚕️ ꞌ\x00" + "z" * 2000)
    accepted = page.field.text()
    assert len(accepted) == 1000 and "\x00" not in accepted
    h.tap(page.continue_button)
    h.wait_page("survey_thanks")
    [row] = h.surveys()
    assert row.comment == accepted
