"""The board at national scale: every page's p50/p95 over a year of the whole institution's
data, beside the same pages over demo-size data, measured in the same run.

A throwaway PostgreSQL cluster (tests/support/postgres.py) gets two databases with the same
organisation (35 OOAD, 25 UMAE, 812 units, 1,100 modules and kiosks, tests/support/national.py):
demo size (40 k responses, 400 cases) and the chosen size (full: 40 M responses, 400 k cases;
small: 1 M, 10 k). A real ``trato-central serve`` (one process) answers each in turn with its
board cache off (``TD_CENTRAL_BOARD_CACHE_SECONDS=0``), so every request pays a full build: what
the first viewer after a batch pays. Pages at Nivel Central, one OOAD, one UMAE, one unit and
one module: board, live partial, quarterly report, the seven board CSVs; the case list and the
cases CSV for a national, an OOAD, a UMAE and a unit user (the cases CSV: time to the first
byte and to the last). Peak server memory is printed per database.

    .venv/bin/python bench/bench_national.py [--size small|full] [--repeat 10]

Disk: the full year takes about 15 GB while it runs; everything is removed at the end.
"""

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from tests.support.central import running_central  # noqa: E402
from tests.support.national import BENCH_PASSWORD, BENCH_USERS, generate  # noqa: E402
from tests.support.postgres import postgres_cluster  # noqa: E402

SIZES = {"demo": (40_000, 400), "small": (1_000_000, 10_000), "full": (40_000_000, 400_000)}
#: A production-like memory setting for the throwaway cluster (this machine has 23 GB).
PG_OPTIONS = ("-c shared_buffers=2GB -c effective_cache_size=8GB -c work_mem=32MB "
              "-c maintenance_work_mem=512MB -c max_wal_size=8GB -c checkpoint_timeout=30min "
              "-c max_parallel_workers_per_gather=2 -c jit=off")
BOARD_CSVS = ("tendencia", "desglose", "quejas-unidad", "quejas-servicio", "alto-impacto",
              "certificacion", "kioscos")
TARGET_MS = 500.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def generated_database(cluster: Any, size: str, *, prefix: str,
                       say: Callable[[str], None] = print) -> str:
    """A new database in ``cluster``, migrated and filled with the national year of ``size``
    (tests/support/national.py); its URL. ``say`` hears each step's time."""
    from central.db import make_engine
    from central.migrations import upgrade_to_head

    responses, cases = SIZES[size]
    url = cluster.create_database(prefix=prefix)
    engine = make_engine(url)
    upgrade_to_head(engine)
    engine.dispose()
    print(f"generating {size}: {responses:,} responses, {cases:,} cases")
    started = time.perf_counter()
    generate(url, responses=responses, cases=cases, say=say)
    print(f"  total {time.perf_counter() - started:.0f} s, database "
          f"{_database_size(cluster, url)}")
    return url


def sign_in(base_url: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=base_url, timeout=120)
    page = client.get("/entrar").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token, "no CSRF token"
    response = client.post("/entrar", data={"username": username, "password": BENCH_PASSWORD,
                                            "csrf_token": token.group(1), "next": "/tablero"})
    assert response.status_code == 303, response.text[:300]
    return client


def timed(client: httpx.Client, path: str, params: dict[str, str]) -> tuple[float, float, int]:
    """(ms to the first byte, ms to the last byte, bytes) of one GET."""
    start = time.perf_counter()
    first = None
    size = 0
    with client.stream("GET", path, params=params) as response:
        assert response.status_code == 200, (path, params, response.status_code)
        for chunk in response.iter_bytes():
            if first is None:
                first = time.perf_counter()
            size += len(chunk)
    end = time.perf_counter()
    return 1000 * ((first or end) - start), 1000 * (end - start), size


def nodes(central: Any) -> dict[str, str]:
    """The node of each level the pages are measured at."""
    from sqlmodel import select

    from central.models import OrgNode

    with central.session() as s:
        by_code = {n.code: n for n in s.exec(select(OrgNode)).all()}
    unit = by_code["BN000000800"]  # a unit with two modules
    return {"Nivel Central": "", "OOAD": str(by_code["O07"].id),
            "UMAE": str(by_code["UMAE-03"].id), "unit": str(unit.id),
            "module": str(by_code["BN000000800-M1"].id)}


