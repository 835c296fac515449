"""The central server's side of signed updates, in process on both engines: the TUF
repository served as static files with the caching each kind needs, nothing else of the
data folder reachable, and the rollout offer signed with the targets key."""

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from central.models import OrgNode
from central.settings import CentralSettings
from central.updates.repository import Repository, RepositoryError
from central.updates.rollout import stage
from tests.support.central import TestKiosk
from trato.protocol.updates import OFFER_PATH, UpdateOffer, sign_offer, verify_offer


def offer(kiosk: TestKiosk, platform: str | None = None) -> Any:
    path = OFFER_PATH if platform is None else f"{OFFER_PATH}?platform={platform}"
    return kiosk.client.get(path, headers=kiosk.signed_headers("GET", path, b""))


def targets_keys(repo: Repository) -> dict[str, Any]:
    from tuf.api.metadata import Metadata

    root = Metadata.from_file(str(repo.metadata_dir / "root.json")).signed
    return {k: root.keys[k] for k in root.roles["targets"].keyids}


def fake_build(where: Path, version: str = "0.2.0", program: str = "trato-kiosk") -> Path:
    """A folder build: ``trato-kiosk`` (Linux) or ``trato-kiosk.exe`` (Windows)."""
    (where / "_internal").mkdir(parents=True)
    (where / program).write_text("#!/bin/sh\n")
    (where / "_internal" / "VERSION").write_text(version + "\n")
    return where


def test_the_repository_is_served_and_the_offer_is_signed(
        client: Any, kiosk: TestKiosk, central_settings: CentralSettings,
        db: Callable[[], Session], tmp_path: Path) -> None:
    assert offer(kiosk).json()["code"] == "updates_off"  # no repository yet: 404
    repo = Repository(central_settings.data_dir)
    repo.init(tmp_path / "offline")
    assert (tmp_path / "offline" / "root.key").stat().st_mode & 0o777 == 0o600
    assert not (repo.keys_dir / "root.key").exists()  # the root key never on the server
    target = repo.publish(fake_build(tmp_path / "b"), "0.2.0")
    with pytest.raises(RepositoryError, match="published already"):
        repo.publish(tmp_path / "b", "0.2.0")
    # A build published under a version it does not carry would report the old one and be
    # offered the new one again at every check.
    with pytest.raises(RepositoryError, match=r"is version 0\.2\.0 \(_internal/VERSION\)"):
        repo.publish(tmp_path / "b", "0.2.1")
    (tmp_path / "b" / "_internal" / "VERSION").unlink()
    with pytest.raises(RepositoryError, match="no _internal/VERSION"):
        repo.publish(tmp_path / "b", "0.2.1")

    stamp = client.get("/updates/metadata/timestamp.json")
    assert stamp.status_code == 200 and stamp.headers["cache-control"] == "no-cache"
    archive = client.get(f"/updates/targets/{target.path}")
    assert archive.status_code == 200 and len(archive.content) == target.length
    assert archive.headers["cache-control"] == "public, max-age=31536000, immutable"
    for path in ("/updates/metadata/", "/updates/../keys/targets.key",
                 "/updates/%2e%2e/keys/targets.key", "/updates/keys/targets.key"):
        assert client.get(path).status_code == 404, path

    answer = offer(kiosk)
    assert answer.status_code == 200
    first = UpdateOffer.model_validate(answer.json())
    assert first.version is None and verify_offer(first, targets_keys(repo), kiosk.kiosk_id)
    with db() as session:
        unit = session.exec(select(OrgNode).where(OrgNode.code == "ASIMS000039",
                                                  OrgNode.level == "unit")).one()
        ooad = session.exec(select(OrgNode).where(OrgNode.code == "AGS")).one()
        stage(session, ooad.id, "0.2.0", "test")
        stage(session, unit.id, "0.1.9", "test")  # the deeper node decides
        session.commit()
    # Staged, but not published (yet): nothing to offer.
    assert UpdateOffer.model_validate(offer(kiosk).json()).version is None
    repo.publish(fake_build(tmp_path / "c", "0.1.9"), "0.1.9")
    staged = UpdateOffer.model_validate(offer(kiosk).json())
    assert (staged.version, staged.target) == ("0.1.9", "trato-kiosk-0.1.9.tar.gz")
    keys = targets_keys(repo)
    assert verify_offer(staged, keys, kiosk.kiosk_id)
    assert not verify_offer(staged, keys, str(uuid.uuid4()))  # another kiosk's offer
    forged = staged.model_copy(update={"version": "0.2.0", "target": "trato-kiosk-0.2.0.tar.gz"})
    assert not verify_offer(forged, keys, kiosk.kiosk_id)
    from nacl.signing import SigningKey

    from trato.protocol.updates import NaclSigner

    stranger = sign_offer(NaclSigner(SigningKey.generate()), kiosk.kiosk_id, "0.2.0")
    assert not verify_offer(stranger, keys, kiosk.kiosk_id)  # signed, but not by targets
    unsigned = offer(kiosk)  # and the offer itself needs a signed request
    assert client.get(OFFER_PATH).status_code == 401 and unsigned.status_code == 200


