"""The staff roster page over real HTTP: the dry run names every bad row, a good CSV is
imported and reaches the unit's kiosk and the board's certified share, a user of another OOAD
is refused every row, a unit user does not have the page."""

import re

import httpx

from tests.central.web.conftest import World, csrf_from

GOOD = ("numero_de_empleado,nombre,clues,puesto,certificacion,vigencia\n"
        "R3001,Alma Treviño,ASIMS000039,Agente,10/01/2026,10/01/2099\n"
        "R3002,Beto Cano,ASIMS000039,Agente,,\n"
        "R3003,Caro Luna,ASIMS000039,Agente,10/01/2020,10/01/2022\n")  # expired
BAD = ("numero_de_empleado,nombre,clues,certificacion\n"
       "R4001,Uno,ASIMS000039,2026-13-01\n"
       "R4002,Dos,XXIMS000001,\n"
       "R4003,Tres,ASIMS000039,\n"
       "R4003,Tres otra vez,ASIMS000039,\n")


def _upload(c: httpx.Client, text: str, action: str) -> httpx.Response:
    page = c.get("/personal")
    assert page.status_code == 200
    return c.post("/personal/importar", data={"csrf_token": csrf_from(page.text),
                                              "accion": action},
                  files={"archivo": ("personal.csv", text.encode(), "text/csv")})


def _bad_lines(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr data-line="(\d+)">', html)]


def test_dry_run_names_every_bad_row_and_import_refuses_it(web_world: World) -> None:
    with web_world.login("ooad_ags") as c:
        dry = _upload(c, BAD, "revisar")
        assert dry.status_code == 200 and 'data-ok="no"' in dry.text
        assert _bad_lines(dry.text) == [2, 3, 4, 5]
        for words in ("Fecha no válida: «2026-13-01»", "No existe una unidad con la CLUES "
                      "XXIMS000001", "El número de empleado R4003 está repetido"):
            assert words in dry.text
        refused = _upload(c, BAD, "importar")
        assert refused.status_code == 422 and _bad_lines(refused.text) == [2, 3, 4, 5]
        assert 'data-number="R4001"' not in c.get("/personal").text


def test_good_csv_reaches_the_kiosk_and_the_board(web_world: World) -> None:
    with web_world.login("ooad_ags") as c:
        dry = _upload(c, GOOD, "revisar")
        assert dry.status_code == 200 and 'data-ok="yes"' in dry.text
        assert 'data-number="R3001"' not in dry.text  # a dry run imports nothing
        done = _upload(c, GOOD, "importar")
        assert done.status_code == 200 and 'data-imported="yes"' in done.text
        assert 'data-number="R3001"' in done.text and "Alma Treviño" in done.text
        # The download has the import's columns: sent back as it is, it changes no one's data.
        export = c.get("/personal.csv")
        assert export.status_code == 200 and export.text.startswith("\ufeffnumero_de_empleado,")
        assert "R3001,Alma Treviño,ASIMS000039,,Agente,10/01/2026,10/01/2099,sí" in export.text
        again = _upload(c, export.text.lstrip("\ufeff"), "revisar")
        assert 'data-ok="yes"' in again.text and "0 personas nuevas y 3 actualizadas" in again.text
        share = c.get("/tablero/csv/certificacion").text
        assert "UMF No. 1 Aguascalientes,1,3,33.3" in share  # the expired one not counted
        assert "Vencida" in done.text and "Sin certificar" in done.text
    feed = web_world.kiosks["ags"].changes().json()["changes"]
    rosters = [ch["data"]["staff"] for ch in feed if ch["kind"] == "staff"]
    entry = next(e for e in rosters[-1] if e["staff_id"] == "R3001")
    assert (entry["certified_on"], entry["certified_until"]) == ("2026-01-10", "2099-01-10")
    other = web_world.kiosks["bc"].changes().json()["changes"]
    assert not any(e["staff_id"] == "R3001" for ch in other if ch["kind"] == "staff"
                   for e in ch["data"]["staff"])


def test_another_ooad_is_refused_and_a_unit_user_has_no_page(web_world: World) -> None:
    text = "numero_de_empleado,nombre,clues\nR5001,Ajena,ASIMS000039\n"
    with web_world.login("ooad_bc") as c:
        refused = _upload(c, text, "importar")
        assert refused.status_code == 422 and _bad_lines(refused.text) == [2]
        assert "La unidad ASIMS000039 no pertenece a su ámbito" in refused.text
    with web_world.login("ooad_ags") as c:
        assert 'data-number="R5001"' not in c.get("/personal").text
    with web_world.login("unidad_ags") as c:
        assert c.get("/personal").status_code == 404
        assert 'href="/personal"' not in c.get("/tablero").text
