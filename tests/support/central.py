"""Test support for the central server: a real uvicorn process, a signing kiosk client,
record factories and a small organisation.

``running_central(database_url, data_dir)`` starts ``trato-central serve`` on 127.0.0.1 on a free
port in a subprocess, waits for ``/healthz`` and yields a :class:`CentralHandle`::

    with running_central(pg_url, tmp_path) as central:
        token = central.issue_token("ASIMS000039")        # unit CLUES or module code
        kiosk = TestKiosk.enrol(central.base_url, token)    # signed httpx client
        result = kiosk.push([survey_record(1)])
        with central.session() as s: ...                    # SQLModel session on the same DB

The organisation loaded by default is :func:`small_catalogue` (2 OOAD, 1 UMAE, 4 units).
"""

import base64
import gzip as gzip_module
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine
from sqlmodel import Session

from trato.domain.folio import make_folio
from trato.protocol import signing
from trato.protocol.wire import (
    CHANGES_PATH,
    ENROL_PATH,
    HEADER_KIOSK,
    HEADER_NONCE,
    HEADER_SIGNATURE,
    HEADER_TIMESTAMP,
    PUSH_PATH,
)

ROOT = Path(__file__).resolve().parents[2]
ADMIN_TOKEN = "test-admin-token-0123456789"  # noqa: S105 - tests only

# ---------------------------------------------------------------------------- organisation


def small_catalogue() -> dict[str, Any]:
    """Two OOAD (Aguascalientes, Baja California), one UMAE and four units."""
    def unit(clues: str, name: str, number: int, **parent: str) -> dict[str, Any]:
        return {"clues": clues, "name": name, "unit_type": name.split()[0],
                "unit_number": number, "city": "Ciudad", **parent,
                "modules": [{"code": f"{clues}-M1", "name": "Módulo de Trato Digno 1"}]}

    return {
        "version": 1,
        "nivel_central": {"code": "NC", "name": "Nivel Central"},
        "ooad": [{"code": "AGS", "name": "OOAD Aguascalientes", "state": "Aguascalientes"},
                 {"code": "BC", "name": "OOAD Baja California", "state": "Baja California"}],
        "umae": [{"code": "UMAE-HE-CMNSXXI", "name": "UMAE Hospital de Especialidades, "
                  "CMN Siglo XXI", "state": "Ciudad de México"}],
        "units": [
            unit("ASIMS000039", "UMF No. 1 Aguascalientes", 101, ooad="AGS"),
            unit("ASIMS000076", "HGZ No. 2 Aguascalientes", 102, ooad="AGS"),
            unit("BCIMS000039", "UMF No. 2 Mexicali", 103, ooad="BC"),
            unit("DFIMS000113", "Hospital de Especialidades CMN Siglo XXI", 104,
                 umae="UMAE-HE-CMNSXXI"),
        ],
    }


def seed_small_org(engine: Engine, data: dict[str, Any] | None = None) -> dict[str, int]:
    from central.catalogue import load_organisation

    with Session(engine) as session:
        return load_organisation(session, data or small_catalogue())


# ---------------------------------------------------------------------------- records


def _now_iso() -> str:
    return datetime.now(UTC).isoformat()


def survey_record(seq: int, *, rating: int | None = 4, record_id: uuid.UUID | None = None,
                  created_at: str | None = None, **body: Any) -> dict[str, Any]:
    return {
        "id": str(record_id or uuid.uuid4()), "seq": seq, "created_at": created_at or _now_iso(),
        "body": {"kind": "survey_response", "instrument_id": "trato-general",
                 "instrument_version": 1, "language": "es", "channel": "kiosk",
                 "service_code": "consulta_externa", "rating": rating,
                 "reasons": [], "comment": "", "duration_ms": 8000, **body},
    }


def case_record(seq: int, *, unit_number: int = 101, kiosk_number: int = 1,
                case_type: str = "queja", record_id: uuid.UUID | None = None,
                sealed: str | None = None, **body: Any) -> dict[str, Any]:
    folio = str(make_folio(unit_number=unit_number, kiosk_number=kiosk_number, sequence=seq))
    return {
        "id": str(record_id or uuid.uuid4()), "seq": seq, "created_at": _now_iso(),
        "body": {"kind": "case", "folio": folio, "case_type": case_type, "channel": "kiosk",
                 "language": "es", "service_code": "urgencias",
                 "narrative": "Esperé cuatro horas sin información.", **body},
        "sealed": sealed,
    }


