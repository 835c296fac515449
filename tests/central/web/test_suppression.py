"""The small-number rule (central.web.suppression): examples, and random trees of tables
checked by linear algebra that no group of fewer than five responses can be worked out by
adding and subtracting the published figures."""

import itertools
from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from central.web.suppression import (
    WINDOW,
    Sum,
    protect,
    protect_grid,
    protect_parts,
    protect_row,
    root_hidden,
)
from trato.domain.satisfaction import MIN_GROUP

# ---------------------------------------------------------------------------- examples


def test_one_small_child_takes_the_next_smallest_sibling_with_it() -> None:
    assert protect_parts(False, {"a": 3, "b": 12, "c": 9, "d": 16}) == {"a", "c"}


def test_small_children_that_pool_five_need_nothing_more() -> None:
    assert protect_parts(False, {"a": 3, "b": 2, "c": 25}) == {"a", "b"}


def test_one_hidden_child_of_five_or_more_is_not_enough_on_its_own() -> None:
    # Hidden alone, b would be the total minus a and c: it could protect nothing.
    assert protect(({"t": 30, "a": 20, "b": 6, "c": 4}), [Sum("t", ("a", "b", "c"))],
                   fixed=["t"]) == {"c", "b"}


def test_ties_are_broken_by_the_key_so_every_page_decides_alike() -> None:
    assert protect_parts(False, {"z": 4, "m": 8, "b": 8, "k": 8}) == {"z", "b"}


def test_a_hidden_total_needs_two_hidden_parts_pooling_five_or_all_of_them() -> None:
    assert protect_parts(True, {"a": 10, "b": 6, "c": 14}) == {"a", "b"}
    assert protect_parts(True, {"a": 2, "b": 2}) == {"a", "b"}
    assert protect_parts(True, {"a": 9}) == {"a"}


def test_nothing_small_nothing_hidden_and_empty_parts_never_count() -> None:
    assert protect_parts(False, {"a": 10, "b": 20, "c": 0}) == {"c"}
    assert protect_parts(False, {}) == frozenset()


def test_an_unpublished_part_is_protected_like_a_small_one() -> None:
    # The days before the trend's first week: window 40, weeks 10+12+15, early 3.
    hidden = protect_parts(False, {"early": 3, "w1": 10, "w2": 12, "w3": 15},
                           unpublished=["early"])
    assert hidden == {"early", "w1"}


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["a", "b", "c", "d"]),
                       st.lists(st.sampled_from([0, 0, 5, 7, 40]), min_size=3, max_size=3),
                       min_size=1))
def test_the_shortcut_for_tables_without_small_cells_answers_what_the_rule_does(
        rows: dict[str, list[int]]) -> None:
    periods = ["p0", "p1", "p2"]
    grid = {c: dict(zip(periods, v, strict=True)) for c, v in rows.items()}
    above = frozenset(p for p in periods if not any(r[p] for r in grid.values()))
    slow = protect_grid(above, grid, periods, unpublished=["none"])
    assert protect_grid(above, grid, periods) == {c: v - {"none"} for c, v in slow.items()}


def test_the_root_follows_the_primary_rule_alone() -> None:
    assert root_hidden(4) and not root_hidden(5)


# ---------------------------------------------------------------------------- linear algebra


def _basis(vectors: list[list[Fraction]]) -> list[tuple[int, list[Fraction]]]:
    """Row-reduced basis of the span of ``vectors``: (pivot column, row)."""
    basis: list[tuple[int, list[Fraction]]] = []
    for v in vectors:
        r = _reduce(v, basis)
        pivot = next((i for i, x in enumerate(r) if x), None)
        if pivot is None:
            continue
        r = [x / r[pivot] for x in r]
        basis = [(p, [a - b[p] * c for a, c in zip(b, r, strict=True)]) for p, b in basis]
        basis.append((pivot, r))
    return basis


def _reduce(v: list[Fraction], basis: list[tuple[int, list[Fraction]]]) -> list[Fraction]:
    r = list(v)
    for p, b in basis:
        if r[p]:
            f = r[p]
            r = [a - f * c for a, c in zip(r, b, strict=True)]
    return r


