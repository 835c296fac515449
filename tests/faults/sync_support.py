"""Helpers shared by the sync integration, fault and kill tests (and bench/bench_drain.py).

* :func:`make_kiosk` - a real kiosk store in a folder, enrolled to a real central server with a
  token the server issued (through the real enrolment endpoint).
* :func:`bulk_surveys` - many survey records in the outbox quickly (the frozen wire JSON made
  exactly as :func:`kiosk.storage.outbox.enqueue` makes it), for the volume tests.
* :func:`central_counts` - what the central database holds for a kiosk, read with SQL.
"""

import contextlib
import logging
import random
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, insert, text

from kiosk.settings import KioskSettings, load_settings
from kiosk.storage.db import Database, open_database
from kiosk.storage.models import Counter, OutboxEntry
from kiosk.storage.outbox import OUTBOX_SEQ_COUNTER, OutboxState
from kiosk.sync.client import CentralClient
from kiosk.sync.credentials import KioskCredentials, load_credentials
from kiosk.sync.engine import SyncEngine
from kiosk.sync.enrolment import enroll
from trato.domain.enums import Channel, RecordKind
from trato.protocol.wire import SurveyResponseBody, WireRecord


@dataclass
class Kiosk:
    settings: KioskSettings
    database: Database
    credentials: KioskCredentials

    def client(self, url: str | None = None, **kw: Any) -> CentralClient:
        return CentralClient(url or self.credentials.server_url,
                             kiosk_id=self.credentials.kiosk_id,
                             signing_key=self.credentials.signing_key, **kw)

    def engine(self, url: str | None = None, *, clock: Any = None,
               connect_timeout: float = 2.0, read_timeout: float = 5.0,
               **kw: Any) -> SyncEngine:
        kw.setdefault("backoff_base", 0.01)
        kw.setdefault("backoff_cap", 0.2)
        kw.setdefault("rng", random.Random(7))
        client = self.client(url, clock=clock, connect_timeout=connect_timeout,
                             read_timeout=read_timeout)
        return SyncEngine(self.database, client, clock, self.settings, **kw)

    def close(self) -> None:
        self.database.close()


def make_kiosk(data_dir: Path, server_url: str, token: str) -> Kiosk:
    settings = load_settings(data_dir)
    enroll(settings, server_url, token)
    creds = load_credentials(settings.credentials_dir)  # type: ignore[arg-type]
    assert creds is not None
    database = open_database(settings.db_path).database
    return Kiosk(settings, database, creds)


@contextlib.contextmanager
def debug_log_and_temp_in(data_dir: Path) -> Iterator[Path]:
    """While the block runs, every log record at DEBUG goes to ``data_dir/logs/kiosk.log``
    and temporary files are made in ``data_dir/tmp``: a raw-byte search of the data folder
    then sees whatever the kiosk logged or spilled. Yields the log file."""
    (data_dir / "logs").mkdir(parents=True, exist_ok=True)
    (data_dir / "tmp").mkdir(exist_ok=True)
    log_file = data_dir / "logs" / "kiosk.log"
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    old_level, old_tmp = root.level, tempfile.tempdir
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    tempfile.tempdir = str(data_dir / "tmp")
    try:
        yield log_file
    finally:
        root.removeHandler(handler)
        handler.close()
        root.setLevel(old_level)
        tempfile.tempdir = old_tmp


def open_kiosk(data_dir: Path) -> Kiosk:
    settings = load_settings(data_dir)
    creds = load_credentials(settings.credentials_dir)  # type: ignore[arg-type]
    assert creds is not None
    return Kiosk(settings, open_database(settings.db_path, migrate_schema=False).database, creds)


def survey_body(i: int) -> SurveyResponseBody:
    return SurveyResponseBody(
        instrument_id="trato-general", instrument_version=1, language="es",
        channel=Channel.KIOSK, service_code=None, rating=1 + i % 5,
        reasons=[], comment="", duration_ms=1000 + i % 5000,
    )


def bulk_surveys(database: Database, n: int, *, chunk: int = 5000,
                 created_at: datetime | None = None) -> list[uuid.UUID]:
    """Append ``n`` survey records to the outbox (seq continues the kiosk's counter)."""
    ids: list[uuid.UUID] = []
    created_at = created_at or datetime.now(UTC)
    done = 0
    while done < n:
        size = min(chunk, n - done)
        with database.write() as session:
            counter = session.get(Counter, OUTBOX_SEQ_COUNTER) or Counter(
                name=OUTBOX_SEQ_COUNTER, value=0)
            start = counter.value
            rows = []
            for k in range(size):
                seq = start + k + 1
                rid = uuid.uuid4()
                record = WireRecord(id=rid, seq=seq, created_at=created_at,
                                    body=survey_body(seq))
                rows.append({
                    "id": rid, "seq": seq, "kind": RecordKind.SURVEY_RESPONSE.value,
                    "payload": record.model_dump_json(), "state": OutboxState.WAITING.value,
                    "attempts": 0, "created_at": created_at, "next_attempt_at": created_at,
                })
                ids.append(rid)
            session.execute(insert(OutboxEntry), rows)
            counter.value = start + size
            session.add(counter)
        done += size
    return ids


