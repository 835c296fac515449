"""A differencing attack on a real central server: every board page, its JSON, the breakdown
and trend CSVs and the quarterly report, at every node a national, an OOAD and a unit user can
open, read over HTTP; from the published figures, solve every "total = sum of parts" the
pages show and check that no hidden figure comes out (and that a node hidden in one place is
hidden everywhere).

The world: Aguascalientes has a unit of 35 responses (modules of 3, 12 and 20) and one of 2;
with only the primary rule the 2 would be the OOAD's index minus the other unit's, and the 3
the unit's minus its other modules'.
"""

import csv
import io
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.central.web.conftest import PASSWORD, login, sqlite_or_postgres
from tests.support.central import running_central, small_catalogue, survey_record

#: (kiosk target, ratings): what each module receives.
PLAN = {
    "ASIMS000039-M1": [5, 1, 4],
    "ASIMS000039-M2": [5, 5, 4, 2, 1, 5, 4, 4, 3, 5, 5, 2],
    "ASIMS000039-M3": [4] * 11 + [5] * 6 + [1] * 3,
    "ASIMS000076-M1": [1, 5],
    "BCIMS000039-M1": [4] * 20 + [2] * 10,
    "DFIMS000113-M1": [5] * 6 + [3] * 2,
}
USERS = {"nacional": ("nacional", None), "ooad_ags": ("ooad", "AGS"),
         "unidad_ags": ("unidad", "ASIMS000039")}


def _catalogue() -> dict[str, Any]:
    data = small_catalogue()
    for unit in data["units"]:
        if unit["clues"] == "ASIMS000039":
            unit["modules"] = [{"code": f"ASIMS000039-M{i}", "name": f"Módulo {i}"}
                               for i in (1, 2, 3)]
    return data


def _world(url: str, folder: Path) -> Iterator[Any]:
    with running_central(url, folder / "data", catalogue=_catalogue()) as central:
        for name, (role, scope) in USERS.items():
            central.create_user(name, role=role, scope_code=scope, display_name=name)
        for target, ratings in PLAN.items():
            kiosk = central.enrol_kiosk(target)
            response = kiosk.push([survey_record(kiosk.next_seq(), rating=r) for r in ratings])
            assert {r["status"] for r in response.json()["results"]} == {"stored"}
        yield central


@pytest.fixture(scope="module", params=["sqlite",
                                        pytest.param("postgres", marks=pytest.mark.postgres)])
