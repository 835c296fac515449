"""A campaign's results page over the national year: p50/p95 of ``/campanas/<id>``.

A throwaway PostgreSQL cluster (tests/support/postgres.py) gets the national year of
tests/support/national.py (35 OOAD, 25 UMAE, 812 units, 1,100 kiosks; small: 1 M responses,
full: 40 M), then two national campaigns of the perception instrument covering every unit
(the earlier one closed, the current one open), each with ``--per-unit`` responses per unit
made inside PostgreSQL (six answers each, 8 % "no aplica"), counted into
``rollup_campaign_unit`` by the same code as ``trato-central rebuild-rollups``. A real
``trato-central serve`` answers the results page for a national user (812 units), an OOAD
user, a UMAE user and a unit user.

    .venv/bin/python bench/bench_campaign.py [--size small|full] [--per-unit 400] [--repeat 20]
        [--database-url URL]

``--database-url``: an already generated national database (``bench_national.py --hold-file``
keeps one) instead of generating the year; the two campaigns are added to it and removed
after measuring (with their responses, units, change-feed and rollup rows), so the database
is left as it was found and the benchmark can run over it again.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_national import (  # noqa: E402
    PG_OPTIONS,
    TARGET_MS,
    generated_database,
    percentile,
    sign_in,
)
from tests.support.central import running_central  # noqa: E402
from tests.support.postgres import postgres_cluster  # noqa: E402
from trato.domain.campaigns import CAMPAIGN_KEY, DIMENSIONS, PERCEPTION_INSTRUMENT  # noqa: E402

_ANSWERS = ", ".join(
    f"'{code}', CASE WHEN random() < 0.08 THEN to_jsonb(CAST('na' AS text)) "
    f"ELSE to_jsonb(CAST(least(5, 1 + floor(5 * power(random(), 0.6))) AS int)) END"
    for code in DIMENSIONS)

RESPONSES_SQL = f"""
    INSERT INTO survey_response (id, kiosk_id, module_id, unit_id, ooad_id, umae_id, seq,
        instrument_id, instrument_version, language, channel, service_code, rating, reasons,
        comment, answers, duration_ms, probable_misuse, kiosk_created_at, received_at)
    SELECT gen_random_uuid(), k.id, k.module_id, k.unit_id, k.ooad_id, k.umae_id,
        CAST(:base AS bigint) + g.i, :instrument, 1, 'es', 'kiosk', NULL, NULL, '[]', '',
        CAST(jsonb_build_object('{CAMPAIGN_KEY}', CAST(:campaign AS text), {_ANSWERS}) AS json),
        45000, false, CAST(:at AS timestamptz), CAST(:at AS timestamptz)
    FROM (SELECT DISTINCT ON (unit_id) * FROM kiosk WHERE status = 'enrolled'
          ORDER BY unit_id, kiosk_number) k
    CROSS JOIN generate_series(1, CAST(:per_unit AS int)) AS g(i)
