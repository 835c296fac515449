"""The hub's kept small-number tables (central.web.decisions): a table is reused while its
parent's generation holds and its numbers are the same, never over other numbers."""

from typing import Any

from central.web.decisions import DecisionCache
from central.web.nodes import BoardNode
from central.web.scope import Scope
from central.web.suppression import WINDOW, protect_grid

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
