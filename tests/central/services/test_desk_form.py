"""The web desk form's checks without a server: each rule of a queja, a quick log and a
reconocimiento, and the sealed payload in the kiosk's shape."""

from datetime import UTC, datetime, timedelta

import pytest

from central.services.desk_form import DeskEntry, check_entry, form_fields, required_fields
from trato.domain.enums import CaseType
from trato.domain.validators import curp_check_digit

NOW = datetime(2026, 3, 10, 18, 0, tzinfo=UTC)  # 12:00 in Mexico City
TZ = "America/Mexico_City"
CURP17 = "GODE561231HDFRRN0"
CURP = CURP17 + str(curp_check_digit(CURP17))


def _check(case_type: CaseType = CaseType.QUEJA, **values: object) -> dict[str, str]:
    base: dict[str, object] = {"channel": "phone", "unit_id": "u", "filer_name": "Ana",
                               "same_person": "1", "narrative": "Relato", "consent": "1"}
    entry = DeskEntry.from_form(case_type, {**base, **values})
    checked = check_entry(entry, now=NOW, timezone=TZ, services={"urgencias"},
                          categories={"tiempo_espera", "cita"})
    return {name: code for name, (code, _) in checked.errors.items()}


def test_a_complete_queja_passes_and_seals_normalised_values() -> None:
    entry = DeskEntry.from_form(CaseType.QUEJA, {
        "channel": "desk", "unit_id": "u", "filer_name": " Ana ", "same_person": "1",
        "nss": "1234 5678 903", "curp": CURP.lower(), "phone": "449 123 4567",
        "postal_code": "20000", "event_date": "10/03/2026", "event_time": "11:59",
        "narrative": "Relato", "cannot_sign": "1", "cannot_sign_confirmed": "1", "consent": "1"})
    checked = check_entry(entry, now=NOW, timezone=TZ, services=set(), categories=set())
    assert checked.ok, checked.errors
    assert checked.personal == {"filer_name": "Ana", "nss": "12345678903", "curp": CURP,
                                "phone": "4491234567", "postal_code": "20000",
                                "filer_is_beneficiary": True, "cannot_sign": True}
    assert checked.event_at == datetime(2026, 3, 10, 11, 59, tzinfo=checked.event_at.tzinfo)


@pytest.mark.parametrize(("values", "field", "code"), [
    ({"event_date": "10/03/2026", "event_time": "12:05"}, "event_date", "event_future"),
    ({"event_time": "10:00"}, "event_date", "date_missing"),
    ({"event_date": "31/02/2026"}, "event_date", "date_invalid"),
    ({"event_time": "25:00"}, "event_time", "time_invalid"),
    ({"curp": CURP17 + "9" if CURP[-1] != "9" else CURP17 + "8"}, "curp", "curp_check_digit"),
    ({"email": "ana@"}, "email", "email_pattern"),
    ({"postal_code": "123"}, "postal_code", "postal_code_length"),
    ({"same_person": ""}, "beneficiary_name", "required"),
    ({"consent": ""}, "consent", "consent_required"),
    ({"cannot_sign": "1"}, "cannot_sign_confirmed", "confirm_cannot_sign"),
    ({"channel": "kiosk"}, "channel", "invalid_choice"),
    ({"service_code": "spa"}, "service_code", "invalid_choice"),
    ({"narrative": "x" * 4001}, "narrative", "text_too_long"),
])
def test_each_queja_rule(values: dict[str, str], field: str, code: str) -> None:
    assert _check(**values) == {field: code}


def test_a_minute_typed_as_the_next_one_is_not_the_future() -> None:
    entry = DeskEntry.from_form(CaseType.QUEJA, {
        "channel": "phone", "unit_id": "u", "filer_name": "Ana", "same_person": "1",
        "narrative": "Relato", "event_date": "10/03/2026", "event_time": "12:00",
        "consent": "1"})
    early = check_entry(entry, now=NOW - timedelta(seconds=30), timezone=TZ, services=set(),
                        categories=set())
    assert early.ok, early.errors
    # Without anything personal, no consent is asked for.
    assert _check(CaseType.SUGERENCIA, consent="", filer_name="") == {}


def test_quick_log_and_reconocimiento_rules() -> None:
    assert _check(CaseType.ORIENTACION) == {"category": "required", "outcome": "required"}
    assert _check(CaseType.GESTION, category="cita", outcome="resuelta", note="ok") == {}
    assert _check(CaseType.GESTION, category="cita", outcome="perhaps") == {
        "outcome": "invalid_choice"}
    assert _check(CaseType.RECONOCIMIENTO, filer_name="", consent="") == {
        "recognised_person": "required"}
    assert _check(CaseType.RECONOCIMIENTO, recognised_person="Dra. Ruiz", filer_name="",
                  publish="1", consent="") == {"consent": "consent_publish"}
    # Nothing personal in a quick log, whatever was posted.
    assert "nss" not in form_fields(CaseType.ORIENTACION)
    assert required_fields(CaseType.QUEJA) >= {"filer_name", "narrative", "unit_id"}
