"""Fixtures for the central server's tests: an app on SQLite or PostgreSQL (parametrised),
a TestClient, enrolled test kiosks."""

import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():
    # starlette >= 1.x warns that it prefers httpx2 for its TestClient; httpx works.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient
from sqlmodel import Session

from central.app import create_app
from central.settings import CentralSettings
from tests.support.central import ADMIN_TOKEN, TestKiosk, seed_small_org


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database URL: a SQLite file in tmp_path, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'central.db'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def central_settings(db_url: str, tmp_path: Path) -> CentralSettings:
    return CentralSettings(data_dir=tmp_path / "data", database_url=db_url,
                           public_base_url="http://testserver", admin_token=ADMIN_TOKEN,
                           session_secret="test")  # noqa: S106


@pytest.fixture
def central_app(central_settings: CentralSettings) -> Any:
    app = create_app(central_settings)
    seed_small_org(app.state.engine)
    return app


@pytest.fixture
def client(central_app: Any) -> Iterator[TestClient]:
    with TestClient(central_app) as c:
        yield c
    central_app.state.engine.dispose()


@pytest.fixture
def db(central_app: Any) -> Callable[[], Session]:
    """Open a session on the app's database: ``with db() as s: ...``."""
    return lambda: Session(central_app.state.engine, expire_on_commit=False)


@pytest.fixture
def issue(db: Callable[[], Session]) -> Callable[..., str]:
    from central.services.enrolment import issue_token

    def _issue(target: str = "ASIMS000039", hours: int = 24) -> str:
        with db() as s:
            return issue_token(s, target, hours=hours)

    return _issue


@pytest.fixture
def kiosk(client: TestClient, issue: Callable[..., str]) -> TestKiosk:
    return TestKiosk.enrol("http://testserver", issue(), client=client)
