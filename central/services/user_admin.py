"""Board users managed on the web (``/usuarios``): an administrator creates users, disables
and enables them, changes their role and branch, and resets their passwords, all within their
own branch, and each change is written to the audit log with what it was and what it became.

* An administrator with a branch (``scope_id``) is a branch administrator; without one, the
  national administrator. Nobody grants a role or a branch wider than their own: a branch
  administrator only places users inside the branch, never gives ``nacional`` or a role
  without a branch.
* A new user and a reset password get a temporary password, shown once to the administrator,
  and must choose their own at the next sign-in (``must_change_password``).
* Disabling a user or resetting the password ends the user's open sessions at once.
* The last active national administrator can never be disabled nor given a branch or
  another role.
"""

import secrets
import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from central.models import AuditLog, OrgLevel, OrgNode, Role, User
from central.security import hash_password, verify_password
from central.services.users import UserError, check_password, parse_role, scope_node

AUDIT_USER_CREATE = "user_create"
AUDIT_USER_DISABLE = "user_disable"
AUDIT_USER_ENABLE = "user_enable"
AUDIT_USER_CHANGE = "user_change"
AUDIT_USER_RESET = "user_password_reset"
AUDIT_PASSWORD_CHANGED = "password_changed"  # noqa: S105  # nosec B105 - an action name
#: Every action of this module, as the audit page's filter lists them.
USER_ACTIONS = (AUDIT_USER_CREATE, AUDIT_USER_DISABLE, AUDIT_USER_ENABLE, AUDIT_USER_CHANGE,
                AUDIT_USER_RESET, AUDIT_PASSWORD_CHANGED)

_LEVEL_COLUMN = {OrgLevel.OOAD.value: "ooad_id", OrgLevel.UMAE.value: "umae_id",
                 OrgLevel.UNIT.value: "unit_id"}
#: A temporary password: no letters that read alike (0/O, 1/l/I), in groups of four.
_ALPHABET = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY3479"


def temporary_password() -> str:
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(3))


@dataclass(frozen=True)
class Admin:
    """The administrator acting, with their branch (None: national)."""

    user: User
    branch: OrgNode | None

    def contains(self, node: OrgNode | None) -> bool:
        if self.branch is None:
            return True
        if node is None:
            return False
        column = _LEVEL_COLUMN.get(self.branch.level)
        return node.id == self.branch.id or (
            column is not None and getattr(node, column) == self.branch.id)


def admin_for(session: Session, user: User) -> Admin:
    """``user`` as an acting administrator; UserError when they are not one."""
    if user.role != Role.ADMIN.value or not user.active:
        raise UserError("only an active administrator manages users", "not_admin")
    branch = session.get(OrgNode, user.scope_id) if user.scope_id is not None else None
    return Admin(user, branch)


def users_in_branch(session: Session, admin: Admin, *, search: str = "", limit: int = 200
                    ) -> tuple[list[tuple[User, OrgNode | None]], int]:
    """The users the administrator manages (those whose username or name contains
    ``search``), with their branch node, by username, at most ``limit``; and how many match."""
    where = [sa.true()]
    if admin.branch is not None:
        column = _LEVEL_COLUMN.get(admin.branch.level, "unit_id")
        where.append(sa.or_(OrgNode.id == admin.branch.id,
                            getattr(OrgNode, column) == admin.branch.id))
    if search.strip():
        like = f"%{search.strip().lower()}%"
        where.append(sa.or_(sa.func.lower(User.username).like(like),
                            sa.func.lower(User.display_name).like(like)))
    joined = select(User, OrgNode).outerjoin(OrgNode, OrgNode.id == User.scope_id).where(*where)
    total = session.exec(select(sa.func.count()).select_from(joined.subquery())).one()
    rows = session.exec(joined.order_by(User.username).limit(limit)).all()
    return list(rows), int(total)


def _target(session: Session, admin: Admin, user_id: Any) -> tuple[User, OrgNode | None]:
    """The user ``user_id`` inside the administrator's branch; one answer for unknown and
    outside (never say whether a user exists elsewhere)."""
    try:
        key = user_id if isinstance(user_id, uuid.UUID) else uuid.UUID(str(user_id))
    except ValueError:
        raise UserError("no such user", "user_unknown") from None
    user = session.get(User, key)
    node = session.get(OrgNode, user.scope_id) if user and user.scope_id else None
    if user is None or not admin.contains(node):
        raise UserError("no such user", "user_unknown")
    return user, node


def _placed(session: Session, admin: Admin, role: str, scope_code: str | None
            ) -> tuple[Role, OrgNode | None]:
    """The role and branch a user is given, refused when wider than the administrator's."""
    role_enum = parse_role(role)
    node = scope_node(session, role_enum.value, scope_code)
    if not admin.contains(node):
        if node is None:
            raise UserError("a branch administrator gives a branch", "scope_wider")
        raise UserError("the branch is outside the administrator's", "scope_outside",
                        value=node.code)
    return role_enum, node


def _snapshot(user: User, node: OrgNode | None) -> dict[str, Any]:
    return {"role": user.role, "scope": node.code if node else "", "active": user.active}


