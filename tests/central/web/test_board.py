"""Board figures, small-number protection, CSV exports and the live events stream."""

import json
import threading

import httpx

from central.web.board import CSV_TABLES
from central.web.board_data import Group
from tests.central.web.conftest import World
from tests.support.central import survey_record


def test_board_figures_and_small_number_protection(web_world: World) -> None:
    with web_world.login("nacional") as c:
        data = c.get("/tablero/datos").json()
        assert data["responses"] == 12 and not data["suppressed"]
        assert round(data["satisfaction_index"], 1) == round(100 * 10 / 12, 1)
        by_name = {ch["name"]: ch for ch in data["children"]}
        assert by_name["OOAD Aguascalientes"]["n"] == 6
        assert by_name["UMAE Hospital de Especialidades, CMN Siglo XXI"]["suppressed"]
        umae = c.get("/tablero", params={"nodo": web_world.nodes["UMAE-HE-CMNSXXI"]}).text
        assert "Menos de 5 respuestas" in umae
        page = c.get("/tablero").text
        assert "Quejas abiertas por unidad" in page and "Estado de los kioscos" in page
        assert f'href="/tablero?nodo={web_world.nodes["AGS"]}"' in page  # drill-down
        for name in CSV_TABLES:
            response = c.get(f"/tablero/csv/{name}")
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/csv")
        assert "Menos de 5 respuestas" in c.get(
            "/tablero/csv/desglose").content.decode("utf-8-sig")
        # Drill-down to the unit and its module.
        for code in ("ASIMS000039", "ASIMS000039-M1"):
            data = c.get("/tablero/datos", params={"nodo": web_world.nodes[code]}).json()
            assert data["responses"] >= 6 and data["complaints_open"] == 2
        unit = c.get("/tablero", params={"nodo": web_world.nodes["ASIMS000039"]}).text
        assert f'/tablero?nodo={web_world.nodes["ASIMS000039-M1"]}' in unit
        assert "OOAD Aguascalientes" in unit  # breadcrumb back up


def test_events_stream_announces_a_pushed_batch(web_world: World) -> None:
    client = web_world.login("ooad_ags")
    got: list[dict[str, str]] = []
    ready = threading.Event()
    done = threading.Event()

    def listen() -> None:
        with client.stream("GET", "/tablero/eventos", timeout=httpx.Timeout(20)) as stream:
            event = ""
            for line in stream.iter_lines():
                if line.startswith("event:"):
                    event = line.split(":", 1)[1].strip()
                elif line.startswith("data:"):
                    if event == "ready":
                        ready.set()
                    elif event == "update":
                        got.append(json.loads(line.split(":", 1)[1]))
                        done.set()
                        return

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    assert ready.wait(15)
    # A batch from the other OOAD is not announced to this viewer; its own is.
    k_bc, k_ags = web_world.kiosks["bc"], web_world.kiosks["ags"]
    assert k_bc.push([survey_record(k_bc.next_seq(), rating=3)]).status_code == 200
    assert k_ags.push([survey_record(k_ags.next_seq(), rating=5)]).status_code == 200
    assert done.wait(15)
    thread.join(5)
    client.close()
    # One update, from the batch of this viewer's OOAD, carrying the blocks that changed.
    assert len(got) == 1 and got[0]["type"] == "batch"
    assert 'data-figure="responses_total">7<' in got[0]["blocks"]["kpis"]


def test_small_groups_are_suppressed() -> None:
    assert Group(n=4, good=4, total=20).index is None
    assert Group(n=5, good=4, total=20).index == 80.0
    g = Group()
    for rating in (5, 4, 3, 1, 5):
        g.add(rating)
    assert (g.n, g.good, g.total, g.index, g.mean) == (5, 3, 18, 60.0, 3.6)
