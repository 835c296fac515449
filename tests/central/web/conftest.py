"""A real central server (uvicorn subprocess on 127.0.0.1) with a small world for web tests.

``web_world`` is module-scoped: two OOAD with one enrolled kiosk each, survey responses, an
ordinary queja with sealed personal data, a sensitive queja, a reconocimiento waiting for
moderation, and one user per role.
"""

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import select

from central.models import Case, OrgNode
from tests.support.central import (
    CentralHandle,
    TestKiosk,
    case_record,
    running_central,
    survey_record,
)
from trato.domain.folio import parse_folio
from trato.protocol.sealing import seal_json

PASSWORD = "contraseña-segura-1"  # noqa: S105 - test user
PERSONAL = {"nombre": "María Pérez López", "nss": "12345678903", "telefono": "4491234567"}
NARRATIVE_AGS = "Esperé cuatro horas en urgencias de Aguascalientes sin información."
NARRATIVE_SENSITIVE = "Un trabajador me hizo comentarios ofensivos y acosadores."
USERS = {
    "admin": ("admin", None),
    "nacional": ("nacional", None),
    "ooad_ags": ("ooad", "AGS"),
    "ooad_bc": ("ooad", "BC"),
    "unidad_ags": ("unidad", "ASIMS000039"),
    "umae": ("umae", "UMAE-HE-CMNSXXI"),
}


class SignedInClient(httpx.Client):
    """An httpx client already used to sign in; usable as ``with world.login(...) as c``."""

    def __enter__(self) -> "SignedInClient":
        return self


@dataclass
class World:
    central: CentralHandle
    kiosks: dict[str, TestKiosk]
    cases: dict[str, str] = field(default_factory=dict)  # name -> case id
    folios: dict[str, str] = field(default_factory=dict)  # name -> folio as shown
    nodes: dict[str, str] = field(default_factory=dict)  # code -> node id

    @property
    def base_url(self) -> str:
        return self.central.base_url

    def login(self, username: str, password: str = PASSWORD) -> SignedInClient:
        client = SignedInClient(base_url=self.base_url, timeout=30)
        response = login(client, username, password)
        assert response.status_code == 303, response.text[:500]
        return client


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def login(client: httpx.Client, username: str, password: str) -> httpx.Response:
    page = client.get("/entrar")
    return client.post("/entrar", data={"username": username, "password": password,
                                        "csrf_token": csrf_from(page.text), "next": "/tablero"})


def build_world(database_url: str, data_dir: Path, env: dict[str, str] | None = None
                ) -> Iterator[World]:
    with running_central(database_url, data_dir, env=env) as central:
        for username, (role, scope) in USERS.items():
            central.create_user(username, role=role, scope_code=scope,
                                display_name=username.replace("_", " ").title())
        kiosks = {"ags": central.enrol_kiosk("ASIMS000039"),
                  "bc": central.enrol_kiosk("BCIMS000039")}
        public_key = central.public_key()
        world = World(central=central, kiosks=kiosks)
        for name, k in kiosks.items():
            records = [survey_record(k.next_seq(), rating=r) for r in (5, 5, 4, 4, 2, 5)]
            narrative = NARRATIVE_AGS if name == "ags" else "Me trataron mal en Mexicali."
            plan = [
                (f"queja_{name}", dict(narrative=narrative, has_contact=True,
                                       sealed=seal_json(public_key, PERSONAL))),
                (f"sensible_{name}", dict(narrative=NARRATIVE_SENSITIVE, sensitive=True,
                                          categories=["acoso"], has_contact=True,
                                          sealed=seal_json(public_key, PERSONAL))),
                (f"reconocimiento_{name}", dict(case_type="reconocimiento",
                                                recognised_person=f"Enfermera {name.upper()}",
                                                narrative="Me atendió con mucha paciencia.",
                                                publish_recognition=True, consent_given=True)),
            ]
            for case_name, extra in plan:
                seq = k.next_seq()
                sealed = extra.pop("sealed", None)
                rec = case_record(seq, unit_number=k.unit_number, kiosk_number=k.kiosk_number,
                                  sealed=sealed, **extra)
                world.folios[case_name] = rec["body"]["folio"]
                records.append(rec)
            response = k.push(records)
            assert response.status_code == 200, response.text
            statuses = {r["status"] for r in response.json()["results"]}
            assert statuses == {"stored"}, response.json()
        with central.session() as s:
            for case_name, folio in world.folios.items():
                compact = parse_folio(folio).compact
                case = s.exec(select(Case).where(Case.folio == compact)).one()
                world.cases[case_name] = str(case.id)
            for node in s.exec(select(OrgNode)).all():
                world.nodes[node.code] = str(node.id)
        yield world


@pytest.fixture(scope="module")
def web_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("web")
    yield from build_world(f"sqlite:///{folder / 'central.db'}", folder / "data")


@pytest.fixture(scope="module")
def pg_web_world(pg_cluster: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("webpg")
    url = pg_cluster.create_database(prefix="web")
    try:
        yield from build_world(url, folder / "data")
    finally:
        pg_cluster.drop_database(url)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
                scope="module")
def any_world(request: pytest.FixtureRequest) -> World:
    name = "web_world" if request.param == "sqlite" else "pg_web_world"
    return request.getfixturevalue(name)  # type: ignore[no-any-return]


def sqlite_or_postgres(request: pytest.FixtureRequest, folder: Path, prefix: str,
                       world: Callable[[str, Path], Iterator[Any]]) -> Iterator[Any]:
    """``world(database_url, folder)`` on a SQLite file or a fresh PostgreSQL database, as the
    fixture's ``request.param`` says ("sqlite" or "postgres")."""
    if request.param == "sqlite":
        yield from world(f"sqlite:///{folder / 'central.db'}", folder)
        return
    cluster = request.getfixturevalue("pg_cluster")
    url = cluster.create_database(prefix=prefix)
    try:
        yield from world(url, folder)
    finally:
        cluster.drop_database(url)


def new_id() -> str:
    return str(uuid.uuid4())
