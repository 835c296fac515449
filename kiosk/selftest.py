"""``trato-kiosk self-test``: is this installed kiosk able to work? A plain report for the
technician, one line a check, and an exit code for IT's scripts.

Nothing here changes the kiosk's state: the database is opened read-only (no migration, no
quarantine), no record is pushed, the credentials are only read. The Qt checks (platform
plugin, fonts, screen size and DPI, translations) run in a child process, because a platform
plugin that cannot load aborts the process that tried.

Exit codes (:data:`EXIT_OK`, :data:`EXIT_WARNINGS`, :data:`EXIT_FAILED`): 0 every check
passed; 1 only warnings (the kiosk works; someone should look); 3 at least one failure (the
kiosk cannot work as it should). 2 stays argparse's "bad arguments".
"""

import json
import os
import shutil
import sqlite3
import subprocess  # the Qt probe runs our own launcher  # nosec B404
import sys
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_WARNINGS = 1
EXIT_FAILED = 3

OK, WARN, FAIL = "ok", "aviso", "falla"
LABELS = {OK: "[ OK  ]", WARN: "[AVISO]", FAIL: "[FALLA]"}

#: Free space under the data folder: below the first the kiosk may soon fail to save.
DISK_FAIL_MB = 50
DISK_WARN_MB = 500
#: A kiosk clock before this is certainly wrong (the build is newer); after, implausible.
CLOCK_EARLIEST = datetime(2025, 1, 1, tzinfo=UTC)
CLOCK_LATEST = datetime(2100, 1, 1, tzinfo=UTC)
#: Kiosk clock vs the server's: signed requests are refused beyond the server's window.
CLOCK_SKEW_WARN_S = 120
#: The smallest screen the kiosk's layout is designed for (docs/design/ux.md).
MIN_SCREEN_PX = (1024, 600)
#: Files the kiosk reads at start; a glob must match at least one file.
REQUIRED_ASSETS = (
    "styles/normal.qss", "styles/high_contrast.qss", "catalogues/case_categories.json",
    "catalogues/services.json", "catalogues/organisation.json", "instruments/*/*.json",
    "fonts/*.ttf", "translations/trato_es.qm", "translations/qtbase_es.qm",
)
PROBE_TIMEOUT_S = 30


@dataclass(frozen=True)
class Check:
    """One line of the report: which check, ok/aviso/falla, and what the technician reads."""

    name: str
    title: str
    status: str
    message: str


def _check(name: str, title: str, status: str, message: str) -> Check:
    return Check(name, title, status, message)


# ---------------------------------------------------------------------------- files


def check_assets(assets: Path) -> Check:
    title = "Archivos del programa"
    missing = [pattern for pattern in REQUIRED_ASSETS
               if not any(p.is_file() and p.stat().st_size > 0 for p in assets.glob(pattern))]
    if missing:
        return _check("assets", title, FAIL, f"faltan en {assets}: {', '.join(missing)}; "
                      "reinstale el kiosco")
    return _check("assets", title, OK, f"completos en {assets}")


def check_disk(data_dir: Path) -> Check:
    title = "Espacio en disco"
    probe = data_dir if data_dir.exists() else data_dir.parent
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    free_mb = shutil.disk_usage(probe).free // (1024 * 1024)
    text = f"{free_mb} MB libres en {probe}"
    if free_mb < DISK_FAIL_MB:
        return _check("disk", title, FAIL, f"{text}: libere espacio, el kiosco no podrá guardar")
    if free_mb < DISK_WARN_MB:
        return _check("disk", title, WARN, f"{text}: queda poco espacio")
    return _check("disk", title, OK, text)


def check_clock(now: datetime | None = None) -> Check:
    now = now or datetime.now(UTC)
    text = f"{now.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
    if not CLOCK_EARLIEST <= now < CLOCK_LATEST:
        return _check("clock", "Reloj", FAIL, f"{text}: la fecha es imposible; corrija el reloj "
                      "del equipo (BIOS o NTP)")
    return _check("clock", "Reloj", OK, text)


