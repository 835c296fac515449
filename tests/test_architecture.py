"""The layers point one way (docs/design/principles.md, docs/design/style.md).

Two kinds of check: a static one over every source file (what each module imports directly),
and a runtime one that imports the entry points of each layer in a fresh interpreter and looks
at ``sys.modules`` (what a module drags in indirectly).
"""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _direct_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_qt_is_imported_only_by_the_kiosk_ui_and_its_entry_points() -> None:
    allowed = ("kiosk/ui/", "kiosk/app.py", "kiosk/demo.py")
    offenders = [
        _rel(p)
        for p in _sources("kiosk") + _sources("central")
        if "PySide6" in _direct_imports(p) and not _rel(p).startswith(allowed)
    ]
    assert offenders == []


def test_only_the_sync_client_imports_requests() -> None:
    offenders = [
        _rel(p)
        for p in _sources("kiosk") + _sources("central")
        if "requests" in _direct_imports(p) and _rel(p) != "kiosk/sync/client.py"
    ]
    assert offenders == []


def test_the_kiosk_never_imports_fastapi_or_the_central_server() -> None:
    offenders = [
        _rel(p)
        for p in _sources("kiosk")
        if _direct_imports(p) & {"fastapi", "starlette", "uvicorn", "central"}
        and _rel(p) != "kiosk/demo.py"  # the newcomer's demo starts the embedded server
    ]
    assert offenders == []


def test_kiosk_ui_has_no_sql_and_no_http() -> None:
    offenders = [
        _rel(p)
        for p in _sources("kiosk/ui")
        if _direct_imports(p) & {"sqlite3", "sqlalchemy", "sqlmodel", "requests", "httpx"}
    ]
    assert offenders == []


def _modules_after_import(module: str) -> set[str]:
    code = (f"import importlib, json, sys; importlib.import_module({module!r}); "
            "print(json.dumps(sorted(sys.modules)))")
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120,
        cwd=ROOT,
    )
    return {name.split(".")[0] for name in json.loads(out.stdout.strip().splitlines()[-1])}


@pytest.mark.parametrize(
    "module",
    ["kiosk", "trato.domain.validators", "trato.protocol.wire", "kiosk.services.cases",
     "kiosk.sync.engine", "kiosk.cli", "central.app"],
)
def test_entry_points_do_not_drag_in_qt(module: str) -> None:
    assert "PySide6" not in _modules_after_import(module)


def test_the_wire_module_imports_neither_side_framework() -> None:
    loaded = _modules_after_import("trato.protocol.wire")
    assert not loaded & {"PySide6", "fastapi", "requests", "sqlmodel", "sqlalchemy"}
