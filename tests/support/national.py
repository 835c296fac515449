"""The institution's year of data, generated inside PostgreSQL (bench_national, bench_storm, the
query-plan test).

The organisation is 35 OOAD, 25 UMAE, 812 units and 1,100 modules with one kiosk each (the
kiosks' signing keys are derived from their number, so a benchmark can sign as any of them).
Survey responses and their idempotency-ledger rows are made by ``INSERT … SELECT FROM
generate_series`` in two parallel sessions; cases (folios need Python) are sent by COPY and
their ledger rows, timelines and change-feed rows derived in SQL. Indexes and constraints of the
big tables are dropped for the load and rebuilt after it, the rollups are built with the same
SQL as ``trato-central rebuild-rollups``, then ``VACUUM ANALYZE``.

    generate(database_url, responses=40_000_000, cases=400_000)

Nothing here is a real person or unit; names are "Unidad 0001" and the like.
"""

import hashlib
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg
from nacl.signing import SigningKey

from trato.domain.deadlines import business_days_between, completion_due, resolution_due
from trato.domain.folio import make_folio
from trato.protocol.signing import public_key_b64

OOADS, UMAES, UNITS, MODULES = 35, 25, 812, 1100
UMAE_UNITS = UMAES  # one hospital each
SERVICES = ("consulta_externa", "urgencias", "hospitalizacion", "farmacia", "laboratorio",
            "rayos_x", "asistentes_medicas", "trabajo_social", "limpieza", "vigilancia")
CASE_TYPES = (("queja", 0.40), ("reconocimiento", 0.25), ("sugerencia", 0.15),
              ("orientacion", 0.10), ("gestion", 0.10))
STAGES = ("recepcion", "integracion", "investigacion", "dictamen", "cerrado")
BIG_TABLES = ("survey_response", "ingested_record", "case", "case_event", "change_log")
CHUNK = 2_000_000


def kiosk_key(number: int) -> SigningKey:
    """The signing key of bench kiosk ``number`` (0-based), the same in every run."""
    return SigningKey(hashlib.sha256(f"td-bench-kiosk-{number}".encode()).digest())


def kiosk_id(number: int) -> uuid.UUID:
    """The id of bench kiosk ``number`` (0-based), the same in every run."""
    return uuid.UUID(bytes=hashlib.sha256(f"kiosk-{number}".encode()).digest()[:16], version=4)


def organisation() -> dict[str, Any]:
    """The national catalogue: 35 OOAD, 25 UMAE, 812 units, 1,100 modules."""
    ooad = [{"code": f"O{i:02d}", "name": f"OOAD {i:02d}", "state": f"Estado {i:02d}"}
            for i in range(1, OOADS + 1)]
    umae = [{"code": f"UMAE-{i:02d}", "name": f"UMAE {i:02d}", "state": "Ciudad de México"}
            for i in range(1, UMAES + 1)]
    units = []
    extra_modules = MODULES - UNITS
    for n in range(UNITS):
        parent = ({"umae": umae[n].get("code")} if n < UMAE_UNITS
                  else {"ooad": ooad[(n - UMAE_UNITS) % OOADS]["code"]})
        clues = f"BN{n:09d}"
        modules = 2 if n >= UNITS - extra_modules else 1
        units.append({"clues": clues, "name": f"Unidad {n:04d}", "unit_type": "UMF",
                      "unit_number": n + 1, "city": "Ciudad", **parent,
                      "modules": [{"code": f"{clues}-M{m}", "name": f"Módulo {m}"}
                                  for m in range(1, modules + 1)]})
    return {"version": 1, "nivel_central": {"code": "NC", "name": "Nivel Central"},
            "ooad": ooad, "umae": umae, "units": units}


@dataclass
class Generated:
    responses: int
    cases: int
    seconds: dict[str, float]


