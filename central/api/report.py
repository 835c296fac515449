"""A kiosk's report about itself, signed: its version and the summary of its last self-test
(:class:`~trato.protocol.wire.KioskReport`). Kiosks older than the report never call it and
keep working; a kiosk that has not run a self-test sends ``self_test: null``."""

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool

from central.api.bodies import (
    check_schema_version,
    check_storable_text,
    decode_body,
    errors,
    json_response,
    parse_json,
    parse_model,
    read_raw_body,
)
from central.api.errors import ApiError
from central.api.openapi import SIGNED, request_body
from central.api.signed import authenticate, signed_path
from central.db import utcnow, write_session
from central.settings import CentralSettings
from trato.protocol.wire import REPORT_PATH, KioskReport, KioskReportResult

router = APIRouter()
#: A report is a few hundred bytes; this leaves room for every check a self-test may have.
MAX_REPORT_BYTES = 16 * 1024
EARLIEST, LATEST = 2000, 2999


def _moment(value: datetime, received_at: datetime) -> datetime:
    """A kiosk's date-time as UTC. One no page could show (a clock at year 1 or 9999: the
    self-test's own clock check then says so) is taken as the moment the report arrived."""
    try:
        moment = value.astimezone(UTC)
    except (OverflowError, ValueError):
        return received_at
    return moment if EARLIEST <= moment.year <= LATEST else received_at


@router.post(REPORT_PATH, response_model=KioskReportResult, tags=["kiosk"],
             responses=errors(400, 401, 403, 409, 413, 415, 422),
             openapi_extra={**request_body(KioskReport), "security": SIGNED})
async def kiosk_report(request: Request) -> Any:
    """Store the signing kiosk's version and last self-test (the board's kiosk page)."""
    app = request.app
    settings: CentralSettings = app.state.settings
    raw = await read_raw_body(request, MAX_REPORT_BYTES)
    path = signed_path(request)
    headers = request.headers
    encoding = headers.get("content-encoding")

    def work() -> KioskReportResult:
        with write_session(app.state.engine) as session:
            kiosk = authenticate(session, settings, method="POST", path=path, headers=headers,
                                 raw_body=raw)
            data = parse_json(decode_body(raw, encoding, MAX_REPORT_BYTES))
            check_schema_version(data)
            report = parse_model(KioskReport, data)
            if report.kiosk_id != kiosk.id:
                raise ApiError(422, "kiosk_mismatch",
                               "kiosk_id does not match the signing kiosk")
            check_storable_text(report.app_version)
            now = utcnow()
            kiosk.app_version = report.app_version
            if report.platform is not None:
                kiosk.platform = report.platform
            kiosk.reported_at = now
            kiosk.last_sync_at = now
            test = report.self_test
            if test is not None:
                kiosk.self_test_at = _moment(test.ran_at, now)
                kiosk.self_test_result = test.result.value
                kiosk.self_test_checks = [c.model_dump(mode="json") for c in test.checks]
            update = report.update  # signed updates: where this kiosk's update stands
            if update is not None:
                check_storable_text(update.version)
                check_storable_text(update.detail)
                kiosk.update_state = update.state.value
                kiosk.update_version = update.version
                kiosk.update_detail = update.detail
                kiosk.update_at = _moment(update.at, now)
            session.add(kiosk)
            session.commit()
            return KioskReportResult(received_at=now)

    return json_response(await run_in_threadpool(work))
