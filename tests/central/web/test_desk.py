"""Registering a case on the web (call centre, desk): the folio in the server's namespace, the
same workflow as a kiosk's case, every refusal explained with nothing stored, the branch
scope. A real server on SQLite (``web_world``); the folio race on PostgreSQL is in
tests/central/services/test_desk.py."""

import re
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlmodel import func, select

from central.db import LOCAL_ZONE
from central.models import AuditLog, Case, CaseEvent, ChangeLog, Kiosk
from central.services.desk import AUDIT_REGISTER_CASE
from tests.central.web.conftest import World, csrf_from
from tests.support.central import case_record
from trato.domain.folio import SERVER_KIOSK_NUMBER, parse_folio

QUEJA = {
    "channel": "phone", "filer_name": "Rosa Martínez Gil", "same_person": "1",
    "nss": "12345678903", "curp": "", "phone": "4491234567", "email": "rosa@example.mx",
    "address": "Av. Convención 101", "postal_code": "20000", "assigned_clinic": "UMF 1",
    "event_date": (datetime.now(LOCAL_ZONE) - timedelta(days=2)).strftime("%d/%m/%Y"),
    "event_time": "09:15", "service_code": "urgencias",
    "category": "tiempo_espera", "narrative": "Llamó para decir que esperó seis horas.",
    "staff_involved": "Recepción de urgencias", "request": "Que revisen los tiempos.",
    "cannot_sign": "1", "cannot_sign_confirmed": "1", "consent": "1",
}


@pytest.fixture(scope="module")
def desk(web_world: World) -> Iterator[World]:
    web_world.central.create_user("agente_ags", role="agente", scope_code="AGS",
                                  display_name="Agente 800 Ags")
    web_world.central.create_user("agente_bc", role="agente", scope_code="BC")
    web_world.central.create_user("agente_nal", role="agente")
    yield web_world


def _form(c: Any, tipo: str) -> str:
    page = c.get(f"/registrar/{tipo}")
    assert page.status_code == 200
    return page.text


def _cases(w: World) -> int:
    with w.central.session() as s:
        return int(s.exec(select(func.count()).select_from(Case)).one())


