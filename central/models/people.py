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


AUDIT_OPEN_PERSONAL = "open_personal"
