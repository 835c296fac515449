"""Dependency audit without the network: pip-audit against a committed OSV snapshot.

These machines reach no vulnerability service, so the audit runs pip-audit as it is
(``-s osv``: its own dependency collection, its own reading of OSV answers) with
``--osv-url`` pointing at a small OSV query endpoint on 127.0.0.1 that answers from
``security/osv-snapshot.json``: the OSV records of every package installed here, taken where
the network allows. The endpoint does what OSV's ``/v1/query`` does for PyPI: a record
applies to a version listed in its ``affected[].versions`` or inside one of its ECOSYSTEM
ranges (introduced / fixed / last_affected, compared as PEP 440 versions).

    python -m devtools.audit                 # audit .venv against the snapshot (CI)
    python -m devtools.audit refresh         # rebuild the snapshot from api.osv.dev
    python -m devtools.audit refresh --from PATH
        # ... or from files already downloaded: OSV's PyPI export (all.zip, or the folder
        # it unpacks to) or a clone of github.com/pypa/advisory-database (YAML)

The check exits 1 when pip-audit finds a known vulnerability, and names every installed
package the snapshot does not cover (installed after the last refresh), so that a stale
snapshot is seen, not trusted.
"""

import argparse
import contextlib
import io
import json
import subprocess  # nosec B404 - runs pip-audit with our own interpreter
import sys
import tempfile
import threading
import zipfile
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import metadata
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ROOT / "security" / "osv-snapshot.json"
OSV_API = "https://api.osv.dev/v1/query"
OWN_PROJECT = "trato-digno"  # editable, not on PyPI: not audited


# ---------------------------------------------------------------------------- OSV matching


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def _in_ranges(version: Version, ranges: Iterable[dict[str, Any]]) -> bool:
    for rng in ranges:
        if rng.get("type") != "ECOSYSTEM":
            continue
        affected = False
        for event in rng.get("events", []):
            if "introduced" in event:
                start = event["introduced"]
                bound = _version(start) if start != "0" else None
                if start == "0" or (bound is not None and version >= bound):
                    affected = True
            elif "fixed" in event:
                bound = _version(event["fixed"])
                if bound is not None and version >= bound:
                    affected = False
            elif "last_affected" in event:
                bound = _version(event["last_affected"])
                if bound is not None and version > bound:
                    affected = False
        if affected:
            return True
    return False


def affects(record: dict[str, Any], name: str, version_text: str) -> bool:
    """Whether the OSV ``record`` applies to PyPI package ``name`` at ``version_text``."""
    version = _version(version_text)
    for entry in record.get("affected", []):
        package = entry.get("package", {})
        if package.get("ecosystem") != "PyPI" or canonicalize_name(package.get("name", "")) \
                != canonicalize_name(name):
            continue
        if version_text in entry.get("versions", []):
            return True
        if version is not None and _in_ranges(version, entry.get("ranges", [])):
            return True
    return False


class Snapshot:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.covered = {canonicalize_name(n) for n in data.get("packages", {})}
        self.by_package: dict[str, list[dict[str, Any]]] = {}
        for record in data.get("vulns", {}).values():
            for entry in record.get("affected", []):
                name = canonicalize_name(entry.get("package", {}).get("name", ""))
                self.by_package.setdefault(name, []).append(record)
        self.asked: dict[str, str] = {}

    @classmethod
    def load(cls, path: Path) -> "Snapshot":
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def query(self, name: str, version: str) -> list[dict[str, Any]]:
        key = canonicalize_name(name)
        self.asked[key] = version
        return [r for r in self.by_package.get(key, []) if affects(r, key, version)]


