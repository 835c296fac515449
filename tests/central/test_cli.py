"""``trato-central`` sub-commands, the demo data and the OpenAPI document."""

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from central.cli import main
from central.db import make_engine
from central.demo import create_demo_data
from central.models import Case, EnrolmentToken, Kiosk, StaffMember, SurveyResponse, User
from central.security import verify_password
from tests.support.central import small_catalogue


def _args(tmp_path: Path) -> list[str]:
    return [
        "--data-dir",
        str(tmp_path / "data"),
        "--database-url",
        f"sqlite:///{tmp_path / 'cli.db'}",
    ]


def test_cli_migrate_catalogue_user_token_and_key(tmp_path: Path, monkeypatch, capsys):
    base = _args(tmp_path)
    assert main([*base, "migrate"]) == 0
    assert main([*base, "load-catalogue"]) == 0
    assert "ooad: 35" in capsys.readouterr().out
    monkeypatch.setenv("TD_TEST_PW", "una-contraseña-larga")
    assert (
        main(
            [
                *base,
                "create-user",
                "comite.jal",
                "--role",
                "ooad",
                "--scope",
                "JAL",
                "--password-env",
                "TD_TEST_PW",
            ]
        )
        == 0
    )
    assert (
        main(
            [
                *base,
                "create-user",
                "x",
                "--role",
                "ooad",
                "--scope",
                "NOPE",
                "--password-env",
                "TD_TEST_PW",
            ]
        )
        == 2
    )
    capsys.readouterr()
    assert main([*base, "issue-token", "ASIMS000039"]) == 0
    token = capsys.readouterr().out.strip()
    assert len(token) >= 20
    assert main([*base, "issue-token", "XXIMS999999"]) == 2
    assert main([*base, "export-public-key"]) == 0
    assert len(capsys.readouterr().out.strip()) == 44
    engine = make_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    try:
        with Session(engine) as s:
            user = s.execute(select(User)).scalars().one()
            assert user.role == "ooad" and user.scope_id is not None
            assert verify_password(user.password_hash, "una-contraseña-larga")
            assert s.execute(select(EnrolmentToken)).scalars().one().used_at is None
    finally:
        engine.dispose()


@pytest.mark.slow
def test_demo_data_is_realistic_and_idempotent(tmp_path: Path):
    from central.migrations import upgrade_to_head

    engine = make_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    upgrade_to_head(engine)
    try:
        summary = create_demo_data(engine, days=10, scale=0.3, users_password="demo-clave-1")  # noqa: S106
        assert summary["kiosks"] > 10 and summary["survey_responses"] > 100
        assert create_demo_data(engine, days=10) == {"already_present": 1}
        with Session(engine) as s:
            count = lambda m: s.execute(select(func.count()).select_from(m)).scalar_one()  # noqa: E731
            assert count(SurveyResponse) == summary["survey_responses"]
            assert count(Case) == summary["cases"]
            assert count(StaffMember) > 0 and count(Kiosk) == summary["kiosks"]
            ooads = s.execute(
                select(func.count(func.distinct(SurveyResponse.ooad_id)))
            ).scalar_one()
            assert ooads >= 5
            assert count(User) == 6  # five committees and administration, one 800 agent
    finally:
        engine.dispose()


def test_openapi_documents_the_kiosk_api(client):
    doc = client.get("/openapi.json").json()
    for path in (
        "/api/v1/enrol",
        "/api/v1/records",
        "/api/v1/changes",
        "/healthz",
        "/api/v1/kiosks/{kiosk_id}/revoke",
    ):
        assert path in doc["paths"], path
    push = doc["paths"]["/api/v1/records"]["post"]
    assert "requestBody" in push and "401" in push["responses"]
    assert client.get("/healthz").json()["status"] == "ok"


def test_small_catalogue_helper_is_loadable():
    assert len(small_catalogue()["units"]) == 4


def test_cli_revoke_kiosk_prints_the_new_status_and_revokes(tmp_path: Path, capsys):
    from central.services.enrolment import EnrolmentContext, enrol
    from trato.protocol.signing import new_signing_key, public_key_b64
    from trato.protocol.wire import EnrolmentRequest

    base = _args(tmp_path)
    assert main([*base, "migrate"]) == 0
    assert main([*base, "load-catalogue"]) == 0
    assert main([*base, "issue-token", "ASIMS000039"]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    engine = make_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    try:
        with Session(engine) as s:
            response = enrol(
                s,
                EnrolmentRequest(schema_version=1, token=token,
                                 signing_public_key=public_key_b64(new_signing_key())),
                EnrolmentContext(tracking_base_url="http://x", sealing_public_key="k" * 43 + "="),
            )
        kiosk_id = str(response.kiosk_id)
        assert main([*base, "revoke-kiosk", kiosk_id, "--reason", "equipo robado"]) == 0
        assert capsys.readouterr().out.strip() == f"kiosk {kiosk_id} revoked"
        with Session(engine) as s:
            kiosk = s.get(Kiosk, response.kiosk_id)
            assert kiosk is not None and kiosk.status == "revoked"
            assert kiosk.revoke_reason == "equipo robado"
        assert main([*base, "revoke-kiosk", "00000000-0000-0000-0000-000000000000"]) == 2
    finally:
        engine.dispose()
