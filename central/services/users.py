"""Board users: creation with a role and a branch of the hierarchy, and the password rule
both the command line and the web (:mod:`central.services.user_admin`) apply."""

from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from central.catalogue import find_node
from central.models import OrgLevel, OrgNode, Role, User
from central.security import hash_password

#: The organisation level a role's scope must be.
ROLE_SCOPE_LEVEL = {Role.OOAD: OrgLevel.OOAD, Role.UMAE: OrgLevel.UMAE, Role.UNIDAD: OrgLevel.UNIT}

#: The levels an agent's or an administrator's scope may be (none: the whole country).
AGENT_SCOPE_LEVELS = frozenset({OrgLevel.OOAD.value, OrgLevel.UMAE.value, OrgLevel.UNIT.value})
#: Roles whose branch is optional: an agent of the national 800 line, the national
#: administrator; with a branch, an OOAD's 800 line or a branch administrator.
OPTIONAL_SCOPE_ROLES = frozenset({Role.AGENTE, Role.ADMIN})

#: The password rule (``create-user`` and the web): at least this many characters.
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128


class UserError(ValueError):
    """A refused change; ``code`` names the reason (``users.error.<code>`` in the board's
    catalogue), ``values`` fill it, the message is for the command line."""

    def __init__(self, message: str, code: str = "invalid", **values: Any) -> None:
        super().__init__(message)
        self.code = code
        self.values = values


def check_password(password: str, *, username: str = "") -> None:
    """Raise :class:`UserError` unless ``password`` may be a board password."""
    if not password.strip():
        raise UserError("the password is empty", "password_empty")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters",
                        "password_short", n=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise UserError(f"the password has more than {MAX_PASSWORD_LENGTH} characters",
                        "password_long", n=MAX_PASSWORD_LENGTH)
    if username and password.strip().lower() == username.strip().lower():
        raise UserError("the password is the username", "password_username")


def parse_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise UserError(f"unknown role {role!r}", "role_unknown") from None


def scope_node(session: Session, role: str, scope_code: str | None) -> OrgNode | None:
    """The branch ``role`` is given with ``scope_code`` (None: the whole country), checked
    against the level the role needs."""
    role_enum = parse_role(role)
    code = (scope_code or "").strip()
    level = ROLE_SCOPE_LEVEL.get(role_enum)
    if role_enum in OPTIONAL_SCOPE_ROLES:
        if not code:
            return None
        node = find_node(session, code)
        if node is None or node.level not in AGENT_SCOPE_LEVELS:
            raise UserError(f"no OOAD, UMAE or unit with code {code!r}", "scope_unknown",
                            value=code)
        return node
    if level is None:  # nacional: the whole tree
        if code:
            raise UserError(f"role {role} has no branch", "scope_not_allowed")
        return None
    if not code:
        raise UserError(f"role {role} needs --scope (a {level.value} code)", "scope_needed")
    node = find_node(session, code)
    if node is None or node.level != level.value:
        raise UserError(f"no {level.value} with code {code!r}", "scope_level", value=code)
    return node


def create_or_update_user(session: Session, username: str, *, role: str, password: str,
                          scope_code: str | None = None, display_name: str = "") -> User:
    """Create the user, or update role/scope/password of an existing one; commits."""
    role_enum = parse_role(role)
    node = scope_node(session, role, scope_code)
    user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None:
        user = User(username=username, password_hash="",  # set just below  # nosec B106
                    role=role_enum.value)
    user.role = role_enum.value
    user.scope_id = node.id if node is not None else None
    user.display_name = display_name or user.display_name or username
    user.password_hash = hash_password(password)
    user.active = True
    user.must_change_password = False
    session.add(user)
    session.commit()
    session.refresh(user)
    return user
