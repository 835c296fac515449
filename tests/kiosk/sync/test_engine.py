"""The sync engine on a real SQLite store against a tiny in-test central over 127.0.0.1.

The tiny central follows the wire contract (per-record stored / duplicate / conflict /
rejected, change feed by cursor) so the engine's rules can be checked in isolation; the
integration and fault tests run the same engine against the real central server.
"""

import gzip
import json
import random
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from sqlmodel import select

from kiosk.storage import outbox
from kiosk.storage.db import open_database
from kiosk.storage.models import SINGLE_ROW_ID, Instrument, KioskIdentity, OutboxEntry, SyncState
from kiosk.sync.client import CentralClient
from kiosk.sync.engine import SyncEngine
from trato.domain.enums import Channel, RecordKind
from trato.protocol import signing
from trato.protocol.wire import (
    CHANGES_PATH,
    HEADER_SERVER_TIME,
    PUSH_PATH,
    Change,
    ChangeFeed,
    ChangeKind,
    PushBatch,
    PushResult,
    RecordResult,
    RecordStatus,
    SurveyResponseBody,
)


class TinyCentral:
    def __init__(self) -> None:
        self.records: dict[uuid.UUID, str] = {}
        self.received: list[uuid.UUID] = []
        self.reject: set[uuid.UUID] = set()
        self.answer_only: int | None = None
        self.fail_with: tuple[int, dict[str, str], bytes] | None = None
        self.changes: list[Change] = []
        self.batches = 0
        self.lock = threading.Lock()
        outer = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a: object) -> None:
                pass

            def _reply(self, status: int, payload: bytes, headers: dict | None = None) -> None:
                self.send_response(status)
                self.send_header(HEADER_SERVER_TIME, str(int(datetime.now(UTC).timestamp())))
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(payload)

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                if outer.fail_with:
                    status, headers, payload = outer.fail_with
                    return self._reply(status, payload, headers)
                assert self.path == PUSH_PATH
                batch = PushBatch.model_validate_json(body)
                results = []
                with outer.lock:
                    outer.batches += 1
                    for rec in batch.records:
                        outer.received.append(rec.id)
                        content = rec.model_dump_json()
                        if rec.id in outer.reject:
                            results.append(RecordResult(id=rec.id, status=RecordStatus.REJECTED,
                                                        reason="unknown service"))
                        elif rec.id not in outer.records:
                            outer.records[rec.id] = content
                            results.append(RecordResult(id=rec.id, status=RecordStatus.STORED))
                        elif outer.records[rec.id] == content:
                            results.append(RecordResult(id=rec.id, status=RecordStatus.DUPLICATE))
                        else:
                            results.append(RecordResult(id=rec.id, status=RecordStatus.CONFLICT))
                if outer.answer_only is not None:
                    results = results[: outer.answer_only]
                out = PushResult(received_at=datetime.now(UTC), clock_offset_seconds=12.5,
                                 results=results)
                self._reply(200, out.model_dump_json().encode())

            def do_GET(self) -> None:
                if outer.fail_with:
                    status, headers, payload = outer.fail_with
                    return self._reply(status, payload, headers)
                url = urlparse(self.path)
                assert url.path == CHANGES_PATH
                q = parse_qs(url.query)
                since, limit = int(q["cursor"][0]), int(q["limit"][0])
                page = [c for c in outer.changes if c.cursor > since][:limit]
                more = len([c for c in outer.changes if c.cursor > since]) > len(page)
                feed = ChangeFeed(changes=page, next_cursor=page[-1].cursor if page else since,
                                  has_more=more)
                self._reply(200, feed.model_dump_json().encode())

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def central() -> Iterator[TinyCentral]:
    c = TinyCentral()
    yield c
    c.close()


@pytest.fixture
def db(tmp_path):
    database = open_database(tmp_path / "kiosk.db").database
    yield database
    database.close()


def _enqueue(db, n: int) -> list[uuid.UUID]:
    ids = []
    now = datetime.now(UTC)
    with db.write() as s:
        for i in range(n):
            rid = uuid.uuid4()
            body = SurveyResponseBody(instrument_id="std", instrument_version=1, language="es",
                                      channel=Channel.KIOSK, service_code=None, rating=1 + i % 5,
                                      duration_ms=500)
            outbox.enqueue(s, record_id=rid, kind=RecordKind.SURVEY_RESPONSE, created_at=now,
                           body=body)
            ids.append(rid)
    return ids


def _engine(db, central: TinyCentral, **kw) -> SyncEngine:
    client = CentralClient(central.url, kiosk_id=uuid.uuid4(),
                           signing_key=signing.new_signing_key(), connect_timeout=1,
                           read_timeout=2)
    kw.setdefault("backoff_base", 0.01)
    kw.setdefault("backoff_cap", 0.05)
    return SyncEngine(db, client, batch_size=kw.pop("batch_size", 7),
                      interval_seconds=30, rng=random.Random(1), **kw)


def _states(db) -> dict[str, int]:
    with db.read() as s:
        c = outbox.outbox_counts(s)
    return {"waiting": c.waiting, "sending": c.sending, "sent": c.sent, "set_aside": c.set_aside}


