"""Change-feed appliers on a real SQLite store: versioned, idempotent, one transaction."""

from datetime import UTC, datetime
from uuid import uuid4

import pytest
from sqlmodel import select

from kiosk.storage.db import open_database
from kiosk.storage.models import (
    CaseStatus,
    CaseStatusChange,
    Catalogue,
    Instrument,
    KioskSetting,
    StaffMember,
)
from kiosk.sync.changes import apply_change
from trato.protocol.wire import Change, ChangeKind

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path):
    database = open_database(tmp_path / "kiosk.db").database
    yield database
    database.close()


def _apply(db, *changes: Change) -> list[bool]:
    with db.write() as s:
        return [apply_change(s, c, NOW) for c in changes]


def test_instrument_and_catalogue_keep_the_newest_version(db) -> None:
    _apply(db,
           Change(cursor=1, kind=ChangeKind.INSTRUMENT, key="std", version=2, data={"q": 2}),
           Change(cursor=2, kind=ChangeKind.INSTRUMENT, key="std", version=1, data={"q": 1}),
           Change(cursor=3, kind=ChangeKind.CATALOGUE, key="services", version=1,
                  data={"items": ["urgencias"]}))
    with db.read() as s:
        inst = s.get(Instrument, "std")
        assert (inst.version, inst.data) == (2, {"q": 2})
        assert s.get(Catalogue, "services").data == {"items": ["urgencias"]}


def test_case_status_applied_and_bad_data_skipped(db) -> None:
    case_id = uuid4()
    ok = _apply(db,
                Change(cursor=1, kind=ChangeKind.CASE_STATUS, key=str(case_id), version=1,
                       data={"case_id": str(case_id), "folio": "0123-01-000001",
                             "stage": "investigacion", "updated_at": NOW.isoformat(),
                             "resolution_due": "2027-02-01"}),
                Change(cursor=2, kind=ChangeKind.CASE_STATUS, key="x", version=1,
                       data={"stage": "nonsense"}))
    assert ok == [True, False]
    with db.read() as s:
        row = s.get(CaseStatus, case_id)
        assert (row.stage, row.resolution_due, row.folio) == (
            "investigacion", "2027-02-01", "0123-01-000001")


def test_each_new_stage_is_kept_for_the_timeline(db) -> None:
    """case_status_change: one row per stage the server reported (a replay, an older version
    or a change of deadlines only adds nothing)."""
    case_id = uuid4()

    def status(cursor: int, version: int, stage: str, hour: int, **more) -> Change:
        return Change(cursor=cursor, kind=ChangeKind.CASE_STATUS, key=str(case_id),
                      version=version, data={"case_id": str(case_id), "folio": "0123000001AB",
                                             "stage": stage, **more,
                                             "updated_at": NOW.replace(hour=hour).isoformat()})

    _apply(db, status(1, 1, "recepcion", 10), status(2, 2, "integracion", 11),
           status(3, 2, "integracion", 11), status(4, 1, "recepcion", 10),
           status(5, 3, "integracion", 12, resolution_due="2027-02-01"),
           status(6, 4, "investigacion", 13, resolution_due="2027-02-01"))
    with db.read() as s:
        steps = s.exec(select(CaseStatusChange).order_by(CaseStatusChange.id)).all()
        assert [(c.stage, c.changed_at.hour, c.version) for c in steps] == [
            ("recepcion", 10, 1), ("integracion", 11, 2), ("investigacion", 13, 4)]
        assert s.get(CaseStatus, case_id).resolution_due == "2027-02-01"


def test_staff_list_replaces_and_settings(db) -> None:
    _apply(db,
           Change(cursor=1, kind=ChangeKind.STAFF, key="a1", version=1,
                  data={"display_name": "Agente Uno", "role": "agente"}),
           Change(cursor=2, kind=ChangeKind.STAFF, key="staff", version=2,
                  data={"members": [{"id": "a2", "display_name": "Agente Dos"}]}),
           Change(cursor=3, kind=ChangeKind.SETTINGS, key="idle_seconds", version=1,
                  data={"value": 120}),
           Change(cursor=4, kind=ChangeKind.SETTINGS, key="*", version=2,
                  data={"theme": "dark", "idle_seconds": 90}))
    with db.read() as s:
        staff = {m.id: m.active for m in s.exec(select(StaffMember)).all()}
        assert staff == {"a1": False, "a2": True}
        assert s.get(KioskSetting, "idle_seconds").value == 90
        assert s.get(KioskSetting, "theme").value == "dark"
