"""This kiosk's identity, the server's settings and the sync state, on a real SQLite file."""

import uuid
from datetime import timedelta

from nacl.public import PrivateKey

from kiosk.storage import identity as store
from kiosk.storage.db import Database
from kiosk.storage.models import KioskIdentity
from tests.kiosk.storage.factories import START, make_enrolment
from trato.protocol.sealing import public_key_b64
from trato.protocol.wire import EnrolmentResponse


def _save(database: Database, enrolment: EnrolmentResponse, **kw: object) -> KioskIdentity:
    with database.write() as session:
        return store.save_identity(session, enrolment=enrolment, **kw)  # type: ignore[arg-type]


def _current(database: Database) -> KioskIdentity | None:
    with database.read() as session:
        return store.get_identity(session)


def test_save_identity_and_re_enrolment(database: Database) -> None:
    key = public_key_b64(PrivateKey.generate())
    assert _current(database) is None
    saved = _save(database, make_enrolment(key), server_url="https://central.example.mx")
    assert saved.enrolled_at == START
    identity = _current(database)
    assert identity is not None
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
    _save(database, make_enrolment(key, kiosk_number=9), server_url="https://c2.example.mx",
          now=later)
    identity = _current(database)
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
    _save(database, make_enrolment(public_key_b64(PrivateKey.generate())),
          server_url="https://x.mx")
    identity = _current(database)
    assert identity is not None and isinstance(identity.kiosk_id, uuid.UUID)
