"""Clock, notifier, masks and the identity store."""

import logging
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from nacl.public import PrivateKey

from kiosk.clock import FixedClock, SystemClock
from kiosk.services.drafts import PersonalData
from kiosk.services.identity import IdentityService
from kiosk.services.masking import mask_email, mask_name, mask_personal, mask_tail
from kiosk.services.notify import Level, Notice, Notifier
from kiosk.storage import identity as store
from kiosk.storage.db import Database
from tests.kiosk.storage.factories import START, make_enrolment
from trato.protocol.sealing import public_key_b64


def test_system_clock_is_aware_utc_and_monotonic() -> None:
    clock = SystemClock()
    now = clock.now()
    assert now.tzinfo == UTC
    assert abs(now - datetime.now(UTC)) < timedelta(seconds=5)
    a = clock.monotonic()
    assert clock.monotonic() >= a


def test_fixed_clock_moves_only_when_told() -> None:
    clock = FixedClock(START)
    assert clock.now() == START and clock.now() == START
    m = clock.monotonic()
    assert clock.advance(90) == START + timedelta(seconds=90)
    assert clock.advance(minutes=1) == START + timedelta(seconds=150)
    assert clock.monotonic() == m + 150
    clock.set(START - timedelta(days=365))  # a kiosk clock corrected backwards
    assert clock.now() == START - timedelta(days=365) and clock.monotonic() == m + 150
    with pytest.raises(ValueError):
        clock.advance(-1)
    with pytest.raises(ValueError):
        clock.set(datetime(2026, 1, 1))
    with pytest.raises(ValueError):
        FixedClock(datetime(2026, 1, 1))
    other = FixedClock(datetime(2026, 1, 1, 12, tzinfo=timezone(timedelta(hours=-6))))
    assert other.now().tzinfo == UTC and other.now().hour == 18
    assert FixedClock().now().tzinfo == UTC


def test_notifier_fans_out_and_survives_a_failing_listener(
    caplog: pytest.LogCaptureFixture,
) -> None:
    notifier = Notifier()
    seen: list[Notice] = []

    def broken(_notice: Notice) -> None:
        raise RuntimeError("listener bug")

    notifier.subscribe(broken)
    unsubscribe = notifier.subscribe(seen.append)
    with caplog.at_level(logging.INFO):
        notice = notifier.warning("sync_backlog", count=12)
        notifier.info("hello")
        notifier.error("storage_full")
    assert notice == Notice(Level.WARNING, "sync_backlog", {"count": 12})
    assert [n.code for n in seen] == ["sync_backlog", "hello", "storage_full"]
    assert [n.level for n in seen] == [Level.WARNING, Level.INFO, Level.ERROR]
    assert "notification listener failed" in caplog.text
    unsubscribe()
    unsubscribe()  # twice is harmless
    notifier.info("after")
    assert len(seen) == 3


def test_masks() -> None:
    assert mask_name("María Guadalupe Gómez") == "María G."
    assert mask_name("  Ana  ") == "A."
    assert mask_name("") == ""
    assert mask_tail("123-456 78903", visible=3) == "••••••••903"
    assert mask_tail("12", visible=3) == "•2"
    assert mask_tail("  ", visible=3) == ""
    assert mask_email("ana.perez@imss.gob.mx") == "a•••@imss.gob.mx"
    assert mask_email("no-at-sign") == "•••"
    assert mask_personal(None) == {}
    assert mask_personal(PersonalData()) == {}
    assert mask_personal(PersonalData(phone="55 1234 5678")) == {"phone": "••••••5678"}


def test_save_identity_and_re_enrolment(database: Database) -> None:
    key = public_key_b64(PrivateKey.generate())
    service = IdentityService(database)
    assert service.current() is None and not service.is_enrolled()
    saved = service.save(make_enrolment(key), server_url="https://central.example.mx")
    assert saved.enrolled_at == START
    identity = service.current()
    assert identity is not None and service.is_enrolled()
    assert identity.unit_config() == make_enrolment(key).unit
    assert identity.sealing_public_key == key
    assert identity.server_url == "https://central.example.mx"
    assert not identity.revoked
    with database.write() as session:
        assert store.get_setting(session, key="retention_days") == 30
        assert store.get_setting(session, key="missing", default="x") == "x"
        revoked = store.mark_revoked(session, now=START + timedelta(days=1), reason="robado")
        assert revoked is not None and revoked.revoked
        again = store.mark_revoked(session, now=START + timedelta(days=2), reason="robado 2")
        assert again is not None and again.revoked_at == START + timedelta(days=1)
    # Re-enrolment (new kiosk number) replaces the identity and clears the revocation.
    later = START + timedelta(days=3)
    service.save(make_enrolment(key, kiosk_number=9), server_url="https://c2.example.mx", now=later)
    identity = service.current()
    assert identity is not None
    assert identity.kiosk_number == 9 and identity.enrolled_at == later
    assert identity.revoked_at is None and identity.revoked_reason is None


def test_mark_revoked_before_enrolment_is_a_no_op(database: Database) -> None:
    with database.write() as session:
        assert store.mark_revoked(session, now=START, reason="x") is None


def test_settings_from_the_server_keep_the_newest_version(database: Database) -> None:
    with database.write() as session:
        store.put_setting(session, key="idle", value=60, version=2, now=START)
        store.put_setting(session, key="idle", value=30, version=1, now=START)  # older: ignored
        assert store.get_setting(session, key="idle") == 60
        store.put_setting(session, key="idle", value={"s": 90}, version=3, now=START)
        assert store.get_setting(session, key="idle") == {"s": 90}


def test_sync_state_row(database: Database) -> None:
    with database.read() as session:
        blank = store.read_sync_state(session)
        assert blank.pull_cursor == 0 and blank.last_success_at is None
    with database.write() as session:
        state = store.get_sync_state(session)
        state.pull_cursor = 7
        state.last_success_at = START
        session.add(state)
    with database.write() as session:
        assert store.get_sync_state(session).pull_cursor == 7
    with database.read() as session:
        assert store.read_sync_state(session).last_success_at == START


def test_kiosk_id_is_a_uuid(database: Database) -> None:
    IdentityService(database).save(
        make_enrolment(public_key_b64(PrivateKey.generate())), server_url="https://x.mx"
    )
    identity = IdentityService(database).current()
    assert identity is not None and isinstance(identity.kiosk_id, uuid.UUID)