def test_round_sends_everything_once_in_sequence_order(db, central) -> None:
    ids = _enqueue(db, 30)
    engine = _engine(db, central)
    report = engine.run_round()
    assert report.ok and report.push.sent == 30 and report.push.batches == 5
    assert central.received == ids  # sequence order, each once
    assert _states(db)["sent"] == 30
    status = engine.status()
    assert status.waiting == 0 and status.last_error is None and status.last_success_at
    assert status.clock_offset_seconds is not None


def test_rejected_record_is_set_aside_and_others_go_on(db, central) -> None:
    ids = _enqueue(db, 10)
    central.reject = {ids[3]}
    engine = _engine(db, central)
    assert engine.run_round().ok
    assert _states(db) == {"waiting": 0, "sending": 0, "sent": 9, "set_aside": 1}
    with db.read() as s:
        aside = [(e.id, e.set_aside_reason) for e in outbox.set_aside_entries(s)]
    assert [i for i, _ in aside] == [ids[3]]
    assert "unknown service" in (aside[0][1] or "")
    assert engine.status().set_aside == 1


def test_a_bare_200_without_per_record_answers_marks_nothing(db, central) -> None:
    _enqueue(db, 5)
    central.answer_only = 2
    engine = _engine(db, central, batch_size=5)
    engine.push_once()
    assert _states(db) == {"waiting": 3, "sending": 0, "sent": 2, "set_aside": 0}


@pytest.mark.parametrize(("status", "headers", "code"), [
    (503, {}, "server_error"),
    (429, {"Retry-After": "40"}, "rate_limited"),
])
def test_failures_back_off_and_keep_records(db, central, status, headers, code) -> None:
    _enqueue(db, 5)
    central.fail_with = (status, headers, b"oops")
    engine = _engine(db, central, backoff_base=1, backoff_cap=8)
    report = engine.run_round()
    assert not report.ok and report.error == code
    assert _states(db)["waiting"] == 5
    assert engine.status().last_error == code
    delay = engine.next_delay()
    if status == 429:
        assert delay >= 40
        with db.read() as s:
            due = min(e.next_attempt_at for e in s.exec(select(OutboxEntry)).all())
        assert due >= datetime.now(UTC) + timedelta(seconds=35)
    else:
        assert 0 < delay <= 8
    engine.run_round()
    engine.run_round()
    assert engine.failures == 3
    assert engine.next_delay() <= max(8, 40 * 1.25)
    central.fail_with = None


def test_kiosks_told_the_same_retry_after_come_back_spread(db, central) -> None:
    """A proxy that answers every kiosk "Retry-After: 40" does not bring them back together:
    each waits at least 40 s and up to a quarter more, at random."""
    delays = []
    for seed in range(50):
        engine = _engine(db, central, backoff_base=1, backoff_cap=8)
        engine.rng = random.Random(seed)
        engine.failures, engine.retry_after = 1, 40.0
        delays.append(engine.next_delay())
    assert all(40 <= d <= 50 for d in delays)
    assert max(delays) - min(delays) > 5


def test_revoked_kiosk_stops_sending_and_keeps_data(db, central) -> None:
    with db.write() as s:
        s.add(KioskIdentity(kiosk_id=uuid.uuid4(), clues="DFIMS000001", unit_name="HGZ 1",
                            unit_number=1, kiosk_number=1, module_id=uuid.uuid4(),
                            module_name="Módulo", tracking_base_url="https://x/f",
                            sealing_public_key="k" * 44, server_url=central.url,
                            enrolled_at=datetime.now(UTC)))
    _enqueue(db, 4)
    central.fail_with = (401, {}, json.dumps({"code": "revoked",
                                              "detail": "kiosk revoked"}).encode())
    engine = _engine(db, central)
    report = engine.run_round()
    assert report.error == "revoked"
    central.fail_with = None
    assert engine.run_round().error == "revoked"  # no request sent
    assert central.batches == 0
    status = engine.status()
    assert status.revoked and status.revoked_reason == "kiosk revoked"
    assert status.waiting == 4


def test_crash_after_the_answer_resends_as_duplicate(db, central) -> None:
    ids = _enqueue(db, 6)

    def crash(result: PushResult) -> None:
        raise SystemExit("killed between the server's commit and the local mark")

    engine = _engine(db, central, hooks={"after_push_response": crash})
    with pytest.raises(SystemExit):
        engine.push_once()
    assert _states(db)["sending"] == 6
    fresh = _engine(db, central)
    assert fresh.run_round().ok
    assert _states(db)["sent"] == 6
    assert sorted(central.records) == sorted(ids)
    assert len(central.received) == 12  # sent twice, stored once


def test_pull_applies_in_order_and_resumes_from_cursor(db, central) -> None:
    central.changes = [
        Change(cursor=i, kind=ChangeKind.INSTRUMENT, key="std", version=i, data={"v": i})
        for i in range(1, 8)
    ]
    engine = _engine(db, central, pull_limit=3)
    applied, more = engine.pull_once()
    assert (applied, more) == (3, True)
    with db.read() as s:
        assert s.get(SyncState, SINGLE_ROW_ID).pull_cursor == 3
        assert s.get(Instrument, "std").version == 3
    assert engine.pull_all() == 4
    with db.read() as s:
        assert s.get(SyncState, SINGLE_ROW_ID).pull_cursor == 7
        assert s.get(Instrument, "std").data == {"v": 7}
    assert engine.pull_all() == 0
