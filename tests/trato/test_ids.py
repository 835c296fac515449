"""Record ids are RFC 9562 version-7 UUIDs: time first, unique, random in the rest."""

import uuid

from trato.domain.ids import new_record_id


def test_ids_are_version_7_and_sort_by_time() -> None:
    a, b = new_record_id(1_700_000_000_000), new_record_id(1_700_000_000_001)
    assert a.version == 7 and a.variant == uuid.RFC_4122
    assert a < b  # a later millisecond sorts after, whatever the random bits
    assert a.int >> 80 == 1_700_000_000_000


def test_ids_made_in_the_same_millisecond_differ() -> None:
    ids = {new_record_id(1_700_000_000_000) for _ in range(10_000)}
    assert len(ids) == 10_000


def test_a_new_id_carries_the_current_time() -> None:
    import time

    before = time.time_ns() // 1_000_000
    made = new_record_id()
    assert before <= made.int >> 80 <= time.time_ns() // 1_000_000
