"""Short enrolment codes: typed as the technician types them, exchanged once for the same
enrolment a token gives, refused when expired, used or wrong, and guessing bounded."""

import re
from collections.abc import Callable

import pytest
from sqlmodel import Session

from central.services.enrolment import issue_code, normalise_code, resolve_module
from tests.central.api.helpers import error
from trato.protocol import signing
from trato.protocol.wire import ENROL_PATH


@pytest.fixture
def code(db: Callable[[], Session]) -> Callable[..., str]:
    def _code(target: str = "ASIMS000039", hours: int = 24) -> str:
        with db() as s:
            return issue_code(s, resolve_module(s, target), hours=hours)[0]
    return _code


def enrol(client, token: str):
    return client.post(ENROL_PATH, json={
        "schema_version": 1, "token": token, "hostname": "kiosco-nuevo",
        "signing_public_key": signing.public_key_b64(signing.new_signing_key())})


def test_a_code_enrols_once_however_it_is_typed(client, code) -> None:
    issued = code()
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", issued)
    typed = " " + issued.replace("-", " ").lower() + " "
    answer = enrol(client, typed)
    assert answer.status_code == 200, answer.text
    assert answer.json()["unit"]["clues"] == "ASIMS000039"
    error(enrol(client, issued), 409, "token_used")
    error(enrol(client, code(hours=-1)), 401, "token_expired")
    assert normalise_code("ABCD-EFG0") is None  # 0 is not in the alphabet: a token then


def test_wrong_codes_from_one_address_are_limited(client, code) -> None:
    good = code()
    for _ in range(10):
        error(enrol(client, "ZZZZ-ZZZZ"), 401, "invalid_token")
    limited = enrol(client, good)
    error(limited, 429, "rate_limited")
    assert int(limited.headers["retry-after"]) >= 1
    client.app.state.code_attempts.window = 0  # the window passed
    assert enrol(client, good).status_code == 200
