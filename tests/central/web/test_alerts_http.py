"""The alert pages over real HTTP (a real server with its monitor running): a rule with an
impossible threshold is a form error with its reason; a rule saved raises its alert at once,
shown on /alertas and on the board; acknowledging needs a note and is audited; every page
obeys the branch scope (a user of another OOAD gets 404 and no figure, a unit user may read
but not acknowledge nor keep rules)."""

import re
import uuid
from typing import Any

import pytest
from sqlmodel import select

from central.models import Alert, AlertRule, AuditLog
from tests.central.web.conftest import SignedInClient, World, csrf_from


def save_rule(c: SignedInClient, **fields: str) -> Any:
    page = c.get("/alertas/reglas")
    assert page.status_code == 200
    return c.post("/alertas/reglas", data={"csrf_token": csrf_from(page.text), **fields})


@pytest.fixture(scope="module")
def ags_alert(web_world: World) -> tuple[str, str]:
    """A satisfaction rule of OOAD Aguascalientes that its unit's 6 responses (83 %) break."""
    with web_world.login("ooad_ags") as c:
        saved = save_rule(c, nodo=web_world.nodes["AGS"], tipo="satisfaction", umbral="90",
                          minimo="5", avisar="")
        assert saved.status_code == 303, saved.text[:2000]
    with web_world.central.session() as s:
        rule = s.exec(select(AlertRule)).one()
        alert = s.exec(select(Alert).where(Alert.rule_id == rule.id)).one()
    return str(rule.id), str(alert.id)


@pytest.mark.parametrize(("fields", "reason"), [
    ({"tipo": "satisfaction", "umbral": "150", "minimo": "5"}, "va de 0 a 100"),
    ({"tipo": "satisfaction", "umbral": "-3", "minimo": "5"}, "va de 0 a 100"),
    ({"tipo": "satisfaction", "umbral": "nan", "minimo": "5"}, "Escriba un número."),
    ({"tipo": "satisfaction", "umbral": "80", "minimo": "3"}, "no puede ser menor que 5"),
    ({"tipo": "overdue", "umbral": "-1"}, "no puede ser negativo"),
    ({"tipo": "overdue", "umbral": "2.5"}, "Escriba un número entero."),
    ({"tipo": "kiosk_silent", "umbral": "0"}, "número de horas"),
    ({"tipo": "kiosk_clock", "umbral": "1e400"}, "Escriba un número."),
    ({"tipo": "bogus", "umbral": "1"}, "Elija un tipo de alerta"),
    ({"tipo": "high_impact", "avisar": "no-es-correo"}, "no es válida"),
])
def test_impossible_rules_are_form_errors(web_world: World, fields: dict[str, str],
                                          reason: str) -> None:
    with web_world.login("ooad_ags") as c:
        answer = save_rule(c, nodo=web_world.nodes["AGS"], **fields)
    assert answer.status_code == 422 and 'id="form-errors"' in answer.text
    assert reason in answer.text


def test_alert_shown_then_acknowledged_with_a_note(web_world: World,
                                                   ags_alert: tuple[str, str]) -> None:
    _rule, alert_id = ags_alert
    with web_world.login("ooad_ags") as c:
        listed = c.get("/alertas")
        assert f'data-alert="{alert_id}"' in listed.text and "Satisfacción baja" in listed.text
        assert "6 respuestas calificadas" in listed.text
        board = c.get("/tablero")
        assert f'data-alert="{alert_id}"' in board.text
        page = c.get(f"/alertas/{alert_id}")
        rule_text = re.search(r'id="small-number-rule">([^<]*)<', page.text)
        assert rule_text and "menos de 5 respuestas calificadas" in rule_text.group(1)
        token = csrf_from(page.text)
        empty = c.post(f"/alertas/{alert_id}/atender", data={"csrf_token": token, "nota": " "})
        assert empty.status_code == 422 and "Escriba una nota" in empty.text
        done = c.post(f"/alertas/{alert_id}/atender",
                      data={"csrf_token": token, "nota": "Se revisa con el jefe de servicio."})
        assert done.status_code == 303
        detail = c.get(f"/alertas/{alert_id}").text
        assert "La atendió Ooad Ags" in detail and "Se revisa con el jefe de servicio." in detail
        again = c.post(f"/alertas/{alert_id}/atender", data={"csrf_token": token, "nota": "x"})
        assert again.status_code == 409
    with web_world.central.session() as s:
        audit = s.exec(select(AuditLog).where(AuditLog.action == "alert_acknowledge")).all()
        assert [(a.username, a.target_id) for a in audit] == [("ooad_ags", alert_id)]


def test_every_alert_page_obeys_the_branch_scope(web_world: World,
                                                 ags_alert: tuple[str, str]) -> None:
    rule_id, alert_id = ags_alert
    with web_world.login("ooad_bc") as c:
        listed = c.get("/alertas")
        assert listed.status_code == 200
        assert alert_id not in listed.text and "UMF No. 1 Aguascalientes" not in listed.text
        assert alert_id not in c.get("/tablero").text
        assert c.get(f"/alertas/{alert_id}").status_code == 404
        assert c.get(f"/alertas/{uuid.uuid4()}").status_code == 404
        token = csrf_from(listed.text)
        ack = c.post(f"/alertas/{alert_id}/atender", data={"csrf_token": token, "nota": "x"})
        assert ack.status_code == 404
        rules = c.get("/alertas/reglas")
        assert rules.status_code == 200 and rule_id not in rules.text
        assert web_world.nodes["AGS"] not in rules.text  # not offered as a branch either
        assert c.get(f"/alertas/reglas?regla={rule_id}").status_code == 404
        edit = c.post("/alertas/reglas", data={"csrf_token": token, "regla": rule_id,
                                               "nodo": web_world.nodes["BC"],
                                               "tipo": "overdue", "umbral": "1"})
        assert edit.status_code == 404
        foreign = c.post("/alertas/reglas", data={"csrf_token": token,
                                                  "nodo": web_world.nodes["AGS"],
                                                  "tipo": "overdue", "umbral": "1"})
        assert foreign.status_code == 422 and "Elija un ámbito" in foreign.text
    with web_world.login("unidad_ags") as c:
        listed = c.get("/alertas")
        assert f'data-alert="{alert_id}"' in listed.text  # the unit reads its own alerts
        assert c.get("/alertas/reglas").status_code == 403
        ack = c.post(f"/alertas/{alert_id}/atender",
                     data={"csrf_token": csrf_from(listed.text), "nota": "x"})
        assert ack.status_code == 403
    with web_world.central.session() as s:
        rule = s.get(AlertRule, uuid.UUID(rule_id))
        assert rule is not None and rule.kind == "satisfaction"  # untouched by the others
