"""Kiosk rules against a real central server: a wrong kiosk clock never loses a record,
personal data never lands in clear in any file the kiosk writes, and a revoked kiosk stops
sending and keeps its data."""

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.clock import FixedClock, SystemClock
from kiosk.services.cases import CaseService
from kiosk.services.drafts import CaseDraft, PersonalData, SurveyDraft
from kiosk.services.surveys import SurveyService
from tests.faults.proxy import FaultProxy
from tests.faults.sync_support import (
    central_counts,
    central_sql,
    debug_log_and_temp_in,
    issue_token,
    load_small_catalogue,
    make_kiosk,
    revoke,
)
from tests.support.central import running_central
from trato.domain.enums import CaseType, Channel
from trato.domain.validators import curp_check_digit, luhn_check_digit

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture(scope="module")
def central(pg_cluster, tmp_path_factory) -> Iterator:
    url = pg_cluster.create_database("sync_rules")
    folder = tmp_path_factory.mktemp("central")
    with running_central(url, folder, load_catalogue=False) as handle:
        load_small_catalogue(handle, folder)
        yield handle
    pg_cluster.drop_database(url)


def _survey(i: int) -> SurveyDraft:
    return SurveyDraft(instrument_id="trato-general", instrument_version=1, language="es",
                       channel=Channel.KIOSK, service_code="farmacia", rating=1 + i % 5,
                       duration_ms=4000 + i)


# ---------------------------------------------------------------------------- clock


@pytest.mark.parametrize("kiosk_time", [
    datetime(1970, 1, 1, 0, 0, 5, tzinfo=UTC),
    datetime.now(UTC) + timedelta(days=5 * 365),
], ids=["1970", "plus-5-years"])
def test_a_wrong_kiosk_clock_loses_nothing(central, tmp_path: Path, kiosk_time) -> None:
    kiosk = make_kiosk(tmp_path / "kiosk", central.base_url, issue_token(central))
    clock = FixedClock(kiosk_time)
    surveys = SurveyService(kiosk.database, clock)
    saved = [surveys.submit(_survey(i)).id for i in range(20)]
    engine = kiosk.engine(clock=clock)
    report = engine.run_round()
    assert report.ok, report
    counts = central_counts(central.database_url, kiosk.credentials.kiosk_id)
    assert counts.unique == set(saved) and counts.duplicated == 0
    expected = (datetime.now(UTC) - kiosk_time).total_seconds()
    # The offset shows in kiosk health on the server ...
    (offset,) = central_sql(central, "SELECT clock_offset_seconds FROM kiosk WHERE id = :k",
                            k=kiosk.credentials.kiosk_id)[0]
    assert abs(offset - expected) < 120
    # ... and in the kiosk's own status; records keep the kiosk's clock.
    assert abs(engine.status().clock_offset_seconds - expected) < 120
    rows = central_sql(central, "SELECT kiosk_created_at FROM survey_response "
                       "WHERE kiosk_id = :k", k=kiosk.credentials.kiosk_id)
    assert {r[0] for r in rows} == {kiosk_time}
    engine.client.close()
    kiosk.close()


# ---------------------------------------------------------------------------- privacy

FIRST = ["María Guadalupe", "José Luis", "Juana Itzel", "Francisco Javier", "Rosa Elena",
         "Miguel Ángel", "Xóchitl", "Cuauhtémoc", "Ana Sofía", "Jesús Alberto"]
LAST = ["Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez",
        "Sánchez", "Ramírez", "Cruz", "Nuñez", "Ibáñez"]
CURP_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CONSONANTS = "BCDFGHJKLMNPQRSTVWXZ"


def _nss(rng: random.Random) -> str:
    head = "".join(rng.choice("0123456789") for _ in range(10))
    return head + str(luhn_check_digit(head))


