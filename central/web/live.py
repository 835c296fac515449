"""The live board at a cost that follows the nodes on screen, not the batches or the viewers.

:class:`BoardHub` (``app.state.board_hub``, started with the app) listens to the event bus
once per process:

* every event bumps the *generation* of each node of its branch (module, unit, OOAD or UMAE,
  and Nivel Central); events carry those ids and nothing else of the records;
* :meth:`BoardHub.board` answers the board of (scope, node) from a cache while its node's
  generation has not moved (and for at most ``max_age`` seconds, for what changes with time:
  the age of complaints, stale kiosks); one build per key at a time, and while it runs other
  requests get the previous board if it is less than :data:`STALE_SECONDS` old. The node's
  own figures are decided in its ancestors' small-number tables, which a sibling's batch
  changes without moving the node: when an ancestor's generation has moved, the kept board
  is served only if the rule decides its node's figures as before (from the kept tables: a
  query per ancestor with news, shared by every page), so no page shows for seconds a figure
  another page of the same scope now hides;
* viewers of the live board (:meth:`BoardHub.watch`) share one *group* per (scope, node): at
  most once per ``tick`` seconds, when its node's or an ancestor's generation moved, the hub
  builds the board once (an ancestor's news alone: only if the node's figures are decided
  otherwise), renders the live section once and sends each viewer only the blocks that
  changed.

So a landed batch costs the hub a few dictionary updates; a tick costs one board per node
being watched; neither grows with the number of viewers or with the history (the board reads
the rollups). Without the hub started (a test client without lifespan) nothing is cached.
"""

import asyncio
import contextlib
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from central.web.board_data import Board, build_board, own_row
from central.web.decisions import DecisionCache
from central.web.nodes import LEVEL_COLUMN, BoardNode
from central.web.scope import Scope

log = logging.getLogger(__name__)

#: The columns of an event that name the nodes it concerns.
EVENT_COLUMNS = ("module_id", "unit_id", "ooad_id", "umae_id")
_EVERYTHING = "*"
_BLOCK = re.compile(r'<section\b[^>]*\bdata-block="([^"]+)"[^>]*>(.*?)</section>', re.S)
VIEWER_QUEUE = 8
CACHE_ENTRIES = 512
#: A page may get a board this old while a newer one is being built.
STALE_SECONDS = 2.0

Key = tuple[str | None, str | None, str]


def cache_key(scope: Scope, node: BoardNode) -> Key:
    return (scope.column, str(scope.node_id) if scope.node_id else None, node.id)


def node_generation_key(node: BoardNode) -> str:
    """What a node's generation is counted under: its id, or everything for Nivel Central."""
    return node.id if LEVEL_COLUMN.get(node.kind) else _EVERYTHING


def split_blocks(html: str) -> dict[str, str]:
    """The live section's blocks (``data-block`` sections) by name, inner HTML."""
    return {name: inner for name, inner in _BLOCK.findall(html)}


async def stop_tasks(tasks: list[asyncio.Task[None]], sub: Any) -> None:
    """Cancel a listener's tasks, wait for them, close its event subscription."""
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
    if sub is not None:
        sub.close()


@dataclass
class _Entry:
    board: Board
    generation: int
    built: float
    html: str | None = None
    #: The generations of the board's ancestors (``board.crumbs``) it is known right for.
    ancestors: tuple[int, ...] = ()


@dataclass
class _Group:
    scope: Scope
    node: BoardNode
    viewers: set[asyncio.Queue[dict[str, Any]]] = field(default_factory=set)
    sent_generation: int = -1
    blocks: dict[str, str] = field(default_factory=dict)
    last_type: str = "update"
    #: What the viewers have, from the board last sent (None: not known yet).
    crumbs: list[BoardNode] | None = None
    sent_ancestors: tuple[int, ...] = ()
    row: frozenset[str] | None = None

    def take(self, entry: "_Entry") -> None:
        self.sent_generation, self.sent_ancestors = entry.generation, entry.ancestors
        self.crumbs, self.row = entry.board.crumbs, entry.board.row


