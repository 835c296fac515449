"""The case list: its filters, and at national scale pages that cover every case once, a CSV
export with every case (not just the first page), and the overdue / near-deadline filters
worked out in SQL agreeing with the business-day clock shown on each case."""

import csv
import io
import random
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from central.models import Case
from central.web.case_clock import case_clock
from central.web.case_list import PAGE_SIZE
from central.web.display import display_folio, today_mx
from tests.central.web.conftest import World, build_world, csrf_from, sqlite_or_postgres
from tests.support.central import case_record
from trato.domain.enums import CaseStage

EXTRA_CASES = 330  # more than one page, and more than the old 300-row cap
FOLIO_CELL = re.compile(r'<td class="folio"><a href="/casos/[^"]+">([^<]+)</a>')


def _world(database_url: str, folder: Any) -> Iterator[World]:
    for world in build_world(database_url, folder / "data"):
        kiosk = world.kiosks["ags"]
        records = [case_record(seq, unit_number=kiosk.unit_number,
                               kiosk_number=kiosk.kiosk_number)
                   for seq in (kiosk.next_seq() for _ in range(EXTRA_CASES))]
        for start in range(0, len(records), 100):
            assert kiosk.push(records[start:start + 100]).status_code == 200
        # Spread stages and deadlines around today so every branch of the clock is used.
        rng = random.Random(2026)
        today = today_mx()
        with world.central.session() as s:
            for case in s.exec(select(Case)).all():
                case.stage = rng.choice(list(CaseStage)).value
                case.completion_due = today + timedelta(days=rng.randint(-9, 9))
                case.resolution_due = (None if rng.random() < 0.1
                                       else today + timedelta(days=rng.randint(-20, 40)))
                s.add(case)
            s.commit()
        yield world


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
                scope="module")
def big_world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
              ) -> Iterator[World]:
    yield from sqlite_or_postgres(request, tmp_path_factory.mktemp(f"cases-{request.param}"),
                                  "caselist", _world)


def _all_cases(world: World) -> list[Case]:
    with world.central.session() as s:
        return list(s.exec(select(Case)).all())


def _csv(client: Any, **params: str) -> list[list[str]]:
    response = client.get("/casos.csv", params=params)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_pages_cover_every_case_once(big_world: World) -> None:
    cases = _all_cases(big_world)
    assert len(cases) > 2 * PAGE_SIZE
    pages = -(-len(cases) // PAGE_SIZE)
    seen: list[str] = []
    with big_world.login("nacional") as c:
        first = c.get("/casos").text
        assert f"{len(cases)} casos" in first
        assert f"Página 1 de {pages}" in first
        for page in range(1, pages + 1):
            html = c.get("/casos", params={"pagina": str(page)}).text
            folios = FOLIO_CELL.findall(html)
            assert len(folios) == (PAGE_SIZE if page < pages
                                   else len(cases) - PAGE_SIZE * (pages - 1))
            seen += folios
        # A page past the end shows the last one; nonsense shows the first.
        assert FOLIO_CELL.findall(c.get("/casos", params={"pagina": "999"}).text) == \
            seen[PAGE_SIZE * (pages - 1):]
        assert FOLIO_CELL.findall(c.get("/casos", params={"pagina": "x"}).text) == \
            seen[:PAGE_SIZE]
    assert len(seen) == len(set(seen))
    assert set(seen) == {display_folio(case.folio) for case in cases}


def test_csv_export_has_every_case_due_first(big_world: World) -> None:
    cases = _all_cases(big_world)
    with big_world.login("nacional") as c:
        rows = _csv(c)
    header, body = rows[0], rows[1:]
    assert header[0] == "Folio"
    assert {r[0] for r in body} == {display_folio(case.folio) for case in cases}
    assert len(body) == len(cases)
    # Due first: open before closed, overdue first, then fewest business days left.
    today = today_mx()
    clocks = {display_folio(case.folio): (case, case_clock(case, today)) for case in cases}

    def rank(folio: str) -> tuple[bool, bool, int]:
        case, clock = clocks[folio]
        left = clock["days_left"]
        return (case.stage == CaseStage.CERRADO.value, not clock["overdue"],
                left if left is not None else 10**6)

    ranks = [rank(r[0]) for r in body]
    assert ranks == sorted(ranks)


@pytest.mark.parametrize("flag", ["vencidos", "proximos"])
def test_deadline_filters_agree_with_the_case_clock(big_world: World, flag: str) -> None:
    today = today_mx()
    expected = set()
    for case in _all_cases(big_world):
        clock = case_clock(case, today)
        if flag == "vencidos" and clock["overdue"]:
            expected.add(display_folio(case.folio))
        if flag == "proximos" and clock["near"] and not clock["overdue"]:
            expected.add(display_folio(case.folio))
    assert expected  # the spread of dates gives both kinds
    with big_world.login("nacional") as c:
        listed = {r[0] for r in _csv(c, **{flag: "1"})[1:]}
        page = c.get("/casos", params={flag: "1"}).text
    assert listed == expected
    assert f"{len(expected)} casos" in page


def test_list_is_due_first_and_filters(web_world: World) -> None:
    with web_world.login("nacional") as c:
        all_cases = c.get("/casos").text
        for name in ("queja_ags", "queja_bc", "sensible_ags"):
            assert web_world.folios[name] in all_cases
        sensitive = c.get("/casos", params={"sensible": "1"}).text
        assert web_world.folios["sensible_ags"] in sensitive
        assert web_world.folios["queja_ags"] not in sensitive
        recog = c.get("/casos", params={"tipo": "reconocimiento"}).text
        assert web_world.folios["reconocimiento_bc"] in recog
        assert web_world.folios["queja_bc"] not in recog
        assert web_world.folios["queja_ags"] not in c.get("/casos", params={"vencidos": "1"}).text
        csv = c.get("/casos.csv", params={"tipo": "queja"})
        assert csv.headers["content-type"].startswith("text/csv")
        assert web_world.folios["queja_ags"] in csv.text
        # Impacto institucional flag: shows in the filter and on the board.
        case_id = web_world.cases["queja_ags"]
        token = csrf_from(c.get(f"/casos/{case_id}").text)
        c.post(f"/casos/{case_id}/impacto", data={"csrf_token": token, "valor": "1"})
        assert web_world.folios["queja_ags"] in c.get("/casos", params={"impacto": "1"}).text
        assert web_world.folios["queja_ags"] in c.get("/tablero").text
