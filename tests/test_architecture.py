"""The layers point one way (docs/design/principles.md, docs/design/style.md), and the kiosk
carries nothing of the server.

Three kinds of check:

* the import contracts in ``pyproject.toml`` ([tool.importlinter]), run with ``lint-imports``
  on the real tree (they hold) and on a throwaway copy with one deliberate violation each
  (the contract it breaks, and only that one, says so);
* runtime: a fresh interpreter imports a layer's entry point, or runs the kiosk's commands and
  starts the kiosk, and ``sys.modules`` shows what was dragged in indirectly;
* packaging: the kiosk's dependencies and its PyInstaller bundle leave the server's stack out.
"""

import ast
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("trato", "kiosk", "central", "devtools")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
CONTRACTS = {c["id"]: c["name"] for c in PYPROJECT["tool"]["importlinter"]["contracts"]}


def _lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` with the project's contracts on the packages found under ``tree``."""
    env = dict(os.environ, PYTHONPATH=str(tree), PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache", str(tree / "pyproject.toml")],
        capture_output=True, text=True, timeout=120, cwd=tree, env=env,
    )


def _verdicts(output: str) -> dict[str, str]:
    """Contract name -> KEPT / BROKEN, from the report's summary lines."""
    verdicts = {}
    for name in CONTRACTS.values():
        found = re.search(rf"^{re.escape(name)} (KEPT|BROKEN)", output, re.MULTILINE)
        assert found, f"no verdict for {name!r} in:\n{output}"
        verdicts[name] = found.group(1)
    return verdicts


def test_the_import_contracts_hold() -> None:
    done = _lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert set(_verdicts(done.stdout).values()) == {"KEPT"}


# (file to spoil, line added, the contracts it must break: ids from pyproject.toml)
VIOLATIONS = {
    "ui skips to storage": (
        "kiosk/ui/widgets.py", "from kiosk.storage import db", {"screens-no-sql-no-http"}),
    "ui runs SQL": ("kiosk/ui/theme.py", "import sqlite3", {"screens-no-sql-no-http"}),
    "sync uses a service": (
        "kiosk/sync/engine.py", "from kiosk.services import cases", {"kiosk-layers"}),
    "services talk to sync": (
        "kiosk/services/masking.py", "from kiosk.sync import engine", {"kiosk-layers"}),
    "storage imports upward": (  # sync imports storage: a cycle too
        "kiosk/storage/types.py", "from kiosk.sync import outbox", {"kiosk-layers", "no-cycles"}),
    "trato imports the kiosk": (  # and central, which imports trato, reaches the kiosk
        "trato/domain/folio.py", "import kiosk.ui.theme",
        {"trato-below-both", "kiosk-layers", "central-no-kiosk"}),
    "trato imports central": (  # and the kiosk, which imports trato, reaches central
        "trato/protocol/wire.py", "import central.keys",
        {"trato-below-both", "kiosk-no-server-stack"}),
    "the protocol needs an ORM": (
        "trato/protocol/signing.py", "import sqlmodel", {"protocol-without-orm"}),
    "central imports the kiosk": (
        "central/keys.py", "from kiosk.storage import models", {"central-no-kiosk"}),
    "central imports Qt": (
        "central/security.py", "import PySide6", {"central-no-kiosk", "qt-only-in-screens"}),
    "a service imports Qt": (
        "kiosk/services/notify.py", "from PySide6 import QtCore", {"qt-only-in-screens"}),
    "the kiosk imports FastAPI": (
        "kiosk/sync/status.py", "import fastapi", {"kiosk-no-server-stack"}),
    "the kiosk imports the server": (
        "kiosk/cli.py", "import central.settings", {"kiosk-no-server-stack"}),
    "requests outside the client": (
        "kiosk/sync/credentials.py", "import requests", {"requests-only-in-sync-client"}),
    "a layer imports the composition root": (  # which imports Qt, the ui and the services
        "kiosk/services/validation.py", "import kiosk.app",
        {"composition-roots-on-top", "qt-only-in-screens", "kiosk-layers", "no-cycles"}),
    "the server imports a dev tool": (
        "central/cli.py", "import devtools", {"devtools-not-shipped"}),
    "a cycle inside storage": (
        "kiosk/storage/salvage.py", "from kiosk.storage import db", {"no-cycles"}),
    "a cycle inside central": (
        "central/settings.py", "import central.app", {"no-cycles"}),
}


@pytest.fixture(scope="module")
def pristine_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The packages' Python files and the contracts, copied once."""
    tree = tmp_path_factory.mktemp("tree")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tree / package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "static",
                                                      "templates", "i18n"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


@pytest.mark.parametrize("case", sorted(VIOLATIONS))
def test_a_deliberate_violation_breaks_its_contract(
    case: str, pristine_copy: Path, tmp_path: Path
) -> None:
    rel, line, broken = VIOLATIONS[case]
    tree = tmp_path / "tree"
    shutil.copytree(pristine_copy, tree)
    spoiled = tree / rel
    spoiled.write_text(spoiled.read_text(encoding="utf-8") + f"\n{line}  # deliberate\n",
                       encoding="utf-8")
    done = _lint_imports(tree)
    assert done.returncode == 1, done.stdout + done.stderr
    verdicts = _verdicts(done.stdout)
    assert {n for n, v in verdicts.items() if v == "BROKEN"} == {CONTRACTS[i] for i in broken}
    # The report names the import that was added (so it analysed the copy, not the tree):
    # "- kiosk.ui.widgets -> kiosk.storage.db (l.331)", or for a cycle "- .salvage -> .db".
    module = Path(rel).stem
    assert re.search(rf"^-\s+\S*\b{module} -> ", done.stdout, re.MULTILINE), done.stdout


# ---------------------------------------------------------------------------- runtime


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


def test_the_window_is_built_before_the_store_libraries_load() -> None:
    """kiosk.app paints the attract screen first and opens the store after (its docstring):
    the window's modules must not pull in the store, settings or sync libraries."""
    loaded = _modules_after_import("kiosk.app")
    assert "PySide6" in loaded
    assert not loaded & {"sqlmodel", "sqlalchemy", "pydantic", "pydantic_settings", "requests",
                         "nacl", "holidays", "qrcode"}


# ---------------------------------------------------------------------------- packaging


def _names(requirements: list[str]) -> set[str]:
    return {canonicalize_name(Requirement(r).name) for r in requirements}


@functools.cache
def _server_only_imports() -> frozenset[str]:
    """Top-level import names of the central extra's distributions (fastapi, argon2, ...),
    and of starlette, which FastAPI is built on."""
    server = _names(PYPROJECT["project"]["optional-dependencies"]["central"])
    tops: dict[str, set[str]] = {}
    for top, dists in packages_distributions().items():
        for dist in dists:
            tops.setdefault(canonicalize_name(dist), set()).add(top)
    # ./dev setup installs every one of them (uvloop is not for Windows).
    missing = server - tops.keys() - ({"uvloop"} if sys.platform == "win32" else set())
    assert not missing, missing
    return frozenset({"starlette"}.union(*(tops.get(name, set()) for name in server)))


def test_the_kiosk_install_holds_no_server_dependency() -> None:
    extras = PYPROJECT["project"]["optional-dependencies"]
    kiosk = _names(PYPROJECT["project"]["dependencies"]) | _names(extras["kiosk"])
    server = _names(extras["central"])
    assert {"fastapi", "uvicorn", "psycopg", "argon2-cffi", "jinja2"} <= server
    assert not kiosk & server
    assert "pyside6-essentials" not in _names(extras["central"]) | _names(
        PYPROJECT["project"]["dependencies"])


def test_the_kiosk_bundle_excludes_the_server_stack() -> None:
    spec = ast.parse((ROOT / "installer" / "trato-kiosk.spec").read_text(encoding="utf-8"))
    [excludes] = [ast.literal_eval(node.value) for node in spec.body
                  if isinstance(node, ast.Assign)
                  and any(getattr(t, "id", None) == "excludes" for t in node.targets)]
    assert {"central", *_server_only_imports()} <= set(excludes)


_RECORD_MODULES = """
import atexit, json, os, signal, sys, threading, time
out, stop_when, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
atexit.register(lambda: open(out, "w").write(json.dumps(sorted(sys.modules))))
if stop_when:  # a running kiosk: SIGTERM (a clean quit) once that module is loaded
    def watch():
        deadline = time.monotonic() + 90
        while stop_when not in sys.modules and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGTERM)
    threading.Thread(target=watch, daemon=True).start()
from kiosk.cli import main
for args in argv[:-1]:
    try:
        main(args.split())
    except SystemExit:  # --help
        pass
sys.exit(main(argv[-1].split()))
"""


def _loaded_by(commands: list[str], tmp_path: Path, *, stop_when: str = "") -> set[str]:
    """Top-level modules loaded by ``trato-kiosk`` running ``commands`` one after the other
    in one process (``stop_when``: a module the running kiosk loads once it is up)."""
    out = tmp_path / "modules.json"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", _RECORD_MODULES, str(out), stop_when, *commands],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
    )
    assert out.is_file(), done.stderr
    loaded = set(json.loads(out.read_text(encoding="utf-8")))
    assert not stop_when or stop_when in loaded, done.stderr
    return {name.split(".")[0] for name in loaded}


def test_the_kiosk_commands_load_nothing_of_the_server(tmp_path: Path) -> None:
    data = tmp_path / "data"
    loaded = _loaded_by(
        ["--help", f"status --data-dir {data}", f"enroll --data-dir {data}",
         f"sync --data-dir {data}"],
        tmp_path,
    )
    assert {"kiosk", "requests", "sqlalchemy"} <= loaded  # the commands did run
    assert not loaded & (_server_only_imports() | {"central"})


def test_the_running_kiosk_loads_nothing_of_the_server(tmp_path: Path) -> None:
    """The attract screen, then the store, the services and the sync bridge (the sync
    engine is imported once the store is open)."""
    data = tmp_path / "data"
    loaded = _loaded_by([f"run --windowed --data-dir {data}"], tmp_path,
                        stop_when="kiosk.sync.engine")
    assert (data / "kiosk.db").is_file()
    assert "kiosk stopped (0)" in (data / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert {"PySide6", "sqlalchemy", "kiosk"} <= loaded
    assert not loaded & (_server_only_imports() | {"central"})


_AT_FIRST_PAINT = """
import json, os, signal, sys
out, argv = sys.argv[1], sys.argv[2:]
import kiosk.app
from PySide6 import QtCore, QtGui, QtWidgets
after_paint, load = kiosk.app.load_after_first_paint, kiosk.app.StoreLoader.load
def at_first_paint():  # the event loop calls it once the attract screen painted
    made = sorted(f"{m.__name__}.{n}" for m in (QtCore, QtGui, QtWidgets) for n in vars(m))
    open(out, "w").write(json.dumps({"modules": sorted(sys.modules), "qt_names": made}))
def hooked(loader, *, first=None, **options):
    return after_paint(loader, first=lambda: (at_first_paint(), first and first()), **options)
def stop_at_load(self):
    os.kill(os.getpid(), signal.SIGTERM)
    return load(self)
kiosk.app.load_after_first_paint, kiosk.app.StoreLoader.load = hooked, stop_at_load
from kiosk.cli import main
sys.exit(main(argv))
"""


@pytest.mark.parametrize("mode", [(), ("--windowed",)], ids=["kiosk-mode", "windowed"])
def test_the_attract_screen_paints_before_the_store_and_the_other_screens_load(
        tmp_path: Path, mode: tuple[str, ...]) -> None:
    """Start-up (bench/bench_bundle.py) is the time to the first frame: what ``trato-kiosk
    run`` imports, and which Qt classes PySide builds, before it is what a person waits for
    at every start."""
    out = tmp_path / "first-paint.json"
    done = subprocess.run(
        [sys.executable, "-c", _AT_FIRST_PAINT, str(out), "run", *mode, "--data-dir",
         str(tmp_path / "data")],
        cwd=ROOT, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"), capture_output=True,
        text=True, timeout=120)
    assert out.is_file(), done.stderr
    seen = json.loads(out.read_text(encoding="utf-8"))
    # Naming any Qt.<Enum> builds the whole Qt namespace (20-40 ms); QStyle its ~700 enum
    # members (kiosk.ui.base): neither is needed to paint the attract screen.
    built = {"PySide6.QtCore.Qt", "PySide6.QtWidgets.QStyle"} & set(seen["qt_names"])
    assert not built, f"built before the first paint: {built}"
    modules = set(seen["modules"])
    loaded = {name.split(".")[0] for name in modules}
    assert {"PySide6", "kiosk"} <= loaded
    assert not loaded & {"sqlmodel", "sqlalchemy", "pydantic", "pydantic_settings", "requests",
                         "nacl", "holidays", "qrcode", "alembic"}
    # Nor the screens after it: the flows, the staff area, the widgets and the keyboard are
    # made once the attract screen is on the screen (kiosk.ui.window.Flows).
    assert "kiosk.ui.window" in modules
    assert not modules & {"kiosk.ui.menu", "kiosk.ui.survey", "kiosk.ui.case", "kiosk.ui.folio",
                          "kiosk.ui.campaign", "kiosk.ui.staff", "kiosk.ui.widgets",
                          "kiosk.ui.keyboard", "kiosk.ui.pages"}
    # Nor a person's session (the attract screen has none) nor the staff terms.
    assert not modules & {"kiosk.flow.session", "kiosk.flow.steps",
                          "kiosk.services.staff_terms"}
