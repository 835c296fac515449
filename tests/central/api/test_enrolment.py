"""Enrolment with one-time tokens."""

import time
from datetime import timedelta

from sqlalchemy import select

from central.db import utcnow
from central.models import EnrolmentToken, Kiosk
from tests.central.api.helpers import error
from tests.support.central import TestKiosk
from trato.protocol import signing
from trato.protocol.wire import ENROL_PATH, HEADER_SERVER_TIME, EnrolmentResponse


def _request(token: str) -> dict:
    key = signing.new_signing_key()
    return {"schema_version": 1, "token": token, "signing_public_key": signing.public_key_b64(key),
            "hostname": "kiosko-1", "app_version": "0.1.0"}


def test_enrolment_returns_credentials_unit_config_and_sealing_key(client, issue, central_app):
    token = issue("ASIMS000039")
    response = client.post(ENROL_PATH, json=_request(token))
    assert response.status_code == 200, response.text
    assert abs(int(response.headers[HEADER_SERVER_TIME]) - time.time()) < 5
    enrolment = EnrolmentResponse.model_validate(response.json())
    assert enrolment.sealing_public_key == central_app.state.sealing_public_key
    assert enrolment.unit.clues == "ASIMS000039"
    assert enrolment.unit.unit_number == 101
    assert enrolment.unit.kiosk_number == 1
    assert enrolment.unit.ooad_code == "AGS"
    assert enrolment.unit.umae_code is None
    assert enrolment.unit.tracking_base_url == "http://testserver"
    assert abs((enrolment.server_time - utcnow()).total_seconds()) < 5


def test_second_kiosk_of_a_unit_gets_the_next_number(client, issue):
    first = TestKiosk.enrol("http://testserver", issue("ASIMS000039"), client=client)
    second = TestKiosk.enrol("http://testserver", issue("ASIMS000039-M1"), client=client)
    assert (first.kiosk_number, second.kiosk_number) == (1, 2)
    umae = TestKiosk.enrol("http://testserver", issue("DFIMS000113"), client=client)
    assert umae.kiosk_number == 1
    assert umae.enrolment["unit"]["umae_code"] == "UMAE-HE-CMNSXXI"


def test_token_used_twice_is_refused_and_creates_no_second_kiosk(client, issue, db):
    token = issue()
    assert client.post(ENROL_PATH, json=_request(token)).status_code == 200
    error(client.post(ENROL_PATH, json=_request(token)), 409, "token_used")
    with db() as s:
        assert len(s.execute(select(Kiosk)).all()) == 1


def test_unknown_and_expired_tokens_are_refused(client, issue, db):
    error(client.post(ENROL_PATH, json=_request("not-a-real-token-123")), 401, "invalid_token")
    token = issue()
    with db() as s:
        row = s.execute(select(EnrolmentToken)).scalars().one()
        row.expires_at = utcnow() - timedelta(minutes=1)
        s.add(row)
        s.commit()
    error(client.post(ENROL_PATH, json=_request(token)), 401, "token_expired")


def test_bad_enrolment_bodies_get_4xx_with_reason(client, issue):
    token = issue()
    error(client.post(ENROL_PATH, content=b"{not json",
                      headers={"Content-Type": "application/json"}), 400, "malformed_json")
    error(client.post(ENROL_PATH, json={"schema_version": 1, "token": token}), 422, "invalid")
    bad_key = dict(_request(token), signing_public_key="A" * 44 + "!!")
    error(client.post(ENROL_PATH, json=bad_key), 422)
    error(client.post(ENROL_PATH, json=dict(_request(token), schema_version=2)), 422)
    # the token is still unused after all that
    assert client.post(ENROL_PATH, json=_request(token)).status_code == 200
