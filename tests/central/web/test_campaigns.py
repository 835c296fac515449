"""``/campanas`` over real HTTP on a real server: an OOAD user opens a campaign for its
branch, bad input answers the form with its reason and stores nothing, the results page shows
each unit's index with its Wilson interval, its responses against the target, the small-number
rule and the change against the previous campaign; a user of another OOAD gets 404 and no
figure, a unit user sees only its unit."""

import re
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from central.catalogue import publish_bundled_configuration
from central.db import local_day, utcnow
from tests.central.web.conftest import World, csrf_from
from tests.support.central import survey_record
from trato.domain.campaigns import CAMPAIGN_KEY, PERCEPTION_INSTRUMENT

TODAY = local_day(utcnow())


@pytest.fixture(scope="module", autouse=True)
def _instruments(web_world: World) -> None:
    """The bundled instruments published, as ``trato-central load-catalogue`` does."""
    with web_world.central.session() as s:
        publish_bundled_configuration(s)
        s.commit()


def _open(c: httpx.Client, **fields: Any) -> httpx.Response:
    page = c.get("/campanas")
    assert page.status_code == 200
    data = {"csrf_token": csrf_from(page.text), "nombre": "Percepción hospitalaria",
            "instrumento": f"{PERCEPTION_INSTRUMENT}@1",
            "inicio": (TODAY - timedelta(days=1)).isoformat(),
            "fin": (TODAY + timedelta(days=30)).isoformat(), "meta": "5",
            "canal": ["kiosk", "staff"], **fields}
    return c.post("/campanas", data=data)


def _campaign_id(response: httpx.Response) -> str:
    assert response.status_code == 303, response.text[:2000]
    return response.headers["location"].rsplit("/", 1)[1]


def _answers(world: World, campaign_id: str, values: list[int]) -> None:
    k = world.kiosks["ags"]
    records = [survey_record(k.next_seq(), rating=None, instrument_id=PERCEPTION_INSTRUMENT,
                             answers={CAMPAIGN_KEY: campaign_id, "trato_personal": v,
                                      "tiempo_espera": v, "limpieza": "na"})
               for v in values]
    response = k.push(records)
    assert {r["status"] for r in response.json()["results"]} == {"stored"}, response.json()


def _cell(html: str, unit_id: str, dimension: str) -> str:
    row = re.search(rf'<tr data-unit="{unit_id}">(.*?)</tr>', html, re.S)
    assert row, f"no row for {unit_id}"
    cell = re.search(rf'<td data-dimension="{dimension}"[^>]*>(.*?)</td>', row.group(1), re.S)
    assert cell
    return " ".join(cell.group(1).split())


def test_bad_input_is_answered_on_the_form_and_stores_nothing(web_world: World) -> None:
    bc_unit = web_world.nodes["BCIMS000039"]
    ags = web_world.nodes["AGS"]
    with web_world.login("ooad_ags") as c:
        before = c.get("/campanas").text.count("data-campaign=")
        cases = {
            "El último día no puede ser anterior al primero.": dict(
                cobertura=ags, fin=(TODAY - timedelta(days=5)).isoformat()),
            "La meta debe ser de al menos 1 respuesta por unidad": dict(cobertura=ags, meta="0"),
            "la que indicó no existe o no está activa": dict(cobertura=ags,
                                                             instrumento="inventada@3"),
            "Una o más unidades no están en su ámbito": dict(cobertura="", unidad=[bc_unit]),
        }
        for reason, fields in cases.items():
            answer = _open(c, **fields)
            assert answer.status_code == 400, (reason, answer.status_code)
            assert reason in answer.text and 'id="form-errors"' in answer.text
        assert c.get("/campanas").text.count("data-campaign=") == before