def case_event_record(seq: int, case_id: str, *, stage: str | None = None, note: str = "",
                      event_type: str = "note") -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "seq": seq, "created_at": _now_iso(),
            "body": {"kind": "case_event", "case_id": case_id, "event_type": event_type,
                     "stage": stage, "note": note, "agent": "Agente de prueba"}}


# ---------------------------------------------------------------------------- signed kiosk


@dataclass
class TestKiosk:
    """A kiosk speaking the wire protocol with httpx (tests only; the real client is
    kiosk/sync/client.py)."""

    __test__ = False  # not a pytest class

    base_url: str
    kiosk_id: str
    signing_key: Any
    enrolment: dict[str, Any]
    client: Any = None  # httpx.Client or fastapi TestClient
    clock_offset: int = 0
    batches: int = 0
    _seq: int = field(default=0)

    @classmethod
    def enrol(cls, base_url: str, token: str, *, client: Any = None) -> "TestKiosk":
        http = client or httpx.Client(base_url=base_url, timeout=30)
        key = signing.new_signing_key()
        response = http.post(ENROL_PATH, json={
            "schema_version": 1, "token": token, "signing_public_key": signing.public_key_b64(key),
            "hostname": "kiosk-test", "app_version": "0.1.0"})
        if response.status_code != 200:
            raise AssertionError(f"enrolment failed: {response.status_code} {response.text}")
        data = response.json()
        return cls(base_url=base_url, kiosk_id=data["kiosk_id"], signing_key=key,
                   enrolment=data, client=http)

    @property
    def unit_number(self) -> int:
        return int(self.enrolment["unit"]["unit_number"])

    @property
    def kiosk_number(self) -> int:
        return int(self.enrolment["unit"]["kiosk_number"])

    def signed_headers(self, method: str, path: str, body: bytes, *,
                       timestamp: int | None = None, nonce: str | None = None
                       ) -> dict[str, str]:
        ts = int(time.time()) + self.clock_offset if timestamp is None else timestamp
        nonce = nonce or secrets.token_hex(16)
        message = signing.canonical_request(method, path, ts, nonce, body)
        return {HEADER_KIOSK: self.kiosk_id, HEADER_TIMESTAMP: str(ts), HEADER_NONCE: nonce,
                HEADER_SIGNATURE: signing.sign(self.signing_key, message)}

    def batch(self, records: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
        body = {"schema_version": 1, "kiosk_id": self.kiosk_id, "batch_id": str(uuid.uuid4()),
                "sent_at": _now_iso(), "app_version": "0.1.0", "backlog": len(records),
                "records": records}
        body.update(extra)
        return body

    def push_raw(self, body: bytes, *, gzip: bool = False, headers: dict[str, str] | None = None,
                 **sign_kwargs: Any) -> Any:
        wire = gzip_module.compress(body) if gzip else body
        h = {"Content-Type": "application/json"}
        if gzip:
            h["Content-Encoding"] = "gzip"
        h.update(self.signed_headers("POST", PUSH_PATH, wire, **sign_kwargs))
        h.update(headers or {})
        return self.client.post(PUSH_PATH, content=wire, headers=h)

    def push(self, records: list[dict[str, Any]], *, gzip: bool = False, **extra: Any) -> Any:
        body = json.dumps(self.batch(records, **extra)).encode()
        return self.push_raw(body, gzip=gzip)

    def changes(self, cursor: int = 0, limit: int = 500, **sign_kwargs: Any) -> Any:
        path = f"{CHANGES_PATH}?cursor={cursor}&limit={limit}"
        return self.client.get(path, headers=self.signed_headers("GET", path, b"",
                                                                 **sign_kwargs))

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq


# ---------------------------------------------------------------------------- sign-in timing


def timed_sign_in(client: httpx.Client, username: str, password: str) -> tuple[int, float]:
    """One sign-in through the board's form from a fresh cookie jar: (status, seconds of the
    POST alone)."""
    import re

    client.cookies.clear()
    page = client.get("/entrar")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, "no CSRF token in the sign-in page"
    start = time.perf_counter()
    response = client.post("/entrar", data={"username": username, "password": password,
                                            "csrf_token": token.group(1)})
    return response.status_code, time.perf_counter() - start


def healthz_latencies(base_url: str, count: int, pause: float = 0.02) -> list[float]:
    """Seconds of ``count`` sequential ``GET /healthz``, ``pause`` apart."""
    out = []
    with httpx.Client(base_url=base_url, timeout=30) as client:
        for _ in range(count):
            start = time.perf_counter()
            assert client.get("/healthz").status_code == 200
            out.append(time.perf_counter() - start)
            time.sleep(pause)
    return out


# ---------------------------------------------------------------------------- real server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class CentralHandle:
    base_url: str
    database_url: str
    data_dir: Path
    admin_token: str
    process: subprocess.Popen[bytes]
    _engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from central.db import make_engine

            self._engine = make_engine(self.database_url, pool_size=5)
        return self._engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    def issue_token(self, target: str = "ASIMS000039", hours: int = 24) -> str:
        from central.services.enrolment import issue_token

        with self.session() as session:
            return issue_token(session, target, hours=hours, created_by="test")

    def enrol_kiosk(self, target: str = "ASIMS000039") -> TestKiosk:
        return TestKiosk.enrol(self.base_url, self.issue_token(target))

    def create_user(self, username: str, *, role: str, scope_code: str | None = None,
                    password: str = "contraseña-segura-1",  # noqa: S107
                    display_name: str = "") -> Any:
        from central.services.users import create_or_update_user

        with self.session() as session:
            return create_or_update_user(session, username, role=role, password=password,
                                         scope_code=scope_code, display_name=display_name)

    def revoke(self, kiosk_id: str | uuid.UUID, reason: str = "prueba") -> None:
        from central.services.enrolment import revoke_kiosk

        with self.session() as session:
            revoke_kiosk(session, uuid.UUID(str(kiosk_id)), reason)

    def http(self) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=30)

    def public_key(self) -> str:
        from nacl.public import PrivateKey

        from central.keys import key_path
        from central.settings import CentralSettings
        from trato.protocol.sealing import public_key_b64

        settings = CentralSettings(data_dir=self.data_dir, database_url=self.database_url)
        raw = base64.b64decode(key_path(settings).read_text().strip())
        return public_key_b64(PrivateKey(raw))