def outbox_state_ids(database: Database, state: str) -> set[uuid.UUID]:
    with database.read() as session:
        rows = session.execute(
            text("SELECT id FROM outbox_entry WHERE state = :s"), {"s": state}
        ).all()
    return {uuid.UUID(str(r[0])) if not isinstance(r[0], uuid.UUID) else r[0] for r in rows}


def _as_uuid(value: Any) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    s = str(value)
    return uuid.UUID(s) if len(s) != 32 else uuid.UUID(hex=s)


@dataclass
class CentralCounts:
    ids: list[uuid.UUID]  # every ingested record id of the kiosk (with repetitions, if any)
    survey_rows: int
    case_rows: int

    @property
    def unique(self) -> set[uuid.UUID]:
        return set(self.ids)

    @property
    def duplicated(self) -> int:
        return len(self.ids) - len(self.unique)


def central_counts(database_url: str, kiosk_id: uuid.UUID) -> CentralCounts:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            kid = kiosk_id if engine.dialect.name == "postgresql" else kiosk_id.hex
            ids = [_as_uuid(r[0]) for r in conn.execute(
                text("SELECT id FROM ingested_record WHERE kiosk_id = :k"), {"k": kid})]
            surveys = conn.execute(
                text("SELECT count(*) FROM survey_response WHERE kiosk_id = :k"), {"k": kid}
            ).scalar_one()
            cases = conn.execute(
                text('SELECT count(*) FROM "case" WHERE kiosk_id = :k'), {"k": kid}
            ).scalar_one()
    finally:
        engine.dispose()
    return CentralCounts(ids=ids, survey_rows=int(surveys), case_rows=int(cases))



# ---------------------------------------------------------------------------- central helpers
# The central server's SQLModel tables and the kiosk's share table names in SQLModel's default
# metadata, so a process that imports the kiosk store must not import central.models: the
# sync tests drive the central side through its CLI in a child process and read it with SQL.


def _central_env(central: Any) -> dict[str, str]:
    import os

    from tests.support.central import ROOT

    env = dict(os.environ)
    env.update({"TD_CENTRAL_DATABASE_URL": central.database_url,
                "TD_CENTRAL_DATA_DIR": str(central.data_dir),
                "PYTHONPATH": str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")})
    return env


def central_cli(central: Any, *args: str, stdin: str | None = None) -> str:
    import subprocess
    import sys

    done = subprocess.run(
            [sys.executable, "-m", "central.cli", *args], env=_central_env(central),
                          capture_output=True, text=True, timeout=180, input=stdin)
    if done.returncode != 0:
        raise RuntimeError(f"trato-central {args[0]} failed: {done.stderr[-2000:]}")
    return done.stdout.strip()


def central_python(central: Any, code: str) -> str:
    """Run ``code`` in a child Python with the central settings in the environment."""
    import subprocess
    import sys

    done = subprocess.run(
            [sys.executable, "-c", code], env=_central_env(central),
                          capture_output=True, text=True, timeout=180)
    if done.returncode != 0:
        raise RuntimeError(f"central snippet failed: {done.stderr[-3000:]}")
    return done.stdout.strip()


def load_small_catalogue(central: Any, folder: Path) -> None:
    import json

    from tests.support.central import small_catalogue

    path = folder / "organisation.json"
    path.write_text(json.dumps(small_catalogue()), encoding="utf-8")
    central_cli(central, "load-catalogue", str(path))


def issue_token(central: Any, target: str = "ASIMS000039") -> str:
    return central_cli(central, "issue-token", target).splitlines()[-1].strip()


def revoke(central: Any, kiosk_id: uuid.UUID, reason: str = "retirado de servicio") -> None:
    """Revoke through the administrative API (as IT would)."""
    import httpx

    response = httpx.post(f"{central.base_url}/api/v1/kiosks/{kiosk_id}/revoke",
                          json={"reason": reason}, timeout=30,
                          headers={"Authorization": f"Bearer {central.admin_token}"})
    assert response.status_code == 200, response.text


def central_sql(central: Any, statement: str, **params: Any) -> list[Any]:
    engine = create_engine(central.database_url)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(statement), params)
            return list(result.all()) if result.returns_rows else []
    finally:
        engine.dispose()


def central_private_key(central: Any) -> Any:
    import base64

    from nacl.public import PrivateKey

    from central.keys import key_path
    from central.settings import CentralSettings

    settings = CentralSettings(data_dir=central.data_dir, database_url=central.database_url)
    return PrivateKey(base64.b64decode(key_path(settings).read_text().strip()))
