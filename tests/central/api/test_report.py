"""The kiosk report (version and last self-test), on both engines: stored per kiosk, a
kiosk without a self-test or without the report at all keeps working, and a malformed
report is a 4xx with a reason."""

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from central.models import Kiosk
from tests.central.api.helpers import error
from trato.protocol.wire import REPORT_PATH


def report(kiosk: Any, body: dict[str, Any] | bytes, *, signed: bool = True) -> Any:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if signed:
        headers.update(kiosk.signed_headers("POST", REPORT_PATH, raw))
    return kiosk.client.post(REPORT_PATH, content=raw, headers=headers)


def body(kiosk: Any, **extra: Any) -> dict[str, Any]:
    return {"schema_version": 1, "kiosk_id": kiosk.kiosk_id, "app_version": "2.1.0", **extra}


TEST = {"ran_at": "2026-12-01T08:30:00-06:00", "result": "failures",
        "checks": [{"name": "disk", "status": "falla"}, {"name": "clock", "status": "ok"}]}


def test_a_report_is_stored_and_one_without_a_self_test_keeps_the_last(kiosk, db) -> None:
    assert report(kiosk, body(kiosk, self_test=TEST)).status_code == 200
    assert report(kiosk, body(kiosk, app_version="2.1.1")).status_code == 200
    with db() as s:
        row = s.get(Kiosk, uuid.UUID(kiosk.kiosk_id))
        assert row is not None
        assert row.app_version == "2.1.1"
        assert row.self_test_at == datetime(2026, 12, 1, 14, 30, tzinfo=UTC)
        assert row.self_test_result == "failures"
        assert row.self_test_checks == TEST["checks"]
        assert row.reported_at is not None
        assert row.platform == ""  # a kiosk older than Windows updates does not say


def test_the_platform_is_kept_from_the_last_report_that_named_it(kiosk, db) -> None:
    assert report(kiosk, body(kiosk, platform="windows")).status_code == 200
    assert report(kiosk, body(kiosk)).status_code == 200  # an older build of it, say
    with db() as s:
        row = s.get(Kiosk, uuid.UUID(kiosk.kiosk_id))
        assert row is not None and row.platform == "windows"


@pytest.mark.parametrize("change, status, code", [
    ({"schema_version": None}, 422, "unsupported_schema"),
    ({"kiosk_id": "00000000-0000-0000-0000-000000000001"}, 422, "kiosk_mismatch"),
    ({"self_test": dict(TEST, result="regular")}, 422, "invalid"),
    ({"self_test": dict(TEST, checks=[{"name": "/home/kiosco/datos", "status": "ok"}])},
     422, "invalid"),
    ({"self_test": dict(TEST, checks=[{"name": "disk", "status": "ok", "message": "x"}])},
     422, "invalid"),
    ({"self_test": dict(TEST, ran_at=1796171935)}, 422, "invalid"),
    ({"app_version": "1.0\u0000"}, 422, "invalid"),
    ({"platform": "macos"}, 422, "invalid"),
])
def test_a_malformed_report_is_refused_with_a_reason(kiosk, change, status, code) -> None:
    error(report(kiosk, body(kiosk, **change)), status, code)


def test_unsigned_and_unreadable_reports_are_4xx(kiosk) -> None:
    error(report(kiosk, body(kiosk), signed=False), 401)
    error(report(kiosk, b"{not json"), 400)
    error(report(kiosk, b"x" * 20_000), 413)
