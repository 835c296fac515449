"""The live-board hub: batches coalesce into at most one update per tick, a node's board is
built once per tick for all its viewers, only the blocks that changed are sent, and a board
nothing landed under is served from the cache. SQLite and PostgreSQL (real database, the
real templates, the in-process event bus)."""

import asyncio
import time
import uuid
from typing import Any

from nacl.signing import SigningKey
from sqlmodel import Session, select

from central.events import EventBus
from central.models import Kiosk, OrgNode
from central.services.ingest import ingest
from central.web.live import BoardHub
from central.web.nodes import BoardNode, root_node
from central.web.scope import Scope
from tests.support.central import survey_record
from trato.protocol.signing import public_key_b64

NATIONAL = Scope(None, None)


def _setup(app: Any) -> tuple[dict[str, Kiosk], dict[str, BoardNode]]:
    engine = app.state.engine
    with Session(engine, expire_on_commit=False) as s:
        units = {u.code: u for u in s.exec(select(OrgNode)).all()}
        kiosks = {}
        for code in ("ASIMS000039", "BCIMS000039"):
            unit = units[code]
            module = s.exec(select(OrgNode).where(OrgNode.parent_id == unit.id)).one()
            kiosks[code] = Kiosk(module_id=module.id, unit_id=unit.id, ooad_id=unit.ooad_id,
                                 umae_id=unit.umae_id, kiosk_number=1,
                                 signing_public_key=public_key_b64(SigningKey.generate()))
            s.add(kiosks[code])
        s.commit()
        nodes = {code: BoardNode(str(units[code].id), units[code].name, units[code].level,
                                 units[code]) for code in ("AGS", "BC")}
        nodes["NC"] = root_node(s, NATIONAL)
    return kiosks, nodes


def _land(app: Any, bus: EventBus, kiosk: Kiosk, n: int = 1) -> None:
    """Store ``n`` survey responses from ``kiosk`` and announce the batch, as the push does."""
    with Session(app.state.engine) as s:
        outcome = ingest(s, s.get(Kiosk, kiosk.id),
                         [survey_record(i, rating=5) for i in range(1, n + 1)],
                         batch_id=uuid.uuid4())
        s.commit()
    assert outcome.stored_total == n
    bus.publish({"type": "batch", "kiosk_id": str(kiosk.id), "unit_id": str(kiosk.unit_id),
                 "module_id": str(kiosk.module_id),
                 "ooad_id": str(kiosk.ooad_id) if kiosk.ooad_id else None,
                 "umae_id": None})


def _hub(app: Any, bus: EventBus, tick: float = 0.25) -> BoardHub:
    live = app.state.web.templates.env.get_template("_board_live.html")
    return BoardHub(app.state.engine, bus, lambda b: live.render(b=b), tick_seconds=tick,
                    max_age_seconds=600)


def _drain(queue: asyncio.Queue[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    while not queue.empty():
        out.append(queue.get_nowait())
    return out


def test_thirty_batches_and_twenty_viewers_cost_a_board_per_tick(central_app: Any) -> None:
    kiosks, nodes = _setup(central_app)
    bus = EventBus(None)
    hub = _hub(central_app, bus)

    async def scenario() -> tuple[float, int, list[list[dict[str, Any]]]]:
        await bus.start()
        await hub.start()
        queues = [hub.watch(NATIONAL, nodes["NC"]) for _ in range(20)]
        got: list[list[dict[str, Any]]] = [[] for _ in queues]

        async def read(queue: asyncio.Queue[dict[str, Any]], into: list[dict[str, Any]]
                       ) -> None:  # each viewer reads as it arrives, as the SSE stream does
            while True:
                into.append(await queue.get())

        readers = [asyncio.create_task(read(q, into)) for q, into in zip(queues, got,
                                                                         strict=True)]
        before = hub.builds
        started = time.monotonic()
        for _ in range(30):  # a batch every 20 ms or so
            _land(central_app, bus, kiosks["ASIMS000039"])
            await asyncio.sleep(0.02)
        elapsed = time.monotonic() - started
        await asyncio.sleep(3 * hub.tick_seconds)
        builds = hub.builds - before
        for reader in readers:
            reader.cancel()
        await asyncio.gather(*readers, return_exceptions=True)
        await hub.stop()
        await bus.stop()
        return elapsed, builds, got

    elapsed, builds, got = asyncio.run(scenario())
    ticks = len(got[0])
    # At most one tick per tick_seconds while batches land (and the one after the last).
    assert 1 <= ticks <= elapsed / hub.tick_seconds + 2 and ticks < 30
    assert builds == ticks  # one board per tick, shared by the twenty viewers
    assert all(messages == got[0] for messages in got)
    kpis = [m["blocks"]["kpis"] for m in got[0] if "kpis" in m["blocks"]]
    assert 'data-figure="responses_total">30<' in kpis[-1]  # the last tick has every batch


def test_only_changed_blocks_are_sent_and_quiet_boards_come_from_the_cache(central_app: Any
                                                                          ) -> None:
    kiosks, nodes = _setup(central_app)
    bus = EventBus(None)
    hub = _hub(central_app, bus)

    async def scenario() -> dict[str, Any]:
        await bus.start()
        await hub.start()
        queue = hub.watch(NATIONAL, nodes["AGS"])
        _land(central_app, bus, kiosks["ASIMS000039"], 5)
        await asyncio.sleep(2 * hub.tick_seconds)
        first = _drain(queue)
        _land(central_app, bus, kiosks["ASIMS000039"], 2)
        await asyncio.sleep(2 * hub.tick_seconds)
        second = _drain(queue)
        # Boards on the page side: built once, then cached until something lands under them.
        before = hub.builds
        for _ in range(3):
            hub.board(NATIONAL, nodes["BC"])
        cached_bc = hub.builds - before
        _land(central_app, bus, kiosks["ASIMS000039"])
        await asyncio.sleep(0.05)  # the hub hears the event
        before = hub.builds
        hub.board(NATIONAL, nodes["BC"])  # nothing landed in Baja California
        hub.board(NATIONAL, nodes["NC"])  # but the whole country changed
        after_event = hub.builds - before
        await hub.stop()
        await bus.stop()
        return {"first": first, "second": second, "cached_bc": cached_bc,
                "after_event": after_event}

    seen = asyncio.run(scenario())
    assert len(seen["first"]) == 1 and {"kpis", "trend", "certification", "kiosks"} <= set(
        seen["first"][0]["blocks"])  # a new viewer group gets every block once
    assert len(seen["second"]) == 1
    changed = set(seen["second"][0]["blocks"])
    assert "kpis" in changed and not changed & {"certification", "kiosks", "recognitions"}
    assert 'data-figure="responses_total">7<' in seen["second"][0]["blocks"]["kpis"]
    assert seen["cached_bc"] == 1
    assert seen["after_event"] == 1  # Nivel Central rebuilt, Baja California from the cache
