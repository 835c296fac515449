"""The security checks of scripts/test.sh (issue 14, item 8): bandit finds nothing left
unanswered in the shipped code, and the offline dependency audit (pip-audit against an OSV
snapshot, devtools/audit.py) fails on a known vulnerability of an installed package."""

import json
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from devtools import audit

ROOT = Path(__file__).resolve().parents[1]


def test_bandit_finds_nothing_unanswered() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bandit", "-c", "pyproject.toml", "-q", "-r",
         "trato", "kiosk", "central", "-f", "json"],
        cwd=ROOT, capture_output=True, text=True, check=False)
    report = json.loads(done.stdout)
    assert [(r["filename"], r["line_number"], r["test_id"]) for r in report["results"]] == []
    assert done.returncode == 0
    assert report["metrics"]["_totals"]["loc"] > 10_000  # it really read the code


def _record(vuln_id: str, package: str, events: list[dict[str, str]],
            versions: list[str] | None = None) -> dict:
    return {"id": vuln_id, "summary": f"made-up advisory {vuln_id}", "modified": "2026-01-01",
            "affected": [{"package": {"name": package, "ecosystem": "PyPI"},
                          "ranges": [{"type": "ECOSYSTEM", "events": events}],
                          "versions": versions or []}]}


def test_osv_matching_follows_ranges_and_version_lists() -> None:
    rec = _record("X-1", "Some_Package", [{"introduced": "1.2"}, {"fixed": "1.4.1"}])
    assert audit.affects(rec, "some-package", "1.3")
    assert audit.affects(rec, "some.package", "1.2")
    assert not audit.affects(rec, "some-package", "1.4.1")
    assert not audit.affects(rec, "some-package", "1.1")
    assert not audit.affects(rec, "other", "1.3")
    last = _record("X-2", "p", [{"introduced": "0"}, {"last_affected": "2.0"}])
    assert audit.affects(last, "p", "0.1") and audit.affects(last, "p", "2.0")
    assert not audit.affects(last, "p", "2.0.1")
    again = _record("X-3", "p", [{"introduced": "1"}, {"fixed": "2"}, {"introduced": "3"}])
    assert audit.affects(again, "p", "3.5") and not audit.affects(again, "p", "2.5")
    listed = _record("X-4", "p", [], versions=["5.0rc1"])
    assert audit.affects(listed, "p", "5.0rc1") and not audit.affects(listed, "p", "5.0")


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    """A snapshot of this environment with one made-up advisory that affects the installed
    idna and one that affects only versions before it."""
    version = metadata.version("idna")
    data = {
        "generated_at": "2026-12-01T00:00:00Z", "source": "test",
        "packages": {k: v for k, v in audit.installed().items() if k != "certifi"},
        "vulns": {
            "TEST-2026-1": _record("TEST-2026-1", "idna",
                                   [{"introduced": "0"}, {"fixed": version + ".post1"}]),
            "TEST-2026-2": _record("TEST-2026-2", "idna", [{"introduced": "0"}, {"fixed": "2.0"}]),
        },
    }
    path = tmp_path / "osv-snapshot.json"
    path.write_text(json.dumps(data))
    return path


def test_the_audit_fails_on_a_known_vulnerability(snapshot: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert audit.check(snapshot) == 1
    out = capsys.readouterr().out
    assert "VULNERABLE idna" in out and "TEST-2026-1" in out
    assert "TEST-2026-2" not in out  # the installed idna is past its fix
    assert "certifi" in out  # installed after the snapshot was made: named, not trusted


def test_the_audit_passes_when_no_record_applies(snapshot: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(snapshot.read_text())
    del data["vulns"]["TEST-2026-1"]
    snapshot.write_text(json.dumps(data))
    assert audit.check(snapshot) == 0
    assert "VULNERABLE" not in capsys.readouterr().out


def test_the_committed_snapshot_is_readable() -> None:
    data = json.loads(audit.SNAPSHOT.read_text(encoding="utf-8"))
    assert set(data) == {"generated_at", "source", "packages", "vulns"}
