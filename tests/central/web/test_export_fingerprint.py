"""The export decides its small numbers over the counts the board decides them over: the
responses of one instrument fingerprint (:func:`central.web.instrument_versions.
board_fingerprint`). A module the board hides is neither shown nor derivable (its unit's figure
minus its visible siblings) in the CSV, the Parquet file or the OData feed; the responses the
board does not count (another headline question, a perception campaign) come without
answers, and the column ``cuenta_en_tablero`` says which rows the board's figures count.
SQLite and PostgreSQL.

The world: unit ASIMS000039 has modules of 3, 12 and 20 responses to the board's version (v2)
and module 1 also 10 responses to v1 (another fingerprint). Counting every version, module 1
would hold 13 and be shown; the board hides it (3) and, to protect it, module 2 (12). Module 3
also has 3 answers to a perception campaign (kept out of the board's rollups).
"""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import select

from central.catalogue import publish_bundled_configuration
from central.db import local_day, utcnow
from central.models import Instrument, OrgNode
from central.services.campaigns import create_campaign
from central.web.scope import Scope
from tests.central.services.test_campaigns import _form
from tests.central.web.conftest import PASSWORD, World, sqlite_or_postgres
from tests.central.web.test_board_fingerprint import _version
from tests.central.web.test_export import _get, _table
from tests.central.web.test_small_numbers_http import _catalogue
from tests.support.central import running_central, survey_record
from trato.domain.campaigns import CAMPAIGN_KEY, PERCEPTION_INSTRUMENT
from trato.domain.satisfaction import MIN_GROUP
from trato.protocol.instrument import fingerprint

#: (kiosk target, [(instrument version, rating)]): what each module receives.
PLAN = {
    "ASIMS000039-M1": [(2, 5), (2, 1), (2, 4), *((1, 1),) * 5, *((1, 5),) * 5],
    "ASIMS000039-M2": [(2, r) for r in (5, 5, 4, 2, 1, 5, 4, 4, 3, 5, 5, 2)],
    "ASIMS000039-M3": [(2, r) for r in [4] * 11 + [5] * 6 + [1] * 3],
    "ASIMS000076-M1": [(2, r) for r in (1, 5, 5, 4, 4, 3)],
    "BCIMS000039-M1": [(2, r) for r in [4] * 20 + [2] * 10],
}
UNIT = "ASIMS000039"
CAMPAIGN_ANSWERS = (5, 4, 2)
#: The unit's responses the board does not count: to v1, and to the campaign.
NOT_COUNTED = 10 + len(CAMPAIGN_ANSWERS)


def _world(url: str, folder: Path) -> Iterator[World]:
    with running_central(url, folder / "data", catalogue=_catalogue()) as central:
        central.create_user("nacional", role="nacional", display_name="Nacional")
        v2 = _version(2, "¿Cómo lo trataron hoy?", "Trato")
        with central.session() as s:
            publish_bundled_configuration(s)  # v1 in the instrument table
            s.add(Instrument(instrument_id="trato-general", version=2, title=v2["title"],
                             definition=v2, fingerprint=fingerprint(v2)))
            s.commit()
            ags = s.exec(select(OrgNode).where(OrgNode.code == "AGS")).one()
            today = local_day(utcnow())  # open today: its answers are recorded inside it
            campaign = create_campaign(s, Scope("ooad_id", ags.id), _form(
                node=str(ags.id), starts_on=(today - timedelta(days=30)).isoformat(),
                ends_on=(today + timedelta(days=30)).isoformat()), created_by="ooad_ags")
            s.commit()
        for target, answers in PLAN.items():
            kiosk = central.enrol_kiosk(target)
            records = [survey_record(kiosk.next_seq(), rating=r, instrument_version=v,
                                     reasons=["trato"], answers={"espera": r})
                       for v, r in answers]
            if target == f"{UNIT}-M3":
                records += [survey_record(kiosk.next_seq(), rating=None,
                                          instrument_id=PERCEPTION_INSTRUMENT,
                                          answers={CAMPAIGN_KEY: str(campaign.id),
                                                   "tiempo_espera": v})
                            for v in CAMPAIGN_ANSWERS]
            response = kiosk.push(records)
            assert {r["status"] for r in response.json()["results"]} == {"stored"}
        world = World(central=central, kiosks={})
        with central.session() as s:
            world.nodes = {n.code: str(n.id) for n in s.exec(select(OrgNode))}
        yield world