class BoardHub:
    def __init__(self, engine: Any, bus: Any, render: Callable[[Board], str], *,
                 tick_seconds: float = 1.0, max_age_seconds: float = 30.0,
                 decision_seconds: float = 300.0) -> None:
        self.engine = engine
        self.bus = bus
        self.render = render
        self.tick_seconds = tick_seconds
        self.max_age_seconds = max_age_seconds
        self.builds = 0  # boards built (for tests and the benchmark)
        self._generations: dict[str, int] = {}
        self._types: dict[str, str] = {}
        self._cache: dict[Key, _Entry] = {}
        self._locks: dict[Key, threading.Lock] = {}
        self._locks_guard = threading.Lock()
        self._groups: dict[Key, _Group] = {}
        self._dirty: asyncio.Event | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._sub: Any = None
        #: The small-number tables, kept per node generation (central.web.decisions).
        self.decisions = DecisionCache(self.generation, max_age_seconds=decision_seconds)

    @property
    def running(self) -> bool:
        return bool(self._tasks)

    # -------------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        if self._tasks:
            return
        self._dirty = asyncio.Event()
        self._sub = self.bus.subscribe()
        self._tasks = [asyncio.create_task(self._listen(), name="td-board-events"),
                       asyncio.create_task(self._ticks(), name="td-board-ticks")]

    async def stop(self) -> None:
        await stop_tasks(self._tasks, self._sub)
        self._tasks = []
        self._cache.clear()

    # -------------------------------------------------------------------- generations

    def note(self, event: dict[str, Any]) -> None:
        """An event happened: every node of its branch has a new generation."""
        kind = str(event.get("type", "update"))
        for name in (_EVERYTHING, *(str(event[c]) for c in EVENT_COLUMNS if event.get(c))):
            self._generations[name] = self._generations.get(name, 0) + 1
            self._types[name] = kind
        if self._dirty is not None:
            self._dirty.set()

    def generation(self, node: BoardNode) -> int:
        return self._generations.get(node_generation_key(node), 0)

    def generations(self, nodes: list[BoardNode]) -> tuple[int, ...]:
        return tuple(self.generation(n) for n in nodes)

    # -------------------------------------------------------------------- boards

    def _lock(self, key: Key) -> threading.Lock:
        with self._locks_guard:
            return self._locks.setdefault(key, threading.Lock())

    def _fresh(self, entry: _Entry | None, generation: int, scope: Scope,
               session: Session | None) -> bool:
        """Whether ``entry`` may be served: nothing landed under its node since it was built
        (a person who just changed a case sees the change on the next page), and what landed
        under its ancestors leaves its node's figures decided as they were."""
        if (entry is None or entry.generation != generation
                or time.monotonic() - entry.built >= self.max_age_seconds):
            return False
        ancestors = self.generations(entry.board.crumbs)  # read before the tables
        if ancestors == entry.ancestors:
            return True
        if self._own_row(scope, entry.board, session) != entry.board.row:
            return False
        entry.ancestors = ancestors
        return True

    def _own_row(self, scope: Scope, board: Board, session: Session | None) -> frozenset[str]:
        decisions = self.small_number_tables()
        if session is not None:
            return own_row(session, scope, board, decisions)
        with Session(self.engine) as own:
            return own_row(own, scope, board, decisions)

    def _entry(self, scope: Scope, node: BoardNode, session: Session | None,
               exact: bool = False) -> _Entry:
        if not self.running:
            return _Entry(self._build(scope, node, session), -1, time.monotonic())
        key = cache_key(scope, node)
        entry = self._cache.get(key)
        if self._fresh(entry, self.generation(node), scope, session):
            return entry  # type: ignore[return-value]
        lock = self._lock(key)
        if not lock.acquire(blocking=False):
            # Someone is building this board: a page takes the one it has if it is recent
            # (the promise is "within 2 s"), rather than wait for the build.
            if (not exact and entry is not None
                    and time.monotonic() - entry.built < STALE_SECONDS):
                return entry
            lock.acquire()
        try:
            # Read first: an event meanwhile makes the board look stale, never the reverse.
            generation, before = self.generation(node), dict(self._generations)
            entry = self._cache.get(key)
            if self._fresh(entry, generation, scope, session):
                return entry  # type: ignore[return-value]
            board = self._build(scope, node, session)
            ancestors = tuple(before.get(node_generation_key(c), 0) for c in board.crumbs)
            entry = _Entry(board, generation, time.monotonic(), ancestors=ancestors)
            if len(self._cache) >= CACHE_ENTRIES:
                self._forget_oldest()
            self._cache[key] = entry
            return entry
        finally:
            lock.release()

    def _build(self, scope: Scope, node: BoardNode, session: Session | None) -> Board:
        self.builds += 1
        decisions = self.small_number_tables()
        if session is not None:
            return build_board(session, scope, node, decisions)
        with Session(self.engine) as own:
            return build_board(own, scope, node, decisions)

    def small_number_tables(self) -> DecisionCache | None:
        """The kept small-number tables, if kept: only while events move the generations."""
        return self.decisions if self.running and self.decisions.enabled else None

    def _forget_oldest(self) -> None:
        for key, _entry in sorted(self._cache.items(), key=lambda i: i[1].built)[
                :CACHE_ENTRIES // 4]:
            self._cache.pop(key, None)

    def board(self, scope: Scope, node: BoardNode, session: Session | None = None) -> Board:
        """The board of ``node`` for ``scope``: cached while its node has no news."""
        return self._entry(scope, node, session).board

    def live_html(self, scope: Scope, node: BoardNode, exact: bool = False) -> str:
        """The live section of the board, rendered once per build (``exact``: of the node's
        current generation, what a tick sends)."""
        return self._live(scope, node, exact).html or ""

    def _live(self, scope: Scope, node: BoardNode, exact: bool = False) -> _Entry:
        entry = self._entry(scope, node, None, exact)
        if entry.html is None:
            entry.html = self.render(entry.board)
        return entry

    # -------------------------------------------------------------------- viewers

    def watch(self, scope: Scope, node: BoardNode) -> asyncio.Queue[dict[str, Any]]:
        """A viewer's queue of updates for ``node`` (call :meth:`unwatch` when it leaves)."""
        key = cache_key(scope, node)
        group = self._groups.get(key)
        if group is None:
            group = self._groups[key] = _Group(scope, node, sent_generation=self.generation(node))
            entry = self._cache.get(key)
            if entry is not None and entry.generation == group.sent_generation:
                group.take(entry)  # the board the viewer's page was just built from
                group.blocks = split_blocks(entry.html) if entry.html else {}
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(VIEWER_QUEUE)
        group.viewers.add(queue)
        return queue

    def unwatch(self, scope: Scope, node: BoardNode, queue: asyncio.Queue[Any]) -> None:
        key = cache_key(scope, node)
        group = self._groups.get(key)
        if group is not None:
            group.viewers.discard(queue)
            if not group.viewers:
                del self._groups[key]

    @property
    def viewer_count(self) -> int:
        return sum(len(g.viewers) for g in self._groups.values())

    async def _listen(self) -> None:
        async for event in self._sub:
            self.note(event)

    async def _ticks(self) -> None:
        """One tick when something happened, at most one every ``tick_seconds``."""
        assert self._dirty is not None
        last = 0.0
        while True:
            await self._dirty.wait()
            wait = last + self.tick_seconds - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self._dirty.clear()
            last = time.monotonic()
            try:
                await self._tick()
            except Exception:  # a failed tick must not end live updates
                log.exception("board tick failed")

    async def _tick(self) -> None:
        for group in list(self._groups.values()):
            if not group.viewers:
                continue
            generation = self.generation(group.node)
            if (group.crumbs is not None and generation == group.sent_generation
                    and self.generations(group.crumbs) == group.sent_ancestors):
                continue
            entry = await asyncio.to_thread(self._live, group.scope, group.node, True)
            news = entry.generation != group.sent_generation
            decided_otherwise = group.row is None or entry.board.row != group.row
            group.take(entry)
            if not news and not decided_otherwise:
                continue  # a sibling's batch that leaves this node's figures as they were
            blocks = split_blocks(entry.html or "")
            changed = {k: v for k, v in blocks.items() if group.blocks.get(k) != v}
            group.blocks = blocks
            kind = self._types.get(node_generation_key(group.node), "update")
            message = {"type": kind, "blocks": changed}
            for queue in list(group.viewers):
                if queue.full():  # a viewer that does not read loses its oldest update
                    with contextlib.suppress(asyncio.QueueEmpty):
                        queue.get_nowait()
                queue.put_nowait(message)