# ---------------------------------------------------------------------------- database


def _writable_dir(folder: Path) -> bool:
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".selftest-"):
            return True
    except OSError:
        return False


def check_database(db_path: Path, head: str) -> Check:
    """Integrity (``PRAGMA integrity_check``), writable file and folder, schema revision."""
    title = "Base de datos"
    folder = db_path.parent
    if not db_path.exists():
        while not folder.is_dir() and folder != folder.parent:  # the kiosk creates it
            folder = folder.parent
        if _writable_dir(folder):
            return _check("database", title, OK, f"aún no existe; se creará en {db_path} al "
                          "primer inicio")
        return _check("database", title, FAIL, f"no se puede escribir en {folder}; revise el "
                      "dueño y los permisos de la carpeta de datos")
    if not (os.access(db_path, os.R_OK | os.W_OK) and _writable_dir(folder)):
        return _check("database", title, FAIL, f"{db_path} o su carpeta no se pueden escribir; "
                      "revise el dueño y los permisos")
    try:
        conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            try:
                stamped = conn.execute("SELECT version_num FROM alembic_version").fetchall()
            except sqlite3.OperationalError:
                stamped = []
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return _check("database", title, FAIL, f"{db_path} está dañada ({exc}); el kiosco la "
                      "apartará y rescatará lo legible al iniciar: avise a soporte")
    if result != ["ok"]:
        return _check("database", title, FAIL, f"{db_path} está dañada "
                      f"({'; '.join(result[:3])}); avise a soporte")
    revision = stamped[0][0] if len(stamped) == 1 else None
    if revision == head:
        return _check("database", title, OK, f"íntegra, versión {revision}, {db_path}")
    if revision is not None and revision > head:
        return _check("database", title, FAIL, f"versión {revision} más nueva que el programa "
                      f"({head}); instale la versión más reciente")
    return _check("database", title, WARN, f"íntegra, versión {revision or 'ninguna'}; se "
                  f"actualizará a {head} al iniciar el kiosco")


# ---------------------------------------------------------------------------- server


def check_server(settings: Any, now: datetime | None = None) -> list[Check]:
    """A signed status request with the stored credentials: the server answers, knows this
    kiosk and has not revoked it; and the kiosk's clock agrees with the server's."""
    from kiosk.sync.client import AuthError, CentralClient, SyncError, TransientError
    from kiosk.sync.credentials import CredentialsError, load_credentials

    title = "Servidor y registro"
    try:
        creds = load_credentials(settings.credentials_dir)
    except CredentialsError as exc:
        return [_check("server", title, FAIL, f"credenciales dañadas ({exc}); registre el "
                       "kiosco de nuevo con: trato-kiosk enroll --force")]
    if creds is None:
        return [_check("server", title, WARN, "este kiosco no está registrado; regístrelo con: "
                       "trato-kiosk enroll --server URL --token TOKEN")]
    ca = creds.ca_bundle or (str(settings.ca_bundle) if settings.ca_bundle else None)
    client = CentralClient(creds.server_url, kiosk_id=creds.kiosk_id,
                           signing_key=creds.signing_key, ca_bundle=ca,
                           connect_timeout=5, read_timeout=10)
    try:
        client.kiosk_status()
    except TransientError as exc:
        return [_check("server", title, WARN, f"{creds.server_url} no responde ({exc.code}); "
                       "el kiosco guarda los registros y los enviará cuando haya red")]
    except AuthError as exc:
        return [_check("server", title, FAIL, f"{creds.server_url} rechazó al kiosco "
                       f"({exc.code}); pida un token nuevo y registre con --force")]
    except SyncError as exc:
        return [_check("server", title, FAIL, f"{creds.server_url} respondió con error "
                       f"({exc.code})")]
    finally:
        client.close()
    checks = [_check("server", title, OK, f"{creds.server_url} responde; kiosco "
                     f"{creds.kiosk_id} registrado y vigente")]
    skew = abs(client.offset_seconds)
    if client.offset_learned and skew > CLOCK_SKEW_WARN_S:
        checks.append(_check("clock_skew", "Reloj contra el servidor", WARN,
                             f"difiere {skew:.0f} s del servidor; sincronice el reloj (NTP)"))
    return checks


