"""The hub's kept small-number tables (central.web.decisions): a table is reused while its
parent's generation holds and its numbers are the same, never over other numbers."""

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

from nacl.signing import SigningKey
from sqlmodel import Session, select

from central.events import EventBus
from central.models import Kiosk, OrgNode
from central.services.ingest import ingest
from central.web.decisions import DecisionCache
from central.web.live import BoardHub
from central.web.nodes import BoardNode
from central.web.scope import Scope
from central.web.suppression import WINDOW, protect_grid
from tests.support.central import survey_record
from trato.protocol.signing import public_key_b64

OOAD = BoardNode(id="00000000-0000-0000-0000-0000000000aa", kind="ooad", name="AGS")
PERIODS = {"w1": ("2026-01-05", "2026-01-12"), "w2": ("2026-01-12", "2026-01-19")}


def _cache() -> tuple[DecisionCache, dict[str, int]]:
    generations = {OOAD.id: 0}
    return DecisionCache(lambda node: generations[node.id]), generations


def _decide(cache: DecisionCache, grid: dict[Any, dict[str, int]], stamp: int) -> Any:
    key = DecisionCache.key(Scope(None, None), OOAD, PERIODS, ())
    return cache.decide(key, stamp, grid, frozenset(),
                        lambda: protect_grid(frozenset(), grid, list(PERIODS)))


def test_a_kept_table_serves_until_its_parent_has_news() -> None:
    cache, generations = _cache()
    key = DecisionCache.key(Scope(None, None), OOAD, PERIODS, ())
    grid = {"u1": {"w1": 7}, "u2": {"w1": 2}}
    stamp = cache.stamp(OOAD)
    first = _decide(cache, grid, stamp)
    assert WINDOW in first["u1"] and WINDOW in first["u2"]  # 7 beside 2: both hidden
    assert cache.grid(key, cache.stamp(OOAD)) is grid
    assert _decide(cache, grid, cache.stamp(OOAD)) is first and cache.decided == 1
    generations[OOAD.id] += 1  # a batch under u2
    assert cache.grid(key, cache.stamp(OOAD)) is None


def test_other_numbers_are_decided_again_even_at_the_same_generation() -> None:
    cache, _ = _cache()
    stamp = cache.stamp(OOAD)
    _decide(cache, {"u1": {"w1": 7}, "u2": {"w1": 2}}, stamp)
    again = _decide(cache, {"u1": {"w1": 7}, "u2": {"w1": 8}}, stamp)
    assert again == {"u1": frozenset({"w2"}), "u2": frozenset({"w2"})} and cache.decided == 2


def _two_units_of_ags(central_app: Any) -> tuple[BoardNode, Callable[[str, int], dict[str, Any]]]:
    """A kiosk in each of two units of Aguascalientes; the first unit's board node, and a
    function that lands ``n`` responses from a unit's kiosk and returns the batch's event."""
    engine = central_app.state.engine
    with Session(engine, expire_on_commit=False) as s:
        by_code = {n.code: n for n in s.exec(select(OrgNode)).all()}
        kiosks = {}
        for code in ("ASIMS000039", "ASIMS000076"):
            unit = by_code[code]
            module = s.exec(select(OrgNode).where(OrgNode.parent_id == unit.id)).first()
            kiosks[code] = Kiosk(module_id=module.id, unit_id=unit.id, ooad_id=unit.ooad_id,
                                 umae_id=unit.umae_id, kiosk_number=1,
                                 signing_public_key=public_key_b64(SigningKey.generate()))
            s.add(kiosks[code])
        s.commit()
        unit = by_code["ASIMS000039"]
        node = BoardNode(str(unit.id), unit.name, unit.level, unit)

    def land(code: str, n: int) -> dict[str, Any]:
        kiosk = kiosks[code]
        with Session(engine) as s:
            ingest(s, s.get(Kiosk, kiosk.id), [survey_record(i, rating=5) for i in range(n)],
                   batch_id=uuid.uuid4())
            s.commit()
        return {"type": "batch", "module_id": str(kiosk.module_id),
                "unit_id": str(kiosk.unit_id), "ooad_id": str(kiosk.ooad_id)}

    return node, land


