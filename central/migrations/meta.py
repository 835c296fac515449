"""What the migrations compare against: the models' metadata and comparison rules."""

import importlib
import importlib.util
from typing import Any

from sqlalchemy import MetaData
from sqlmodel import SQLModel


def target_metadata() -> MetaData:
    importlib.import_module("central.models")
    if importlib.util.find_spec("central.web.models") is not None:
        importlib.import_module("central.web.models")
    return SQLModel.metadata


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
                   ) -> bool:
    return not (type_ == "table" and name == "alembic_version")


def compare_type(ctx: Any, inspected_column: Any, metadata_column: Any, inspected_type: Any,
                 metadata_type: Any) -> bool | None:
    # SQLite keeps no time zone flag on DATETIME; the decorator handles UTC itself.
    if ctx.dialect.name == "sqlite":
        from sqlalchemy import DateTime

        impl = getattr(metadata_type, "impl", metadata_type)
        if isinstance(impl, DateTime) and isinstance(inspected_type, DateTime):
            return False
    return None  # default comparison


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Render project column types as plain SQLAlchemy types in migration scripts."""
    if type_ != "type":
        return False
    from sqlmodel.sql.sqltypes import AutoString

    from central.db import UtcDateTime

    if isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    if isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    return False