def _entry_id(html: str) -> str:
    return re.search(r'name="entry_id" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def _register(c: Any, w: World, tipo: str, **fields: str) -> Any:
    page = _form(c, tipo)
    data = {"csrf_token": csrf_from(page), "entry_id": _entry_id(page),
            "unit_id": w.nodes["ASIMS000039"], **fields}
    return c.post(f"/registrar/{tipo}", data=data)


def test_agent_registers_a_queja_and_gets_a_server_folio(desk: World) -> None:
    w = desk
    with w.login("agente_ags") as c:
        response = _register(c, w, "queja", **QUEJA)
        assert response.status_code == 303, response.text[:2000]
        done = c.get(response.headers["location"])
        assert done.status_code == 200
        folio = re.search(r'data-folio="([^"]+)"', done.text).group(1)  # type: ignore[union-attr]
        assert "cu" in done.text or "cero" in done.text  # spelled out to be read aloud
        case_id = response.headers["location"].rsplit("/", 1)[1]
        assert f"/casos/{case_id}" in done.text
    parsed = parse_folio(folio)
    assert parsed.kiosk_number == SERVER_KIOSK_NUMBER
    # The caller follows it on the public folio page, as a kiosk's folio.
    public = httpx.get(f"{w.base_url}/folio/{folio}", timeout=30)
    assert public.status_code == 200 and "Recepción" in public.text
    with w.central.session() as s:
        case = s.get(Case, uuid.UUID(case_id))
        assert case is not None and case.folio == parsed.compact
        assert (case.channel, case.case_type, case.registered_by) == ("phone", "queja",
                                                                      "agente_ags")
        assert case.completion_due and case.resolution_due  # business-day deadlines
        assert case.event_at is not None and case.cannot_sign_confirmed_by == "agente_ags"
        assert case.has_contact and case.consent_given and case.categories == ["tiempo_espera"]
        # Personal data sealed as a kiosk seals it: nothing of it in clear in the row.
        assert case.sealed_personal and "12345678903" not in case.sealed_personal
        assert "Rosa" not in repr([getattr(case, c) for c in Case.__table__.columns.keys()])
        desk_kiosk = s.get(Kiosk, case.kiosk_id)
        assert desk_kiosk and desk_kiosk.status == "desk" and desk_kiosk.kiosk_number == 0
        received = s.exec(select(CaseEvent).where(CaseEvent.case_id == case.id)).one()
        assert (received.source, received.by_name) == ("web", "Agente 800 Ags")
        audit = s.exec(select(AuditLog).where(AuditLog.target_id == case_id)).one()
        assert audit.action == AUDIT_REGISTER_CASE and audit.username == "agente_ags"
        change = s.exec(select(ChangeLog).where(ChangeLog.key == case_id)).one()
        assert change.kind == "case_status"  # the unit's kiosks learn of it like any case
    # The committee of the branch follows it like a kiosk's case and opens the data (audited).
    with w.login("ooad_ags") as c:
        assert folio in c.get("/casos").text
        detail = c.get(f"/casos/{case_id}")
        assert "Teléfono 800" in detail.text and "agente_ags" in detail.text
        assert "09:15" in detail.text and "lo confirmó agente_ags" in detail.text
        opened = c.post(f"/casos/{case_id}/datos-personales",
                        data={"csrf_token": csrf_from(detail.text), "motivo": "seguimiento"})
        assert "12345678903" in opened.text and "Rosa Martínez Gil" in opened.text
        assert "No sabe o no puede firmar" in opened.text
        moved = c.post(f"/casos/{case_id}/etapa", data={"csrf_token": csrf_from(detail.text),
                                                        "etapa": "integracion"})
        assert moved.status_code == 303
    # The same form sent again (Enter pressed twice) stores nothing more: same folio page.
    with w.login("agente_ags") as c:
        before = _cases(w)
        page = _form(c, "queja")
        again = c.post("/registrar/queja", data={
            **QUEJA, "csrf_token": csrf_from(page), "entry_id": case_id,
            "unit_id": w.nodes["ASIMS000039"]})
        assert again.status_code == 303 and again.headers["location"].endswith(case_id)
        assert _cases(w) == before
    # The next kiosk enrolled in the unit is never numbered 0: its folios cannot collide.
    kiosk = w.central.enrol_kiosk("ASIMS000039")
    assert kiosk.kiosk_number >= 1


def test_bad_input_explains_every_field_and_stores_nothing(desk: World) -> None:
    w = desk
    before = _cases(w)
    with w.login("agente_ags") as c:
        bad = _register(c, w, "queja", channel="phone", nss="12345678900",
                        curp="GODE561231HDFRRN0", event_date="01/01/2099",
                        cannot_sign="1", phone="44")
        assert bad.status_code == 422
        errors = re.findall(r'<p class="field-error" id="e-([a-z_]+)">([^<]+)</p>', bad.text)
        fields = {name for name, _ in errors}
        assert {"filer_name", "beneficiary_name", "nss", "curp", "phone", "event_date",
                "narrative", "cannot_sign_confirmed", "consent"} <= fields, errors
        assert "no pueden ser posteriores" in bad.text and "NSS no es válido" in bad.text
        # The first field in error has the focus, the summary is announced, values stay.
        assert re.search(r'id="f-filer_name"[^>]*autofocus', bad.text)
        assert 'role="alert"' in bad.text and 'value="12345678900"' in bad.text
        # Quick log without topic nor outcome.
        quick = _register(c, w, "orientacion", channel="phone")
        assert quick.status_code == 422 and "Elija el tema." in quick.text
        # An unknown channel, a service not in the catalogue.
        odd = _register(c, w, "sugerencia", channel="kiosk", service_code="nada",
                        narrative="Más sillas.")
        assert odd.status_code == 422 and odd.text.count('class="field-error"') == 2
        # No CSRF token: refused like every form.
        no_csrf = c.post("/registrar/queja", data={**QUEJA, "unit_id": w.nodes["ASIMS000039"]})
        assert no_csrf.status_code == 403
    assert _cases(w) == before


def test_quick_log_and_reconocimiento(desk: World) -> None:
    w = desk
    with w.login("agente_nal") as c:  # the national 800 line: any unit
        quick = _register(c, w, "gestion", channel="desk", category="cita",
                          outcome="canalizada", note="Se le dio cita en trabajo social.")
        assert quick.status_code == 303, quick.text[:1500]
        recognition = _register(c, w, "reconocimiento", channel="other",
                                recognised_person="Dra. Elena Ruiz",
                                narrative="Me explicó todo con paciencia.", publish="1",
                                consent="1")
        assert recognition.status_code == 303, recognition.text[:1500]
    with w.central.session() as s:
        ids = [uuid.UUID(r.headers["location"].rsplit("/", 1)[1]) for r in (quick, recognition)]
        gestion, reco = (s.get(Case, i) for i in ids)
        assert gestion and gestion.outcome == "canalizada" and gestion.completion_due is None
        assert gestion.sealed_personal is None and gestion.channel == "desk"
        assert reco and reco.recognition_status == "pending" and reco.publish_recognition
        # One desk per unit, one sequence: folios follow each other.
        assert gestion.kiosk_id == reco.kiosk_id
        assert parse_folio(reco.folio).sequence == parse_folio(gestion.folio).sequence + 1


def test_branch_scope_and_entitlement(desk: World) -> None:
    w = desk
    with w.login("agente_bc") as c:
        units = _form(c, "queja")
        assert w.nodes["BCIMS000039"] in units and w.nodes["ASIMS000039"] not in units
        # A unit of another OOAD: answered like an unknown id, nothing stored.
        before = _cases(w)
        other = _register(c, w, "queja", **QUEJA)  # _register picks the AGS unit
        assert other.status_code == 404
        assert _cases(w) == before
        # A case of another OOAD's folio page.
        assert c.get(f"/registrar/folio/{w.cases['queja_ags']}").status_code == 404
        assert c.get("/registrar/folio/no-es-un-id").status_code == 404
        assert c.get("/registrar/denuncia").status_code == 404
    with w.login("ooad_ags") as c:  # a committee follows cases; it does not register them
        assert c.get("/registrar").status_code == 403
        assert c.get("/registrar/queja").status_code == 403
        assert "/registrar" not in c.get("/casos").text
    with w.login("unidad_ags") as c:  # a unit's staff (a module without a kiosk) does
        start = c.get("/registrar")
        assert start.status_code == 200 and 'href="/registrar/queja"' in start.text
        form = _form(c, "queja")
        assert len(re.findall(r'<option value="[0-9a-f-]{36}"', form)) == 1


def test_a_kiosk_cannot_take_a_server_folio(desk: World) -> None:
    k = desk.kiosks["ags"]
    record = case_record(k.next_seq(), unit_number=k.unit_number,
                         kiosk_number=SERVER_KIOSK_NUMBER)
    result = k.push([record]).json()["results"][0]
    assert result["status"] == "rejected" and "server" in result["reason"]
