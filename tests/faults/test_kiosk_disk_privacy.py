"""What someone who takes a kiosk's disk can read, after capture, sync and purge (issue 14,
items 4 and 5): a raw-byte search of every file the kiosk writes (kiosk.db, -wal, -shm, logs,
crash files, credentials, temporary files) for first names, e-mail domains and clinic names
(the masks keep none) and for the text of purged cases (``secure_delete`` is on for every
connection, and the purge checkpoints the WAL with TRUNCATE).

SQLite here is Debian's, built with SQLITE_SECURE_DELETE (``PRAGMA compile_options`` lists
it), so "a build without it" is made by turning the pragma off as each connection opens: for
the kiosk that is the same as a library whose default is off (python.org's builds)."""

import json
import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event

from kiosk.clock import SystemClock
from kiosk.services.cases import CaseService
from kiosk.services.drafts import CaseDraft, PersonalData
from tests.faults.sync_support import (
    central_counts,
    debug_log_and_temp_in,
    issue_token,
    make_kiosk,
)
from tests.faults.test_sync_kiosk_rules import _curp, _leaks, _nss
from tests.support.central import running_central
from trato.domain.enums import CaseType, Channel

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

FIRST = ["Guadalupe", "Xóchitl", "Cuauhtémoc", "Itzayana", "Maximiliano", "Tonatiuh",
         "Citlalli", "Fernanda"]
LAST = ["Hernández", "Ibáñez", "Zúñiga", "Quintanilla"]
DOMAINS = ["correo-familiar.mx", "buzon-ejemplo.com.mx", "hogar-prueba.net"]
CLINICS = ["UMF No. 27 Tlalpan", "UMF No. 64 Tequesquináhuac", "HGZ No. 8 Ensenada"]
CASES = 30


@pytest.fixture(scope="module")
def central(pg_cluster, tmp_path_factory) -> Iterator:
    url = pg_cluster.create_database("disk_privacy")
    with running_central(url, tmp_path_factory.mktemp("central")) as handle:
        yield handle
    pg_cluster.drop_database(url)


def _narrative(i: int) -> str:
    return f"Narrativa reservada {i:03d}: esperé en el pasillo sin que nadie me explicara."


def _capture_sync_purge(kiosk, secrets: dict[str, list[str]]) -> None:
    """File CASES cases with personal data, send them, and purge their text at once."""
    rng = random.Random(14)
    cases = CaseService(kiosk.database, SystemClock())
    for i in range(CASES):
        first, other = FIRST[i % len(FIRST)], FIRST[(i + 3) % len(FIRST)]
        domain, clinic = DOMAINS[i % len(DOMAINS)], CLINICS[i % len(CLINICS)]
        personal = PersonalData(
            filer_name=f"{first} {LAST[i % 4]}", beneficiary_name=f"{other} {LAST[(i + 1) % 4]}",
            nss=_nss(rng), curp=_curp(rng), phone=f"55{rng.randrange(10**8):08d}",
            email=f"persona{i}@{domain}", postal_code="14000", assigned_clinic=clinic,
            filer_is_beneficiary=False)
        secrets["identifying"] += [first, other, domain, clinic, personal.nss, personal.phone]
        secrets["purged"].append(_narrative(i))
        cases.submit(CaseDraft(
            case_type=CaseType.QUEJA, channel=Channel.KIOSK, language="es",
            service_code="urgencias", categories=("tiempo_espera",),
            narrative=_narrative(i), request="Que me atiendan a tiempo.", personal=personal,
            privacy_notice_version="2025-12", consent_given=True))
    engine = kiosk.engine(batch_size=10, retention_days=0)
    report = engine.run_round()
    assert report.ok and report.purged == CASES, report
    engine.client.close()


def _search(folder: Path, secrets: dict[str, list[str]]) -> list[tuple[str, str]]:
    """Every secret in every file under ``folder``: as UTF-8 and UTF-16 text, and as JSON
    writes it with non-ASCII letters escaped ("X\\u00f3chitl")."""
    plain = secrets["identifying"] + secrets["purged"]
    escaped = [json.dumps(s)[1:-1] for s in plain if not s.isascii()]
    return _leaks(folder, plain + escaped)


def _run(central, data_dir: Path) -> tuple[dict[str, list[str]], dict[str, list], object]:
    """The scenario with a debug log in the data folder and temporary files there too;
    answers the secrets and what the search found while open and after closing."""
    kiosk = make_kiosk(data_dir, central.base_url, issue_token(central))
    secrets: dict[str, list[str]] = {"identifying": [], "purged": []}
    with debug_log_and_temp_in(data_dir) as log_file:
        _capture_sync_purge(kiosk, secrets)
        assert len(central_counts(central.database_url, kiosk.credentials.kiosk_id).unique) \
            == CASES
        found = {"open": _search(data_dir, secrets)}
        pragmas = {kiosk.database.pragma("secure_delete") for _ in range(3)}
    kiosk.close()
    found["closed"] = _search(data_dir, secrets)
    assert log_file.stat().st_size > 0
    return secrets, found, pragmas


@pytest.fixture
def sqlite_default_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every new SQLite connection starts with secure_delete off, as with a library built
    without SQLITE_SECURE_DELETE (a fault injected at the driver)."""
    real_connect = sqlite3.connect

    def connect(*args, **kwargs):
        conn = real_connect(*args, **kwargs)
        conn.execute("PRAGMA secure_delete = OFF")
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)
    monkeypatch.setattr(sqlite3.dbapi2, "connect", connect)  # what SQLAlchemy calls


def test_nothing_identifying_or_purged_is_readable_on_the_disk(
        central, tmp_path: Path, sqlite_default_off: None) -> None:
    secrets, found, pragmas = _run(central, tmp_path / "kiosk")
    assert len(secrets["identifying"]) == 6 * CASES
    assert pragmas == {1}  # set by the kiosk on every connection, whatever the default
    assert found == {"open": [], "closed": []}


def test_the_search_finds_purged_text_when_secure_delete_is_off(
        central, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The control: with the kiosk's own pragma undone on every connection, purged text
    stays in kiosk.db, and the search above would have seen it."""
    from kiosk.storage import connection

    real = connection.create_sqlite_engine

    def without_secure_delete(*args, **kwargs):
        engine = real(*args, **kwargs)

        @event.listens_for(engine, "connect")
        def _off(dbapi_connection, _record):
            dbapi_connection.execute("PRAGMA secure_delete = OFF")

        return engine

    monkeypatch.setattr(connection, "create_sqlite_engine", without_secure_delete)
    monkeypatch.setattr("kiosk.storage.db.create_sqlite_engine", without_secure_delete)
    _secrets, found, pragmas = _run(central, tmp_path / "kiosk")
    assert pragmas == {0}
    leaked = {secret for _name, secret in found["closed"]}
    assert leaked, "with secure_delete off, some purged narrative should stay readable"
    assert all(s.startswith("Nar") for s in leaked)  # only purged text: the masks hold none
