"""One rule for ``schema_version`` (issue 14, item 7; trato/protocol/wire.py): it belongs to
the request, not to a record. A request without it, or with a version this server does not
speak, is refused whole with 422 ``unsupported_schema`` before any record is looked at; in a
request of a known version a bad record is answered per record (``rejected``) and the others
are stored."""

import json

import pytest
from sqlmodel import select

from central.models import SurveyResponse
from tests.central.api.helpers import counts, error
from tests.support.central import survey_record
from trato.protocol.wire import ENROL_PATH


def _bad() -> dict:
    return survey_record(2, rating=9)  # ratings are 1-5: this record is the problem


@pytest.mark.parametrize("order", ["bad-last", "bad-first"])
def test_a_missing_version_is_refused_whole_with_or_without_a_bad_record(kiosk, db, order):
    before = counts(db)
    good = [survey_record(1), survey_record(3)]
    records = [*good, _bad()] if order == "bad-last" else [_bad(), *good]
    for batch_records in (good, records):  # a valid batch, then the same with a bad record
        body = kiosk.batch(batch_records)
        del body["schema_version"]
        response = kiosk.push_raw(json.dumps(body).encode())
        error(response, 422, "unsupported_schema")
        assert "schema_version" in response.json()["detail"]
    for version in (None, 0, 2, "1", 1.5):
        body = dict(kiosk.batch(records), schema_version=version)
        error(kiosk.push_raw(json.dumps(body).encode()), 422, "unsupported_schema")
    assert counts(db) == before


@pytest.mark.parametrize("order", ["bad-last", "bad-first"])
def test_with_a_known_version_the_bad_record_alone_is_rejected(kiosk, db, order):
    good = [survey_record(1), survey_record(3)]
    records = [*good, _bad()] if order == "bad-last" else [_bad(), *good]
    response = kiosk.push(records)
    assert response.status_code == 200, response.text
    results = {r["id"]: r for r in response.json()["results"]}
    assert [results[r["id"]]["status"] for r in records] == [
        "rejected" if r["body"]["rating"] == 9 else "stored" for r in records]
    assert "rating" in results[records[-1 if order == "bad-last" else 0]["id"]]["reason"]
    with db() as s:
        assert len(s.exec(select(SurveyResponse)).all()) == 2


def test_enrolment_follows_the_same_rule(client, issue):
    from trato.protocol import signing

    body = {"token": issue(), "signing_public_key":
            signing.public_key_b64(signing.new_signing_key())}
    error(client.post(ENROL_PATH, json=body), 422, "unsupported_schema")
    error(client.post(ENROL_PATH, json=dict(body, schema_version=2)), 422, "unsupported_schema")
    assert client.post(ENROL_PATH, json=dict(body, schema_version=1)).status_code == 200
