"""Every case flow driven by taps from the menu to the folio, then the stored row checked field
by field (real SQLite file, real services): the privacy notice first, each type's own
questions and wording, step numbers that never move, consent only where the case holds
personal data, the contact rule, save failures."""

from typing import Any

import pytest

from kiosk.services.errors import StorageFull
from kiosk.settings import KioskSettings
from tests.kiosk.ui.conftest import (
    Harness,
    accept_privacy,
    answer_text,
    editor_text,
    pick_many,
    to_review,
)
from trato.domain.enums import CaseType, Channel
from trato.protocol.sealing import open_json

VALID_NSS = "12345678903"
VALID_CURP = "GOMA800101MDFRRR00"
#: Pages that take the person's own words or personal data.
DATA_PAGES = {"case_category", "case_narrative", "case_staff", "case_request",
              "case_recognised", "case_contact", "case_identity"}


def _record_steps(h: Harness) -> list[tuple[str, str]]:
    """(page, step indicator) of every page shown from now on."""
    seen: list[tuple[str, str]] = []
    h.window.page_changed.connect(lambda name: seen.append((name, h.window.step_label.text())))
    return seen


def _leave_contact(h: Harness) -> None:
    h.choose("case_contact_choice", "yes", then="case_contact")
    contact: Any = h.window.page("case_contact")
    assert not contact.continue_button.isEnabled()  # a phone or an e-mail, as it says
    h.click(contact.fields["phone"].editor)
    h.type_keys("5512345678")
    h.click(contact.fields["postal_code"].editor)
    h.type_keys("03100")
    h.tap(contact.continue_button)
    h.wait_page("case_identity")


def test_complaint_with_identification_by_taps(harness: Harness) -> None:
    h = harness
    h.start()
    steps = _record_steps(h)
    h.choose("menu", "case", then="case_type")
    h.choose("case_type", "queja", then="case_privacy")
    privacy: Any = h.window.page("case_privacy")
    assert privacy.qr.data == h.kiosk.settings.privacy_notice_url
    assert "queja" in privacy.consent.text() and privacy.consent.isVisible()
    accept_privacy(h, then="case_service")
    assert h.window.page("case_service").question.text() == "¿En qué servicio ocurrió?"
    assert not h.window.page("case_service").buttons["-"].isVisible()  # type: ignore[attr-defined]
    h.choose("case_service", "urgencias", then="case_category")
    pick_many(h, "case_category", ["tiempo_espera", "acoso"], then="case_narrative")
    answer_text(h, "case_narrative", "Esperé tres horas, ¿por qué?", then="case_staff")
    answer_text(h, "case_staff", "Recepcionista", then="case_request")
    answer_text(h, "case_request", "Una disculpa", then="case_contact_choice")
    assert "no podremos darle seguimiento" in h.window.page("case_contact_choice").hint.text()
    _leave_contact(h)
    identity: Any = h.window.page("case_identity")
    h.click(identity.fields["filer_name"].editor)
    h.type_keys("Ana Pérez")
    h.click(identity.fields["nss"].editor)
    assert h.window.keyboard.layer == "numeric"
    h.type_keys(VALID_NSS)
    h.click(identity.fields["curp"].editor)
    identity.fields["curp"].editor.insert(VALID_CURP)
    h.tap(identity.continue_button)
    h.wait_page("case_review")
    review: Any = h.window.page("case_review")
    texts = review.row_texts()
    assert "Queja" in texts and "Urgencias" in texts and "Qué pasó" in texts
    assert "Relato" in texts
    h.tap(review.submit_button)
    h.wait_page("case_done")
    assert [label for _, label in steps] == [
        "", *(f"Paso {n} de 8" for n in range(1, 7)), *["Paso 7 de 8"] * 3, "Paso 8 de 8", ""]

    [row] = h.cases()
    done: Any = h.window.page("case_done")
    assert done.folio.text() == row.folio
    assert done.title.text() == "Su queja quedó registrada"
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


@pytest.mark.parametrize(("case_type", "total"),
                         [("queja", 8), ("sugerencia", 6), ("reconocimiento", 8)])