def _dsn(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


class _Clock:
    def __init__(self, say: Callable[[str], None]) -> None:
        self.say = say
        self.seconds: dict[str, float] = {}

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.seconds[name] = time.perf_counter() - start
        self.say(f"  {name}: {self.seconds[name]:.1f} s")


def generate(url: str, *, responses: int, cases: int, days: int = 365,
             now: datetime | None = None, say: Callable[[str], None] = print) -> Generated:
    """Fill the (migrated, empty) database at ``url`` with the national year."""
    from sqlmodel import Session

    from central.catalogue import load_organisation, publish_bundled_configuration
    from central.db import make_engine

    now = now or datetime.now(UTC)
    start = now - timedelta(days=days)
    clock = _Clock(say)
    engine = make_engine(url, pool_size=2)
    with clock.step("organisation, kiosks, staff, users"), Session(engine) as session:
        load_organisation(session, organisation())
        publish_bundled_configuration(session)
        session.commit()
    dsn = _dsn(url)
    with psycopg.connect(dsn, autocommit=True) as conn:
        _kiosks(conn, now)
        _staff_and_users(engine)
        saved = _drop_constraints(conn)
        with clock.step(f"survey responses and their ledger rows ({responses:,})"):
            _parallel(dsn, _survey_sql(), responses, start=start, days=days)
        with clock.step(f"cases ({cases:,}), timelines, change feed"):
            _cases(conn, cases, start, days, now)
        with clock.step("indexes and constraints"):
            _restore_constraints(dsn, saved)
        with clock.step("rollups (rebuild-rollups)"):
            from central.services.rollups import rebuild_rollups

            with engine.begin() as sa_conn:
                rebuild_rollups(sa_conn)
        with clock.step("vacuum analyze"):
            conn.execute("VACUUM ANALYZE")
    engine.dispose()
    return Generated(responses, cases, clock.seconds)


# ---------------------------------------------------------------------------- kiosks


def _kiosks(conn: psycopg.Connection, now: datetime) -> None:
    modules = conn.execute(
        "SELECT m.id, m.unit_id, m.ooad_id, m.umae_id, u.clues FROM org_node m "
        "JOIN org_node u ON u.id = m.unit_id WHERE m.level = 'module' ORDER BY m.code"
    ).fetchall()
    rng = random.Random(11)
    conn.execute("CREATE TABLE bench_kiosk (n int PRIMARY KEY, id uuid, module_id uuid, "
                 "unit_id uuid, ooad_id uuid, umae_id uuid, q float8)")
    with conn.cursor() as cur:
        with cur.copy("COPY kiosk (id, module_id, unit_id, ooad_id, umae_id, kiosk_number, "
                      "signing_public_key, status, hostname, enrolled_at, revoke_reason, "
                      "last_sync_at, app_version, clock_offset_seconds, backlog, last_seq, "
                      "records_received) FROM STDIN") as copy:
            numbers: dict[Any, int] = {}
            rows = []
            for n, (module_id, unit_id, ooad_id, umae_id, clues) in enumerate(modules):
                numbers[unit_id] = numbers.get(unit_id, 0) + 1
                kid = kiosk_id(n)
                stale = n % 97 == 5
                copy.write_row((kid, module_id, unit_id, ooad_id, umae_id, numbers[unit_id],
                                public_key_b64(kiosk_key(n)), "enrolled", f"bench-{clues}",
                                now - timedelta(days=400), "",
                                now - timedelta(days=3 if stale else 0,
                                                minutes=rng.randint(1, 30)),
                                "0.1.0", round(rng.gauss(0, 2), 1), 0, 10**9, 0))
                rows.append((n, kid, module_id, unit_id, ooad_id, umae_id,
                             rng.uniform(0.45, 0.92)))
        with cur.copy("COPY bench_kiosk FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _staff_and_users(engine: Any) -> None:
    from sqlmodel import Session, select

    from central.models import OrgLevel, OrgNode, StaffMember
    from central.services.users import create_or_update_user

    rng = random.Random(5)
    with Session(engine) as session:
        units = session.exec(select(OrgNode).where(OrgNode.level == OrgLevel.UNIT.value)).all()
        for unit in units:
            for i in range(3):
                session.add(StaffMember(unit_id=unit.id, name=f"Persona {i}", role="técnico(a)",
                                        certified_buen_trato=rng.random() < 0.7))
        session.commit()
    with Session(engine) as session:
        for username, role, scope in BENCH_USERS:
            create_or_update_user(session, username, role=role, scope_code=scope,
                                  password=BENCH_PASSWORD, display_name=username)


BENCH_PASSWORD = "contraseña-de-banco-1"  # noqa: S105 - throwaway cluster
#: A user per level: the whole country, one OOAD, one UMAE, one unit.
BENCH_USERS = (("nacional", "nacional", None), ("ooad", "ooad", "O07"),
               ("umae", "umae", "UMAE-03"), ("unidad", "unidad", "BN000000400"))


# ---------------------------------------------------------------------------- surveys


def _survey_sql() -> str:
    services = "ARRAY[" + ",".join(f"'{s}'" for s in SERVICES) + "]"
    # i-th response of the year: kiosk i % 1100, moment evenly spread over the days; the
    # rating leans towards 4-5 by each kiosk's quality q; 4 % unrated, 1 % probable misuse.
    # Only constants are formatted in; the bounds are parameters.
    return f"""
        WITH rows AS (INSERT INTO survey_response (id, kiosk_id, module_id, unit_id, ooad_id,
            umae_id, seq, instrument_id, instrument_version, language, channel, service_code,
            rating, reasons, comment, answers, duration_ms, probable_misuse, kiosk_created_at,
            received_at)
        SELECT gen_random_uuid(), k.id, k.module_id, k.unit_id, k.ooad_id, k.umae_id,
            g.i / {MODULES} + 1, 'trato-general', 1, 'es', 'kiosk',
            ({services})[1 + (g.i / 7) %% {len(SERVICES)}],
            CASE WHEN x.r < 0.04 THEN NULL
                 ELSE least(5, 1 + floor(5 * power(random(), 1.0 - k.q * 0.8)))::int END,
            '[]', '', '{{}}', 9000 + g.i %% 20000, x.r > 0.99,
            x.at - interval '4 minutes', x.at
        FROM generate_series(%(lo)s::bigint, %(hi)s::bigint - 1) AS g(i)
        JOIN bench_kiosk k ON k.n = g.i %% {MODULES}
        CROSS JOIN LATERAL (SELECT random() + 0 * g.i AS r,
            %(start)s::timestamptz
            + (g.i::float8 / %(total)s) * make_interval(days => %(days)s) AS at) x
        RETURNING id, kiosk_id, seq, kiosk_created_at, received_at)
        INSERT INTO ingested_record (id, kiosk_id, seq, kind, content_hash, batch_id,
            kiosk_created_at, received_at)
        SELECT id, kiosk_id, seq, 'survey_response', md5(id::text) || md5(seq::text),
            kiosk_id, kiosk_created_at, received_at FROM rows
    """  # noqa: S608


def _parallel(dsn: str, sql: str, total: int, workers: int = 2, **params: Any) -> None:
    """Run ``sql`` over [0, total) in chunks from ``workers`` sessions at once."""
    chunks = [(lo, min(lo + CHUNK, total)) for lo in range(0, total, CHUNK)]
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work() -> None:
        try:
            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute("SET synchronous_commit = off")
                while True:
                    with lock:
                        if not chunks or errors:
                            return
                        lo, hi = chunks.pop(0)
                    conn.execute(sql, {"lo": lo, "hi": hi, "total": total, **params})
        except BaseException as exc:  # reported after the join
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


# ---------------------------------------------------------------------------- cases


def _case_rows(kiosks: list[tuple[Any, ...]], unit_numbers: dict[Any, int], n: int,
               start: datetime, days: int, now: datetime) -> Iterator[tuple[Any, ...]]:
    rng = random.Random(3)
    today = now.date()
    types = [t for t, _ in CASE_TYPES]
    weights = [w for _, w in CASE_TYPES]
    sequences: dict[int, int] = {}
    deadlines: dict[date, tuple[date, date]] = {}
    ages: dict[date, int] = {}
    for i in range(n):
        k = kiosks[i % len(kiosks)]
        kn, kid, module_id, unit_id, ooad_id, umae_id, kiosk_number = k
        received = start + timedelta(days=days * (i + rng.random()) / n)
        received = min(received, now - timedelta(minutes=1))
        day = received.date()
        if day not in deadlines:
            deadlines[day] = (completion_due(day), resolution_due(day))
            ages[day] = business_days_between(day, today)
        age = ages[day]
        case_type = rng.choices(types, weights)[0]
        stage, impacto, recognition = _follow_up(rng, case_type, age)
        seq = sequences[kn] = sequences.get(kn, 0) + 1
        folio = make_folio(unit_number=unit_numbers[unit_id], kiosk_number=kiosk_number,
                           sequence=seq).compact
        completion, resolution = deadlines[day] if case_type == "queja" else (None, None)
        closed = received + timedelta(days=5) if stage == "cerrado" else None
        yield (uuid.uuid4(), folio, kid, module_id, unit_id, ooad_id, umae_id, seq, case_type,
               "kiosk", "es", SERVICES[i % len(SERVICES)], "[]", False,
               "Narración de prueba.", "", "", "Persona reconocida" if case_type ==
               "reconocimiento" else "", case_type == "reconocimiento", False, "2026-01",
               True, 1, received - timedelta(minutes=3), received, stage,
               closed or received, impacto, completion, resolution, closed, 0, recognition,
               "0" * 64, 1, closed or received)


def _follow_up(rng: random.Random, case_type: str, age: int) -> tuple[str, bool, str]:
    """(stage, impacto institucional, recognition status) as committees move cases."""
    if case_type == "queja":
        if age >= 50:
            stage = "cerrado" if rng.random() < 0.9 else "dictamen"
        else:
            stage = STAGES[min(len(STAGES) - 1, int(age / 12 + rng.random() * 1.5))]
        return stage, rng.random() < 0.04, "not_requested"
    if case_type == "reconocimiento":
        status = ("approved" if rng.random() < 0.85 else "rejected") if age > 3 else "pending"
        return ("cerrado" if age > 5 else "recepcion"), False, status
    return ("cerrado" if age > 10 else "integracion"), False, "not_requested"


_CASE_COLUMNS = (
    "id, folio, kiosk_id, module_id, unit_id, ooad_id, umae_id, seq, case_type, channel, "
    "language, service_code, categories, sensitive, narrative, request, staff_involved, "
    "recognised_person, publish_recognition, has_contact, privacy_notice_version, "
    "consent_given, catalogue_version, kiosk_created_at, received_at, stage, "
    "stage_changed_at, impacto_institucional, completion_due, resolution_due, closed_at, "
    "reopened_count, recognition_status, content_hash, status_version, updated_at")


def _cases(conn: psycopg.Connection, n: int, start: datetime, days: int, now: datetime) -> None:
    kiosks = conn.execute(
        "SELECT b.n, b.id, b.module_id, b.unit_id, b.ooad_id, b.umae_id, k.kiosk_number "
        "FROM bench_kiosk b JOIN kiosk k ON k.id = b.id ORDER BY b.n").fetchall()
    unit_numbers = dict(conn.execute(
        "SELECT id, unit_number FROM org_node WHERE level = 'unit'").fetchall())
    with conn.cursor() as cur, cur.copy(f'COPY "case" ({_CASE_COLUMNS}) FROM STDIN') as copy:
        for row in _case_rows(kiosks, unit_numbers, n, start, days, now):
            copy.write_row(row)
    conn.execute("""
        INSERT INTO ingested_record (id, kiosk_id, seq, kind, content_hash, batch_id,
            kiosk_created_at, received_at)
        SELECT id, kiosk_id, seq, 'case', md5(folio) || md5(id::text), kiosk_id,
            kiosk_created_at, received_at FROM "case" """)
    conn.execute("""
        INSERT INTO case_event (id, case_id, at, event_type, stage_from, stage_to, note,
            by_name, source, kiosk_event_type, detail)
        SELECT gen_random_uuid(), id, received_at, 'received', NULL, 'recepcion', '', '',
            'kiosk', '', '{"channel": "kiosk"}'::json FROM "case"
        UNION ALL
        SELECT gen_random_uuid(), id, stage_changed_at, 'stage_changed', 'recepcion', stage,
            '', 'Comité', 'web', '', '{}'::json FROM "case" WHERE stage <> 'recepcion' """)
    conn.execute("""
        INSERT INTO change_log (kind, key, version, data, scope, scope_unit_id, created_at)
        SELECT 'case_status', id::text, 1, json_build_object('case_id', id, 'folio', folio,
            'stage', stage, 'impacto_institucional', impacto_institucional,
            'updated_at', updated_at, 'completion_due', completion_due,
            'resolution_due', resolution_due), 'unit', unit_id, received_at
        FROM "case" ORDER BY received_at""")


# ---------------------------------------------------------------------------- constraints


def _drop_constraints(conn: psycopg.Connection) -> list[str]:
    """Drop the big tables' indexes and constraints (and the foreign keys that point at
    them); answers the statements that put them back."""
    names = list(BIG_TABLES)
    constraints = conn.execute("""
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype
        FROM pg_constraint c
        WHERE c.contype IN ('p', 'u', 'f')
          AND (c.conrelid::regclass::text = ANY(%(t)s) OR c.confrelid::regclass::text = ANY(%(t)s))
        ORDER BY c.contype = 'f' DESC""", {"t": [f'"{n}"' if n == "case" else n
                                                  for n in names]}).fetchall()
    indexes = conn.execute("""
        SELECT indexname, indexdef FROM pg_indexes
        WHERE tablename = ANY(%(t)s) AND indexname NOT IN (
            SELECT conname FROM pg_constraint)""", {"t": names}).fetchall()
    restore = [f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}"
               for table, name, definition, kind in reversed(constraints)]
    restore += [definition for _name, definition in indexes]
    for table, name, _definition, _kind in constraints:
        conn.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    for name, _definition in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    return restore


def _restore_constraints(dsn: str, statements: list[str]) -> None:
    """Primary keys and unique constraints first (two sessions), then the foreign keys."""
    keys = [s for s in statements if "FOREIGN KEY" not in s]
    foreign = [s for s in statements if "FOREIGN KEY" in s]
    pending = list(keys)
    lock = threading.Lock()

    def work() -> None:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("SET maintenance_work_mem = '512MB'")
            conn.execute("SET max_parallel_maintenance_workers = 1")
            while True:
                with lock:
                    if not pending:
                        return
                    statement = pending.pop(0)
                conn.execute(statement)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with psycopg.connect(dsn, autocommit=True) as conn:
        for statement in foreign:
            conn.execute(statement)