def small_groups_worked_out(micro: dict[Any, int], published: list[set[Any]]) -> list[set[Any]]:
    """Every group of microcells with 1 to 4 responses whose figure is a linear combination
    of the published figures (each published figure: the set of microcells it sums)."""
    variables = [m for m, n in micro.items() if n > 0]  # an empty microcell adds nothing
    index = {m: i for i, m in enumerate(variables)}
    rows = [[Fraction(1) if m in cells else Fraction(0) for m in variables]
            for cells in published]
    basis = _basis(rows)
    found = []
    for k in range(1, MIN_GROUP):
        for group in itertools.combinations(variables, k):
            if sum(micro[m] for m in group) >= MIN_GROUP:
                continue
            v = [Fraction(0)] * len(variables)
            for m in group:
                v[index[m]] = Fraction(1)
            if not any(_reduce(v, basis)):
                found.append(set(group))
    return found


def test_the_checker_finds_the_classic_leak() -> None:
    """Total 20 shown, a=3 hidden alone, b=17 shown: a = total - b."""
    micro = {"a": 3, "b": 17}
    assert small_groups_worked_out(micro, [{"a", "b"}, {"b"}]) == [{"a"}]


sizes_st = st.integers(0, 12).map(lambda n: n if n % 3 else n // 3)


@st.composite
def trees(draw: Any) -> dict[str, Any]:
    """A root over 1-3 children over 1-3 grandchildren over 1-3 leaves, each leaf with its
    rated responses per period (1-3 periods, the first unpublished when drawn so)."""
    periods = [f"p{i}" for i in range(draw(st.integers(1, 3)))]
    tree: dict[str, Any] = {}
    for c in range(draw(st.integers(1, 3))):
        tree[f"c{c}"] = {f"c{c}g{g}": {f"c{c}g{g}l{leaf}": {p: draw(sizes_st) for p in periods}
                                      for leaf in range(draw(st.integers(1, 3)))}
                         for g in range(draw(st.integers(1, 2)))}
    return {"periods": periods, "tree": tree, "early": draw(st.booleans())}


def _leaves(node: Any) -> dict[str, dict[str, int]]:
    """The leaves under a tree node (a leaf: periods to sizes)."""
    if all(isinstance(v, int) for v in node.values()):
        return {}
    out: dict[str, dict[str, int]] = {}
    for name, child in node.items():
        out.update(_leaves(child) or {name: child})
    return out


def _decide(node: Any, hidden: bool, decisions: dict[str, bool], name: str) -> None:
    """Every node's window decision, top-down, as the pages take them."""
    decisions[name] = hidden
    if all(isinstance(v, int) for v in node.values()):
        return
    sizes = {c: sum(sum(r.values()) for r in (_leaves(sub) or {c: sub}).values())
             for c, sub in node.items()}
    below = protect_parts(hidden, sizes)
    for c, sub in node.items():
        _decide(sub, c in below, decisions, c)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees())
def test_no_group_under_five_can_be_worked_out_from_every_window_of_the_tree(
        drawn: dict[str, Any]) -> None:
    """Published: every node's window that is shown (the board's KPIs and breakdowns on
    every page of a scope, the report's units)."""
    tree = drawn["tree"]
    leaves = {leaf: sum(row.values()) for leaf, row in _leaves(tree).items()}
    decisions: dict[str, bool] = {}
    _decide(tree, root_hidden(sum(leaves.values())), decisions, "root")
    under = {"root": set(leaves)}
    for c, grand in tree.items():
        under[c] = set(_leaves(grand))
        for g, kids in grand.items():
            under[g] = set(kids)
            under.update({leaf: {leaf} for leaf in kids})
    for name, hidden in decisions.items():
        assert hidden or sum(leaves[x] for x in under[name]) >= MIN_GROUP
    published = [under[n] for n, hidden in decisions.items() if not hidden]
    assert small_groups_worked_out(leaves, published) == []


@settings(max_examples=150, deadline=None)
@given(st.lists(sizes_st, min_size=1, max_size=8), st.booleans(), sizes_st)
def test_no_group_under_five_can_be_worked_out_from_a_trend_and_its_window(
        weeks: list[int], early: bool, sibling: int) -> None:
    """A node's trend (its weeks; the days before them unpublished when drawn so) beside its
    window, shown or hidden in its parent's table beside a sibling (parent total shown)."""
    periods = {f"w{i}": n for i, n in enumerate(weeks)}
    unpublished = ["w0"] if early and len(weeks) > 1 else []
    size = sum(weeks)
    parent_hidden = root_hidden(size + sibling)
    siblings = protect_parts(parent_hidden, {"node": size, "sibling": sibling})
    hidden = "node" in siblings
    shut = protect_parts(hidden, periods, unpublished)
    assert set(unpublished) <= shut
    micro = {**{("node", p): n for p, n in periods.items()}, ("sibling", ""): sibling}
    node_cells = {("node", p) for p in periods}
    published = [node_cells | {("sibling", "")}] if not parent_hidden else []
    published += [node_cells] if not hidden else []
    published += [{("sibling", "")}] if "sibling" not in siblings else []
    published += [{("node", p)} for p in periods if p not in shut]
    assert small_groups_worked_out(micro, published) == []