# ---------------------------------------------------------------------------- Qt


def qt_probe(assets: Path, dpi: float | None, diagonal: float | None) -> dict[str, Any]:
    """Runs in the child process: what Qt sees (platform, screen, fonts, translations)."""
    from PySide6.QtCore import QTranslator
    from PySide6.QtGui import QFontDatabase, QGuiApplication

    from kiosk.ui.assets import FONT_FAMILY, AssetLibrary
    from kiosk.ui.metrics import Metrics

    library = AssetLibrary(assets)
    os.environ.setdefault("FONTCONFIG_FILE", str(library.fontconfig_file))  # as kiosk.app.main
    app = QGuiApplication(sys.argv[:1])
    screen = app.primaryScreen()
    size = screen.geometry().size() if screen is not None else None
    # Linux: fontconfig itself lists the bundled fonts to the running kiosk (kiosk.app.load_fonts).
    listed = FONT_FAMILY in QFontDatabase.families() \
        if library.fonts_listed_by_fontconfig else None
    fonts = {}
    for font in sorted((assets / "fonts").glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(font))
        fonts[font.name] = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    translations = {}
    for name in ("trato_es.qm", "qtbase_es.qm"):
        translations[name] = QTranslator().load(str(assets / "translations" / name))
    return {
        "platform": QGuiApplication.platformName(),
        "screen": [size.width(), size.height()] if size is not None else None,
        "dpi": Metrics.dpi_of(screen, dpi=dpi, diagonal_inches=diagonal),
        "fonts": fonts,
        "fontconfig_lists_fonts": listed,
        "translations": translations,
    }


def _probe_command() -> list[str]:
    if getattr(sys, "frozen", False):  # the bundle's own launcher
        return [sys.executable, "self-test", "--qt-probe"]
    return [sys.executable, "-m", "kiosk.cli", "self-test", "--qt-probe"]


def check_qt(settings: Any, env: dict[str, str] | None = None) -> list[Check]:
    args = _probe_command()
    if settings.data_dir:
        args += ["--data-dir", str(settings.data_dir)]
    platform = (env or os.environ).get("QT_QPA_PLATFORM") or "predeterminada"
    try:
        done = subprocess.run(  # noqa: S603  # our own launcher, fixed arguments  # nosec B603
            args, capture_output=True, text=True, timeout=PROBE_TIMEOUT_S, env=env, check=False)
        probe = json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else None
    except (subprocess.TimeoutExpired, ValueError, IndexError):
        done, probe = None, None
    if probe is None:
        detail = (done.stderr.strip().splitlines() or ["sin mensaje"])[-1] if done else \
            f"sin respuesta en {PROBE_TIMEOUT_S} s"
        return [_check("qt", "Pantalla (Qt)", FAIL, f"no se pudo abrir la plataforma gráfica "
                       f"{platform}: {detail}; revise DISPLAY y las bibliotecas xcb")]
    checks = [_check("qt", "Plataforma gráfica (Qt)", OK, str(probe["platform"]))]
    checks.append(_screen_check(probe))
    checks.append(fonts_check(probe))
    bad = [name for name, loaded in probe["translations"].items() if not loaded]
    checks.append(_check("translations", "Traducciones", FAIL if bad else OK,
                         f"no cargan: {', '.join(bad)}; reinstale el kiosco" if bad
                         else ", ".join(sorted(probe["translations"]))))
    return checks


def fonts_check(probe: dict[str, Any]) -> Check:
    """The bundled fonts load; on Linux, fontconfig also lists them to the kiosk (if not,
    the kiosk loads them itself once its first screen is drawn: it starts a little later)."""
    title = "Tipografías"
    missing = [name for name, families in probe["fonts"].items() if not families]
    if not probe["fonts"] or missing:
        return _check("fonts", title, FAIL, "no cargan: "
                      f"{', '.join(missing) or 'ninguna instalada'}; reinstale el kiosco")
    families = ", ".join(sorted({f for fams in probe["fonts"].values() for f in fams}))
    if probe.get("fontconfig_lists_fonts") is False:
        return _check("fonts", title, WARN, f"{families} cargan, pero fontconfig no las "
                      "encuentra con assets/fonts/fonts.conf (¿un fontconfig antiguo?); "
                      "el kiosco las carga él mismo y arranca algo más tarde")
    return _check("fonts", title, OK, families)