def central(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[Any]:
    yield from sqlite_or_postgres(request, tmp_path_factory.mktemp("small-numbers"), "smalln",
                                  _world)


# ---------------------------------------------------------------------------- reading


def _good(n: int, shown: str) -> int | None:
    """The count of good ratings a shown index gives away (None: hidden)."""
    match = re.search(r"(\d+(?:\.\d+)?)\s*%?$", shown.strip())
    if not match or "Menos" in shown or "Reservado" in shown:
        return None
    return round(float(match.group(1)) * n / 100)


def _num(text: str) -> int:
    return int(text.replace(",", ""))


class Published:
    """The figures one viewer can read: per figure (source, node id or label) its responses
    and its good ratings (None when hidden), and the sums the pages state."""

    def __init__(self) -> None:
        self.figures: dict[tuple[str, str], tuple[int, int | None]] = {}
        self.sums: list[tuple[tuple[str, str], list[tuple[str, str]]]] = []

    def add(self, key: tuple[str, str], n: int, good: int | None) -> None:
        seen = self.figures.setdefault(key, (n, good))
        assert seen == (n, good), f"{key} shown as {seen} and as {(n, good)}"


def read_board(client: httpx.Client, node: str, pub: Published) -> list[str]:
    """The board page, its JSON and its two CSVs of ``node``; answers its children's ids."""
    html = client.get("/tablero", params={"nodo": node}).text
    n = _num(re.search(r'data-figure="responses_total">([\d,]+)<', html).group(1))
    shown = re.search(r'data-figure="satisfaction_index">([^<]*)<', html).group(1)
    pub.add(("window", node), n, _good(n, shown))
    rows = re.findall(r'<tr><td><a href="/tablero\?nodo=([0-9a-f-]+)">[^<]*</a></td>\s*'
                      r'<td class="num">([\d,]+)</td>\s*<td class="num">(.*?)</td>', html, re.S)
    children = []
    for child, cn, cell in rows:
        pub.add(("window", child), _num(cn), _good(_num(cn), re.sub(r"<[^>]+>", "", cell)))
        children.append(child)
    pub.sums.append((("window", node), [("window", c) for c in children]))
    data = client.get("/tablero/datos", params={"nodo": node}).json()
    index = data["satisfaction_index"]
    pub.add(("window", node), data["responses"],
            None if index is None else round(index * data["responses"] / 100))
    for c in data["children"]:
        pub.add(("window", c["id"]), c["n"],
                None if c["index"] is None else round(c["index"] * c["n"] / 100))
    desglose = list(csv.reader(io.StringIO(
        client.get("/tablero/csv/desglose", params={"nodo": node}).text.lstrip("\ufeff"))))[1:]
    assert len(desglose) == len(data["children"])
    for c, row in zip(data["children"], desglose, strict=True):
        pub.add(("window", c["id"]), _num(row[1]), _good(_num(row[1]), row[2]))
    trend = list(csv.reader(io.StringIO(
        client.get("/tablero/csv/tendencia", params={"nodo": node}).text.lstrip("\ufeff"))))[1:]
    weeks = [(f"week:{node}", label) for label, *_ in trend]
    for (key, (_label, wn, shown, _mean)) in zip(weeks, trend, strict=True):
        pub.add(key, _num(wn), _good(_num(wn), shown))
    early = ("early", node)  # the window's days before the first week: never published
    pub.add(early, n - sum(_num(r[1]) for r in trend), None)
    pub.sums.append((("window", node), [*weeks, early]))
    return children


def read_report(client: httpx.Client, node: str, ids: dict[str, str], pub: Published) -> None:
    html = client.get("/reporte", params={"nodo": node}).text
    facts = re.search(r'<dl class="facts">\s*<dt>[^<]*</dt><dd>([\d,]+)</dd>\s*<dt>[^<]*</dt>'
                      r'<dd>(.*?)</dd>', html, re.S)
    n = _num(facts.group(1))
    pub.add(("quarter", node), n, _good(n, re.sub(r"<[^>]+>", "", facts.group(2))))
    tables = "".join(part for part in html.split('<section class="card">')
                     if "por mes</h2>" in part or "por unidad</h2>" in part)
    rows = re.findall(r'<tr><td>([^<]+)</td><td class="num">([\d,]+)</td>\s*'
                      r'<td class="num(?: small-n" colspan="2)?">(.*?)</td>', tables, re.S)
    units, months = [], []
    own = [r for r in rows if r[0] in ids]
    alone = len(own) == 1 and _num(own[0][1]) == n  # a unit's or a module's own row
    for name, rn, cell in rows:
        key = (("quarter", node if alone else ids[name]) if name in ids
               else (f"month:{node}", name))
        pub.add(key, _num(rn), _good(_num(rn), re.sub(r"<[^>]+>", "", cell)))
        (units if name in ids else months).append(key)
    pub.sums.append((("quarter", node), units))
    pub.sums.append((("quarter", node), months))


def worked_out(pub: Published) -> list[str]:
    """Solve the published sums by substitution: every hidden figure of fewer than five
    responses that comes out (one of five or more that comes out is known from then on), and
    every known total whose hidden parts pool fewer than five responses."""
    known = {k for k, (_n, g) in pub.figures.items() if g is not None}
    leaks = []
    changed = True
    while changed:
        changed = False
        for total, parts in pub.sums:
            if not parts:
                continue  # a page without that table
            members = [total, *parts]
            unknown = [m for m in members if m not in known and pub.figures[m][0] > 0]
            if len(unknown) == 1:
                if pub.figures[unknown[0]][0] < 5:
                    leaks.append(f"{unknown[0]} = difference of {members}")
                known.add(unknown[0])
                changed = True
    for total, parts in pub.sums:
        pooled = sum(pub.figures[p][0] for p in parts if p not in known)
        if total in known and 0 < pooled < 5:
            leaks.append(f"{total}: hidden parts pool {pooled} responses")
    return leaks


def test_no_hidden_figure_can_be_worked_out_at_any_scope(central: Any) -> None:
    with central.session() as s:
        from sqlmodel import select

        from central.models import OrgNode
        nodes = s.exec(select(OrgNode)).all()
        ids = {n.name: str(n.id) for n in nodes if n.level == "unit"}
        codes = {n.code: str(n.id) for n in nodes}
    for username in USERS:
        client = httpx.Client(base_url=central.base_url, timeout=30)
        assert login(client, username, PASSWORD).status_code == 303
        pub = Published()
        root_page = client.get("/tablero").text
        root = re.search(r'data-partial-url="/tablero/parcial\?nodo=([^"]*)"', root_page).group(1)
        queue, seen = [root], set()
        tree: dict[str, list[str]] = {}
        while queue:
            node = queue.pop()
            if node in seen:
                continue
            seen.add(node)
            children = read_board(client, node, pub)
            queue += children
            tree[node] = children
            read_report(client, node, ids, pub)
        # The same week, month or quarter of a node and of its children (on their pages).
        labels = {k for k in pub.figures if k[0].startswith(("week:", "month:"))}
        for node, children in tree.items():
            for kind, label in {(k[0].split(":")[0], k[1]) for k in labels}:
                total = (f"{kind}:{node}", label)
                parts = [(f"{kind}:{c}", label) for c in children]
                if children and total in pub.figures and all(p in pub.figures for p in parts):
                    pub.sums.append((total, parts))
            if children:
                pub.sums.append((("quarter", node), [("quarter", c) for c in children]))
        assert pub.figures, username
        hidden = [k for k, (n, g) in pub.figures.items() if g is None and n > 0
                  and k[0] != "early"]
        assert hidden, f"{username}: the world has small groups to hide"
        leaks = worked_out(pub)
        assert leaks == [], (username, leaks, pub.figures)
    # The rule did its work where the primary rule alone leaked: the unit of 35 next to the
    # unit of 2, and module 2 next to module 1 (3 responses), are withheld.
    nacional = Published()
    client = httpx.Client(base_url=central.base_url, timeout=30)
    login(client, "nacional", PASSWORD)
    read_board(client, codes["AGS"], nacional)
    assert nacional.figures[("window", codes["ASIMS000039"])][1] is None
    page = client.get("/tablero", params={"nodo": codes["ASIMS000039"]}).text
    assert "Reservado" in page and "por diferencia" in page


def test_a_batch_under_a_sibling_updates_the_kept_decision(tmp_path: Path) -> None:
    """The hub keeps each parent's table while the parent has no news (central.web.decisions):
    a batch under a sibling unit moves the OOAD's generation, so the unit's page, built from
    the OOAD's table, shows the figure the new numbers allow (board cache off, as the
    benchmark runs: the unit's own generation does not move)."""
    plan = {"ASIMS000039-M2": [5, 4, 4, 2, 1, 5, 4], "ASIMS000076-M1": [1, 5]}
    env = {"TD_CENTRAL_BOARD_CACHE_SECONDS": "0"}
    with running_central(f"sqlite:///{tmp_path / 'central.db'}", tmp_path / "data",
                         catalogue=_catalogue(), env=env) as central:
        central.create_user("nacional", role="nacional", display_name="nacional")
        kiosks = {target: central.enrol_kiosk(target) for target in plan}
        for target, ratings in plan.items():
            k = kiosks[target]
            assert k.push([survey_record(k.next_seq(), rating=r) for r in ratings]
                          ).status_code == 200
        with central.session() as s:
            from sqlmodel import select

            from central.models import OrgNode
            unit = str(s.exec(select(OrgNode.id).where(OrgNode.code == "ASIMS000039")).one())
        client = httpx.Client(base_url=central.base_url, timeout=30)
        assert login(client, "nacional", PASSWORD).status_code == 303

        def unit_index() -> Any:
            data = client.get("/tablero/datos", params={"nodo": unit}).json()
            assert data["responses"] == 7
            return data["satisfaction_index"]

        def unit_quarter() -> str:
            html = client.get("/reporte", params={"nodo": unit}).text
            facts = re.search(r'<dl class="facts">\s*<dt>[^<]*</dt><dd>([\d,]+)</dd>\s*'
                              r'<dt>[^<]*</dt><dd>(.*?)</dd>', html, re.S)
            assert _num(facts.group(1)) == 7
            return facts.group(2)

        # 7 beside 2: the 7 is withheld so the 2 cannot be worked out; asked twice, the
        # second answer comes from the kept tables.
        assert unit_index() is None and unit_index() is None
        assert "Reservado" in unit_quarter() and "Reservado" in unit_quarter()
        k = kiosks["ASIMS000076-M1"]
        assert k.push([survey_record(k.next_seq(), rating=4) for _ in range(6)]
                      ).status_code == 200
        # 7 beside 8: both shown, once the hub has noted the batch (asynchronously).
        deadline = time.monotonic() + 20
        while unit_index() is None and time.monotonic() < deadline:
            pass
        assert unit_index() == pytest.approx(100 * 5 / 7, abs=0.1)
        assert "Reservado" not in unit_quarter()
