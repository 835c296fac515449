"""Signed requests: unknown kiosk, bad signature, expired, replayed, revoked."""

import json
import time
import uuid

from tests.central.api.helpers import counts, error
from tests.support.central import ADMIN_TOKEN, survey_record
from trato.protocol import signing
from trato.protocol.wire import HEADER_SERVER_TIME, PUSH_PATH, STATUS_PATH


def _body(kiosk) -> bytes:
    return json.dumps(kiosk.batch([survey_record(1)])).encode()


def test_unsigned_and_unknown_kiosk_are_401(client, kiosk, db):
    before = counts(db)
    error(client.post(PUSH_PATH, content=_body(kiosk)), 401, "unsigned")
    headers = kiosk.signed_headers("POST", PUSH_PATH, _body(kiosk))
    headers["X-TD-Kiosk"] = str(uuid.uuid4())
    error(client.post(PUSH_PATH, content=_body(kiosk), headers=headers), 401, "unknown_kiosk")
    headers["X-TD-Kiosk"] = "not-a-uuid"
    error(client.post(PUSH_PATH, content=_body(kiosk), headers=headers), 401, "unknown_kiosk")
    assert counts(db) == before


def test_bad_signature_tampered_body_and_wrong_key_are_401(client, kiosk, db):
    before = counts(db)
    body = _body(kiosk)
    headers = kiosk.signed_headers("POST", PUSH_PATH, body)
    tampered = body.replace(b'"rating": 4', b'"rating": 5')
    assert tampered != body
    error(client.post(PUSH_PATH, content=tampered, headers=headers), 401, "bad_signature")
    other = signing.new_signing_key()
    ts, nonce = int(time.time()), "n" * 16
    headers = kiosk.signed_headers("POST", PUSH_PATH, body, timestamp=ts, nonce=nonce)
    headers["X-TD-Signature"] = signing.sign(
        other, signing.canonical_request("POST", PUSH_PATH, ts, nonce, body))
    error(client.post(PUSH_PATH, content=body, headers=headers), 401, "bad_signature")
    headers["X-TD-Signature"] = "%%%not-base64"
    error(client.post(PUSH_PATH, content=body, headers=headers), 401, "bad_signature")
    assert counts(db) == before


def test_timestamp_outside_window_is_expired_and_server_time_lets_the_kiosk_correct(
        client, kiosk, db):
    before = counts(db)
    body = _body(kiosk)
    for skew in (-3600, +3600, -10**9):
        response = kiosk.push_raw(body, timestamp=int(time.time()) + skew)
        error(response, 401, "expired")
    assert counts(db) == before
    # A kiosk whose clock is at 1970 learns the server time from the header and signs with it.
    kiosk.clock_offset = int(response.headers[HEADER_SERVER_TIME]) - int(time.time())
    stale = [survey_record(1, created_at="1970-01-01T00:00:05+00:00")]
    response = kiosk.push(stale, sent_at="1970-01-01T00:00:06+00:00")
    assert response.status_code == 200, response.text
    assert response.json()["results"][0]["status"] == "stored"
    assert response.json()["clock_offset_seconds"] > 1.7e9


def test_replayed_nonce_is_refused_and_nothing_is_stored_twice(client, kiosk, db):
    body = _body(kiosk)
    headers = kiosk.signed_headers("POST", PUSH_PATH, body)
    assert client.post(PUSH_PATH, content=body, headers=headers).status_code == 200
    before = counts(db)
    error(client.post(PUSH_PATH, content=body, headers=headers), 409, "replayed")
    assert counts(db) == before


def test_revoked_kiosk_gets_403_and_keeps_nothing_new(client, kiosk, db):
    response = client.post(f"/api/v1/kiosks/{kiosk.kiosk_id}/revoke",
                           json={"reason": "equipo robado"},
                           headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "revoked"
    before = counts(db)
    body = error(kiosk.push([survey_record(1)]), 403, "revoked")
    assert "equipo robado" in body["detail"]
    error(kiosk.changes(), 403, "revoked")
    path = STATUS_PATH
    error(client.get(path, headers=kiosk.signed_headers("GET", path, b"")), 403, "revoked")
    assert counts(db) == before


def test_revocation_needs_the_admin_token(client, kiosk):
    url = f"/api/v1/kiosks/{kiosk.kiosk_id}/revoke"
    error(client.post(url, json={}), 401, "unauthorised")
    error(client.post(url, json={}, headers={"Authorization": "Bearer wrong"}), 401)
    error(client.post(f"/api/v1/kiosks/{uuid.uuid4()}/revoke", json={},
                      headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}), 404, "unknown_kiosk")
    error(client.post("/api/v1/kiosks/not-a-uuid/revoke", json={},
                      headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}), 422)
    status = client.get(STATUS_PATH, headers=kiosk.signed_headers("GET", STATUS_PATH, b""))
    assert status.status_code == 200
    assert status.json()["status"] == "enrolled"
