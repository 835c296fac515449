"""The fields of a record kind (:mod:`trato.records`) as table columns, for both databases.

Each side makes its tables from the same field list: ``record_columns(CaseFields, ...)`` is a
SQLModel base holding every field of :class:`~trato.records.CaseFields` as a column, whose type
follows from the field's type and bounds (:func:`column_type`); the kiosk's and the central
server's tables inherit it and add their own columns. A new field therefore needs no column
declaration anywhere. Only the wire's own module stays free of database libraries: this one is
imported by the two storage layers, never by :mod:`trato.protocol.wire`.
"""

import types
import typing
import uuid
from datetime import datetime
from enum import Enum
from typing import Any

import annotated_types
import sqlalchemy as sa
from pydantic import AwareDatetime, BaseModel
from pydantic.fields import FieldInfo
from sqlmodel import Field, SQLModel

#: Bounded text up to this length is ``VARCHAR(n)``, longer free text ``TEXT``.
LONGEST_VARCHAR = 500
#: An integer bounded below this fits a 32-bit ``INTEGER`` on every engine.
INT32_MAX = 2**31 - 1


def _bound(info: FieldInfo, kind: type) -> Any:
    """A constraint of the field (``MaxLen``, ``Le``), also when it sits inside ``X | None``."""
    found = list(info.metadata)
    for arg in typing.get_args(info.annotation):
        for meta in getattr(arg, "__metadata__", ()):
            found.extend(meta.metadata if isinstance(meta, FieldInfo) else [meta])
    return next((meta for meta in found if isinstance(meta, kind)), None)


def _python_type(annotation: Any) -> Any:
    """``X`` of ``X``, ``X | None`` or ``Annotated[X, ...]``; ``list``/``dict`` for generics."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return _python_type(args[0])
    if typing.get_origin(annotation) is typing.Annotated:
        return _python_type(args[0])
    return typing.get_origin(annotation) or annotation


def column_type(info: FieldInfo, *, big_integers: bool) -> Any:
    """The SQL type of a record field: enumerations as their string value (``VARCHAR(32)``),
    bounded text as ``VARCHAR(n)`` up to :data:`LONGEST_VARCHAR` and ``TEXT`` beyond, lists and
    mappings as JSON, moments as timezone-aware timestamps, integers as ``BIGINT`` where a
    kiosk may send any 64-bit value (``big_integers``) unless bounded to 32 bits."""
    kind = _python_type(info.annotation)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return sa.String(32)
    if kind is str:
        longest = _bound(info, annotated_types.MaxLen)
        if longest is not None and longest.max_length <= LONGEST_VARCHAR:
            return sa.String(longest.max_length)
        return sa.Text()
    if kind is bool:
        return sa.Boolean()
    if kind is int:
        top = _bound(info, annotated_types.Le)
        return sa.BigInteger() if big_integers and (top is None or top.le > INT32_MAX) \
            else sa.Integer()
    if kind in (list, dict):
        return sa.JSON()
    if kind is uuid.UUID:
        return sa.Uuid()
    if kind in (datetime, AwareDatetime):  # each side passes its own aware UTC ``sa_type``
        return sa.DateTime(timezone=True)
    raise TypeError(f"no column type for a field of type {info.annotation!r}")


def record_columns(fields: type[BaseModel], *, big_integers: bool,
                   **columns: dict[str, Any]) -> Any:
    """A SQLModel base (not a table) with every field of ``fields`` as a column.

    ``columns`` adds column options to some fields by name, e.g. ``folio={"unique": True}``
    or a ``sa_type`` a table has kept since its first migration."""
    unknown = set(columns) - set(fields.model_fields)
    if unknown:
        raise TypeError(f"{fields.__name__} has no field {sorted(unknown)}")
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {"__module__": fields.__module__,
                                 "__doc__": f"The fields of {fields.__name__} as columns."}
    for name, info in fields.model_fields.items():
        options: dict[str, Any] = {"sa_type": column_type(info, big_integers=big_integers)}
        if info.default_factory is not None:
            options["default_factory"] = info.default_factory
        elif not info.is_required():
            options["default"] = info.default
        options.update(columns.get(name, {}))
        annotations[name] = info.annotation
        namespace[name] = Field(**options)
    namespace["__annotations__"] = annotations
    return type(SQLModel)(f"{fields.__name__}Columns", (SQLModel,), namespace)
