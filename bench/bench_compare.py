"""Two versions of the code over one national database, side by side: every board page's p50
and p95 (board, live partial, quarterly report, the seven board CSVs at Nivel Central, an
OOAD, a UMAE, a unit and a module), each request sent to every server in turn, so both see
the same data and the same load on this machine.

A throwaway PostgreSQL cluster gets the chosen size of ``bench/bench_national.py`` (small:
1 M responses, 10 k cases); one ``trato-central serve`` per version, board cache off, as
``bench_national.py`` runs. A version is a git worktree (``--base /work/wt/main-copy``);
``--variant NAME=ENV=VALUE`` adds a server of this worktree with one more setting (e.g.
``uncached=TD_CENTRAL_DECISION_CACHE_SECONDS=0``).

    .venv/bin/python bench/bench_compare.py --base ../main-copy [--repeat 10]
"""

import argparse
import contextlib
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_national import (  # noqa: E402
    BOARD_CSVS,
    PG_OPTIONS,
    SIZES,
    nodes,
    percentile,
    sign_in,
    timed,
)
from tests.support import central as support  # noqa: E402
from tests.support.national import generate  # noqa: E402
from tests.support.postgres import postgres_cluster  # noqa: E402

ENV = {"TD_CENTRAL_BOARD_CACHE_SECONDS": "0", "TD_CENTRAL_LOG_LEVEL": "WARNING"}


def pages(central: Any) -> list[tuple[str, str, str, dict[str, str]]]:
    out = []
    for level, node in nodes(central).items():
        params = {"nodo": node} if node else {}
        out += [(level, "board", "/tablero", params),
                (level, "board partial", "/tablero/parcial", params),
                (level, "quarterly report", "/reporte", params),
                *((level, f"CSV {n}", f"/tablero/csv/{n}", params) for n in BOARD_CSVS)]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="worktree of the code to compare with")
    parser.add_argument("--size", choices=("small", "full"), default="small")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--variant", action="append", default=[])
    args = parser.parse_args()
    versions: list[tuple[str, Path, dict[str, str]]] = [
        ("base", Path(args.base).resolve(), {}), ("this", ROOT, {})]
    for spec in args.variant:
        name, setting = spec.split("=", 1)
        key, value = setting.split("=", 1)
        versions.append((name, ROOT, {key: value}))
    tmp = Path(tempfile.mkdtemp(prefix="td-bench-compare-"))
    samples: dict[tuple[str, str, str], list[float]] = {}
    try:
        with postgres_cluster(PG_OPTIONS) as cluster, contextlib.ExitStack() as stack:
            url = cluster.create_database(prefix="compare")
            from central.db import make_engine
            from central.migrations import upgrade_to_head

            engine = make_engine(url)
            upgrade_to_head(engine)
            engine.dispose()
            responses, cases = SIZES[args.size]
            generate(url, responses=responses, cases=cases)
            servers = {}
            for name, root, extra in versions:
                support.ROOT = root  # the server runs that worktree's code
                servers[name] = stack.enter_context(support.running_central(
                    url, tmp / name, load_catalogue=False, env={**ENV, **extra}))
            clients = {name: sign_in(c.base_url, "nacional") for name, c in servers.items()}
            todo = pages(servers["this"])
            names = list(servers)
            for _level, _page, path, params in todo:
                for name in names:
                    timed(clients[name], path, params)  # warm-up
            for i in range(args.repeat):
                order = names if i % 2 == 0 else names[::-1]
                for level, page, path, params in todo:
                    for name in order:
                        ms = timed(clients[name], path, params)[1]
                        samples.setdefault((level, page, name), []).append(ms)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    names = [v[0] for v in versions]
    print(f"\n{args.size} data, board cache off, {args.repeat} requests per page and server "
          "in turn; ms (p50 / p95), ratio to base")
    print(f"{'level':<14} {'page':<20}" + "".join(f" {n:>15}" for n in names)
          + "".join(f" {n + '/base':>13}" for n in names[1:]))
    worst = 0.0
    for level, page, _path, _params in todo:
        figs = {n: (statistics.median(samples[(level, page, n)]),
                    percentile(samples[(level, page, n)], 95)) for n in names}
        b50, b95 = figs["base"]
        ratios = {n: (figs[n][0] / b50, figs[n][1] / b95) for n in names[1:]}
        worst = max(worst, *ratios["this"])
        print(f"{level:<14} {page:<20}"
              + "".join(f" {figs[n][0]:7.1f}/{figs[n][1]:7.1f}" for n in names)
              + "".join(f"   {r[0]:4.2f}/{r[1]:4.2f}" for r in ratios.values()))
    print(f"worst ratio of this code to base (p50 or p95): {worst:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
