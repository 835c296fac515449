"""The rules of users managed on the web, on a real SQLite file: an administrator acts only
inside their own branch and never grants a role or a branch wider than their own; bad input
is refused with a reason; the last national administrator stays; disabling or resetting ends
the user's sessions; every change is in the audit log with before/after and no password."""

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from central.db import make_engine
from central.migrations import upgrade_to_head
from central.models import AuditLog, OrgNode, User
from central.security import verify_password
from central.services import user_admin as ua
from central.services.users import UserError, create_or_update_user
from central.web.models import WebSession
from tests.support.central import seed_small_org

PASSWORD = "contraseña-segura-1"  # noqa: S105 - test user


@pytest.fixture
def session(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Session]:
    """SQLite, or PostgreSQL for a test that asks (``indirect`` parametrisation)."""
    on_postgres = getattr(request, "param", "sqlite") == "postgres"
    url = (str(request.getfixturevalue("pg_url")) if on_postgres
           else f"sqlite:///{tmp_path / 'central.db'}")
    engine = make_engine(url)
    upgrade_to_head(engine)
    seed_small_org(engine)
    with Session(engine, expire_on_commit=False) as s:
        for name, role, scope in (("nacional_admin", "admin", None),
                                  ("admin_ags", "admin", "AGS"),
                                  ("admin_umf", "admin", "ASIMS000039"),
                                  ("ooad_bc", "ooad", "BC"),
                                  ("unidad_ags", "unidad", "ASIMS000076")):
            create_or_update_user(s, name, role=role, password=PASSWORD, scope_code=scope)
        yield s
    engine.dispose()


def admin(s: Session, username: str) -> ua.Admin:
    return ua.admin_for(s, s.exec(select(User).where(User.username == username)).one())


def user_id(s: Session, username: str) -> uuid.UUID:
    return s.exec(select(User.id).where(User.username == username)).one()


def refused(code: str, call: object, *args: object, **kwargs: object) -> None:
    with pytest.raises(UserError) as caught:
        call(*args, **kwargs)  # type: ignore[operator]
    assert caught.value.code == code


def test_a_branch_admin_creates_inside_the_branch_with_a_temporary_password(session: Session
                                                                           ) -> None:
    ags = admin(session, "admin_ags")
    user, password = ua.create_user(session, ags, username="nuevo", role="unidad",
                                    scope_code="ASIMS000039", display_name="Nueva Persona")
    assert user.must_change_password and verify_password(user.password_hash, password)
    assert len(password) == 14 and password.count("-") == 2
    listed, total = ua.users_in_branch(session, ags)
    assert [u.username for u, _ in listed] == [
        "admin_ags", "admin_umf", "nuevo", "unidad_ags"] and total == 4  # not BC nor national
    found, total = ua.users_in_branch(session, ags, search="NUEVA")  # by name, any case
    assert [u.username for u, _ in found] == ["nuevo"] and total == 1
    assert ua.users_in_branch(session, ags, search="ooad_bc") == ([], 0)
    entry = session.exec(select(AuditLog).where(AuditLog.action == ua.AUDIT_USER_CREATE)).one()
    assert entry.detail["after"] == {"role": "unidad", "scope": "ASIMS000039", "active": True}
    ags_node = session.exec(select(OrgNode).where(OrgNode.code == "AGS")).one()
    assert entry.ooad_id == ags_node.id  # read by AGS's administrator, not BC's
    assert password not in json.dumps(entry.detail)


@pytest.mark.parametrize("actor, role, scope, code", [
    ("admin_ags", "unidad", "BCIMS000039", "scope_outside"),  # another OOAD's unit
    ("admin_ags", "ooad", "BC", "scope_outside"),
    ("admin_ags", "nacional", "", "scope_wider"),  # the whole tree
    ("admin_ags", "admin", "", "scope_wider"),  # a national administrator
    ("admin_ags", "agente", "", "scope_wider"),  # the national 800 line
    ("admin_umf", "ooad", "AGS", "scope_outside"),  # a unit's admin cannot give its OOAD
    ("admin_umf", "unidad", "ASIMS000076", "scope_outside"),  # nor a sibling unit
    ("admin_ags", "jefe", "ASIMS000039", "role_unknown"),
    ("admin_ags", "unidad", "ZZ999", "scope_level"),
    ("admin_ags", "agente", "ZZ999", "scope_unknown"),
    ("admin_ags", "unidad", "", "scope_needed"),
    ("admin_ags", "ooad", "ASIMS000039", "scope_level"),
    ("nacional_admin", "nacional", "AGS", "scope_not_allowed"),
])
def test_nobody_grants_a_role_or_branch_wider_than_their_own(
        session: Session, actor: str, role: str, scope: str, code: str) -> None:
    acting = admin(session, actor)
    refused(code, ua.create_user, session, acting, username="otro", role=role,
            scope_code=scope)
    if actor == "admin_ags":
        refused(code, ua.change_role, session, acting, user_id(session, "unidad_ags"),
                role=role, scope_code=scope)
    assert session.exec(select(User).where(User.username == "otro")).first() is None


