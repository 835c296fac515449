"""The TUF repository of kiosk builds, kept in ``<data_dir>/updates`` (python-tuf metadata API).

::

    updates/repository/metadata/  1.root.json, root.json, targets.json, snapshot.json,
                                  timestamp.json   (served at /updates/metadata/)
    updates/repository/targets/   trato-kiosk-<version>.tar.gz (Linux builds),
                                  trato-kiosk-<version>-windows.tar.gz (Windows builds)
                                  (served at /updates/targets/)
    updates/keys/                 targets.key, snapshot.key, timestamp.key (online, 0600)
    <offline folder>/root.key     the root key: made once, kept off the server

Every file is replaced atomically, in the order a client reads them backwards (targets, then
snapshot, then timestamp), so a kiosk refreshing during a publication sees the old set or the
new one. Publishing is one operator command at a time (``trato-central updates publish``).
"""

import os
import tarfile
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from nacl.signing import SigningKey
from tuf.api.metadata import (
    Metadata,
    MetaFile,
    Root,
    Snapshot,
    TargetFile,
    Targets,
    Timestamp,
)
from tuf.api.serialization.json import JSONSerializer

from trato.protocol.updates import (
    LINUX,
    VERSION_RE,
    WINDOWS,
    NaclSigner,
    target_name,
    version_key,
)

ONLINE_ROLES = (Targets.type, Snapshot.type, Timestamp.type)
EXPIRY = {Root.type: timedelta(days=365), Targets.type: timedelta(days=365),
          Snapshot.type: timedelta(days=30), Timestamp.type: timedelta(days=30)}
ROOT_KEY_FILE = "root.key"


#: Where a folder build says which version it is (installer/trato-kiosk.spec; kiosk/__init__).
VERSION_FILE = "_internal/VERSION"
#: The program that tells a folder build's platform (the spec names it so on each).
PROGRAMS = {WINDOWS: "trato-kiosk.exe", LINUX: "trato-kiosk"}


class RepositoryError(Exception):
    """Something an operator must fix (no repository yet, a version already published …)."""


def updates_dir(data_dir: Path | str) -> Path:
    return Path(data_dir) / "updates"


def repository_dir(data_dir: Path | str) -> Path:
    return updates_dir(data_dir) / "repository"


