"""The in-process event bus (the PostgreSQL bridge is tested in test_real_server.py)."""

import asyncio
import threading

from central.events import SUBSCRIBER_QUEUE_SIZE, EventBus


def test_every_subscriber_gets_every_event_from_any_thread():
    async def scenario() -> tuple[list, list, int]:
        bus = EventBus(None)
        await bus.start()
        a, b = bus.subscribe(), bus.subscribe()
        bus.publish({"type": "batch", "n": 1})
        thread = threading.Thread(target=bus.publish, args=({"type": "batch", "n": 2},))
        thread.start()
        thread.join()
        await bus.apublish({"type": "case", "n": 3})
        got_a = [await a.get(timeout=2) for _ in range(3)]
        got_b = []
        async with b:
            async for event in b:
                got_b.append(event)
                if len(got_b) == 3:
                    break
        count = bus.subscriber_count
        await bus.stop()
        return got_a, got_b, count

    got_a, got_b, count = asyncio.run(scenario())
    assert sorted(e["n"] for e in got_a) == [1, 2, 3]  # a thread's event may come later
    assert [e["n"] for e in got_b] == [e["n"] for e in got_a]
    assert count == 1  # b unsubscribed when its context closed


def test_a_slow_subscriber_loses_old_events_instead_of_blocking():
    async def scenario() -> tuple[int, dict | None]:
        bus = EventBus(None)
        await bus.start()
        sub = bus.subscribe()
        for n in range(SUBSCRIBER_QUEUE_SIZE + 10):
            bus.publish({"type": "batch", "n": n})
        first = await sub.get(timeout=1)
        size = sub.queue.qsize()
        await bus.stop()
        return size, first

    size, first = asyncio.run(scenario())
    assert first == {"type": "batch", "n": 10}
    assert size == SUBSCRIBER_QUEUE_SIZE - 1


def test_get_times_out_with_none():
    async def scenario() -> object:
        bus = EventBus(None)
        await bus.start()
        result = await bus.subscribe().get(timeout=0.05)
        await bus.stop()
        return result

    assert asyncio.run(scenario()) is None