def test_each_platform_is_offered_only_a_build_made_for_it(
        client: Any, kiosk: TestKiosk, central_settings: CentralSettings,
        db: Callable[[], Session], tmp_path: Path) -> None:
    repo = Repository(central_settings.data_dir)
    repo.init(tmp_path / "offline")
    linux = repo.publish(fake_build(tmp_path / "l", "0.3.0"), "0.3.0")
    assert linux.path == "trato-kiosk-0.3.0.tar.gz"  # the name Linux kiosks always fetched
    with db() as session:
        ooad = session.exec(select(OrgNode).where(OrgNode.code == "AGS")).one()
        stage(session, ooad.id, "0.3.0", "test")
        session.commit()
    keys = targets_keys(repo)
    # Staged, but with no Windows build: a Windows kiosk stays as it is.
    windows = UpdateOffer.model_validate(offer(kiosk, "windows").json())
    assert windows.version is None and verify_offer(windows, keys, kiosk.kiosk_id, "windows")
    for asked in (None, "linux"):  # no platform named: a Linux kiosk from before Windows
        answer = UpdateOffer.model_validate(offer(kiosk, asked).json())
        assert (answer.version, answer.target) == ("0.3.0", "trato-kiosk-0.3.0.tar.gz")
        assert verify_offer(answer, keys, kiosk.kiosk_id, "linux")
        assert not verify_offer(answer, keys, kiosk.kiosk_id, "windows")  # not its build

    built = repo.publish(fake_build(tmp_path / "w", "0.3.0", "trato-kiosk.exe"), "0.3.0")
    assert built.path == "trato-kiosk-0.3.0-windows.tar.gz"
    with pytest.raises(RepositoryError, match=r"0\.3\.0 for windows is published already"):
        repo.publish(tmp_path / "w", "0.3.0")
    assert [(v["version"], v["platform"]) for v in repo.versions()] == [
        ("0.3.0", "linux"), ("0.3.0", "windows")]
    assert repo.platforms("0.3.0") == {"linux", "windows"}
    windows = UpdateOffer.model_validate(offer(kiosk, "windows").json())
    assert (windows.version, windows.target) == ("0.3.0", "trato-kiosk-0.3.0-windows.tar.gz")
    assert verify_offer(windows, keys, kiosk.kiosk_id, "windows")
    assert not verify_offer(windows, keys, kiosk.kiosk_id, "linux")
    archive = client.get(f"/updates/targets/{built.path}")
    assert archive.status_code == 200 and len(archive.content) == built.length

    bogus = offer(kiosk, "macos")
    assert bogus.status_code == 422 and bogus.json()["code"] == "invalid"
    assert "'linux' or 'windows'" in bogus.json()["detail"]