def _audit(session: Session, admin: Admin, action: str, user: User, **detail: Any) -> None:
    session.add(AuditLog(user_id=admin.user.id, username=admin.user.username, action=action,
                         target_type="user", target_id=str(user.id),
                         detail={"username": user.username, **detail}))


#: The board's sessions (:class:`central.web.models.WebSession`), named by table: the web
#: side imports the services, never the other way round.
_WEB_SESSION = sa.table("web_session", sa.column("user_id", sa.Uuid()))


def _end_sessions(session: Session, user: User) -> None:
    session.execute(sa.delete(_WEB_SESSION).where(_WEB_SESSION.c.user_id == user.id))


def _keep_a_national_admin(session: Session, user: User) -> None:
    """Refuse a change that would leave no active national administrator. The rows of the
    national administrators are locked in one order (PostgreSQL; SQLite's write session
    already runs one writer at a time), so two administrators disabling each other at the
    same moment cannot both succeed."""
    if user.role != Role.ADMIN.value or user.scope_id is not None or not user.active:
        return
    national = session.exec(select(User.id).where(
        User.role == Role.ADMIN.value, User.scope_id.is_(None),  # type: ignore[union-attr]
        User.active == sa.true()).order_by(User.id).with_for_update()).all()
    if all(i == user.id for i in national):
        raise UserError("the last active national administrator stays", "last_admin")


def create_user(session: Session, admin: Admin, *, username: str, role: str,
                scope_code: str | None, display_name: str = "") -> tuple[User, str]:
    """A new user with a temporary password (returned, shown once); commits."""
    name = username.strip()
    if not name:
        raise UserError("the username is empty", "username_empty")
    if len(name) > 150 or any(c.isspace() for c in name):
        raise UserError("the username has spaces or is too long", "username_bad")
    role_enum, node = _placed(session, admin, role, scope_code)
    taken = session.exec(select(User.id).where(sa.func.lower(User.username) == name.lower()))
    if taken.first() is not None:
        raise UserError(f"user {name!r} exists", "username_taken", username=name)
    password = temporary_password()
    user = User(username=name, display_name=display_name.strip()[:200] or name,
                password_hash=hash_password(password), role=role_enum.value,
                scope_id=node.id if node else None, must_change_password=True)
    session.add(user)
    session.flush()
    _audit(session, admin, AUDIT_USER_CREATE, user, after=_snapshot(user, node),
           display_name=user.display_name)
    session.commit()
    return user, password


def set_active(session: Session, admin: Admin, user_id: Any, active: bool) -> User:
    """Disable (its sessions end now) or enable a user of the branch; commits."""
    user, node = _target(session, admin, user_id)
    if user.active == active:
        return user
    if not active:
        _keep_a_national_admin(session, user)
        _end_sessions(session, user)
    before = _snapshot(user, node)
    user.active = active
    session.add(user)
    _audit(session, admin, AUDIT_USER_ENABLE if active else AUDIT_USER_DISABLE, user,
           before=before, after=_snapshot(user, node))
    session.commit()
    return user


def change_role(session: Session, admin: Admin, user_id: Any, *, role: str,
                scope_code: str | None) -> User:
    """Give a user of the branch another role and/or branch (never wider than the
    administrator's own); commits."""
    user, node = _target(session, admin, user_id)
    role_enum, new_node = _placed(session, admin, role, scope_code)
    if role_enum.value == user.role and (new_node.id if new_node else None) == user.scope_id:
        return user
    if role_enum != Role.ADMIN or new_node is not None:
        _keep_a_national_admin(session, user)
    before = _snapshot(user, node)
    user.role = role_enum.value
    user.scope_id = new_node.id if new_node else None
    session.add(user)
    _audit(session, admin, AUDIT_USER_CHANGE, user, before=before,
           after=_snapshot(user, new_node))
    session.commit()
    return user


def reset_password(session: Session, admin: Admin, user_id: Any) -> tuple[User, str]:
    """A new temporary password for a user of the branch (returned, shown once); the
    user's sessions end and they choose their own at the next sign-in; commits."""
    user, _node = _target(session, admin, user_id)
    password = temporary_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    session.add(user)
    _end_sessions(session, user)
    _audit(session, admin, AUDIT_USER_RESET, user)
    session.commit()
    return user, password


def change_own_password(session: Session, user_id: uuid.UUID, *, current: str, new: str,
                        repeat: str) -> User:
    """The signed-in user replaces their (temporary) password; commits. Slow: one or two
    password hashes, run it off the event loop."""
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise UserError("no such user", "user_unknown")
    if not verify_password(user.password_hash, current):
        raise UserError("the current password is wrong", "current_wrong")
    if new != repeat:
        raise UserError("the passwords differ", "password_mismatch")
    check_password(new, username=user.username)
    if new == current:
        raise UserError("the new password is the old one", "password_same")
    user.password_hash = hash_password(new)
    user.must_change_password = False
    session.add(user)
    session.add(AuditLog(user_id=user.id, username=user.username,
                         action=AUDIT_PASSWORD_CHANGED, target_type="user",
                         target_id=str(user.id), detail={"username": user.username}))
    session.commit()
    return user