def measure(central: Any, repeat: int) -> dict[tuple[str, str], dict[str, float]]:
    out: dict[tuple[str, str], dict[str, float]] = {}

    def run(level: str, page: str, client: httpx.Client, path: str, params: dict[str, str],
            times: int) -> None:
        timed(client, path, params)  # warm-up
        samples = [timed(client, path, params) for _ in range(times)]
        last = [s[1] for s in samples]
        out[(level, page)] = {"p50": statistics.median(last), "p95": percentile(last, 95),
                              "first_p95": percentile([s[0] for s in samples], 95),
                              "bytes": samples[-1][2]}

    national = sign_in(central.base_url, "nacional")
    for level, node in nodes(central).items():
        params = {"nodo": node} if node else {}
        run(level, "board", national, "/tablero", params, repeat)
        run(level, "board partial", national, "/tablero/parcial", params, repeat)
        run(level, "quarterly report", national, "/reporte", params, repeat)
        for name in BOARD_CSVS:
            run(level, f"CSV {name}", national, f"/tablero/csv/{name}", params, repeat)
    for username, level in (("nacional", "Nivel Central"), ("ooad", "OOAD"), ("umae", "UMAE"),
                            ("unidad", "unit")):
        client = national if username == "nacional" else sign_in(central.base_url, username)
        run(level, "case list", client, "/casos", {}, repeat)
        run(level, "case list, open", client, "/casos", {"etapa": "abiertos"}, repeat)
        run(level, "cases CSV", client, "/casos.csv", {}, max(3, repeat // 3))
    return out


def peak_rss_mb(pid: int) -> float:
    """VmHWM of the server process and its children (MB)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            ppid = int(re.search(r"PPid:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
            if int(entry.name) != pid and ppid != pid:
                continue
            total = max(total, int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024)  # type: ignore[union-attr]
        except (OSError, AttributeError):
            continue
    return total


def serve_and_measure(url: str, folder: Path, repeat: int) -> tuple[dict[Any, Any], float]:
    env = {"TD_CENTRAL_BOARD_CACHE_SECONDS": "0", "TD_CENTRAL_LOG_LEVEL": "WARNING"}
    with running_central(url, folder, load_catalogue=False, env=env) as central:
        figures = measure(central, repeat)
        return figures, peak_rss_mb(central.process.pid)


def report(size: str, demo: dict[Any, Any], big: dict[Any, Any], memory: dict[str, float],
           counts: dict[str, tuple[int, int]]) -> int:
    responses, cases = counts[size]
    print(f"\npages over demo-size data ({counts['demo'][0]:,} responses, "
          f"{counts['demo'][1]:,} cases) and over {size} data ({responses:,} responses, "
          f"{cases:,} cases), same organisation (1,100 kiosks), board cache off; ms")
    print(f"{'level':<14} {'page':<22} {'demo p50':>9} {'demo p95':>9} {'p50':>9} {'p95':>9}"
          f" {'x demo':>7}  target")
    missed = 0
    for key, fig in big.items():
        level, page = key
        d = demo[key]
        ratio = fig["p95"] / d["p95"] if d["p95"] else float("inf")
        ok = fig["p95"] < TARGET_MS and ratio < 2.0
        missed += 0 if ok else 1
        extra = f"  (first byte p95 {fig['first_p95']:.0f} ms, {fig['bytes'] / 1e6:.1f} MB)" \
            if page == "cases CSV" else ""
        print(f"{level:<14} {page:<22} {d['p50']:9.1f} {d['p95']:9.1f} {fig['p50']:9.1f} "
              f"{fig['p95']:9.1f} {ratio:7.2f}  {'met' if ok else 'NOT met'}{extra}")
    print(f"server peak memory: demo {memory['demo']:.0f} MB, {size} {memory[size]:.0f} MB")
    print(f"pages missing a target (p95 < {TARGET_MS:.0f} ms and < 2x demo): {missed}")
    return missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("small", "full"), default="small")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--database-url", default="",
                        help="measure this national database (already generated, e.g. held "
                             "by --hold-file) instead of generating the chosen size")
    parser.add_argument("--hold-file", default="",
                        help="after measuring, keep the big database while this file exists "
                             "(to look at query plans); its URL is printed")
    args = parser.parse_args()
    print(f"disk before: {shutil.disk_usage('/work').free / 1e9:.0f} GB free on /work")
    tmp = Path(tempfile.mkdtemp(prefix="td-bench-national-"))
    results: dict[str, Any] = {}
    memory: dict[str, float] = {}
    try:
        with postgres_cluster(PG_OPTIONS) as cluster:
            for size in ("demo", args.size):
                if size != "demo" and args.database_url:
                    results[size], memory[size] = serve_and_measure(
                        args.database_url, tmp / size, args.repeat)
                    continue
                url = generated_database(cluster, size, prefix=f"national_{size}")
                results[size], memory[size] = serve_and_measure(url, tmp / size, args.repeat)
                if size != "demo":
                    _print_sizes(cluster, url)
                    _hold(args.hold_file, url)
                cluster.drop_database(url)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    users = ", ".join(u for u, _r, _s in BENCH_USERS)
    print(f"(users: {users}; CPU: {os.cpu_count()} cores)")
    report(args.size, results["demo"], results[args.size], memory,
           {k: SIZES[k] for k in ("demo", args.size)})
    return 0


def _hold(path: str, url: str) -> None:
    if not path:
        return
    Path(path).write_text(url)
    print(f"holding {url} while {path} exists", flush=True)
    while Path(path).exists():
        time.sleep(5)


def _database_size(cluster: Any, url: str) -> str:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(cluster.dsn(name)) as conn:
        return str(conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))"
                                ).fetchone()[0])  # type: ignore[index]


def _print_sizes(cluster: Any, url: str) -> None:
    """Table and index sizes of the big database (for docs/scaling.md)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(cluster.dsn(name)) as conn:
        rows = conn.execute("""
            SELECT c.relname, pg_size_pretty(pg_table_size(c.oid)),
                   pg_size_pretty(pg_indexes_size(c.oid)), c.reltuples::bigint
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r'
            ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 12""").fetchall()
    print("  table sizes (table, indexes, rows):")
    for relname, table, indexes, tuples in rows:
        print(f"    {relname:<28} {table:>10} {indexes:>10} {tuples:>12,}")


if __name__ == "__main__":
    sys.exit(main())