def _hub(central_app: Any, bus: EventBus, **kwargs: Any) -> BoardHub:
    live = central_app.state.web.templates.env.get_template("_board_live.html")
    return BoardHub(central_app.state.engine, bus, lambda b: live.render(b=b), **kwargs)


def test_a_batch_under_a_sibling_changes_the_page_the_kept_tables_built(central_app: Any
                                                                          ) -> None:
    """In process, with the hub's counters: a unit's page reads its ancestors' tables once,
    then from the hub; a batch under a sibling unit (the hub notes it) makes the page read
    the tables again and show what the new numbers allow."""
    node, land = _two_units_of_ags(central_app)
    land("ASIMS000039", 7)
    land("ASIMS000076", 2)
    bus = EventBus(None)
    hub = _hub(central_app, bus, max_age_seconds=0)
    national = Scope(None, None)

    async def scenario() -> list[tuple[bool, int]]:
        await bus.start()
        await hub.start()
        seen = []
        for _ in range(2):
            seen.append((hub.board(national, node).satisfaction.withheld,
                         hub.decisions.queried))
        hub.note(land("ASIMS000076", 6))
        seen.append((hub.board(national, node).satisfaction.withheld, hub.decisions.queried))
        await hub.stop()
        await bus.stop()
        return seen

    (first, read), (second, again), (after, reread) = asyncio.run(scenario())
    assert first and second  # 7 beside 2: withheld
    assert read == 2 and again == read  # Nivel Central's and the OOAD's tables, read once
    assert not after and reread == read + 2  # 7 beside 8: shown; both tables read again


def test_a_kept_board_follows_a_siblings_batch_on_the_page_and_live(central_app: Any) -> None:
    """The board cache on: a unit's kept board is decided in its OOAD's table, so a batch
    under a sibling unit (which leaves the unit's own generation alone) is checked at once.
    Where the rule decides as before, the kept board serves and live viewers get nothing; where
    it decides otherwise, the page and the viewers get the new board in the same tick."""
    node, land = _two_units_of_ags(central_app)
    land("ASIMS000039", 7)
    land("ASIMS000076", 2)
    bus = EventBus(None)
    hub = _hub(central_app, bus, tick_seconds=0.1, max_age_seconds=600)
    national = Scope(None, None)

    async def scenario() -> dict[str, Any]:
        await bus.start()
        await hub.start()
        seen: dict[str, Any] = {"hidden": hub.board(national, node).satisfaction.withheld}
        queue = hub.watch(national, node)  # the page's live section connects
        builds = hub.builds
        hub.note(land("ASIMS000076", 1))  # 7 beside 3: still withheld
        seen["still"] = hub.board(national, node).satisfaction.withheld
        await asyncio.sleep(3 * hub.tick_seconds)
        seen["quiet"], seen["quiet_builds"] = _drain(queue), hub.builds - builds
        hub.note(land("ASIMS000076", 5))  # 7 beside 8: shown
        seen["shown"] = not hub.board(national, node).satisfaction.withheld
        seen["rebuilt"] = hub.builds - builds
        await asyncio.sleep(3 * hub.tick_seconds)
        seen["update"] = _drain(queue)
        await hub.stop()
        await bus.stop()
        return seen

    seen = asyncio.run(scenario())
    assert seen["hidden"] and seen["still"]
    assert seen["quiet"] == [] and seen["quiet_builds"] == 0
    assert seen["shown"] and seen["rebuilt"] == 1  # one build, shared by the page and the tick
    assert len(seen["update"]) == 1
    kpis = seen["update"][0]["blocks"]["kpis"]
    assert 'class="value" data-figure="satisfaction_index"' in kpis


def _drain(queue: asyncio.Queue[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    while not queue.empty():
        out.append(queue.get_nowait())
    return out