def _screen_check(probe: dict[str, Any]) -> Check:
    title = "Pantalla"
    if probe["screen"] is None:
        return _check("screen", title, FAIL, "Qt no encuentra ninguna pantalla conectada")
    width, height = probe["screen"]
    text = f"{width}x{height} píxeles, {probe['dpi']:.0f} ppp"
    if min(width, height) < min(MIN_SCREEN_PX) or max(width, height) < max(MIN_SCREEN_PX):
        return _check("screen", title, WARN, f"{text}: menor que {MIN_SCREEN_PX[0]}x"
                      f"{MIN_SCREEN_PX[1]}, el kiosco puede verse apretado")
    return _check("screen", title, OK, text)


# ---------------------------------------------------------------------------- report


def run_checks(settings: Any, assets: Path, *, qt: bool = True) -> list[Check]:
    from kiosk.storage.migrate import head_revision

    checks = [check_assets(assets)]
    if qt:
        checks += check_qt(settings)
    checks += [check_database(Path(settings.db_path), head_revision()),
               check_disk(Path(settings.data_dir)), check_clock()]
    checks += check_server(settings)
    return checks


def record(settings: Any, checks: list[Check], now: datetime | None = None) -> bool:
    """Keep this run's summary in the data folder for the central server (names and
    outcomes only); False when it could not be written (the report still stands)."""
    from kiosk.sync.report import save_self_test, summarise

    summary = summarise(((c.name, c.status) for c in checks), now or datetime.now(UTC))
    try:
        save_self_test(settings.data_dir, summary)
    except OSError as exc:
        import logging

        logging.getLogger(__name__).warning("self-test summary not stored: %s",
                                            type(exc).__name__)
        return False
    return True


def quick_self_test(settings: Any, assets: Path) -> list[Check]:
    """What the kiosk runs at start when no recent self-test is stored: every check but the
    Qt probe (the running kiosk's window already shows Qt works), recorded."""
    checks = run_checks(settings, assets, qt=False)
    record(settings, checks)
    return checks


def startup_self_test(settings: Any, assets: Path) -> bool:
    """Run the quick self-test when no recent one is stored, so the central server always
    has one to show (the kiosk calls it in its sync worker, before the first round).
    Returns whether it ran."""
    from kiosk.sync.report import needs_self_test

    if not needs_self_test(settings.data_dir, datetime.now(UTC)):
        return False
    quick_self_test(settings, assets)
    return True


def exit_code(checks: list[Check]) -> int:
    statuses = {check.status for check in checks}
    if FAIL in statuses:
        return EXIT_FAILED
    return EXIT_WARNINGS if WARN in statuses else EXIT_OK


def render(checks: list[Check], version: str) -> str:
    lines = [f"Autodiagnóstico del kiosco Trato Digno {version}"]
    lines += [f"{LABELS[c.status]} {c.title}: {c.message}" for c in checks]
    fails = sum(c.status == FAIL for c in checks)
    warns = sum(c.status == WARN for c in checks)
    code = exit_code(checks)
    verdict = {EXIT_OK: "todo en orden", EXIT_WARNINGS: "funciona, con avisos",
               EXIT_FAILED: "hay fallas que impiden el funcionamiento"}[code]
    lines.append(f"Resultado: {verdict} ({fails} falla(s), {warns} aviso(s); código {code})")
    return "\n".join(lines) + "\n"


def as_json(checks: list[Check], version: str) -> str:
    return json.dumps({"version": version, "exit_code": exit_code(checks),
                       "checks": [asdict(c) for c in checks]}, ensure_ascii=False) + "\n"