def test_every_type_steps_stay_put_and_the_notice_comes_first(harness: Harness,
                                                              case_type: str,
                                                              total: int) -> None:
    """Through a whole case with contact data, there and back: each page keeps one step
    label, one total, the steps counted 1..total in order, and the privacy notice before
    any page that takes words or personal data."""
    h = harness
    h.start()
    steps = _record_steps(h)
    h.choose("menu", "case", then="case_type")
    h.choose("case_type", case_type, then="case_privacy")
    accept_privacy(h, then="case_service")
    h.choose("case_service", "farmacia", then="case_category")
    page: Any = h.window.page("case_category")
    pick_many(h, "case_category", [next(iter(page.buttons))], then="case_narrative")
    after_narrative = {"queja": "case_staff", "reconocimiento": "case_recognised"}
    answer_text(h, "case_narrative", "Bien",
                then=after_narrative.get(case_type, "case_contact_choice"))
    if case_type == "queja":
        answer_text(h, "case_staff", "", then="case_request")
        answer_text(h, "case_request", "", then="case_contact_choice")
    elif case_type == "reconocimiento":
        answer_text(h, "case_recognised", "Dra. Luz", then="case_publish")
        h.choose("case_publish", "no", then="case_contact_choice")
    _leave_contact(h)
    h.tap(h.window.back_button)  # and back: the numbers do not move
    h.wait_page("case_contact")
    h.tap(h.window.page("case_contact").continue_button)  # type: ignore[attr-defined]
    h.wait_page("case_identity")
    h.tap(h.window.page("case_identity").continue_button)  # type: ignore[attr-defined]
    h.wait_page("case_review")
    h.tap(h.window.page("case_review").submit_button)  # type: ignore[attr-defined]
    h.wait_page("case_done")
    labels: dict[str, set[str]] = {}
    for name, label in steps:
        labels.setdefault(name, set()).add(label)
    assert all(len(seen) == 1 for seen in labels.values()), labels
    numbered = [(n, label) for n, label in steps if label]
    assert {label.rsplit(" ", 1)[1] for _, label in numbered} == {str(total)}
    first_seen: list[int] = []
    for _, label in numbered:
        number = int(label.split()[1])
        if number not in first_seen:
            first_seen.append(number)
    assert first_seen == list(range(1, total + 1))
    assert labels["case_contact"] == labels["case_identity"] == labels["case_contact_choice"]
    names = [name for name, _ in steps]
    first_data = min(names.index(p) for p in DATA_PAGES if p in names)
    assert names.index("case_privacy") < first_data


def test_anonymous_suggestion_asks_no_consent_and_stores_none(harness: Harness) -> None:
    h = harness
    h.start()
    h.choose("menu", "case", then="case_type")
    h.choose("case_type", "sugerencia", then="case_privacy")
    privacy: Any = h.window.page("case_privacy")
    assert not privacy.consent.isVisible() and privacy.continue_button.isEnabled()
    accept_privacy(h, then="case_service")
    service: Any = h.window.page("case_service")
    assert service.question.text() == "¿Sobre qué servicio es su sugerencia?"
    assert service.buttons["-"].isVisible()
    h.choose("case_service", "-", then="case_category")  # "Ninguno en particular"
    assert h.window.page("case_category").question.text() == "¿Sobre qué es su sugerencia?"
    pick_many(h, "case_category", ["medicamentos"], then="case_narrative")
    narrative: Any = h.window.page("case_narrative")
    assert narrative.question.text() == "Escriba su sugerencia"
    assert not narrative.continue_button.isEnabled()  # a suggestion needs its text
    answer_text(h, "case_narrative", "Más ventanillas", then="case_contact_choice")
    assert h.window.page("case_contact_choice").hint.text().startswith("Es opcional.")
    h.choose("case_contact_choice", "no", then="case_review")
    texts = h.window.page("case_review").row_texts()  # type: ignore[attr-defined]
    assert "Qué pasó" not in texts and "Relato" not in texts
    assert {"Tema", "Su sugerencia", "Ninguno en particular"} <= set(texts)
    h.tap(h.window.page("case_review").submit_button)  # type: ignore[attr-defined]
    h.wait_page("case_done")
    done: Any = h.window.page("case_done")
    assert done.title.text() == "Su sugerencia quedó registrada"
    assert done.dates.text() == "Fecha de registro: lunes 2 de marzo de 2026."
    assert "hábiles" not in done.dates.text()  # no legal deadline for a suggestion
    [row] = h.cases()
    assert row.case_type == CaseType.SUGERENCIA
    assert row.service_code is None
    assert row.categories == ["medicamentos"]
    assert row.narrative == "Más ventanillas"
    assert row.request == "" and row.staff_involved == ""
    assert row.sealed_personal is None and row.has_contact is False
    assert row.consent_given is False and row.privacy_notice_version is None
    assert row.sensitive is False


