"""The published API description (``/openapi.json``): a valid OpenAPI document whose every
``$ref`` resolves, whose schemas state what the server really checks, and whose operations
list every error they can answer (issue 14, item 6)."""

import base64
import json
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from fastapi.testclient import TestClient
from openapi_spec_validator import validate

from central.app import create_app
from central.services.enrolment import _valid_signing_key
from central.settings import CentralSettings
from trato.protocol import signing


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder: Path = tmp_path_factory.mktemp("openapi")
    app = create_app(CentralSettings(data_dir=folder))
    with TestClient(app) as client:
        response = client.get("/openapi.json")
    assert response.status_code == 200
    doc: dict[str, Any] = response.json()
    return doc


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _resolve(doc: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), f"not a local reference: {ref}"
    node: Any = doc
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        assert isinstance(node, dict) and part in node, f"{ref} does not resolve"
        node = node[part]
    return node


def test_the_document_is_valid_and_every_ref_resolves(document: dict[str, Any]) -> None:
    validate(document)
    refs = set(_refs(document))
    assert len(refs) > 10
    unresolved = []
    for ref in sorted(refs):
        try:
            _resolve(document, ref)
        except AssertionError:
            unresolved.append(ref)
    assert unresolved == []
    # The request bodies are described, by reference, with the models the server parses.
    ops = document["paths"]
    for path, model in (("/api/v1/records", "PushBatch"), ("/api/v1/enrol", "EnrolmentRequest")):
        schema = ops[path]["post"]["requestBody"]["content"]["application/json"]["schema"]
        assert schema == {"$ref": f"#/components/schemas/{model}"}


def _validator(document: dict[str, Any], name: str) -> jsonschema.Draft202012Validator:
    schema = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    return jsonschema.Draft202012Validator(schema)


def test_enrolment_states_the_key_constraint_the_server_checks(document: dict[str, Any]) -> None:
    request = _validator(document, "EnrolmentRequest")
    real = signing.public_key_b64(signing.new_signing_key())
    candidates = [
        real,
        base64.b64encode(secrets.token_bytes(32)).decode(),
        real[:-1],  # padding missing
        real[:-2] + "==",  # 31 bytes
        base64.b64encode(secrets.token_bytes(33)).decode(),  # 33 bytes, 44 characters
        "A" * 40, "A" * 44, "A" * 43 + "=", "A" * 64, "A" * 44 + "!!", " " + real[1:],
        base64.urlsafe_b64encode(b"\xff" * 32).decode(),  # URL-safe alphabet
    ]
    for key in candidates:
        body = {"schema_version": 1, "token": "t" * 16, "signing_public_key": key}
        documented = request.is_valid(body)
        assert documented == _valid_signing_key(key), key
    assert request.is_valid({"schema_version": 1, "token": "t" * 16, "signing_public_key": real})
    # The server's sealing key in the answer has the same shape (X25519, 32 bytes).
    key_schema = document["components"]["schemas"]["EnrolmentResponse"]["properties"][
        "sealing_public_key"]
    assert key_schema["pattern"] == (document["components"]["schemas"]["EnrolmentRequest"]
                                     ["properties"]["signing_public_key"]["pattern"])


#: Every status each operation can answer (besides 200). Checked against the running server
#: by the Schemathesis run (tests/central/api/test_schemathesis.py).
EXPECTED = {
    ("get", "/healthz"): {"503"},
    ("post", "/api/v1/enrol"): {"400", "401", "409", "413", "422", "429"},
    ("post", "/api/v1/kiosks/{kiosk_id}/revoke"): {"400", "401", "403", "404", "413", "422"},
    ("post", "/api/v1/records"): {"400", "401", "403", "409", "413", "415", "422"},
    ("get", "/api/v1/changes"): {"400", "401", "403", "409", "413", "422"},
    ("get", "/api/v1/kiosk/status"): {"400", "401", "403", "409", "413"},
    ("post", "/api/v1/kiosk/report"): {"400", "401", "403", "409", "413", "415", "422"},
    ("get", "/api/v1/updates/offer"): {"400", "401", "403", "404", "409", "413", "422"},
}


def test_every_error_an_operation_answers_is_listed(document: dict[str, Any]) -> None:
    listed = {(method, path): op["responses"]
              for path, ops in document["paths"].items() for method, op in ops.items()}
    assert set(listed) == set(EXPECTED)
    for key, statuses in EXPECTED.items():
        responses = listed[key]
        assert set(responses) - {"200"} == statuses, key
        for status in statuses:
            schema = responses[status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (key, status)


def test_schema_version_is_required_in_every_request(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    for name in ("PushBatch", "EnrolmentRequest"):
        assert "schema_version" in schemas[name]["required"], name
    json.dumps(document)  # plain JSON all the way down
