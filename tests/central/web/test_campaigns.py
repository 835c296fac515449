"""``/campanas`` over real HTTP on a real server: an OOAD user opens a campaign for its
branch, bad input answers the form with its reason and stores nothing, the results page shows
each unit's index with its Wilson interval, its responses against the target, the small-number
rule and the change against the previous campaign; a user of another OOAD gets 404 and no
figure, a unit user sees only its unit. An entitled user withdraws a campaign with a reason
(a real kiosk store fed by the kiosk's signed pull stops offering it; its responses stay) and
changes one: whole before it opens, by the creation's checks, only its end once open; users
outside its branch get 404, users without the role 403."""

import json
import re
import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from central.catalogue import publish_bundled_configuration
from central.db import local_day, utcnow
from kiosk.clock import SystemClock
from kiosk.services.campaigns import CampaignOffers
from kiosk.storage.db import open_database
from kiosk.storage.models import Catalogue
from kiosk.sync.changes import apply_change
from tests.central.web.conftest import World, csrf_from
from tests.support.central import survey_record
from trato.domain.campaigns import CAMPAIGN_KEY, DIMENSIONS, PERCEPTION_INSTRUMENT
from trato.protocol.wire import ChangeFeed

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


def _answers(world: World, campaign_id: str, values: list[int], *, days_ago: int = 0) -> None:
    """Campaign responses the ``ags`` kiosk recorded ``days_ago`` (inside the campaign's
    window: a response recorded outside it is rejected) and pushes now."""
    k = world.kiosks["ags"]
    at = (utcnow() - timedelta(days=days_ago)).isoformat()
    records = [survey_record(k.next_seq(), rating=None, instrument_id=PERCEPTION_INSTRUMENT,
                             answers={CAMPAIGN_KEY: campaign_id, "trato_personal": v,
                                      "tiempo_espera": v, "limpieza": "na"}, created_at=at)
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
        _answers(web_world, earlier, [5, 2, 2, 2, 2, 4], days_ago=40)  # 2 of 6 good
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


def test_answers_are_recorded_only_while_the_campaign_is_open(web_world: World) -> None:
    """Staff entry on the web before the first day or after the last: the page is not
    offered, says when it opens or closed, and a posted form stores nothing (a withdrawn
    campaign: test_withdrawn_campaign_leaves_the_kiosk_and_keeps_its_responses)."""
    ags, unit = web_world.nodes["AGS"], web_world.nodes["ASIMS000039"]
    starts, ended = TODAY + timedelta(days=10), TODAY - timedelta(days=10)
    with web_world.login("ooad_ags") as c:
        scheduled = _campaign_id(_open(c, cobertura=ags, nombre="Todavía no",
                                       canal=["staff"], inicio=starts.isoformat(),
                                       fin=(TODAY + timedelta(days=40)).isoformat()))
        closed = _campaign_id(_open(c, cobertura=ags, nombre="Ya terminó", canal=["phone"],
                                    inicio=(TODAY - timedelta(days=20)).isoformat(),
                                    fin=ended.isoformat()))
        token = csrf_from(c.get("/campanas").text)
        for campaign, channel, notice in (
                (scheduled, "staff", f"todavía no está abierta: empieza el {starts:%d/%m/%Y}"),
                (closed, "phone", f"ya no está abierta: terminó el {ended:%d/%m/%Y}")):
            assert 'id="enter-answers"' not in c.get(f"/campanas/{campaign}").text
            page = c.get(f"/campanas/{campaign}/capturar")
            assert page.status_code == 409 and notice in page.text
            assert 'id="entry-form"' not in page.text
            posted = c.post(f"/campanas/{campaign}/capturar", data={
                "csrf_token": token, "unidad": unit, "canal": channel,
                **{f"r_{code}": "5" for code in DIMENSIONS}})
            assert posted.status_code == 400 and notice in posted.text
            assert "las respuestas no se guardaron" in posted.text
    with web_world.central.session() as s:
        stored = s.execute(text("SELECT count(*) FROM survey_response WHERE "
                                "instrument_id = 'percepcion-hospitalaria' AND channel IN "
                                "('desk', 'phone') AND (CAST(answers AS TEXT) LIKE :a "
                                "OR CAST(answers AS TEXT) LIKE :b)"),
                           {"a": f"%{scheduled}%", "b": f"%{closed}%"}).scalar_one()
        assert stored == 0


# ---------------------------------------------------------------------------- withdraw, edit


def _facts(html: str) -> str:
    match = re.search(r'<p class="sub" id="campaign-facts">(.*?)<span', html, re.S)
    assert match
    return " ".join(match.group(1).split())


def _post(c: httpx.Client, path: str, **fields: Any) -> httpx.Response:
    page = c.get(path)
    assert page.status_code == 200, (path, page.status_code)
    return c.post(path, data={"csrf_token": csrf_from(page.text), **fields})


class _Kiosk:
    """A real kiosk store fed from the ``ags`` kiosk's signed pull of the real server."""

    def __init__(self, world: World, path: Any) -> None:
        self.world, self.cursor = world, 0
        self.store = open_database(path).database

    def pull(self) -> Any:
        """Apply what the kiosk pulls now; answers the campaign it would offer."""
        feed = ChangeFeed.model_validate(self.world.kiosks["ags"].changes(self.cursor).json())
        with self.store.write() as s:
            for change in feed.changes:
                assert apply_change(s, change, utcnow())
        self.cursor = feed.next_cursor
        return CampaignOffers(self.store, SystemClock()).current()

    def received(self, campaign_id: str) -> dict[str, Any]:
        with self.store.read() as s:
            row = s.get(Catalogue, f"campaign:{campaign_id}")
            assert row is not None
            return {**row.data, "_version": row.version}


def test_withdrawn_campaign_leaves_the_kiosk_and_keeps_its_responses(
        web_world: World, tmp_path: Any) -> None:
    ags, unit = web_world.nodes["AGS"], web_world.nodes["ASIMS000039"]
    kiosk = _Kiosk(web_world, tmp_path / "kiosk.db")
    kiosk.pull()
    with web_world.login("ooad_ags") as c:
        # Ends today: of the open campaigns, the one the kiosk offers first.
        campaign = _campaign_id(_open(c, cobertura=ags, nombre="Se retirará",
                                      fin=TODAY.isoformat()))
        offered = kiosk.pull()
        assert offered is not None and str(offered.campaign_id) == campaign
        _answers(web_world, campaign, [5, 4])
        path = f"/campanas/{campaign}/retirar"
        assert 'id="withdraw-campaign"' in c.get(f"/campanas/{campaign}").text
        form = c.get(path)
        assert "Las 2 respuestas recibidas hasta ahora se conservan" in form.text
        for reason in ("", "   "):
            refused = _post(c, path, motivo=reason)
            assert refused.status_code == 400
            assert "Escriba el motivo por el que retira la campaña." in refused.text
        too_long = _post(c, path, motivo="x" * 501)
        assert too_long.status_code == 400 and "no puede pasar de 500 caracteres" in too_long.text
        assert 'data-state="open"' in c.get(f"/campanas/{campaign}").text
    # Entitlement: another OOAD does not see it (404); a unit user sees it, may not (403).
    with web_world.login("ooad_bc") as c:
        assert c.get(f"/campanas/{campaign}/retirar").status_code == 404
        assert c.post(f"/campanas/{campaign}/retirar",
                      data={"csrf_token": csrf_from(c.get("/campanas").text),
                            "motivo": "ajeno"}).status_code == 404
    with web_world.login("unidad_ags") as c:
        page = c.get(f"/campanas/{campaign}")
        assert page.status_code == 200 and 'id="withdraw-campaign"' not in page.text
        assert c.get(f"/campanas/{campaign}/retirar").status_code == 403
        assert c.post(f"/campanas/{campaign}/retirar",
                      data={"csrf_token": csrf_from(page.text),
                            "motivo": "no me toca"}).status_code == 403
        assert c.get(f"/campanas/{campaign}/modificar").status_code == 403
    with web_world.login("ooad_ags") as c:
        done = _post(c, f"/campanas/{campaign}/retirar",
                     motivo="  Se repite   la encuesta estatal del mismo mes. ")
        assert done.status_code == 303
        page = c.get(done.headers["location"]).text
        assert 'data-state="withdrawn"' in page and 'id="campaign-withdrawn"' in page
        notice = " ".join(page.split())
        assert "Campaña retirada el " in notice and "por Ooad Ags" in notice
        assert "Motivo: Se repite la encuesta estatal del mismo mes." in notice
        row = re.search(rf'<tr data-unit="{unit}">.*?class="num responses">([^<]*)<', page, re.S)
        assert row and row.group(1).split() == ["2", "/", "5"]  # the responses are kept
        assert 'id="enter-answers"' not in page and 'id="withdraw-campaign"' not in page
        entry = c.get(f"/campanas/{campaign}/capturar")
        withdrawn = f"ya no está abierta: se retiró el {TODAY:%d/%m/%Y}"
        assert entry.status_code == 409 and withdrawn in entry.text
        posted = c.post(f"/campanas/{campaign}/capturar", data={
            "csrf_token": csrf_from(page), "unidad": unit, "canal": "staff",
            **{f"r_{code}": "5" for code in DIMENSIONS}})
        assert posted.status_code == 400 and withdrawn in posted.text
        kept = c.get(f"/campanas/{campaign}").text  # nothing stored
        row = re.search(rf'<tr data-unit="{unit}">.*?class="num responses">([^<]*)<', kept, re.S)
        assert row and row.group(1).split() == ["2", "/", "5"]
        assert re.search(rf'data-campaign="{campaign}" data-state="withdrawn"',
                         c.get("/campanas").text)
        assert c.get(f"/campanas/{campaign}/retirar").status_code == 409  # once only
        assert c.get(f"/campanas/{campaign}/modificar").status_code == 409
        closed = _campaign_id(_open(c, cobertura=ags, nombre="Ya cerrada",
                                    inicio=(TODAY - timedelta(days=20)).isoformat(),
                                    fin=(TODAY - timedelta(days=10)).isoformat()))
        assert c.get(f"/campanas/{closed}/retirar").status_code == 409
    # The kiosk's next pull: switched off, no longer offered.
    offered = kiosk.pull()
    assert offered is None or str(offered.campaign_id) != campaign
    assert kiosk.received(campaign)["active"] is False and kiosk.received(campaign)["_version"] == 2
    with web_world.central.session() as s:
        audit = s.execute(text("SELECT username, detail FROM audit_log WHERE action = "
                               "'withdraw_campaign' AND target_id = :t"), {"t": campaign}).all()
        assert [a[0] for a in audit] == ["ooad_ags"]
        detail = audit[0][1] if isinstance(audit[0][1], dict) else json.loads(audit[0][1])
        assert detail["reason"] == "Se repite la encuesta estatal del mismo mes."
    with web_world.login("admin") as c:
        log = c.get("/auditoria", params={"accion": "withdraw_campaign"})
        assert log.status_code == 200 and "Retiró una campaña de percepción" in log.text
    # A campaign opened at Nivel Central: the OOAD sees it in its units, may not touch it.
    with web_world.login("nacional") as c:
        national = _campaign_id(_open(c, cobertura=ags, nombre="Nacional"))
    with web_world.login("ooad_ags") as c:
        assert c.get(f"/campanas/{national}").status_code == 200
        assert c.get(f"/campanas/{national}/retirar").status_code == 403
        assert c.get(f"/campanas/{national}/modificar").status_code == 403


def test_a_scheduled_campaign_is_changed_by_the_same_checks(web_world: World,
                                                            tmp_path: Any) -> None:
    ags, unit, other = (web_world.nodes[c] for c in ("AGS", "ASIMS000039", "ASIMS000076"))
    starts, ends = TODAY + timedelta(days=10), TODAY + timedelta(days=40)
    with web_world.login("ooad_ags") as c:
        campaign = _campaign_id(_open(c, cobertura="", unidad=[unit], nombre="Programada",
                                      inicio=starts.isoformat(), fin=ends.isoformat()))
        path = f"/campanas/{campaign}/modificar"
        form = c.get(path)
        assert 'data-state="scheduled"' in form.text and 'id="f-inicio"' in form.text
        base = {"nombre": "Programada", "instrumento": f"{PERCEPTION_INSTRUMENT}@1",
                "inicio": starts.isoformat(), "fin": ends.isoformat(), "meta": "5",
                "canal": ["kiosk", "staff"], "cobertura": "", "unidad": [unit]}
        facts = _facts(c.get(f"/campanas/{campaign}").text)
        cases = {
            "El último día no puede ser anterior al primero.":
                dict(fin=(starts - timedelta(days=1)).isoformat()),
            "La meta debe ser de al menos 1 respuesta por unidad": dict(meta="0"),
            "El primer día no puede ser anterior a hoy.":
                dict(inicio=(TODAY - timedelta(days=1)).isoformat()),
            "Escriba la fecha como día, mes y año.": dict(fin="31/02/2027"),
            "Elija al menos un canal": dict(canal=[]),
            "Una o más unidades no están en su ámbito": dict(unidad=[web_world.nodes[
                "BCIMS000039"]]),
        }
        for reason, fields in cases.items():
            answer = _post(c, path, **{**base, **fields})
            assert answer.status_code == 400, (reason, answer.status_code)
            assert reason in answer.text and 'id="form-errors"' in answer.text
        assert _facts(c.get(f"/campanas/{campaign}").text) == facts  # nothing saved
        changed = _post(c, path, **{**base, "meta": "8", "cobertura": ags, "unidad": [],
                                    "fin": (ends + timedelta(days=5)).isoformat()})
        assert changed.status_code == 303
        page = c.get(f"/campanas/{campaign}").text
        assert "meta de 8 respuestas" in _facts(page)
        assert (ends + timedelta(days=5)).strftime("%d/%m/%Y") in _facts(page)
        assert f'data-unit="{other}"' in page
        # Back to the one unit: the other unit's kiosks receive it switched off.
        assert _post(c, path, **{**base, "meta": "8"}).status_code == 303
        assert f'data-unit="{other}"' not in c.get(f"/campanas/{campaign}").text
    kiosk = _Kiosk(web_world, tmp_path / "kiosk.db")
    kiosk.pull()
    received = kiosk.received(campaign)
    assert received["_version"] == 3 and received["active"] is True
    assert received["ends_on"] == ends.isoformat()
    with web_world.central.session() as s:
        rows = s.execute(text(
            "SELECT scope_unit_id, version, data FROM change_log WHERE kind = 'campaign' "
            "AND key = :k ORDER BY cursor"), {"k": campaign}).all()
        last = {str(uuid.UUID(str(u))): (v, d if isinstance(d, dict) else json.loads(d))
                for u, v, d in rows}
        assert last[other][0] == 3 and last[other][1]["active"] is False
        edits = s.execute(text("SELECT count(*) FROM audit_log WHERE action = 'edit_campaign' "
                               "AND target_id = :t"), {"t": campaign}).scalar_one()
        assert edits == 2
    with web_world.login("ooad_bc") as c:
        token = csrf_from(c.get("/campanas").text)
        assert c.post(path, data={"csrf_token": token, **base}).status_code == 404


def test_an_open_campaign_keeps_its_questions_and_start(web_world: World) -> None:
    ags = web_world.nodes["AGS"]
    with web_world.login("ooad_ags") as c:
        campaign = _campaign_id(_open(c, cobertura=ags, nombre="Abierta"))
        path = f"/campanas/{campaign}/modificar"
        form = c.get(path).text
        assert 'data-state="open"' in form and 'id="f-inicio"' not in form
        assert 'id="f-fin"' in form and 'id="locked-facts"' in form
        cases = {
            "El último día no puede ser anterior a hoy.":
                dict(fin=(TODAY - timedelta(days=1)).isoformat()),
            "su encuesta y su primer día ya no se pueden cambiar": dict(
                fin=TODAY.isoformat(), inicio=(TODAY + timedelta(days=2)).isoformat()),
            "Escriba la fecha como día, mes y año.": dict(fin=""),
        }
        for reason, fields in cases.items():
            answer = _post(c, path, **fields)
            assert answer.status_code == 400 and reason in answer.text, reason
        longer = TODAY + timedelta(days=60)
        assert _post(c, path, fin=longer.isoformat(), meta="900").status_code == 303
        facts = _facts(c.get(f"/campanas/{campaign}").text)
        assert longer.strftime("%d/%m/%Y") in facts and "meta de 5 respuestas" in facts
        assert _post(c, path, fin=TODAY.isoformat()).status_code == 303  # brought forward
        assert TODAY.strftime("%d/%m/%Y") + " · meta" in _facts(
            c.get(f"/campanas/{campaign}").text)
