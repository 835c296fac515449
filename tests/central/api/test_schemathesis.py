"""Schemathesis against a real ``trato-central serve`` on PostgreSQL (issue 14, item 9):
every operation of the published description, with requests signed as an enrolled kiosk
signs them (trato.protocol.signing, as kiosk/sync/client.py does), the administrator's token
on revocation, and every Schemathesis check: no server error, no answer the description
does not state (status, content type, headers, body schema).

The run is kept short and repeatable: a few examples per operation, derandomised."""

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings

from tests.support.central import CentralHandle, TestKiosk, running_central
from trato.protocol.wire import (
    HEADER_KIOSK,
    HEADER_NONCE,
    HEADER_SIGNATURE,
    HEADER_TIMESTAMP,
    PUSH_PATH,
    REPORT_PATH,
)

pytestmark = [pytest.mark.postgres]

MAX_EXAMPLES = 150
#: Requests sent per operation, and the statuses seen (printed with -s; see test_zz_summary).
SENT: dict[str, int] = {}
STATUSES: set[tuple[str, str, int]] = set()


@pytest.fixture(scope="module")
def live_central(pg_cluster: Any, tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[tuple[CentralHandle, TestKiosk]]:
    url = pg_cluster.create_database("schemathesis")
    try:
        with running_central(url, tmp_path_factory.mktemp("schemathesis")) as central:
            yield central, central.enrol_kiosk("ASIMS000039")
    finally:
        pg_cluster.drop_database(url)


def _document() -> dict[str, Any]:
    """The description the server publishes, generated once at collection (Schemathesis
    parametrises from it then; its lazy fixture loader does not work with pytest 9)."""
    from central.app import create_app
    from central.settings import CentralSettings

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(CentralSettings(data_dir=Path(folder)))
        doc = app.openapi()
        app.state.engine.dispose()
    return doc


DOCUMENT = _document()
DOCUMENT_OPERATIONS = [(m.upper(), p) for p, ops in DOCUMENT["paths"].items() for m in ops]
schema = schemathesis.openapi.from_dict(DOCUMENT)


def test_the_server_publishes_the_tested_description(live_central: Any) -> None:
    central, _kiosk = live_central
    assert requests.get(f"{central.base_url}/openapi.json", timeout=30).json() == DOCUMENT
    assert len(DOCUMENT["paths"]) == 8


SIGNED_HEADERS = (HEADER_KIOSK, HEADER_TIMESTAMP, HEADER_NONCE, HEADER_SIGNATURE)


def signed_send(case: Any, central: CentralHandle, kiosk: TestKiosk,
                session: requests.Session) -> tuple[requests.Response, dict[str, str]]:
    """Send the case as the kiosk would: the body serialised once, and the signature over
    exactly those bytes and the path with its query as sent. A case that carries the
    security headers (Schemathesis fills them with placeholders) is signed for real; one
    that leaves any out on purpose (a negative case) goes as it is. Returns the response and
    the credentials set, for the checks that probe authentication."""
    headers = dict(case.headers or {})
    if case.path in (PUSH_PATH, REPORT_PATH) and isinstance(case.body, dict):
        case.body["kiosk_id"] = kiosk.kiosk_id  # a body names the kiosk that signs it
    kwargs = case.as_transport_kwargs(base_url=central.base_url)
    prepared = session.prepare_request(requests.Request(
        method=kwargs["method"], url=kwargs["url"], headers=kwargs.get("headers"),
        params=kwargs.get("params"), json=kwargs.get("json"), data=kwargs.get("data"),
        cookies=kwargs.get("cookies")))
    body = prepared.body or b""
    if isinstance(body, str):
        body = body.encode("utf-8")
    credentials: dict[str, str] = {}
    if all(name in headers for name in SIGNED_HEADERS):
        credentials.update(kiosk.signed_headers(prepared.method or "GET",
                                                prepared.path_url, body))
    if "Authorization" in headers:
        credentials["Authorization"] = f"Bearer {central.admin_token}"
    prepared.headers.update(credentials)
    return session.send(prepared, timeout=30), credentials


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_description(case: Any, live_central: Any) -> None:
    central, kiosk = live_central
    with requests.Session() as session:
        response, credentials = signed_send(case, central, kiosk, session)
    assert response.status_code < 500, response.text
    case.validate_response(response, headers=credentials or None)
    SENT[f"{case.method} {case.path}"] = SENT.get(f"{case.method} {case.path}", 0) + 1
    STATUSES.add((case.method, case.path, response.status_code))


def test_zz_every_operation_was_exercised() -> None:
    """Runs after the parametrised test (file order): every operation got requests."""
    documented = {f"{m} {p}": SENT.get(f"{m} {p}", 0) for m, p in DOCUMENT_OPERATIONS}
    print(f"\nschemathesis: {len(documented)} operations, {sum(documented.values())} "
          f"requests to them ({sum(SENT.values())} with the other-method probes): {documented}")
    print("statuses seen:", sorted(STATUSES))
    assert all(documented.values()), documented
    # Past the signature: stored records and pulled changes, not only refusals.
    assert ("POST", "/api/v1/records", 200) in STATUSES
    assert ("GET", "/api/v1/changes", 200) in STATUSES
    assert ("POST", REPORT_PATH, 200) in STATUSES
