"""Scope isolation: an OOAD user tries every list, detail, export and board endpoint of another
OOAD and gets nothing (404 or an answer without the other OOAD's data). SQLite and PostgreSQL."""

import pytest

from central.web.board import CSV_TABLES
from tests.central.web.conftest import NARRATIVE_AGS, World

pytestmark = pytest.mark.slow


def _ags_markers(world: World) -> list[str]:
    return [
        "UMF No. 1 Aguascalientes", "OOAD Aguascalientes", NARRATIVE_AGS, "Enfermera AGS",
        *(world.folios[n] for n in ("queja_ags", "sensible_ags", "reconocimiento_ags")),
        *(world.cases[n] for n in ("queja_ags", "sensible_ags", "reconocimiento_ags")),
    ]


def test_ooad_user_sees_nothing_of_another_ooad(any_world: World) -> None:
    w = any_world
    ags_ooad, ags_unit = w.nodes["AGS"], w.nodes["ASIMS000039"]
    markers = _ags_markers(w)
    with w.login("ooad_bc") as c:
        # Board, its partial, JSON, events and every CSV export of the other OOAD and unit.
        for node in (ags_ooad, ags_unit, w.nodes["ASIMS000039-M1"], w.nodes["NC"]):
            for path in ("/tablero", "/tablero/parcial", "/tablero/datos", "/tablero/eventos",
                         "/reporte", "/reporte.pdf", "/kioscos",
                         *(f"/tablero/csv/{n}" for n in CSV_TABLES)):
                response = c.get(path, params={"nodo": node})
                assert response.status_code == 404, (path, node)
                assert all(m not in response.text for m in markers)
        # Detail pages and every action on the other OOAD's cases.
        for name in ("queja_ags", "sensible_ags", "reconocimiento_ags"):
            case_id = w.cases[name]
            assert c.get(f"/casos/{case_id}").status_code == 404
            page = c.get("/tablero").text  # a CSRF token of this user's own session
            token = page.split('name="csrf_token" value="')[1].split('"')[0]
            for action, data in (("etapa", {"etapa": "integracion"}), ("nota", {"nota": "x"}),
                                 ("impacto", {"valor": "1"}), ("asignar", {"usuario": ""}),
                                 ("reabrir", {}), ("datos-personales", {}),
                                 ("persona", {"persona": ""})):
                response = c.post(f"/casos/{case_id}/{action}", data={"csrf_token": token, **data})
                assert response.status_code == 404, action
                assert all(m not in response.text for m in markers)
            response = c.post(f"/reconocimientos/{case_id}",
                              data={"csrf_token": token, "decision": "aprobar"})
            assert response.status_code == 404
        response = c.post("/kioscos/codigo", data={"csrf_token": token,
                                                   "modulo": w.nodes["ASIMS000039-M1"]})
        assert response.status_code == 404  # no enrolment code for another OOAD's module
        # Lists and exports answer without the other OOAD's rows.
        for path, params in (("/casos", {}), ("/casos", {"unidad": ags_unit}), ("/casos.csv", {}),
                             ("/casos.csv", {"unidad": ags_unit}), ("/reconocimientos", {}),
                             ("/tablero", {}), ("/tablero/parcial", {}), ("/tablero/datos", {}),
                             ("/reporte", {}), ("/kioscos", {}), ("/kioscos", {"problemas": "1"}),
                             ("/personal", {}),
                             *((f"/tablero/csv/{n}", {}) for n in CSV_TABLES)):
            response = c.get(path, params=params)
            assert response.status_code == 200, path
            assert all(m not in response.text for m in markers), path
        assert c.get("/auditoria").status_code == 404
        # Not vacuous: the user does see its own OOAD.
        own = c.get("/casos").text
        assert w.folios["queja_bc"] in own
        data = c.get("/tablero/datos").json()
        assert data["responses"] == 6 and data["node"]["name"] == "OOAD Baja California"


def test_unit_user_sees_only_its_unit(web_world: World) -> None:
    with web_world.login("unidad_ags") as c:
        listing = c.get("/casos").text
        assert web_world.folios["queja_ags"] in listing
        assert web_world.folios["queja_bc"] not in listing
        assert c.get("/tablero", params={"nodo": web_world.nodes["AGS"]}).status_code == 404
        assert c.get("/tablero", params={"nodo": web_world.nodes["ASIMS000039"]}
                     ).status_code == 200
        assert c.get(f"/casos/{web_world.cases['queja_bc']}").status_code == 404
