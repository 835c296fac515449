"""The bundled organisation catalogue and its idempotent loading."""

from pathlib import Path

from sqlalchemy import func, select
from sqlmodel import Session

from central.catalogue import load_organisation, publish_bundled_configuration, read_catalogue
from central.db import make_engine
from central.migrations import upgrade_to_head
from central.models import ChangeLog, Instrument, OrgLevel, OrgNode


def test_bundled_catalogue_has_the_imss_structure():
    data = read_catalogue()
    assert len(data["ooad"]) == 35
    assert len(data["umae"]) == 25
    names = {o["name"] for o in data["ooad"]}
    for split in (
        "Ciudad de México Norte",
        "Ciudad de México Sur",
        "Estado de México Oriente",
        "Estado de México Poniente",
        "Veracruz Norte",
        "Veracruz Sur",
    ):
        assert f"OOAD {split}" in names
    clues = [u["clues"] for u in data["units"]]
    assert len(clues) == len(set(clues))
    assert all(len(c) == 11 and c[2:5] == "IMS" and c[5:].isdigit() for c in clues)
    numbers = [u["unit_number"] for u in data["units"]]
    assert len(numbers) == len(set(numbers))


def test_loading_twice_changes_nothing(tmp_path: Path):
    engine = make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    upgrade_to_head(engine)
    try:
        with Session(engine) as s:
            first = load_organisation(s)
            ids = {
                (n.level, n.code): (n.id, n.unit_number)
                for n in s.execute(select(OrgNode)).scalars()
            }
            publish_bundled_configuration(s)
            changes = s.execute(select(func.count()).select_from(ChangeLog)).scalar_one()
        with Session(engine) as s:
            second = load_organisation(s)
            publish_bundled_configuration(s)
            again = {
                (n.level, n.code): (n.id, n.unit_number)
                for n in s.execute(select(OrgNode)).scalars()
            }
            assert s.execute(select(func.count()).select_from(ChangeLog)).scalar_one() == changes
            assert s.execute(select(Instrument)).scalars().first() is not None
            unit = (
                s.execute(select(OrgNode).where(OrgNode.level == OrgLevel.UNIT.value))
                .scalars()
                .first()
            )
            assert unit.unit_id == unit.id and (unit.ooad_id or unit.umae_id)
        assert first == second
        assert first["ooad"] == 35 and first["umae"] == 25 and first["nivel_central"] == 1
        assert ids == again
    finally:
        engine.dispose()
