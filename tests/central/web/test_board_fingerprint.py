"""The board counts the responses of one instrument fingerprint (issue 12, item 1): after a
version with another headline question is published to the whole institution, the responses to
the old version are left out of every level's satisfaction (module, unit and branch rollups),
the warning says how many, and a later version with the same headline pools with it."""

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from central.catalogue import publish_bundled_configuration
from central.models import Instrument
from tests.central.web.conftest import World, build_world, sqlite_or_postgres
from tests.support.central import ROOT, survey_record
from trato.protocol.instrument import fingerprint

V1 = json.loads((ROOT / "assets" / "instruments" / "trato-general" / "v1.json")
                .read_text(encoding="utf-8"))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
                scope="module")
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[World]:
    folder: Path = tmp_path_factory.mktemp("fingerprint")
    yield from sqlite_or_postgres(request, folder, "fingerprint", build_world)


def _version(version: int, headline: str, title: str) -> dict[str, Any]:
    doc = copy.deepcopy(V1)
    doc["version"] = version
    doc["title"] = title
    doc["headline"]["text"] = headline
    return doc


def test_the_board_counts_only_the_national_versions_fingerprint(world: World) -> None:
    unit = world.nodes["ASIMS000039"]
    with world.central.session() as s:
        publish_bundled_configuration(s)  # v1 in the instrument table, as `setup` does
    with world.login("nacional") as c:
        before = c.get("/tablero/datos", params={"nodo": unit}).json()
    assert before["responses"] == 6  # the world's own answers to v1
    v2 = _version(2, "¿Cómo lo trataron hoy?", "Trato")
    v3 = _version(3, "¿Cómo lo trataron hoy?", "Trato (nueva redacción de servicios)")
    assert fingerprint(v2) == fingerprint(v3) != fingerprint(V1)
    with world.central.session() as s:
        for doc in (v2, v3):  # published to the whole institution (no scope node)
            s.add(Instrument(instrument_id="trato-general", version=doc["version"],
                             title=doc["title"], definition=doc, fingerprint=fingerprint(doc)))
        s.commit()
    k = world.kiosks["ags"]
    records = [*(survey_record(k.next_seq(), rating=1) for _ in range(6)),
               *(survey_record(k.next_seq(), rating=5, instrument_version=2) for _ in range(3)),
               *(survey_record(k.next_seq(), rating=4, instrument_version=3) for _ in range(3))]
    response = k.push(records)
    assert {r["status"] for r in response.json()["results"]} == {"stored"}
    with world.login("nacional") as c:
        # Nivel Central (branch rollup), the OOAD (unit rollup), the unit (module rollup).
        for nodo in (None, world.nodes["AGS"], unit):
            data = c.get("/tablero/datos", params={"nodo": nodo} if nodo else {}).json()
            assert (data["responses"], data["satisfaction_index"]) == (6, 100.0), nodo
        page = c.get("/tablero", params={"nodo": unit}).text
    # The 6 + 6 answers to v1 the unit received are said to be left out.
    assert 'id="mixed-versions" data-instrument="trato-general"' in page
    assert 'class="left-out" data-responses="12"' in page and "respuestas a v1," in page
