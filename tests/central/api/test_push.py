"""Push: per-record results, idempotency, gzip, bad input, kiosk health."""

import gzip
import json
import uuid

from sqlalchemy import select

from central.models import Case, CaseEvent, IngestedRecord, Kiosk, SurveyResponse
from tests.central.api.helpers import counts, error
from tests.support.central import case_event_record, case_record, survey_record
from trato.protocol.wire import MAX_BATCH_RECORDS, PUSH_PATH, PushResult


def _statuses(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [r["status"] for r in PushResult.model_validate(response.json()).model_dump(
        mode="json")["results"]]


def test_batch_is_stored_field_by_field_with_receipt_time_and_denormalised_branch(kiosk, db):
    survey = survey_record(1, rating=2, reasons=["espera"], comment="Muy lento")
    case = case_record(2, unit_number=kiosk.unit_number, kiosk_number=kiosk.kiosk_number,
                       sealed="c2VhbGVk", categories=["acoso"])
    assert _statuses(kiosk.push([survey, case], backlog=7)) == ["stored", "stored"]
    with db() as s:
        stored = s.get(SurveyResponse, uuid.UUID(survey["id"]))
        assert (stored.rating, stored.reasons, stored.comment) == (2, ["espera"], "Muy lento")
        assert stored.kiosk_created_at.tzinfo is not None
        assert stored.received_at >= stored.kiosk_created_at
        c = s.get(Case, uuid.UUID(case["id"]))
        assert c.folio == case["body"]["folio"].replace("-", "")
        assert c.sealed_personal == "c2VhbGVk"
        assert c.sensitive is True  # category acoso
        assert c.stage == "recepcion"
        assert c.completion_due is not None and c.resolution_due > c.completion_due
        k = s.get(Kiosk, uuid.UUID(kiosk.kiosk_id))
        assert c.unit_id == k.unit_id and c.ooad_id == k.ooad_id and c.module_id == k.module_id
        assert (k.backlog, k.app_version, k.last_seq, k.records_received) == (7, "0.1.0", 2, 2)
        assert k.last_sync_at is not None and k.clock_offset_seconds is not None
        events = s.execute(select(CaseEvent).where(CaseEvent.case_id == c.id)).scalars().all()
        assert [e.event_type for e in events] == ["received"]


def test_identical_resend_is_duplicate_and_changed_content_is_conflict(kiosk, db):
    record = survey_record(1, rating=5)
    case = case_record(2, unit_number=kiosk.unit_number, kiosk_number=kiosk.kiosk_number)
    assert _statuses(kiosk.push([record, case])) == ["stored", "stored"]
    before = counts(db)
    assert _statuses(kiosk.push([record, case])) == ["duplicate", "duplicate"]
    changed = json.loads(json.dumps(record))
    changed["body"]["rating"] = 1
    changed_case = json.loads(json.dumps(case))
    changed_case["body"]["narrative"] = "otra cosa"
    response = kiosk.push([changed, changed_case])
    assert _statuses(response) == ["conflict", "conflict"]
    assert all(r["reason"] for r in response.json()["results"])
    assert counts(db) == before
    with db() as s:
        assert s.get(SurveyResponse, uuid.UUID(record["id"])).rating == 5
        assert s.get(Case, uuid.UUID(case["id"])).narrative == case["body"]["narrative"]


def test_same_id_twice_in_one_batch(kiosk, db):
    record = survey_record(1)
    other = json.loads(json.dumps(record))
    other["body"]["rating"] = 1
    assert _statuses(kiosk.push([record, record, other])) == ["stored", "duplicate", "conflict"]
    with db() as s:
        assert len(s.execute(select(IngestedRecord)).all()) == 1


def test_invalid_record_is_rejected_with_reason_and_the_others_are_stored(kiosk, db):
    bad_rating = survey_record(1, rating=9)
    bad_kind = survey_record(2)
    bad_kind["body"]["kind"] = "pizza"
    bad_folio = case_record(3, unit_number=kiosk.unit_number, kiosk_number=kiosk.kiosk_number)
    folio = bad_folio["body"]["folio"]
    bad_folio["body"]["folio"] = folio[:-1] + ("1" if folio[-1] != "1" else "2")
    orphan_event = case_event_record(4, str(uuid.uuid4()), stage="integracion")
    good = survey_record(5)
    response = kiosk.push([bad_rating, bad_kind, bad_folio, orphan_event, good])
    assert _statuses(response) == ["rejected"] * 4 + ["stored"]
    reasons = [r["reason"] for r in response.json()["results"][:4]]
    assert "rating" in reasons[0] and "folio" in reasons[2] and "case_id" in reasons[3]
    # a rejected record is not kept: once fixed it is accepted
    bad_rating["body"]["rating"] = 3
    assert _statuses(kiosk.push([bad_rating])) == ["stored"]


def test_folio_used_by_another_record_is_a_conflict(kiosk, db):
    first = case_record(1, unit_number=kiosk.unit_number, kiosk_number=kiosk.kiosk_number)
    again = case_record(1, unit_number=kiosk.unit_number, kiosk_number=kiosk.kiosk_number)
    assert _statuses(kiosk.push([first])) == ["stored"]
    response = kiosk.push([again])
    assert _statuses(response) == ["conflict"]
    assert "folio" in response.json()["results"][0]["reason"]


def test_kiosk_case_event_moves_the_stage_and_flows_back_through_pull(kiosk, db):
    case = case_record(1, unit_number=kiosk.unit_number, kiosk_number=kiosk.kiosk_number)
    event = case_event_record(2, case["id"], stage="integracion", note="Se pidió el NSS")
    assert _statuses(kiosk.push([case, event])) == ["stored", "stored"]
    with db() as s:
        c = s.get(Case, uuid.UUID(case["id"]))
        assert c.stage == "integracion"
        timeline = s.execute(select(CaseEvent).where(CaseEvent.case_id == c.id)
                             .order_by(CaseEvent.event_type)).scalars().all()
        assert {e.event_type for e in timeline} == {"received", "stage_changed"}
    feed = kiosk.changes().json()
    statuses = [ch for ch in feed["changes"] if ch["key"] == case["id"]]
    assert [ch["data"]["stage"] for ch in statuses] == ["recepcion", "integracion"]
    assert [ch["version"] for ch in statuses] == [1, 2]


def test_gzip_body_is_accepted_and_signed_as_sent(kiosk, db):
    records = [survey_record(i) for i in range(1, 51)]
    assert _statuses(kiosk.push(records, gzip=True)) == ["stored"] * 50


def test_bad_bodies_get_4xx_with_reason_and_change_nothing(kiosk, client, central_app, db):
    before = counts(db)
    good = kiosk.batch([survey_record(1)])

    def push(body: bytes, **kw):
        return kiosk.push_raw(body, **kw)

    error(push(b"{not json"), 400, "malformed_json")
    error(push(b"\xff\xfe\x00garbage"), 400, "malformed_json")
    error(push(b"[]"), 422, "invalid")
    error(push(b"null"), 422, "invalid")
    error(push(json.dumps(dict(good, schema_version=99)).encode()), 422, "unsupported_schema")
    error(push(json.dumps(dict(good, records=[])).encode()), 422)
    error(push(json.dumps(dict(good, records="x")).encode()), 422)
    error(push(json.dumps(dict(good, backlog="many")).encode()), 422, "invalid")
    error(push(json.dumps(dict(good, sent_at="yesterday")).encode()), 422, "invalid")
    error(push(json.dumps(dict(good, sent_at="2026-01-01T00:00:00")).encode()), 422)
    error(push(json.dumps(dict(good, surprise=1)).encode()), 422)
    error(push(json.dumps(dict(good, kiosk_id=str(uuid.uuid4()))).encode()), 422,
          "kiosk_mismatch")
    error(push(json.dumps(dict(good, records=[{"seq": 1}])).encode()), 422)
    error(push(json.dumps(dict(good, records=[1, 2])).encode()), 422)
    too_many = [survey_record(1)] * (MAX_BATCH_RECORDS + 1)
    error(push(json.dumps(dict(good, records=too_many)).encode()), 422)
    # Content-Encoding lies
    error(push(b"plain text, not gzip", headers={"Content-Encoding": "gzip"}), 400,
          "bad_encoding")
    error(push(gzip.compress(b"{}")[:-6], headers={"Content-Encoding": "gzip"}), 400)
    error(push(b"{}", headers={"Content-Encoding": "br"}), 415)
    # Wrong query types on pull
    response = client.get("/api/v1/changes?cursor=abc",
                          headers=kiosk.signed_headers("GET", "/api/v1/changes?cursor=abc", b""))
    error(response, 422, "invalid")
    error(client.get("/api/v1/nowhere"), 404)
    assert counts(db) == before


def test_oversized_bodies_are_413_before_and_after_decompression(kiosk, central_app, db):
    limit = central_app.state.settings.max_body_bytes
    before = counts(db)
    big = kiosk.batch([survey_record(1, comment="x")])
    raw = json.dumps(big).encode()
    padded = raw[:-1] + b"," + b'"pad": "' + b"a" * (limit + 10) + b'"}'
    error(kiosk.push_raw(padded), 413, "too_large")
    bomb = gzip.compress(b" " * (limit + 1000))  # tiny on the wire, huge inflated
    assert len(bomb) < limit
    error(kiosk.push_raw(bomb, gzip=False, headers={"Content-Encoding": "gzip"}), 413,
          "too_large")
    assert counts(db) == before


def test_every_response_carries_server_time(client, kiosk):
    assert "x-td-server-time" in client.get("/healthz").headers
    assert "x-td-server-time" in kiosk.push([survey_record(1)]).headers
    assert "x-td-server-time" in client.post(PUSH_PATH, content=b"x").headers
