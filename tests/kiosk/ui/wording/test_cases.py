"""Each self-service case type has its own wording on every screen that differs by type, and
every stage of a case reads in plain Spanish."""

from kiosk.ui.wording import cases
from trato.domain.enums import SELF_SERVICE_CASE_TYPES, CaseStage


def test_every_self_service_type_has_its_own_questions() -> None:
    tables = [cases.TYPE_LABELS, cases.SERVICE_QUESTIONS, cases.CATEGORY_QUESTIONS,
              cases.NARRATIVE_QUESTIONS, cases.REVIEW_CAPTIONS, cases.CONTACT_HINTS,
              cases.CONFIRMATION_TITLES]
    for table in tables:
        assert set(table) == set(SELF_SERVICE_CASE_TYPES)
        texts = [table[t]() for t in SELF_SERVICE_CASE_TYPES]
        assert all(texts)
    # A sugerencia is not asked where something "ocurrió"; only a queja "Qué pasó"/"Relato".
    services = {t: cases.SERVICE_QUESTIONS[t]() for t in SELF_SERVICE_CASE_TYPES}
    assert len(set(services.values())) == 3
    assert "ocurrió" not in services[SELF_SERVICE_CASE_TYPES[1]]
    captions = [cases.REVIEW_CAPTIONS[t]() for t in SELF_SERVICE_CASE_TYPES]
    assert captions[0] == ("Qué pasó", "Relato")
    assert all("Qué pasó" not in c and "Relato" not in c for c in captions[1:])


def test_every_stage_reads_in_plain_spanish() -> None:
    texts = [cases.stage_text(stage) for stage in CaseStage]
    assert all(texts) and len(set(texts)) == len(CaseStage)
    assert cases.stage_text(CaseStage.INVESTIGACION) == "En investigación"  # not "investigacion"