def test_recognition_with_consent_to_publish(harness: Harness) -> None:
    h = harness
    h.start()
    h.choose("menu", "case", then="case_type")
    h.choose("case_type", "reconocimiento", then="case_privacy")
    accept_privacy(h, then="case_service")
    assert h.window.page("case_service").question.text() == "¿En qué servicio lo atendieron?"
    h.choose("case_service", "consulta_externa", then="case_category")
    pick_many(h, "case_category", ["amabilidad", "empatia"], then="case_narrative")
    answer_text(h, "case_narrative", "", then="case_recognised")
    who: Any = h.window.page("case_recognised")
    assert not who.continue_button.isEnabled()
    answer_text(h, "case_recognised", "Dra. López", then="case_publish")
    h.choose("case_publish", "yes", then="case_contact_choice")
    h.choose("case_contact_choice", "no", then="case_review")
    texts = h.window.page("case_review").row_texts()  # type: ignore[attr-defined]
    assert "Qué reconoce" in texts and "Relato" not in texts
    h.tap(h.window.page("case_review").submit_button)  # type: ignore[attr-defined]
    h.wait_page("case_done")
    [row] = h.cases()
    assert row.case_type == CaseType.RECONOCIMIENTO
    assert row.recognised_person == "Dra. López"
    assert row.publish_recognition is True
    assert row.categories == ["amabilidad", "empatia"]
    assert row.narrative == ""
    # Consent to publish it, under the notice shown.
    assert row.consent_given is True
    assert row.privacy_notice_version == h.kiosk.settings.privacy_notice_version


def test_answers_of_an_abandoned_type_are_not_sent(harness: Harness) -> None:
    h = harness
    h.start()
    h.choose("menu", "case", then="case_type")
    h.choose("case_type", "queja", then="case_privacy")
    accept_privacy(h, then="case_service")
    h.choose("case_service", "farmacia", then="case_category")
    pick_many(h, "case_category", ["medicamentos"], then="case_narrative")
    answer_text(h, "case_narrative", "Falta medicina", then="case_staff")
    answer_text(h, "case_staff", "Farmaceutico", then="case_request")
    for back_to in ("case_staff", "case_narrative", "case_category", "case_service",
                    "case_privacy", "case_type"):
        h.tap(h.window.back_button)
        h.wait_page(back_to)
    h.choose("case_type", "sugerencia", then="case_privacy")
    accept_privacy(h, then="case_service")
    h.choose("case_service", "farmacia", then="case_category")
    pick_many(h, "case_category", ["medicamentos"], then="case_narrative")
    narrative: Any = h.window.page("case_narrative")
    assert narrative.field.text() == "Falta medicina"  # what the person wrote is kept
    h.tap(narrative.continue_button)
    h.choose("case_contact_choice", "no", then="case_review")
    h.tap(h.window.page("case_review").submit_button)  # type: ignore[attr-defined]
    h.wait_page("case_done")
    [row] = h.cases()
    assert row.case_type == CaseType.SUGERENCIA
    assert row.narrative == "Falta medicina"
    assert row.staff_involved == "" and row.request == ""
    assert row.consent_given is False  # the queja's consent went with the queja


def test_contact_form_needs_a_phone_or_an_email_and_refuses_bad_values(
        harness: Harness) -> None:
    h = harness
    h.window.session.flow = "case"
    h.window.go("case_contact")
    page: Any = h.window.page("case_contact")
    assert "al menos un teléfono o un correo" in page.hint.text()
    assert not page.continue_button.isEnabled()
    page.fields["postal_code"].set_text("03100")
    assert not page.continue_button.isEnabled()  # a postal code alone reaches no one
    page.fields["phone"].set_text("55123")
    assert page.fields["phone"].message.text() == "El teléfono tiene 10 números; faltan 5."
    assert not page.continue_button.isEnabled()
    page.fields["phone"].set_text("5512345678")
    assert page.continue_button.isEnabled()
    page.fields["postal_code"].set_text("00999")
    assert page.fields["postal_code"].message.text() == "Este código postal no existe en México."
    assert not page.continue_button.isEnabled()
    page.fields["postal_code"].set_text("")
    page.fields["phone"].set_text("")
    page.fields["email"].set_text("ana@correo.mx")
    assert page.continue_button.isEnabled()


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
