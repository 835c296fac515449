"""``/instrumentos`` over real HTTP: a document with errors is refused with each one worded
and nothing saved; a good one is saved as a draft, previewed screen by screen, published to
the user's OOAD (the kiosks of that OOAD receive it, the others do not) and then immutable; a
user of another OOAD finds none of it; a unit user has no such page; the schema is served.
The ingest answers a response to an unknown instrument version ``rejected`` and stores the
rest of its batch."""

import copy
import json
import re
from typing import Any

import httpx
import jsonschema
from sqlmodel import select

from central.models import AuditLog, ChangeLog, Instrument
from tests.central.web.conftest import World, csrf_from
from tests.support.central import ROOT, survey_record
from trato.protocol.instrument import SCHEMA_PATH

V1 = json.loads((ROOT / "assets" / "instruments" / "trato-general" / "v1.json")
                .read_text(encoding="utf-8"))
HEADLINE = "¿Cómo lo atendieron hoy en esta clínica?"


def _new(headline: str = HEADLINE, iid: str = "percepcion-ags") -> dict[str, Any]:
    doc = copy.deepcopy(V1)
    doc["id"] = iid
    doc["headline"]["text"] = headline
    return doc


def _post(c: httpx.Client, action: str, text: str = "", upload: bytes | None = None
          ) -> httpx.Response:
    token = csrf_from(c.get("/instrumentos/nuevo").text)
    files = {"archivo": ("instrumento.json", upload, "application/json")} if upload else None
    return c.post("/instrumentos/nuevo", data={"csrf_token": token, "accion": action,
                                               "documento": text}, files=files)