def _write_atomically(path: Path, data: bytes, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_key(path: Path, key: SigningKey) -> None:
    if path.exists():
        raise RepositoryError(f"{path} exists; keys are made once")
    _write_atomically(path, bytes(key).hex().encode("ascii") + b"\n", mode=0o600)


def load_key(path: Path) -> SigningKey:
    try:
        return SigningKey(bytes.fromhex(path.read_text(encoding="ascii").strip()))
    except FileNotFoundError:
        raise RepositoryError(f"no key at {path} (trato-central updates init-keys)") from None


def _carried_version(bundle_dir: Path) -> str:
    try:
        return (bundle_dir / VERSION_FILE).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def build_platform(bundle_dir: Path) -> str | None:
    """The platform a folder build was made for, from its program; None: not a build."""
    return next((platform for platform, program in PROGRAMS.items()
                 if (bundle_dir / program).is_file()), None)


def _expires(role: str, now: datetime | None = None) -> datetime:
    return (now or datetime.now(UTC)).replace(microsecond=0) + EXPIRY[role]


class Repository:
    """The repository of one central server's data folder."""

    def __init__(self, data_dir: Path | str) -> None:
        self.base = updates_dir(data_dir)
        self.metadata_dir = self.base / "repository" / "metadata"
        self.targets_dir = self.base / "repository" / "targets"
        self.keys_dir = self.base / "keys"

    def exists(self) -> bool:
        return (self.metadata_dir / "timestamp.json").exists()

    def signer(self, role: str) -> NaclSigner:
        return NaclSigner(load_key(self.keys_dir / f"{role}.key"))

    # ------------------------------------------------------------------ create
    def init(self, offline_dir: Path) -> Path:
        """Make the root key (in ``offline_dir``) and the online keys, sign version 1 of
        every role. Returns the root key's path."""
        if self.exists():
            raise RepositoryError(f"a repository exists in {self.base}")
        offline_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        root_key = SigningKey.generate()
        _write_key(offline_dir / ROOT_KEY_FILE, root_key)
        self.keys_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        signers = {}
        for role in ONLINE_ROLES:
            key = SigningKey.generate()
            _write_key(self.keys_dir / f"{role}.key", key)
            signers[role] = NaclSigner(key)
        root = Root(expires=_expires(Root.type), consistent_snapshot=False)
        root_signer = NaclSigner(root_key)
        root.add_key(root_signer.public_key, Root.type)
        for role, signer in signers.items():
            root.add_key(signer.public_key, role)
        self._write_root(Metadata(root), root_signer)
        self._write(Metadata(Targets(expires=_expires(Targets.type))), signers[Targets.type])
        self._sign_snapshot_and_timestamp()
        return offline_dir / ROOT_KEY_FILE

    def _write_root(self, md: Metadata[Root], signer: NaclSigner) -> None:
        md.sign(signer)
        data = md.to_bytes(JSONSerializer(compact=False))
        _write_atomically(self.metadata_dir / f"{md.signed.version}.root.json", data)
        _write_atomically(self.metadata_dir / "root.json", data)

    def _write(self, md: Metadata[Any], signer: NaclSigner) -> None:
        md.sign(signer)
        _write_atomically(self.metadata_dir / f"{md.signed.type}.json",
                          md.to_bytes(JSONSerializer(compact=False)))

    def _read(self, role: str) -> Metadata[Any]:
        try:
            return Metadata.from_file(str(self.metadata_dir / f"{role}.json"))
        except FileNotFoundError:
            raise RepositoryError(
                f"no repository in {self.base} (trato-central updates init-keys)") from None

    def _next(self, role: str, cls: Any) -> Metadata[Any]:
        """The role's metadata with its version moved on (version 1 when there is none)."""
        if not (self.metadata_dir / f"{role}.json").exists():
            return Metadata(cls())
        md = self._read(role)
        md.signed.version += 1
        return md

    def _sign_snapshot_and_timestamp(self) -> None:
        targets_version = self._read(Targets.type).signed.version
        snapshot = self._next(Snapshot.type, Snapshot)
        snapshot.signed.meta["targets.json"] = MetaFile(version=targets_version)
        snapshot.signed.expires = _expires(Snapshot.type)
        self._write(snapshot, self.signer(Snapshot.type))
        stamp = self._next(Timestamp.type, Timestamp)
        stamp.signed.snapshot_meta = MetaFile(version=snapshot.signed.version)
        stamp.signed.expires = _expires(Timestamp.type)
        self._write(stamp, self.signer(Timestamp.type))

    # ------------------------------------------------------------------ publish
    def publish(self, bundle_dir: Path, version: str) -> TargetFile:
        """Pack the folder build ``bundle_dir`` as the target of ``version`` for the platform
        it was built for (a Windows build has ``trato-kiosk.exe``) and sign it."""
        if not VERSION_RE.match(version):
            raise RepositoryError(f"{version!r} is not a version such as 0.2.0")
        platform = build_platform(bundle_dir)
        if platform is None:
            raise RepositoryError(f"no folder build at {bundle_dir} (make dist)")
        targets = self._read(Targets.type)
        name = target_name(version, platform)
        if name in targets.signed.targets:
            raise RepositoryError(f"version {version} for {platform} is published already")
        carried = _carried_version(bundle_dir)
        if carried != version:  # it would report another version, be offered this one again
            raise RepositoryError(
                f"the build at {bundle_dir} is version {carried} ({VERSION_FILE}), not {version}"
                if carried else f"no {VERSION_FILE} in {bundle_dir}: rebuild it (make dist)")
        self.targets_dir.mkdir(parents=True, exist_ok=True)
        archive = self.targets_dir / name
        fd, tmp = tempfile.mkstemp(dir=self.targets_dir, prefix=f".{name}.")
        os.close(fd)
        try:
            with tarfile.open(tmp, "w:gz", compresslevel=6) as tar:
                for path in sorted(bundle_dir.rglob("*")):
                    tar.add(path, arcname=str(path.relative_to(bundle_dir)), recursive=False)
            os.chmod(tmp, 0o644)
            os.replace(tmp, archive)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        target = TargetFile.from_file(name, str(archive), ["sha256"])
        target.unrecognized_fields["custom"] = {"version": version, "platform": platform}
        targets.signed.targets[name] = target
        targets.signed.version += 1
        targets.signed.expires = _expires(Targets.type)
        self._write(targets, self.signer(Targets.type))
        self._sign_snapshot_and_timestamp()
        return target

    def refresh(self) -> None:
        """Sign snapshot and timestamp again with new expiry dates (weekly, by a timer)."""
        self._sign_snapshot_and_timestamp()

    def versions(self) -> list[dict[str, Any]]:
        """The published builds, newest version first (Linux before Windows): version,
        platform, target name, size. Builds published before Windows builds were are
        Linux's."""
        if not self.exists():
            return []
        out = []
        for name, target in self._read(Targets.type).signed.targets.items():
            custom = target.unrecognized_fields.get("custom", {})
            version = str(custom.get("version", ""))
            platform = str(custom.get("platform", LINUX))
            if VERSION_RE.match(version) and platform in PROGRAMS:
                out.append({"version": version, "platform": platform, "target": name,
                            "length": target.length})
        out.sort(key=lambda v: v["platform"] != LINUX)
        return sorted(out, key=lambda v: version_key(v["version"]), reverse=True)

    def platforms(self, version: str) -> set[str]:
        """The platforms ``version`` is published for (empty: not published)."""
        return {v["platform"] for v in self.versions() if v["version"] == version}