def test_users_outside_the_branch_are_unknown_and_bad_names_refused(session: Session) -> None:
    ags = admin(session, "admin_ags")
    for outside in ("ooad_bc", "nacional_admin"):
        refused("user_unknown", ua.set_active, session, ags, user_id(session, outside), False)
        refused("user_unknown", ua.reset_password, session, ags, user_id(session, outside))
        refused("user_unknown", ua.change_role, session, ags, user_id(session, outside),
                role="unidad", scope_code="ASIMS000039")
    refused("user_unknown", ua.set_active, session, ags, "no-es-un-id", False)
    refused("username_taken", ua.create_user, session, ags, username="OOAD_BC", role="unidad",
            scope_code="ASIMS000039")  # taken in another branch: still taken
    refused("username_empty", ua.create_user, session, ags, username="  ", role="unidad",
            scope_code="ASIMS000039")
    refused("username_bad", ua.create_user, session, ags, username="dos palabras",
            role="unidad", scope_code="ASIMS000039")
    refused("not_admin", ua.admin_for, session,
            session.exec(select(User).where(User.username == "ooad_bc")).one())
    assert session.exec(select(AuditLog)).all() == []  # nothing refused is on record


@pytest.mark.parametrize("session", ["sqlite", pytest.param("postgres",
                                                             marks=pytest.mark.postgres)],
                         indirect=True)
def test_the_last_national_admin_stays(session: Session) -> None:
    national = admin(session, "nacional_admin")
    me = national.user.id
    refused("last_admin", ua.set_active, session, national, me, False)
    refused("last_admin", ua.change_role, session, national, me, role="admin", scope_code="AGS")
    refused("last_admin", ua.change_role, session, national, me, role="nacional",
            scope_code="")
    other, _ = ua.create_user(session, national, username="segundo", role="admin",
                              scope_code="")
    ua.set_active(session, national, me, False)  # another national admin remains
    assert session.get(User, me).active is False  # type: ignore[union-attr]
    refused("last_admin", ua.set_active, session, ua.Admin(other, None), other.id, False)


def _open_session(s: Session, uid: uuid.UUID) -> None:
    s.add(WebSession(id_hash=uuid.uuid4().hex, user_id=uid, csrf_token="x",  # noqa: S106
                     expires_at=datetime.now(UTC) + timedelta(hours=1)))
    s.commit()


def test_disable_enable_and_reset_end_sessions_and_are_audited(session: Session) -> None:
    ags = admin(session, "admin_ags")
    target = user_id(session, "unidad_ags")
    _open_session(session, target)
    ua.set_active(session, ags, target, False)
    assert session.exec(select(WebSession).where(WebSession.user_id == target)).all() == []
    ua.set_active(session, ags, target, True)
    ua.change_role(session, ags, target, role="admin", scope_code="ASIMS000076")
    _open_session(session, target)
    user, password = ua.reset_password(session, ags, target)
    assert user.must_change_password and verify_password(user.password_hash, password)
    assert not verify_password(user.password_hash, PASSWORD)
    assert session.exec(select(WebSession).where(WebSession.user_id == target)).all() == []
    entries = session.exec(select(AuditLog).order_by(AuditLog.at)).all()
    assert [e.action for e in entries] == [ua.AUDIT_USER_DISABLE, ua.AUDIT_USER_ENABLE,
                                           ua.AUDIT_USER_CHANGE, ua.AUDIT_USER_RESET]
    assert entries[0].detail["before"]["active"] is True
    assert entries[0].detail["after"]["active"] is False
    assert entries[2].detail["before"] == {"role": "unidad", "scope": "ASIMS000076",
                                           "active": True}
    assert entries[2].detail["after"] == {"role": "admin", "scope": "ASIMS000076",
                                          "active": True}
    every = json.dumps([e.detail for e in entries])
    assert password not in every and PASSWORD not in every and "argon2" not in every


def test_choosing_ones_own_password(session: Session) -> None:
    ags = admin(session, "admin_ags")
    user, temporary = ua.create_user(session, ags, username="temporal", role="unidad",
                                     scope_code="ASIMS000039")
    for current, new, repeat, code in (
            ("equivocada", "nueva-clave-9", "nueva-clave-9", "current_wrong"),
            (temporary, "nueva-clave-9", "otra-clave-9", "password_mismatch"),
            (temporary, "", "", "password_empty"),
            (temporary, "corta", "corta", "password_short"),
            (temporary, "Temporal", "Temporal", "password_username"),
            (temporary, temporary, temporary, "password_same")):
        refused(code, ua.change_own_password, session, user.id, current=current, new=new,
                repeat=repeat)
    done = ua.change_own_password(session, user.id, current=temporary, new="nueva-clave-9",
                                  repeat="nueva-clave-9")
    assert not done.must_change_password and verify_password(done.password_hash,
                                                             "nueva-clave-9")


def test_audit_entries_written_elsewhere_take_their_branch(session: Session) -> None:
    nodes = {n.code: n for n in session.exec(select(OrgNode)).all()}
    bc_user = session.exec(select(User).where(User.username == "ooad_bc")).one()
    session.add(AuditLog(user_id=bc_user.id, username="ooad_bc", action="staff_import",
                         target_type="staff"))
    session.add(AuditLog(user_id=bc_user.id, username="ooad_bc", action="issue",
                         target_type="org_node", target_id=str(nodes["ASIMS000039-M1"].id)))
    session.add(AuditLog(username="cli", action="something"))
    session.commit()
    got = {e.action: (e.ooad_id, e.unit_id) for e in session.exec(select(AuditLog))}
    assert got == {"staff_import": (nodes["BC"].id, None),
                   "issue": (nodes["AGS"].id, nodes["ASIMS000039"].id),
                   "something": (None, None)}
