"""Passwords, the sealing key and the audited opening of personal data."""

import os
import stat
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import Session

from central.keys import key_path, load_or_create_sealing_key, sealing_public_key_b64
from central.models import AuditLog, Case, User
from central.security import (
    PersonalDataUnavailable,
    hash_password,
    open_personal,
    verify_password,
)
from central.settings import CentralSettings
from tests.support.central import case_record
from trato.protocol.sealing import seal_json


def test_passwords_are_argon2_and_verify():
    hashed = hash_password("correcto caballo batería")
    assert hashed.startswith("$argon2")
    assert verify_password(hashed, "correcto caballo batería")
    assert not verify_password(hashed, "otra")
    assert not verify_password("not-a-hash", "otra")


def test_sealing_key_is_created_once_private_and_stable(tmp_path: Path):
    settings = CentralSettings(data_dir=tmp_path)
    first = load_or_create_sealing_key(settings)
    path = key_path(settings)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert sealing_public_key_b64(load_or_create_sealing_key(settings)) == \
        sealing_public_key_b64(first)


def test_open_personal_returns_the_data_and_writes_an_audit_row(kiosk, db, central_app):
    public = central_app.state.sealing_public_key
    personal = {"name": "Rosa Martínez López", "nss": "12345678903"}
    record = case_record(1, unit_number=kiosk.unit_number, kiosk_number=kiosk.kiosk_number,
                         sealed=seal_json(public, personal))
    no_data = case_record(2, unit_number=kiosk.unit_number, kiosk_number=kiosk.kiosk_number)
    assert kiosk.push([record, no_data]).status_code == 200
    with db() as s:
        user = User(username="ana", password_hash=hash_password("x" * 10), role="nacional")
        s.add(user)
        s.commit()
        case = s.get(Case, uuid.UUID(record["id"]))
        opened = open_personal(case, user, s, private_key=central_app.state.sealing_key,
                               reason="seguimiento")
        assert opened == personal
        other = s.get(Case, uuid.UUID(no_data["id"]))
        with pytest.raises(PersonalDataUnavailable):
            open_personal(other, user, s, private_key=central_app.state.sealing_key)
    with Session(central_app.state.engine) as s:
        rows = s.execute(select(AuditLog).order_by(AuditLog.at)).scalars().all()
        assert [(r.action, r.username, r.detail["result"]) for r in rows] == [
            ("open_personal", "ana", "opened"), ("open_personal", "ana", "no_personal_data")]
        assert all("Rosa" not in str(r.detail) for r in rows)