@contextmanager
def running_central(
    database_url: str,
    data_dir: Path,
    *,
    catalogue: dict[str, Any] | None = None,
    load_catalogue: bool = True,
    workers: int = 1,
    env: dict[str, str] | None = None,
    startup_timeout: float = 60.0,
) -> Iterator[CentralHandle]:
    """A real ``trato-central serve`` on 127.0.0.1:<free port> (subprocess)."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    child_env = dict(os.environ)
    child_env.update({
        "TD_CENTRAL_DATABASE_URL": database_url,
        "TD_CENTRAL_DATA_DIR": str(data_dir),
        "TD_CENTRAL_PUBLIC_BASE_URL": base_url,
        "TD_CENTRAL_ADMIN_TOKEN": ADMIN_TOKEN,
        "TD_CENTRAL_SESSION_SECRET": "test-session-secret",
        "PYTHONPATH": str(ROOT) + os.pathsep + child_env.get("PYTHONPATH", ""),
    })
    child_env.update(env or {})
    log_path = data_dir / f"central-{port}.log"
    log_file = open(log_path, "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "central.cli", "serve", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers), "--log-level", "warning"],
        cwd=str(ROOT), env=child_env, stdout=log_file, stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    handle = CentralHandle(base_url=base_url, database_url=database_url, data_dir=data_dir,
                           admin_token=ADMIN_TOKEN, process=process)
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"central server exited: {log_path.read_text()[-3000:]}")
            try:
                if httpx.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"central server did not start: "
                                   f"{log_path.read_text()[-3000:]}")
            time.sleep(0.1)
        if load_catalogue:
            seed_small_org(handle.engine, catalogue)
        yield handle
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        log_file.close()
        if handle._engine is not None:
            handle._engine.dispose()
