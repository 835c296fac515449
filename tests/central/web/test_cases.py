"""Case follow-up: stage changes flow to kiosks, restricted reading, audited personal data."""

import uuid

from sqlmodel import select

from central.models import AuditLog, CaseEvent, ChangeLog
from tests.central.web.conftest import NARRATIVE_SENSITIVE, PERSONAL, World, csrf_from


def _token(c: object, path: str) -> str:
    return csrf_from(c.get(path).text)  # type: ignore[attr-defined]


def test_stage_change_appends_timeline_and_a_case_status_change(any_world: World) -> None:
    w = any_world
    case_id = w.cases["queja_bc"]
    with w.login("ooad_bc") as c:
        detail = c.get(f"/casos/{case_id}")
        assert detail.status_code == 200 and "Pasar a Integración" in detail.text
        response = c.post(f"/casos/{case_id}/etapa",
                          data={"csrf_token": csrf_from(detail.text), "etapa": "integracion",
                                "nota": "Se solicitó el expediente."})
        assert response.status_code == 303
        page = c.get(response.headers["location"]).text
        assert "Cambio guardado" in page and "Se solicitó el expediente." in page
        # Skipping a stage is refused with a reason.
        bad = c.post(f"/casos/{case_id}/etapa",
                     data={"csrf_token": csrf_from(page), "etapa": "cerrado"})
        assert bad.status_code == 400 and "siguiente etapa" in bad.text
    with w.central.session() as s:
        changes = s.exec(select(ChangeLog).where(ChangeLog.key == case_id,
                                                 ChangeLog.kind == "case_status")).all()
        assert changes and changes[-1].data["stage"] == "integracion"
        assert str(changes[-1].scope_unit_id) == w.nodes["BCIMS000039"]
        events = s.exec(select(CaseEvent).where(CaseEvent.case_id == uuid.UUID(case_id),
                                                CaseEvent.stage_to == "integracion")).all()
        assert len(events) == 1 and events[0].by_name == "Ooad Bc"
    # The kiosk of that unit pulls the change.
    feed = w.kiosks["bc"].changes(0).json()
    mine = [ch for ch in feed["changes"] if ch["kind"] == "case_status" and ch["key"] == case_id]
    assert mine and mine[-1]["data"]["stage"] == "integracion"


def test_sensitive_case_has_restricted_reading(web_world: World) -> None:
    case_id = web_world.cases["sensible_ags"]
    with web_world.login("unidad_ags") as c:
        page = c.get(f"/casos/{case_id}")
        assert page.status_code == 200
        assert "lectura restringida" in page.text
        assert NARRATIVE_SENSITIVE not in page.text
        assert "Ver datos personales" not in page.text
        denied = c.post(f"/casos/{case_id}/datos-personales",
                        data={"csrf_token": csrf_from(page.text)})
        assert denied.status_code == 403
        assert PERSONAL["nombre"] not in denied.text
    with web_world.login("ooad_ags") as c:
        page = c.get(f"/casos/{case_id}").text
        assert NARRATIVE_SENSITIVE in page and "lectura restringida" not in page
    with web_world.central.session() as s:
        rows = s.exec(select(AuditLog).where(AuditLog.target_id == case_id,
                                             AuditLog.username == "unidad_ags")).all()
        assert rows == []


def test_personal_data_is_masked_and_each_opening_is_audited(web_world: World) -> None:
    case_id = web_world.cases["queja_ags"]
    with web_world.login("unidad_ags") as c:
        page = c.get(f"/casos/{case_id}").text
        assert PERSONAL["nombre"] not in page and PERSONAL["nss"] not in page
        assert "Ver datos personales" in page
        opened = c.post(f"/casos/{case_id}/datos-personales",
                        data={"csrf_token": csrf_from(page), "motivo": "Llamar a la persona"})
        assert opened.status_code == 200
        assert PERSONAL["nombre"] in opened.text and PERSONAL["nss"] in opened.text
        assert opened.headers["cache-control"] == "no-store"
        assert c.get("/auditoria").status_code == 404  # the audit page is for admins
    with web_world.central.session() as s:
        rows = s.exec(select(AuditLog).where(AuditLog.target_id == case_id,
                                             AuditLog.action == "open_personal")).all()
        assert len(rows) == 1 and rows[0].username == "unidad_ags"
        assert rows[0].detail["reason"] == "Llamar a la persona"
        assert PERSONAL["nombre"] not in str(rows[0].detail)
    with web_world.login("admin") as c:
        audit = c.get("/auditoria")
        assert audit.status_code == 200
        assert "unidad_ags" in audit.text and web_world.folios["queja_ags"] in audit.text


def test_walk_every_stage_close_and_reopen(web_world: World) -> None:
    case_id = web_world.cases["sensible_bc"]
    stages = ["integracion", "investigacion", "dictamen", "acuerdo", "notificacion", "cerrado"]
    with web_world.login("ooad_bc") as c:
        for stage in stages:
            token = csrf_from(c.get(f"/casos/{case_id}").text)
            response = c.post(f"/casos/{case_id}/etapa",
                              data={"csrf_token": token, "etapa": stage})
            assert response.status_code == 303, stage
        page = c.get(f"/casos/{case_id}").text
        assert "Reabrir el caso" in page and "Pasar a" not in page
        response = c.post(f"/casos/{case_id}/reabrir", data={
            "csrf_token": csrf_from(page), "nota": "La persona aportó pruebas."})
        assert response.status_code == 303
        page = c.get(f"/casos/{case_id}").text
        assert "Reabierto" in page and "Investigación" in page
        token = csrf_from(page)
        assert c.post(f"/casos/{case_id}/reabrir", data={"csrf_token": token}).status_code == 400
        user_id = None
        with web_world.central.session() as s:
            from central.models import User

            user_id = str(s.exec(select(User).where(User.username == "ooad_bc")).one().id)
        assert c.post(f"/casos/{case_id}/asignar",
                      data={"csrf_token": token, "usuario": user_id}).status_code == 303
        assert c.post(f"/casos/{case_id}/asignar", data={
            "csrf_token": token, "usuario": str(uuid.uuid4())}).status_code == 400
    with web_world.central.session() as s:
        from central.models import Case

        case = s.get(Case, uuid.UUID(case_id))
        assert case is not None
        assert case.stage == "investigacion" and case.reopened_count == 1
        assert case.closed_at is None and str(case.assigned_to_id) == user_id
        versions = [ch.version for ch in s.exec(select(ChangeLog).where(
            ChangeLog.key == case_id, ChangeLog.kind == "case_status")).all()]
        assert len(versions) == len(set(versions)) >= 8