def _grid_decisions(periods: list[str], tree: dict[str, Any], unpublished: list[str]
                    ) -> dict[str, frozenset[str]]:
    """Every node's hidden figures (periods and WINDOW), top-down through protect_grid."""
    def grid(node: Any) -> dict[str, dict[str, int]]:
        return {c: {p: sum(leaf[p] for leaf in (_leaves(sub) or {c: sub}).values())
                    for p in periods} for c, sub in node.items()}

    top = grid(tree)
    root = protect_row(root_hidden(sum(sum(r.values()) for r in top.values())),
                       {p: sum(top[c][p] for c in top) for p in periods}, unpublished)
    rows: dict[str, frozenset[str]] = {"root": root}

    def down(name: str, node: Any) -> None:
        if all(isinstance(v, int) for v in node.values()):
            return
        below = protect_grid(rows[name], grid(node), periods, unpublished)
        for c, sub in node.items():
            rows[c] = below[c]
            down(c, sub)
    down("root", tree)
    return rows


def _under(tree: dict[str, Any]) -> dict[str, set[str]]:
    under = {"root": set(_leaves(tree))}
    for c, grand in tree.items():
        under[c] = set(_leaves(grand))
        for g, kids in grand.items():
            under[g] = set(kids)
            under.update({leaf: {leaf} for leaf in kids})
    return under


def substitution_leaks(sizes: dict[Any, int], known: set[Any],
                       sums: list[tuple[Any, list[Any]]]) -> list[Any]:
    """Differencing as a person would do it: a sum with one unknown figure gives it away
    (a leak if it has fewer than five responses), then that one is known too, and again; and a
    known total whose unknown parts hold fewer than five responses gives their pool away."""
    known = set(known)
    leaks: list[Any] = []
    changed = True
    while changed:
        changed = False
        for total, parts in sums:
            unknown = [m for m in (total, *parts) if m not in known and sizes[m] > 0]
            if len(unknown) == 1:
                if sizes[unknown[0]] < MIN_GROUP:
                    leaks.append(unknown[0])
                known.add(unknown[0])  # a withheld one of five or more: known from now on
                changed = True
    for total, parts in sums:
        pooled = sum(sizes[p] for p in parts if p not in known)
        if total in known and 0 < pooled < MIN_GROUP:
            leaks.append((total, pooled))
    return leaks


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees())
def test_the_board_at_every_node_gives_nothing_away_by_differencing(
        drawn: dict[str, Any]) -> None:
    """Every node's window and periods as protect_grid decides them top-down: the windows
    alone stand linear algebra; with the periods too, no figure comes out of any stated sum
    (a node over its children, a period over its children's, a window over its periods)."""
    periods, tree = drawn["periods"], drawn["tree"]
    unpublished = periods[:1] if drawn["early"] and len(periods) > 1 else []
    rows = _grid_decisions(periods, tree, unpublished)
    micro = {(leaf, p): n for leaf, row in _leaves(tree).items() for p, n in row.items()}
    under = _under(tree)

    def group(name: str, p: str) -> set[Any]:
        return {(leaf, q) for leaf in under[name] for q in (periods if p == WINDOW else [p])}

    sizes = {(name, p): sum(micro[m] for m in group(name, p))
             for name in rows for p in (*periods, WINDOW)}
    for name, hidden in rows.items():
        assert set(unpublished) <= hidden
        for p in (*periods, WINDOW):
            assert p in hidden or sizes[(name, p)] >= MIN_GROUP
    windows = [group(n, WINDOW) for n, hidden in rows.items() if WINDOW not in hidden]
    assert small_groups_worked_out(micro, windows) == []
    kids = {"root": list(tree), **{c: list(g) for c, g in tree.items()},
            **{g: list(k) for grand in tree.values() for g, k in grand.items()}}
    sums = [((n, p), [(c, p) for c in cs]) for n, cs in kids.items() for p in (*periods, WINDOW)]
    sums += [((n, WINDOW), [(n, p) for p in periods]) for n in rows]
    known = {(n, p) for n, hidden in rows.items() for p in (*periods, WINDOW) if p not in hidden}
    assert substitution_leaks(sizes, known, sums) == []