@contextlib.contextmanager
def osv_endpoint(snapshot: Snapshot) -> Iterator[str]:
    """An OSV ``/v1/query`` on 127.0.0.1 answering from ``snapshot``; yields its URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            query = json.loads(self.rfile.read(length) or b"{}")
            package = query.get("package", {})
            vulns = snapshot.query(package.get("name", ""), query.get("version", ""))
            body = json.dumps({"vulns": vulns} if vulns else {}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1/query"
    finally:
        server.shutdown()
        server.server_close()


# ---------------------------------------------------------------------------- check


def check(snapshot_path: Path = SNAPSHOT, python: str = sys.executable) -> int:
    """pip-audit over ``python``'s environment against the snapshot; its exit code."""
    snapshot = Snapshot.load(snapshot_path)
    made = snapshot.data.get("generated_at") or "never"
    with osv_endpoint(snapshot) as url, tempfile.TemporaryDirectory() as cache:
        report = Path(cache) / "report.json"
        done = subprocess.run(  # noqa: S603  # nosec B603 - our interpreter, fixed arguments
            [python, "-m", "pip_audit", "--vulnerability-service", "osv", "--osv-url", url,
             "--skip-editable", "--progress-spinner", "off", "--cache-dir", cache,
             "--format", "json", "--output", str(report), "--desc", "on"],
            capture_output=True, text=True, check=False)
        results = json.loads(report.read_text()) if report.exists() else {}
    dependencies = [d for d in results.get("dependencies", [])
                    if canonicalize_name(d.get("name", "")) != OWN_PROJECT]
    found = [(d["name"], d["version"], v) for d in dependencies for v in d.get("vulns", [])]
    uncovered = sorted(n for n in snapshot.asked if n not in snapshot.covered)
    print(f"pip-audit: {len(dependencies)} installed packages against the OSV snapshot of "
          f"{made} ({len(snapshot.data.get('vulns', {}))} records, "
          f"{len(snapshot.covered)} packages covered)")
    for name, version, vuln in found:
        fixes = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
        print(f"  VULNERABLE {name} {version}: {vuln['id']} (fixed in {fixes}) "
              f"{vuln.get('description', '')[:160]}")
    if uncovered:
        print(f"  not in the snapshot (refresh it where the network allows: python -m "
              f"devtools.audit refresh): {len(uncovered)} packages, e.g. "
              f"{', '.join(uncovered[:8])}")
    if done.returncode not in (0, 1) or not results:
        print(done.stdout[-2000:], done.stderr[-2000:], sep="\n")
        return 2
    return 1 if found else 0


# ---------------------------------------------------------------------------- refresh


def installed() -> dict[str, str]:
    """Every distribution in this environment but the project itself: name -> version."""
    out = {}
    for dist in metadata.distributions():
        name = canonicalize_name(dist.metadata["Name"] or "")
        if name and name != OWN_PROJECT:
            out[name] = dist.version
    return dict(sorted(out.items()))


def _from_api(names: Iterable[str]) -> Iterator[dict[str, Any]]:
    import requests

    with requests.Session() as session:
        for name in names:
            query: dict[str, Any] = {"package": {"name": name, "ecosystem": "PyPI"}}
            while True:
                answer = session.post(OSV_API, json=query, timeout=30)
                answer.raise_for_status()
                data = answer.json()
                yield from data.get("vulns", [])
                if not data.get("next_page_token"):
                    break
                query["page_token"] = data["next_page_token"]


def _rfc3339(value: Any) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value)


def _from_files(path: Path) -> Iterator[dict[str, Any]]:
    def parse(name: str, text: bytes) -> dict[str, Any] | None:
        if name.endswith(".json"):
            return json.loads(text)  # type: ignore[no-any-return]
        if name.endswith((".yaml", ".yml")):
            import yaml

            # YAML reads dates as datetime objects; OSV JSON has RFC 3339 text.
            loaded = yaml.safe_load(io.BytesIO(text))
            return json.loads(json.dumps(loaded, default=_rfc3339))  # type: ignore[no-any-return]
        return None

    if path.is_file() and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                record = parse(member, archive.read(member))
                if record:
                    yield record
        return
    for file in sorted(path.rglob("*")):
        if file.is_file():
            record = parse(file.name, file.read_bytes())
            if isinstance(record, dict) and "affected" in record:
                yield record


def refresh(source: Path | None, snapshot_path: Path = SNAPSHOT) -> None:
    packages = installed()
    records = _from_api(packages) if source is None else _from_files(source)
    vulns: dict[str, dict[str, Any]] = {}
    for record in records:
        names = {canonicalize_name(e.get("package", {}).get("name", ""))
                 for e in record.get("affected", [])
                 if e.get("package", {}).get("ecosystem") == "PyPI"}
        if names & packages.keys() and not record.get("withdrawn"):
            vulns[record["id"]] = record
    data = {
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "source": OSV_API if source is None else f"files: {source.name}",
        "packages": packages,
        "vulns": dict(sorted(vulns.items())),
    }
    snapshot_path.parent.mkdir(parents=True, exist_ok=True)
    snapshot_path.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False)
                             + "\n", encoding="utf-8")
    print(f"snapshot: {len(vulns)} OSV records for {len(packages)} packages -> {snapshot_path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="?", choices=("check", "refresh"), default="check")
    parser.add_argument("--snapshot", type=Path, default=SNAPSHOT)
    parser.add_argument("--from", dest="source", type=Path, default=None,
                        help="refresh from downloaded OSV files instead of api.osv.dev")
    args = parser.parse_args(argv)
    if args.command == "refresh":
        refresh(args.source, args.snapshot)
        return 0
    return check(args.snapshot)


if __name__ == "__main__":
    raise SystemExit(main())
