"""The organisation catalogue: Nivel Central, OOAD, UMAE, units (CLUES) and modules.

``assets/catalogues/organisation.json`` (see :func:`default_catalogue_path`) looks like::

    {"version": 1,
     "nivel_central": {"code": "NC", "name": "Nivel Central"},
     "ooad": [{"code": "AGS", "name": "OOAD Aguascalientes", "state": "Aguascalientes"}],
     "umae": [{"code": "UMAE-HE-CMN-SXXI", "name": "…", "state": "…", "city": "…"}],
     "units": [{"clues": "ASIMS000015", "name": "UMF No. 1", "unit_type": "UMF",
                "ooad": "AGS", "unit_number": 1, "city": "Aguascalientes",
                "modules": [{"code": "ASIMS000015-M1", "name": "Módulo de Trato Digno 1"}]}]}

A unit belongs to an OOAD (``"ooad"``) or to a UMAE (``"umae"``). Loading is idempotent: nodes
are matched by (level, code), updated in place, never duplicated; units keep their folio
``unit_number`` once assigned.
"""

import json
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from central.models import OrgLevel, OrgNode

ROOT = Path(__file__).resolve().parents[1]


def default_catalogue_path() -> Path:
    return ROOT / "assets" / "catalogues" / "organisation.json"


def read_catalogue(path: Path | None = None) -> dict[str, Any]:
    return json.loads((path or default_catalogue_path()).read_text(encoding="utf-8"))


class CatalogueError(ValueError):
    pass


def _upsert(session: Session, cache: dict[tuple[str, str], OrgNode], level: OrgLevel,
            code: str, **values: Any) -> OrgNode:
    node = cache.get((level.value, code))
    if node is None:
        node = OrgNode(id=uuid.uuid4(), level=level.value, code=code, name=values["name"])
        cache[(level.value, code)] = node
    for key, value in values.items():
        if value is not None and getattr(node, key) != value:
            setattr(node, key, value)
    session.add(node)
    return node


def load_organisation(session: Session, data: dict[str, Any] | None = None) -> dict[str, int]:
    """Create or update the tree from ``data`` (default: the bundled catalogue); commits.
    Returns counts per level."""
    data = data if data is not None else read_catalogue()
    cache = {(n.level, n.code): n for n in session.execute(select(OrgNode)).scalars()}
    counts = {level.value: 0 for level in OrgLevel}
    nc_data = data.get("nivel_central") or {"code": "NC", "name": "Nivel Central"}
    nc = _upsert(session, cache, OrgLevel.NIVEL_CENTRAL, nc_data["code"], name=nc_data["name"])
    counts["nivel_central"] = 1
    session.flush()
    for level, key in ((OrgLevel.OOAD, "ooad"), (OrgLevel.UMAE, "umae")):
        for item in data.get(key, []):
            node = _upsert(session, cache, level, item["code"], name=item["name"],
                           parent_id=nc.id, state=item.get("state"), city=item.get("city"),
                           unit_type=item.get("unit_type"))
            session.flush()
            if level == OrgLevel.OOAD:
                node.ooad_id = node.id
            else:
                node.umae_id = node.id
            counts[level.value] += 1
    session.flush()
    used_numbers = {n.unit_number for n in cache.values() if n.unit_number is not None}
    next_number = int(session.execute(
        select(func.coalesce(func.max(OrgNode.unit_number), 0))).scalar_one()) + 1
    for item in data.get("units", []):
        clues = item["clues"].strip().upper()
        parent_key = ("ooad", item["ooad"]) if item.get("ooad") else ("umae", item.get("umae"))
        parent = cache.get(parent_key)  # type: ignore[arg-type]
        if parent is None:
            raise CatalogueError(f"unit {clues}: unknown parent {parent_key}")
        existing = cache.get((OrgLevel.UNIT.value, clues))
        number = existing.unit_number if existing and existing.unit_number else None
        if number is None:
            number = item.get("unit_number")
            if number is None or number in used_numbers:
                while next_number in used_numbers:
                    next_number += 1
                number = next_number
            used_numbers.add(number)
        unit = _upsert(session, cache, OrgLevel.UNIT, clues, name=item["name"],
                       parent_id=parent.id, clues=clues, unit_number=number,
                       unit_type=item.get("unit_type"), state=item.get("state", parent.state),
                       city=item.get("city"),
                       ooad_id=parent.id if parent.level == OrgLevel.OOAD.value else None,
                       umae_id=parent.id if parent.level == OrgLevel.UMAE.value else None)
        session.flush()
        unit.unit_id = unit.id
        counts["unit"] += 1
        modules = item.get("modules") or [{"code": f"{clues}-M1",
                                           "name": "Módulo de Trato Digno 1"}]
        for mod in modules:
            _upsert(session, cache, OrgLevel.MODULE, mod["code"], name=mod["name"],
                    parent_id=unit.id, unit_id=unit.id, ooad_id=unit.ooad_id,
                    umae_id=unit.umae_id)
            counts["module"] += 1
        session.flush()
    session.commit()
    return counts


def find_node(session: Session, code: str) -> OrgNode | None:
    """A node by code (OOAD/UMAE code, CLUES, module code); the first level that matches."""
    return session.execute(
        select(OrgNode).where(OrgNode.code == code.strip()).order_by(OrgNode.level)
    ).scalars().first()


def publish_bundled_configuration(session: Session) -> dict[str, int]:
    """Publish the bundled survey instruments and catalogues (services, case categories) to
    the kiosks through the change feed; a version already published is skipped. Commits."""
    from central.models import Catalogue, Instrument
    from central.services.changes import publish_catalogue, publish_instrument

    counts = {"instruments": 0, "catalogues": 0}
    for path in sorted((ROOT / "assets" / "instruments").glob("*/v*.json")):
        definition = json.loads(path.read_text(encoding="utf-8"))
        key = (definition["id"], int(definition["version"]))
        if session.get(Instrument, key) is None:
            publish_instrument(session, Instrument(
                instrument_id=key[0], version=key[1], title=definition.get("title", ""),
                definition=definition))
            counts["instruments"] += 1
    for name in ("services", "case_categories"):
        path = ROOT / "assets" / "catalogues" / f"{name}.json"
        if not path.exists():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        version = int(data.get("version", 1))
        if session.get(Catalogue, (name, version)) is None:
            publish_catalogue(session, Catalogue(name=name, version=version, data=data))
            counts["catalogues"] += 1
    session.commit()
    return counts
