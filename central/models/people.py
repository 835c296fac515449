"""The people of the board: users with their role and scope, and the audit log."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlmodel import Field, SQLModel

from central.db import utcnow
from central.models.columns import json_field, string, timestamp


class Role(StrEnum):
    ADMIN = "admin"  # everything, plus users and kiosks
    NACIONAL = "nacional"  # Nivel Central committee: the whole tree
    OOAD = "ooad"  # one OOAD's branch
    UMAE = "umae"  # one UMAE's branch
    UNIDAD = "unidad"  # one unit (its module staff and managers)
    #: A call-centre (800 line) or desk agent: registers cases by phone or at a module without
    #: a kiosk, in its branch (any level; none = the whole country), and follows them.
    AGENTE = "agente"


class User(SQLModel, table=True):
    """A board user; sees only the branch under ``scope_id`` (none for admin/nacional)."""

    __tablename__ = "app_user"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    username: str = string(150, unique=True)
    display_name: str = string(200, default="")
    password_hash: str = string(255)
    role: str = string(16)  # Role
    scope_id: uuid.UUID | None = Field(default=None, foreign_key="org_node.id")
    active: bool = True
    #: Set when an administrator gave a temporary password (new user, reset): every page
    #: sends the user to ``/contrasena`` until they choose their own.
    must_change_password: bool = False
    created_at: datetime = timestamp(default_factory=utcnow)
    last_login_at: datetime | None = timestamp(default=None)


class AuditLog(SQLModel, table=True):
    """Who did what to which target; every opening of sealed personal data writes one."""

    __tablename__ = "audit_log"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id", index=True)
    username: str = string(150, default="")
    action: str = string(64, index=True)
    target_type: str = string(32, default="")
    target_id: str = string(64, default="", index=True)
    at: datetime = timestamp(default_factory=utcnow, index=True)
    detail: dict[str, Any] = json_field(default_factory=dict)
    #: The branch the entry belongs to (a branch administrator reads only its own), filled
    #: on insert from the target case, kiosk or user, else the actor's scope
    #: (:mod:`central.models.audit_branch`); all none = Nivel Central.
    ooad_id: uuid.UUID | None = None
    umae_id: uuid.UUID | None = None
    unit_id: uuid.UUID | None = None


AUDIT_OPEN_PERSONAL = "open_personal"