def _curp(rng: random.Random) -> str:
    first17 = ("".join(rng.choice(CURP_LETTERS) for _ in range(4))
               + f"{rng.randint(40, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
               + rng.choice("HM") + rng.choice(["DF", "JC", "NL", "PL", "YN", "OC"])
               + "".join(rng.choice(CONSONANTS) for _ in range(3)) + "0")
    return first17 + str(curp_check_digit(first17))


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def _leaks(folder: Path, secrets: list[str]) -> list[tuple[str, str]]:
    needles = []
    for s in secrets:
        for enc in ("utf-8", "utf-16-le", "utf-16-be"):
            needles.append((s, s.encode(enc)))
    found = []
    for path in _files(folder):
        data = path.read_bytes()
        for secret, needle in needles:
            if needle in data:
                found.append((path.name, secret[:3] + "…"))
    return found


def test_personal_data_never_in_clear_in_kiosk_files(central, tmp_path: Path) -> None:
    data_dir = tmp_path / "kiosk"
    kiosk = make_kiosk(data_dir, central.base_url, issue_token(central))
    rng = random.Random(4)
    secrets: list[str] = []
    with debug_log_and_temp_in(data_dir) as log_file:
        cases = CaseService(kiosk.database, SystemClock())
        for i in range(100):
            name = f"{FIRST[i % 10]} {LAST[i % 12]} {LAST[(i * 7 + 3) % 12]}"
            beneficiary = f"{FIRST[(i + 3) % 10]} {LAST[(i + 5) % 12]} Beneficiaria{i}"
            personal = PersonalData(filer_name=name, beneficiary_name=beneficiary,
                                    nss=_nss(rng), curp=_curp(rng),
                                    phone="55" + "".join(rng.choice("0123456789")
                                                         for _ in range(8)),
                                    filer_is_beneficiary=False)
            secrets += [name, beneficiary, personal.nss, personal.curp, personal.phone]
            cases.submit(CaseDraft(
                case_type=CaseType.QUEJA, channel=Channel.KIOSK, language="es",
                service_code="urgencias", categories=("tiempo_espera",),
                narrative="Me hicieron esperar mucho tiempo sin explicación.",
                personal=personal, privacy_notice_version="2025-12", consent_given=True))
        engine = kiosk.engine(batch_size=30)
        assert engine.run_round().ok
        assert engine.status().waiting == 0
        assert len(central_counts(central.database_url, kiosk.credentials.kiosk_id).unique) == 100
        # While the store is open (WAL and shared memory present) ...
        assert _leaks(data_dir, secrets) == []
        engine.client.close()
    kiosk.close()
    # ... and after it was checkpointed and closed.
    assert log_file.stat().st_size > 0
    assert _leaks(data_dir, secrets) == []
    assert len(secrets) == 500


# ---------------------------------------------------------------------------- revocation


def test_revoked_kiosk_stops_sending_and_keeps_its_data(central, tmp_path: Path) -> None:
    kiosk = make_kiosk(tmp_path / "kiosk", central.base_url, issue_token(central))
    surveys = SurveyService(kiosk.database, SystemClock())
    first = [surveys.submit(_survey(i)).id for i in range(5)]
    upstream = ("127.0.0.1", int(central.base_url.rsplit(":", 1)[1]))
    with FaultProxy(upstream) as proxy:  # every request passes; the proxy counts them
        engine = kiosk.engine(proxy.url)
        assert engine.run_round().ok
        later = [surveys.submit(_survey(i)).id for i in range(7)]
        revoke(central, kiosk.credentials.kiosk_id, "kiosco retirado del módulo")
        report = engine.run_round()
        assert report.error == "revoked"
        requests_seen = sum(proxy.stats.values())
        for _ in range(3):  # no more requests, whatever triggers a round
            assert engine.run_round().error == "revoked"
        assert sum(proxy.stats.values()) == requests_seen
    status = engine.status()
    assert status.revoked and "retirado" in (status.revoked_reason or "")
    assert status.waiting == len(later)
    counts = central_counts(central.database_url, kiosk.credentials.kiosk_id)
    assert counts.unique == set(first)
    # A new engine (the app restarted) does not send either: the revocation is stored.
    fresh = kiosk.engine(proxy.url)
    assert fresh.is_revoked() and fresh.run_round().error == "revoked"
    engine.client.close()
    fresh.client.close()
    kiosk.close()
