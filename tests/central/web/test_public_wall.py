"""The public Muro of a unit (``/muro/<CLUES>``) over real HTTP: only consented and approved
recognitions of that unit, nothing of the person who filed them, pages that turn by
themselves, a Spanish 404 for an unknown unit, and the per-address rate limit."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlmodel import select

from central.models import Case
from tests.central.web.conftest import PASSWORD, PERSONAL, csrf_from, login
from tests.support.central import CentralHandle, case_record, running_central
from trato.domain.folio import parse_folio
from trato.protocol.sealing import seal_json

UNIT = "ASIMS000039"
APPROVED = ["Dra. Rosa Ibarra", "Enf. Tomás Gil", "Camillero Juan Ríos", "Área de Farmacia 2"]
HIDDEN = {"pending": "Pendiente Pérez", "rejected": "Rechazado Ruiz",
          "private": "Privado Salas", "other_unit": "Mexicali Mora"}


@dataclass
class Wall:
    central: CentralHandle
    folios: list[str]


def _recognition(kiosk: Any, person: str, *, publish: bool = True, sealed: str | None = None
                 ) -> dict[str, Any]:
    return case_record(kiosk.next_seq(), unit_number=kiosk.unit_number,
                       kiosk_number=kiosk.kiosk_number, case_type="reconocimiento",
                       recognised_person=person, sealed=sealed, has_contact=sealed is not None,
                       narrative=f"{person} me atendió con paciencia y respeto.",
                       publish_recognition=publish, consent_given=publish)


def _moderate(client: httpx.Client, case_id: str, decision: str) -> None:
    page = client.get("/reconocimientos").text
    response = client.post(f"/reconocimientos/{case_id}",
                           data={"csrf_token": csrf_from(page), "decision": decision})
    assert response.status_code == 303, response.text[:500]


def _build(database_url: str, folder: Any) -> Iterator[Wall]:
    # The test client is the trusted proxy, so the rate-limit test can speak for an address
    # of its own and never spend the bucket of the other tests.
    with running_central(database_url, folder / "data",
                         env={"TD_CENTRAL_TRUSTED_PROXIES": "127.0.0.1"}) as central:
        central.create_user("comite", role="nacional")
        ags, bc = central.enrol_kiosk(UNIT), central.enrol_kiosk("BCIMS000039")
        sealed = seal_json(central.public_key(), PERSONAL)
        ags_records = [_recognition(ags, p, sealed=sealed if i == 0 else None)
                       for i, p in enumerate(APPROVED)]
        ags_records += [_recognition(ags, HIDDEN["pending"]), _recognition(ags, HIDDEN["rejected"]),
                        _recognition(ags, HIDDEN["private"], publish=False)]
        bc_records = [_recognition(bc, HIDDEN["other_unit"])]
        for kiosk, records in ((ags, ags_records), (bc, bc_records)):
            assert kiosk.push(records).status_code == 200
        folios = [r["body"]["folio"] for r in ags_records + bc_records]
        with central.session() as s:
            ids = {c.recognised_person: str(c.id) for c in s.exec(select(Case)).all()}
        with central.http() as c:
            assert login(c, "comite", PASSWORD).status_code == 303
            for person in [*APPROVED, HIDDEN["other_unit"]]:
                _moderate(c, ids[person], "aprobar")
            _moderate(c, ids[HIDDEN["rejected"]], "rechazar")
        yield Wall(central=central, folios=folios)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
                scope="module")
def wall(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[Wall]:
    folder = tmp_path_factory.mktemp("muro")
    if request.param == "sqlite":
        yield from _build(f"sqlite:///{folder / 'central.db'}", folder)
        return
    url = request.getfixturevalue("pg_cluster").create_database(prefix="muro")
    try:
        yield from _build(url, folder)
    finally:
        request.getfixturevalue("pg_cluster").drop_database(url)


def _refresh(html: str) -> tuple[int, str]:
    match = re.search(r'<meta http-equiv="refresh" content="(\d+); url=([^"]+)">', html)
    assert match, "the page does not refresh itself"
    return int(match.group(1)), match.group(2)


def test_wall_shows_only_approved_consented_recognitions_without_personal_data(wall: Wall
                                                                               ) -> None:
    with httpx.Client(base_url=wall.central.base_url, timeout=30) as c:  # not signed in
        first = c.get(f"/muro/{UNIT.lower()}")
        assert first.status_code == 200
        assert first.headers["cache-control"] == "no-store"
        seconds, next_url = _refresh(first.text)
        assert 5 <= seconds <= 120 and next_url == f"/muro/{UNIT}?pagina=2"
        second = c.get(next_url)
        assert second.status_code == 200 and _refresh(second.text)[1] == f"/muro/{UNIT}?pagina=1"
        pages = first.text + second.text
        assert "UMF No. 1 Aguascalientes" in first.text and "1 de 2" in first.text
        assert first.text.count('class="person"') == 3
        for person in APPROVED:  # each on exactly one page: its name and the text quoting it
            assert pages.count(person) == 2
        for person in HIDDEN.values():
            assert person not in pages
        for secret in (*PERSONAL.values(), *wall.folios,
                       *(parse_folio(f).compact for f in wall.folios)):
            assert secret not in pages
        assert "Cerrar sesión" not in pages and "/entrar" not in pages
        # A page past the end, or nonsense, starts over instead of failing.
        for odd in ("99", "-1", "x"):
            again = c.get(f"/muro/{UNIT}", params={"pagina": odd})
            assert again.status_code == 200 and _refresh(again.text)[1].endswith("pagina=2")


def test_empty_wall_and_unknown_unit(wall: Wall) -> None:
    with httpx.Client(base_url=wall.central.base_url, timeout=30) as c:
        empty = c.get("/muro/ASIMS000076")
        assert empty.status_code == 200 and "data-empty" in empty.text
        assert "Aún no hay reconocimientos publicados" in empty.text
        assert _refresh(empty.text)[1] == "/muro/ASIMS000076?pagina=1"
        for unknown in ("XXIMS999999", "AGS", "ASIMS000039-M1"):  # not a unit's CLUES
            response = c.get(f"/muro/{unknown}")
            assert response.status_code == 404
            assert "No encontramos esa unidad" in response.text


def test_wall_is_rate_limited_per_address(wall: Wall) -> None:
    with httpx.Client(base_url=wall.central.base_url, timeout=30,
                      headers={"X-Forwarded-For": "198.51.100.23"}) as c:
        codes = [c.get(f"/muro/{UNIT}").status_code for _ in range(61)]
        assert codes[:60] == [200] * 60 and codes[60] == 429
        limited = c.get(f"/muro/{UNIT}")
        assert "Demasiadas consultas" in limited.text and "retry-after" in limited.headers
    with httpx.Client(base_url=wall.central.base_url, timeout=30,
                      headers={"X-Forwarded-For": "198.51.100.24"}) as other:
        assert other.get(f"/muro/{UNIT}").status_code == 200
