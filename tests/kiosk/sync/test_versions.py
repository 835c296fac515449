"""Versions side by side (kiosk/sync/versions.py): an archive is unpacked whole or not at
all, never outside its folder, and the pointers move by atomic renames: symbolic links on
Linux, small files holding the folder's path on Windows (both tried on this machine)."""

import io
import tarfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.sync.launch import LINUX, WINDOWS, Flavour, read_pointer
from kiosk.sync.versions import Layout, StageError
from trato.protocol.wire import UpdateState


def archive(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), 0o755
            tar.addfile(info, io.BytesIO(data))
    return path


def test_an_unsafe_or_empty_archive_is_not_unpacked(tmp_path: Path) -> None:
    layout = Layout(tmp_path / "data", tmp_path / "opt")
    evil = archive(tmp_path / "evil.tar.gz", {"trato-kiosk": b"#!/bin/sh\n",
                                              "../../escaped": b"x"})
    with pytest.raises(StageError):
        layout.stage(evil, "0.2.0")
    assert not (tmp_path / "escaped").exists() and not (tmp_path / "data" / "escaped").exists()
    empty = archive(tmp_path / "empty.tar.gz", {"README": b"no program"})
    with pytest.raises(StageError, match="no kiosk program"):
        layout.stage(empty, "0.2.0")
    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(b"not a tar file")
    with pytest.raises(StageError):
        layout.stage(broken, "0.2.0")
    assert not layout.is_staged("0.2.0") and list(layout.versions.iterdir()) == []


@pytest.mark.parametrize("flavour", [LINUX, WINDOWS], ids=lambda f: f.platform)
def test_switch_points_current_and_previous_and_prune_keeps_them(tmp_path: Path,
                                                                 flavour: Flavour) -> None:
    installed = tmp_path / "opt"
    installed.mkdir()
    (installed / flavour.program).write_text("#!/bin/sh\n")
    layout = Layout(tmp_path / "data", installed, flavour)
    other = archive(tmp_path / "other.tar.gz", {"trato-kiosk" if flavour == WINDOWS
                                                else "trato-kiosk.exe": b"#!/bin/sh\n"})
    with pytest.raises(StageError, match="no kiosk program"):  # the other platform's build
        layout.stage(other, "0.2.0")
    good = archive(tmp_path / "v2.tar.gz", {flavour.program: b"#!/bin/sh\n",
                                            "_internal/x": b"1"})
    layout.stage(good, "0.2.0")
    layout.stage(good, "0.3.0")
    assert layout.running_dir() == installed
    layout.switch("0.2.0")
    assert layout.running_dir() == layout.version_dir("0.2.0")
    assert layout.points_at("0.2.0") and not layout.points_at("0.3.0")
    assert read_pointer(layout.previous, flavour) == installed.resolve()
    assert layout.current.is_symlink() == flavour.symlinks
    if not flavour.symlinks:  # a file naming the folder, nothing left of its temporary copy
        assert layout.current.read_text().strip() == str(layout.version_dir("0.2.0"))
        assert sorted(p.name for p in layout.root.glob(".*")) == []
    assert layout.pending.read_text().strip() == "0.2.0"
    layout.result.write_text("installed 0.2.0\n")
    assert layout.take_result() == ("installed", "0.2.0", "")
    assert layout.take_result() is None  # once
    layout.prune()
    assert layout.is_staged("0.2.0") and not layout.is_staged("0.3.0")
    with pytest.raises(StageError):
        layout.switch("0.3.0")
    status = layout.save_status(UpdateState.INSTALLED, "0.2.0", datetime.now(UTC))
    assert layout.load_status() == status
    layout.status_file.write_text("{broken")
    assert layout.load_status() is None