def test_results_with_interval_target_and_previous_campaign(web_world: World) -> None:
    ags, unit, other = (web_world.nodes[c] for c in ("AGS", "ASIMS000039", "ASIMS000076"))
    with web_world.login("ooad_ags") as c:
        earlier = _campaign_id(_open(c, cobertura=ags, nombre="Ronda anterior",
                                     inicio=(TODAY - timedelta(days=90)).isoformat(),
                                     fin=(TODAY - timedelta(days=30)).isoformat()))
        current = _campaign_id(_open(c, cobertura=ags, nombre="Ronda actual"))
        _answers(web_world, earlier, [5, 2, 2, 2, 2, 4])  # 2 of 6 good
        _answers(web_world, current, [5, 5, 4, 4, 2, 5])  # 5 of 6 good
        listing = c.get("/campanas").text
        assert re.search(rf'data-campaign="{earlier}" data-state="closed"', listing)
        assert re.search(rf'data-campaign="{current}" data-state="open"', listing)
        page = c.get(f"/campanas/{current}")
        assert page.status_code == 200
        html = page.text
        assert "Ronda anterior" in html and 'id="small-number-rule"' in html
        cell = _cell(html, unit, "trato_personal")
        # 5 of 6: 83 %, Wilson 95 % from 44 % to 97 %; +50 points against 2 of 6 (33 %).
        assert "83 %" in cell and "IC 95 %: 44 a 97 %" in cell and "+50 puntos" in cell
        assert "Menos de 5 respuestas" in _cell(html, unit, "limpieza")  # all "no aplica"
        assert "Menos de 5 respuestas" in _cell(html, other, "trato_personal")
        row = re.search(rf'<tr data-unit="{unit}">.*?class="num responses">([^<]*)<', html, re.S)
        assert row and row.group(1).split() == ["6", "/", "5"]
    with web_world.login("ooad_bc") as c:
        assert c.get(f"/campanas/{current}").status_code == 404
        listing = c.get("/campanas").text
        assert current not in listing and "Ronda actual" not in listing
    with web_world.login("unidad_ags") as c:
        mine = c.get(f"/campanas/{current}").text
        assert f'data-unit="{unit}"' in mine and f'data-unit="{other}"' not in mine
        assert 'id="campaign-form"' not in c.get("/campanas").text  # may not open one


def test_answers_recorded_by_staff_or_phone(web_world: World) -> None:
    ags, unit = web_world.nodes["AGS"], web_world.nodes["ASIMS000039"]
    with web_world.login("ooad_ags") as c:
        campaign = _campaign_id(_open(c, cobertura=ags, nombre="Por teléfono",
                                      canal=["staff", "phone"]))
        form = c.get(f"/campanas/{campaign}/capturar")
        assert form.status_code == 200 and form.text.count("data-question=") == 6
        answers = {f"r_{code}": "4" for code in re.findall(r'data-question="([a-z_]+)"',
                                                           form.text)}
        base = {"csrf_token": csrf_from(form.text), "unidad": unit, "canal": "phone"}
        missing = c.post(f"/campanas/{campaign}/capturar",
                         data={**base, **answers, "r_limpieza": ""})
        assert missing.status_code == 400
        assert "Marque una respuesta en cada pregunta" in missing.text
        kiosk_only = c.post(f"/campanas/{campaign}/capturar", data={**base, **answers,
                                                                    "canal": "kiosk"})
        assert kiosk_only.status_code == 400
        saved = c.post(f"/campanas/{campaign}/capturar", data={**base, **answers})
        assert saved.status_code == 303
        page = c.get(saved.headers["location"]).text
        assert 'id="entry-saved"' in page
        row = re.search(rf'<tr data-unit="{unit}">.*?class="num responses">([^<]*)<', page, re.S)
        assert row and row.group(1).split()[0] == "1"
    with web_world.central.session() as s:
        channels = s.execute(text("SELECT channel FROM survey_response WHERE "
                                  "instrument_id = 'percepcion-hospitalaria' AND "
                                  "channel = 'phone'")).all()
        assert len(channels) == 1
    with web_world.login("ooad_bc") as c:
        assert c.get(f"/campanas/{campaign}/capturar").status_code == 404