"""  # noqa: S608
#: ``campaign.created_by`` of the campaigns this benchmark adds (and removes).
CREATED_BY = "bench"


def campaigns(url: str, per_unit: int) -> dict[str, str]:
    """Two national campaigns with their responses and rollup; their ids."""
    import sqlalchemy as sa
    from sqlmodel import Session

    from central.db import local_day, make_engine, utcnow
    from central.models import OrgNode
    from central.services.campaigns import CampaignForm, create_campaign
    from central.services.ingest.campaigns import rebuild_campaign_rollup
    from central.web.scope import Scope

    engine = make_engine(url)
    today = local_day(utcnow())
    ids: dict[str, str] = {}
    with Session(engine) as s:
        nc = s.execute(sa.select(OrgNode).where(OrgNode.level == "nivel_central")).scalar_one()
        for name, starts, ends in (("previous", today - timedelta(days=90),
                                    today - timedelta(days=30)),
                                   ("current", today - timedelta(days=10),
                                    today + timedelta(days=50))):
            campaign = create_campaign(s, Scope(None, None), CampaignForm(
                name=f"Percepción hospitalaria ({name})",
                instrument=f"{PERCEPTION_INSTRUMENT}@1", starts_on=starts.isoformat(),
                ends_on=ends.isoformat(), target=str(per_unit), channels=["kiosk"],
                node=str(nc.id)), created_by=CREATED_BY)
            s.flush()
            s.execute(sa.text(RESPONSES_SQL), {"instrument": PERCEPTION_INSTRUMENT,
                                               "campaign": str(campaign.id),
                                               "per_unit": per_unit, "at": utcnow(),
                                               "base": 10**8 * (len(ids) + 2)})
            ids[name] = str(campaign.id)
        s.commit()
    with engine.begin() as conn:
        conn.execute(sa.text("ANALYZE"))
    rebuild_timed(engine, rebuild_campaign_rollup)
    engine.dispose()
    return ids


def rebuild_timed(engine: Any, rebuild: Any) -> None:
    """Time the campaign rollup's rebuild as ``rebuild-rollups`` runs it (kept), and in the
    same run without the partial index of the campaign responses (dropped in a transaction
    rolled back): the floor it saves, the table read whole."""
    import sqlalchemy as sa

    for label, drop in (("partial index", False), ("no index: whole table", True)):
        conn = engine.connect()
        transaction = conn.begin()
        try:
            if drop:
                conn.execute(sa.text("DROP INDEX ix_survey_response_campaign"))
            start = time.perf_counter()
            rows = rebuild(conn)
            seconds = time.perf_counter() - start
            print(f"  campaign rollup rebuilt ({label}): {rows:,} rows in {seconds:.1f} s "
                  f"(load {os.getloadavg()[0]:.1f})")
        finally:
            if drop:
                transaction.rollback()
            else:
                transaction.commit()
            conn.close()


def remove_campaigns(url: str) -> int:
    """Remove the campaigns this benchmark added (a run stopped half-way may have left them)
    with their responses, units, change-feed rows and rollup rows; answers how many."""
    import sqlalchemy as sa

    from central.db import make_engine
    from central.models import Campaign, CampaignUnit, CampaignUnitRollup, ChangeLog
    from trato.protocol.wire import ChangeKind

    engine = make_engine(url)
    with engine.begin() as conn:
        found = conn.execute(sa.select(Campaign.id, Campaign.created_at)
                             .where(Campaign.created_by == CREATED_BY)).all()
        if found:
            ids = [row.id for row in found]
            start = time.perf_counter()
            # Their responses were received after the campaign was made: the received_at
            # index finds them without reading the year.
            deleted = conn.execute(sa.text(
                "DELETE FROM survey_response WHERE received_at >= :since "
                "AND CAST(answers AS jsonb) ->> :key = ANY(:ids)"),
                {"since": min(row.created_at for row in found), "key": CAMPAIGN_KEY,
                 "ids": [str(i) for i in ids]}).rowcount
            conn.execute(sa.delete(CampaignUnitRollup).where(
                CampaignUnitRollup.campaign_id.in_(ids)))  # type: ignore[attr-defined]
            conn.execute(sa.delete(CampaignUnit).where(
                CampaignUnit.campaign_id.in_(ids)))  # type: ignore[attr-defined]
            conn.execute(sa.delete(ChangeLog).where(
                ChangeLog.kind == ChangeKind.CAMPAIGN.value,
                ChangeLog.key.in_([str(i) for i in ids])))  # type: ignore[attr-defined]
            conn.execute(sa.delete(Campaign).where(Campaign.id.in_(ids)))  # type: ignore[attr-defined]
            print(f"  removed {len(ids)} bench campaigns and their {deleted:,} responses in "
                  f"{time.perf_counter() - start:.1f} s")
    engine.dispose()
    return len(found)


def measure(base_url: str, campaign_id: str, repeat: int) -> dict[str, dict[str, float]]:
    out = {}
    for username in ("nacional", "ooad", "umae", "unidad"):
        client = sign_in(base_url, username)
        path = f"/campanas/{campaign_id}"
        assert client.get(path).status_code == 200  # warm-up
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            response = client.get(path)
            samples.append(1000 * (time.perf_counter() - start))
            assert response.status_code == 200
        units = response.text.count("<tr data-unit=")
        out[username] = {"p50": statistics.median(samples), "p95": percentile(samples, 95),
                         "units": units, "bytes": len(response.content),
                         "load": os.getloadavg()[0]}
    return out


def run(url: str, folder: Path, per_unit: int, repeat: int) -> dict[str, dict[str, float]]:
    """Add the two campaigns to the national database at ``url``, measure, remove them."""
    remove_campaigns(url)
    print(f"two national campaigns, {per_unit} responses per unit each")
    try:
        ids = campaigns(url, per_unit)
        env = {"TD_CENTRAL_BOARD_CACHE_SECONDS": "0", "TD_CENTRAL_LOG_LEVEL": "WARNING"}
        with running_central(url, folder, load_catalogue=False, env=env) as central:
            return measure(central.base_url, ids["current"], repeat)
    finally:
        remove_campaigns(url)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("small", "full"), default="small")
    parser.add_argument("--per-unit", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database-url", default="",
                        help="an already generated national database (bench_national's "
                             "--hold-file keeps one); left as it was found")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="td-bench-campaign-"))
    try:
        if args.database_url:
            print(f"national year at {args.database_url}")
            figures = run(args.database_url, tmp / "serve", args.per_unit, args.repeat)
        else:
            with postgres_cluster(PG_OPTIONS) as cluster:
                url = generated_database(cluster, args.size, prefix="national_campaign")
                figures = run(url, tmp / "serve", args.per_unit, args.repeat)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\ncampaign results page /campanas/<id>, {args.repeat} requests each, ms "
          f"(target p95 < {TARGET_MS:.0f}; load: 1-minute load average after each user)")
    print(f"{'user':<10} {'units':>6} {'p50':>8} {'p95':>8} {'KB':>7} {'load':>5}  target")
    missed = 0
    for user, fig in figures.items():
        ok = fig["p95"] < TARGET_MS
        missed += 0 if ok else 1
        print(f"{user:<10} {fig['units']:>6} {fig['p50']:8.1f} {fig['p95']:8.1f} "
              f"{fig['bytes'] / 1024:7.0f} {fig['load']:5.1f}  {'met' if ok else 'NOT met'}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
