"""Board users: creation with a role and a branch of the hierarchy."""

from sqlalchemy import select
from sqlmodel import Session

from central.catalogue import find_node
from central.models import OrgLevel, Role, User
from central.security import hash_password

#: The organisation level a role's scope must be.
ROLE_SCOPE_LEVEL = {Role.OOAD: OrgLevel.OOAD, Role.UMAE: OrgLevel.UMAE, Role.UNIDAD: OrgLevel.UNIT}

#: The levels an agent's scope may be.
AGENT_SCOPE_LEVELS = frozenset({OrgLevel.OOAD.value, OrgLevel.UMAE.value, OrgLevel.UNIT.value})


class UserError(ValueError):
    pass


def create_or_update_user(session: Session, username: str, *, role: str, password: str,
                          scope_code: str | None = None, display_name: str = "") -> User:
    """Create the user, or update role/scope/password of an existing one; commits."""
    role_enum = Role(role)
    scope_id = None
    level = ROLE_SCOPE_LEVEL.get(role_enum)
    if role_enum == Role.AGENTE and scope_code:
        # An agent works at any level of the tree (an OOAD's 800 line, a unit's desk); without
        # a scope, for the whole country.
        node = find_node(session, scope_code)
        if node is None or node.level not in AGENT_SCOPE_LEVELS:
            raise UserError(f"no OOAD, UMAE or unit with code {scope_code!r}")
        scope_id = node.id
    elif level is not None:
        if not scope_code:
            raise UserError(f"role {role} needs --scope (a {level.value} code)")
        node = find_node(session, scope_code)
        if node is None or node.level != level.value:
            raise UserError(f"no {level.value} with code {scope_code!r}")
        scope_id = node.id
    user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None:
        user = User(username=username, password_hash="",  # set just below  # nosec B106
                    role=role_enum.value)
    user.role = role_enum.value
    user.scope_id = scope_id
    user.display_name = display_name or user.display_name or username
    user.password_hash = hash_password(password)
    user.active = True
    session.add(user)
    session.commit()
    session.refresh(user)
    return user
