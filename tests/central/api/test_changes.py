"""Pull: cursor order, paging and scope (global + the kiosk's unit + the kiosk itself)."""

import uuid

from central.models import OrgNode
from central.services.changes import record_change
from tests.central.api.helpers import error
from tests.support.central import TestKiosk, case_record
from trato.protocol.wire import ChangeFeed, ChangeKind


def test_changes_are_paged_in_cursor_order_and_scoped(client, issue, db):
    mine = TestKiosk.enrol("http://testserver", issue("ASIMS000039"), client=client)
    neighbour = TestKiosk.enrol("http://testserver", issue("ASIMS000039"), client=client)
    elsewhere = TestKiosk.enrol("http://testserver", issue("BCIMS000039"), client=client)
    with db() as s:
        unit = s.get(OrgNode, uuid.UUID(mine.enrolment["unit"]["module_id"])).unit_id
        other_unit = s.get(OrgNode, uuid.UUID(elsewhere.enrolment["unit"]["module_id"])).unit_id
        for i in range(5):
            record_change(s, kind=ChangeKind.SETTINGS, key=f"global-{i}", data={"i": i})
            record_change(s, kind=ChangeKind.STAFF, key=f"unit-{i}", data={"i": i}, unit_id=unit)
            record_change(s, kind=ChangeKind.STAFF, key=f"other-{i}", data={"i": i},
                          unit_id=other_unit)
            record_change(s, kind=ChangeKind.SETTINGS, key=f"kiosk-{i}", data={"i": i},
                          kiosk_id=uuid.UUID(mine.kiosk_id))
        s.commit()

    def all_changes(kiosk: TestKiosk, limit: int) -> list[str]:
        keys, cursor, pages = [], 0, 0
        while True:
            response = kiosk.changes(cursor=cursor, limit=limit)
            assert response.status_code == 200, response.text
            feed = ChangeFeed.model_validate(response.json())
            cursors = [c.cursor for c in feed.changes]
            assert cursors == sorted(cursors) and all(c > cursor for c in cursors)
            keys += [c.key for c in feed.changes]
            cursor, pages = feed.next_cursor, pages + 1
            if not feed.has_more:
                return keys

    keys = all_changes(mine, limit=3)
    assert len(keys) == 15
    assert {k.split("-")[0] for k in keys} == {"global", "unit", "kiosk"}
    assert [k for k in keys if k.startswith("global")] == [f"global-{i}" for i in range(5)]
    neighbour_keys = all_changes(neighbour, limit=100)
    assert len(neighbour_keys) == 10 and not any(k.startswith("kiosk") for k in neighbour_keys)
    elsewhere_keys = all_changes(elsewhere, limit=2)
    assert {k.split("-")[0] for k in elsewhere_keys} == {"global", "other"}
    # past the end: nothing, cursor stays
    last = mine.changes(cursor=10**9).json()
    assert last == {"schema_version": 1, "changes": [], "next_cursor": 10**9, "has_more": False}


def test_case_status_reaches_every_kiosk_of_the_unit_only(client, issue):
    a = TestKiosk.enrol("http://testserver", issue("ASIMS000039"), client=client)
    b = TestKiosk.enrol("http://testserver", issue("ASIMS000039"), client=client)
    c = TestKiosk.enrol("http://testserver", issue("ASIMS000076"), client=client)
    case = case_record(1, unit_number=a.unit_number, kiosk_number=a.kiosk_number)
    assert a.push([case]).status_code == 200
    for kiosk, expected in ((a, 1), (b, 1), (c, 0)):
        feed = kiosk.changes().json()
        assert len([ch for ch in feed["changes"] if ch["kind"] == "case_status"]) == expected


def test_bad_pull_parameters_are_4xx(client, kiosk):
    for query in ("cursor=-1", "limit=0", "limit=100000", "cursor=1e3"):
        path = f"/api/v1/changes?{query}"
        error(client.get(path, headers=kiosk.signed_headers("GET", path, b"")), 422, "invalid")
    # signature covers the query: changing it after signing is refused
    headers = kiosk.signed_headers("GET", "/api/v1/changes?cursor=0", b"")
    error(client.get("/api/v1/changes?cursor=5", headers=headers), 401, "bad_signature")