def _problems(html: str) -> list[str]:
    block = re.search(r'<ul class="instrument-problems">(.*?)</ul>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", block.group(1)) if block else []


def _publish(c: httpx.Client, where: str, node_id: str) -> httpx.Response:
    token = csrf_from(c.get(where).text)
    return c.post(f"{where}/publicar", data={"csrf_token": token, "nodo": node_id})


def test_a_bad_document_is_refused_with_every_error_worded(web_world: World) -> None:
    doc = _new(iid="percepcion-rechazada")
    del doc["reasons"]["bands"][1]["choices"][1]["label"]
    doc["headline"]["scale"][0]["face"] = "sonriente"
    doc["translations"] = {"en": {"headline": "How were you treated?",
                                  "scale": {str(v): "x" for v in range(1, 6)}}}
    with web_world.login("ooad_ags") as c:
        refused = _post(c, "guardar", upload=json.dumps(doc).encode())
        assert refused.status_code == 422 and 'data-ok="no"' in refused.text
        problems = _problems(refused.text)
        assert "Pregunta 3, respuesta 2: falta la etiqueta en español." in problems
        assert any(p.startswith("Pregunta 1, respuesta 1: la carita debe ser uno de")
                   for p in problems)
        not_json = _post(c, "revisar", '{"id": "x",\n "version": 1,,}')
        assert not_json.status_code == 422
        assert _problems(not_json.text) == [
            "Documento: el texto no es JSON válido (revise la línea 2: comas, comillas y "
            "llaves)."]
        # Schema satisfied, the translation incomplete: the missing questions are named.
        del doc["reasons"]["bands"][1]["choices"][1]
        doc["headline"]["scale"][0]["face"] = "very_bad"
        incomplete = _post(c, "revisar", json.dumps(doc))
        assert incomplete.status_code == 422
        problems = _problems(incomplete.text)
        assert "Traducción «en», pregunta 2: falta la traducción de esta pregunta." in problems
        assert "Traducción «en»: falta la pregunta del servicio." in problems
    with web_world.central.session() as s:
        assert s.get(Instrument, ("percepcion-rechazada", 1)) is None


def test_draft_preview_publish_to_a_branch_then_immutable(web_world: World) -> None:
    nodes = web_world.nodes
    with web_world.login("ooad_ags") as c:
        checked = _post(c, "revisar", json.dumps(_new()))
        assert checked.status_code == 200 and 'data-ok="yes"' in checked.text
        assert checked.text.count('class="kiosk-screen"') == 6  # rating, 3 bands, service, comment
        first = _new("Primera redacción")
        saved = _post(c, "guardar", json.dumps(first))
        assert saved.status_code == 303
        where = saved.headers["location"]
        assert where == "/instrumentos/percepcion-ags/1"
        # A draft is changed in place (same version) until it is published.
        editor = c.get("/instrumentos/nuevo", params={"de": "percepcion-ags@1", "borrador": "1"})
        assert 'name="borrador" value="1"' in editor.text and "Primera redacción" in editor.text
        changed = c.post("/instrumentos/nuevo", data={
            "csrf_token": csrf_from(editor.text), "accion": "guardar", "borrador": "1",
            "documento": json.dumps(_new())})
        assert changed.headers["location"] == where
        page = c.get(where).text
        assert 'data-status="draft"' in page and HEADLINE in page
        assert page.count('class="kiosk-face"') == 5 and "Esperé demasiado" in page
        # Not a node of the user's branch: refused, nothing published.
        assert "?error=node" in _publish(c, where, nodes["BC"]).headers["location"]
        done = _publish(c, where, nodes["AGS"])
        assert done.headers["location"] == where
        assert 'data-status="published"' in c.get(where).text
        again = _publish(c, where, nodes["AGS"])
        assert "?error=published" in again.headers["location"]
        # Editing a published version makes the next draft; the list shows both.
        copy_page = c.get("/instrumentos/nuevo", params={"de": "percepcion-ags@1"}).text
        assert HEADLINE in copy_page
        second = _post(c, "guardar", json.dumps(_new("Otra pregunta distinta")))
        assert second.headers["location"] == "/instrumentos/percepcion-ags/2"
        listing = c.get("/instrumentos").text
        assert 'data-version="2" data-status="draft"' in listing
        assert 'data-version="1" data-status="published"' in listing
        assert "No: cambió la pregunta principal" in listing
        assert 'id="mixed-versions"' not in c.get("/tablero").text
        _publish(c, "/instrumentos/percepcion-ags/2", nodes["ASIMS000039"])  # one unit
        for page in ("/tablero", f"/tablero?nodo={nodes['ASIMS000039']}"):
            assert 'id="mixed-versions" data-instrument="percepcion-ags"' in c.get(page).text
        assert 'id="mixed-versions"' not in c.get(
            "/tablero", params={"nodo": nodes["ASIMS000076"]}).text  # the other unit
    with web_world.central.session() as s:
        row = s.get(Instrument, ("percepcion-ags", 1))
        assert row.status == "published" and str(row.scope_node_id) == nodes["AGS"]
        changes = s.exec(select(ChangeLog).where(ChangeLog.kind == "instrument",
                                                 ChangeLog.key == "percepcion-ags")
                         .order_by(ChangeLog.version)).all()
        assert [(c.version, c.scope, str(c.scope_unit_id)) for c in changes] == [
            (1, "branch", nodes["AGS"]), (2, "unit", nodes["ASIMS000039"])]
        actions = set(s.exec(select(AuditLog.action).where(
            AuditLog.target_type == "instrument")).all())
        assert actions == {"instrument_draft", "instrument_publish"}
    # The AGS kiosk receives it, the BC kiosk does not.
    pulled = {name: [ch["key"] for ch in k.changes(0).json()["changes"]
                     if ch["kind"] == "instrument"] for name, k in web_world.kiosks.items()}
    assert "percepcion-ags" in pulled["ags"] and "percepcion-ags" not in pulled["bc"]

    # Another OOAD: none of it, by any address.
    with web_world.login("ooad_bc") as c:
        assert "percepcion-ags" not in c.get("/instrumentos").text
        assert 'id="mixed-versions"' not in c.get("/tablero").text
        assert c.get("/instrumentos/percepcion-ags/1").status_code == 404
        assert c.get("/instrumentos/nuevo", params={"de": "percepcion-ags@2"}).status_code == 404
        token = csrf_from(c.get("/instrumentos").text)
        assert c.post("/instrumentos/percepcion-ags/2/publicar",
                      data={"csrf_token": token, "nodo": nodes["BC"]}).status_code == 404
    with web_world.login("unidad_ags") as c:
        assert c.get("/instrumentos").status_code == 404
    with web_world.login("nacional") as c:
        assert 'data-instrument="percepcion-ags"' in c.get("/instrumentos").text


def test_the_schema_is_served_and_describes_the_bundled_instrument(web_world: World) -> None:
    served = httpx.get(web_world.base_url + SCHEMA_PATH)
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("application/schema+json")
    jsonschema.Draft202012Validator.check_schema(served.json())
    jsonschema.validate(V1, served.json())


def test_a_response_to_an_unknown_version_is_rejected_and_the_rest_stored(
        web_world: World) -> None:
    with web_world.central.session() as s:
        s.add(Instrument(instrument_id="borrador-ingesta", version=1, status="draft"))
        s.commit()
    kiosk = web_world.kiosks["bc"]
    good = survey_record(kiosk.next_seq(), rating=5)
    unknown = survey_record(kiosk.next_seq(), rating=5, instrument_version=99)
    draft = survey_record(kiosk.next_seq(), rating=5, instrument_id="borrador-ingesta",
                          instrument_version=1)  # a draft is unknown to kiosks
    response = kiosk.push([good, unknown, draft])
    assert response.status_code == 200
    results = {r["id"]: r for r in response.json()["results"]}
    assert results[good["id"]]["status"] == "stored"
    for bad in (unknown, draft):
        assert results[bad["id"]]["status"] == "rejected"
        assert "is not published on this server" in results[bad["id"]]["reason"]
