"""Values the wire schema lets through but a database column cannot hold: still a 4xx or a
rejected record with a reason, never a 5xx, and nothing else disturbed."""

import json

from tests.central.api.helpers import counts, error
from tests.support.central import survey_record
from trato.protocol.wire import ENROL_PATH


def _results(response):
    assert response.status_code == 200, response.text
    return [(r["status"], r["reason"]) for r in response.json()["results"]]


def test_unstorable_records_are_rejected_one_by_one(kiosk, db):
    huge_seq = survey_record(2**63)
    huge_duration = survey_record(2, duration_ms=2**64)
    nul_text = survey_record(3, comment="antes\u0000después")
    far_past = survey_record(4, created_at="0001-01-01T00:00:00+05:00")
    ancient_batch = kiosk.batch([survey_record(8)], sent_at="0001-01-01T00:00:00+05:00")
    assert kiosk.push_raw(json.dumps(ancient_batch).encode()).status_code == 200
    good = survey_record(5)
    results = _results(kiosk.push([huge_seq, huge_duration, nul_text, far_past, good]))
    assert [s for s, _ in results] == ["rejected"] * 4 + ["stored"]
    assert all(reason for _, reason in results[:4])
    # a kiosk at 1970 and at +5 years is fine
    old = survey_record(6, created_at="1970-01-01T00:00:00+00:00")
    future = survey_record(7, created_at="2031-06-01T12:00:00-06:00")
    assert [s for s, _ in _results(kiosk.push([old, future]))] == ["stored", "stored"]
    # an offset PostgreSQL would refuse (beyond ±15:59) is the same instant in UTC
    far = survey_record(8, created_at="2026-07-02T00:40:20-16:53")
    assert [s for s, _ in _results(kiosk.push([far]))] == ["stored"]


def test_lone_surrogates_and_deep_nesting_are_4xx(kiosk, db):
    before = counts(db)
    record = json.dumps(kiosk.batch([survey_record(1)])).replace('"comment": ""',
                                                                 '"comment": "a\\ud800b"')
    results = _results(kiosk.push_raw(record.encode()))
    assert results[0][0] == "rejected"
    error(kiosk.push_raw(b"[" * 100_000 + b"]" * 100_000), 400, "malformed_json")
    error(kiosk.push_raw(json.dumps(dict(kiosk.batch([survey_record(1)]),
                                         app_version="1\u0000")).encode()), 422)
    error(kiosk.push_raw(json.dumps(dict(kiosk.batch([survey_record(1)]),
                                         backlog=2**70)).encode()), 422)
    assert counts(db) == before


def test_enrolment_with_nul_in_hostname_is_422(client, issue):
    from trato.protocol import signing

    body = {"schema_version": 1, "token": issue(), "signing_public_key": signing.public_key_b64(
        signing.new_signing_key()), "hostname": "kiosko\u0000"}
    error(client.post(ENROL_PATH, json=body), 422)