@pytest.fixture(scope="module", params=["sqlite",
                                        pytest.param("postgres", marks=pytest.mark.postgres)])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[World]:
    yield from sqlite_or_postgres(request, tmp_path_factory.mktemp("export-fp"), "exportfp",
                                  _world)


def _good(rows: list[dict[str, Any]]) -> int:
    return sum(1 for r in rows if r["calificacion"] in (4, 5))


def _check(rows: list[dict[str, Any]], board: dict[str, Any], codes: dict[str, str]) -> None:
    """What the export's rows show of the unit agrees with the unit's board: nothing the board
    hides comes out, directly or as the unit minus its visible modules."""
    hidden = {codes[c["id"]] for c in board["children"] if c["index"] is None and c["n"]}
    shown = {codes[c["id"]]: c for c in board["children"] if c["index"] is not None}
    assert hidden == {f"{UNIT}-M1", f"{UNIT}-M2"} and set(shown) == {f"{UNIT}-M3"}
    unit = [r for r in rows if r["clues"] == UNIT]
    assert len(unit) == sum(len(PLAN[m]) for m in PLAN if m.startswith(UNIT)) \
        + len(CAMPAIGN_ANSWERS)
    # The rows the board does not count (v1, the campaign): no answer, whatever their module.
    old = [r for r in unit if not r["cuenta_en_tablero"]]
    assert len(old) == NOT_COUNTED
    assert {(r["calificacion"], r["motivos"], r["respuestas"], r["nivel_detalle"])
            for r in old} == {(None, None, None, "reservado")}
    counted = [r for r in unit if r["cuenta_en_tablero"]]
    assert len(counted) == board["responses"]
    # A module the board hides: none of its rows carries an answer.
    for r in unit:
        if r["modulo_codigo"] in hidden:
            assert r["calificacion"] is None and r["motivos"] is None, r
    # A module the board shows: its rows are the board's figure exactly.
    for code, child in shown.items():
        mine = [r for r in counted if r["modulo_codigo"] == code]
        assert len(mine) == child["n"] and round(100 * _good(mine) / len(mine), 1) == \
            round(child["index"], 1)
    # The unit's figure minus its visible modules: a pool of the hidden ones (two modules,
    # at least five responses), never one of them.
    pooled = [r for r in counted if r["modulo_codigo"] is None]
    assert {r["nivel_detalle"] for r in pooled} == {"unidad"}
    assert len(pooled) == board["responses"] - sum(c["n"] for c in shown.values())
    assert len(pooled) >= MIN_GROUP and len(hidden) >= 2
    assert _good(pooled) == round(board["satisfaction_index"] * board["responses"] / 100) \
        - sum(_good([r for r in counted if r["modulo_codigo"] == c]) for c in shown)


def test_the_export_hides_what_the_board_hides(world: World) -> None:
    codes = {v: k for k, v in world.nodes.items()}
    with world.login("nacional") as client:
        board = client.get("/tablero/datos", params={"nodo": world.nodes[UNIT]}).json()
        assert board["responses"] == 35  # v2 only: v1's 10 are left out
        assert "cuenta_en_tablero" in client.get("/exportar").text  # the rules say it
        for fmt in ("csv", "parquet"):
            table = _table(_get(client, "respuestas", fmt), fmt)
            _check(table.to_pylist(), board, codes)
    feed = httpx.get(f"{world.base_url}/odata/Respuestas", auth=("nacional", PASSWORD),
                     timeout=30)
    assert feed.status_code == 200
    _check(feed.json()["value"], board, codes)
