"""The one-file Linux installer end to end: build, install into a throwaway root, enrol with a
real central server, self-test, the installed kiosk on Xvfb with the session's window manager,
upgrade over a database with records, uninstall and purge."""

import hashlib
import json
import os
import secrets
import shutil
import signal
import sqlite3
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.clock import SystemClock
from kiosk.services.surveys import SurveyService
from kiosk.storage.db import open_database
from kiosk.storage.migrate import SCHEMA_HEAD, migrate
from tests.installer.conftest import ROOT, Installed, run_installer
from tests.kiosk.storage.factories import survey_draft
from tests.support.central import CentralHandle
from tests.support.xdisplay import (
    require_xdisplay,
    stop_process,
    wait_for_stable_geometry,
    wait_for_window,
    wait_until,
    xdisplay,
)

#: Qt modules and Python packages the kiosk does not use: none may be in the bundle.
UNUSED = ("QtWebEngine", "Qt3D", "QtQuick", "QtQml", "QtMultimedia", "QtCharts", "QtPdf",
          "QtDesigner", "QtSql", "QtTest", "QtWayland", "QtSvg", "QtOpenGL")
UNUSED_PACKAGES = ("numpy", "fastapi", "uvicorn", "psycopg", "central", "pytest", "yaml",
                   "greenlet", "setuptools", "jinja2")


def dash_token(central: CentralHandle) -> str:
    """A real one-time token of the kind that broke ``--token`` (it starts with "-")."""
    from central.db import utcnow
    from central.models.organisation import EnrolmentToken
    from central.security import hash_token
    from central.services.enrolment import resolve_module

    token = "-" + secrets.token_urlsafe(24)[1:]
    with central.session() as session:
        module = resolve_module(session, "ASIMS000039")
        session.add(EnrolmentToken(token_hash=hash_token(token), module_id=module.id,
                                   expires_at=utcnow() + timedelta(hours=1), created_by="test"))
        session.commit()
    return token


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def enrolled(installer_file: Path, central: CentralHandle,
             tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """A fresh install, enrolled silently with a token that starts with "-"."""
    root = tmp_path_factory.mktemp("root")
    done = run_installer(installer_file, "--root", root, "--server", central.base_url,
                         "--token", dash_token(central))
    assert done.returncode == 0, done.stdout + done.stderr
    return Installed(root)


def test_the_bundle_is_a_folder_without_what_the_kiosk_does_not_use(kiosk_bundle: Path) -> None:
    internal = kiosk_bundle / "_internal"
    names = [p.relative_to(kiosk_bundle).as_posix() for p in kiosk_bundle.rglob("*")]
    assert not [n for n in names if any(module in n for module in UNUSED)]
    assert not [p for p in UNUSED_PACKAGES if (internal / p).exists()]
    platforms = sorted(p.name for p in internal.glob("PySide6/Qt/plugins/platforms/*"))
    assert platforms == ["libqoffscreen.so", "libqxcb.so"]
    for asset in ("fonts/NotoSans-Regular.ttf", "translations/trato_es.qm",
                  "translations/qtbase_es.qm", "styles/normal.qss",
                  "instruments/trato-general/v1.json"):
        assert (internal / "assets" / asset).is_file(), asset
    assert not list(internal.glob("assets/**/*.ts"))
    assert (internal / "kiosk" / "storage" / "migrations" / "env.py").is_file()


def test_the_smoke_checks_pass_on_the_folder(kiosk_bundle: Path) -> None:
    done = subprocess.run(["bash", str(ROOT / "installer" / "check-dist.sh"), str(kiosk_bundle)],
                          capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "check-dist: all checks passed" in done.stdout


def test_install_writes_the_program_the_session_and_enrols(enrolled: Installed) -> None:
    assert enrolled.exe.is_file()
    assert (enrolled.prefix / "VERSION").read_text().strip()
    assert (enrolled.prefix / "install-kiosk.sh").is_file()
    assert (enrolled.prefix / "kiosk-session").is_file()
    assert enrolled.data.stat().st_mode & 0o777 == 0o700
    assert (enrolled.data / "credentials").is_dir()
    # The session: LightDM logs the account in -> kiosk-session (no blanking, matchbox) ->
    # the unit, restarted whenever the kiosk exits, on the installed program.
    assert enrolled.unit_values("Restart") == ["always"]
    # Through the launcher that starts the version signed updates point at (none yet).
    assert enrolled.unit_values("ExecStart") == ["/opt/trato-kiosk/trato-kiosk-launch run"]
    assert os.access(enrolled.prefix / "trato-kiosk-launch", os.X_OK)
    assert "Exec=/opt/trato-kiosk/kiosk-session" in enrolled.xsession.read_text()
    conf = enrolled.lightdm.read_text()
    assert "autologin-user=trato-kiosk" in conf and "-s 0 -dpms" in conf
    session = (enrolled.prefix / "kiosk-session").read_text()
    assert "xset s off -dpms s noblank" in session and "matchbox-window-manager" in session
    # Lock-down: no console switch or X kill from a keyboard someone plugs in, no SysRq.
    xorg, sysctl = (path.read_text() for path in enrolled.lockdown)
    assert 'Section "ServerFlags"' in xorg
    assert 'Option "DontVTSwitch" "true"' in xorg and 'Option "DontZap" "true"' in xorg
    assert "kernel.sysrq = 0" in sysctl.splitlines()


def test_the_installed_self_test_passes_on_a_real_screen(enrolled: Installed) -> None:
    require_xdisplay()
    with xdisplay(1920, 1080) as x:
        done = enrolled.run("self-test", env=x.env({"QT_QPA_PLATFORM": "xcb"}))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "[ OK  ] Servidor y registro" in done.stdout
    assert "[ OK  ] Pantalla: 1920x1080" in done.stdout
    assert "todo en orden" in done.stdout


def test_the_installed_kiosk_covers_the_screen_in_the_session(enrolled: Installed,
                                                              tmp_path: Path) -> None:
    require_xdisplay()
    command, unit_env = enrolled.service_command()
    Path(unit_env["TMPDIR"]).mkdir(parents=True, exist_ok=True)  # the unit's ExecStartPre
    with xdisplay(1280, 800, wm="matchbox", log_dir=tmp_path / "x") as x:
        env = x.env(unit_env, base={"PATH": "/usr/bin:/bin", "HOME": str(enrolled.data),
                                    "LANG": "C.UTF-8"})
        kiosk = x.start(command, env=env, log=tmp_path / "kiosk.log")
        wait_for_window(x, kiosk.pid, timeout=60, proc=kiosk)
        geometry = wait_for_stable_geometry(x, kiosk.pid)
        assert (geometry.x, geometry.y, geometry.width, geometry.height) == (0, 0, 1280, 800), \
            x.tree()
        # SIGTERM once the first sync round is over (see the report: during it, the
        # kiosk aborts with "QThread: Destroyed while thread 'sync-worker' is still running").
        wait_until(lambda: json.loads(enrolled.run("status").stdout or "{}").get(
            "last_success_at"), 30, "the first sync round", interval=0.5)
        assert stop_process(kiosk) == 0, (tmp_path / "kiosk.log").read_text()[-3000:]


def test_a_provisioning_file_enrols_and_a_rerun_keeps_the_enrolment(
        installer_file: Path, central: CentralHandle, tmp_path: Path) -> None:
    provisioning = tmp_path / "usb" / "provisioning.json"
    provisioning.parent.mkdir()
    provisioning.write_text(json.dumps({"server": central.base_url,
                                        "token": central.issue_token()}))
    installed = Installed(tmp_path / "root")
    done = run_installer(installer_file, "--root", installed.root, "--provisioning",
                         provisioning)
    assert done.returncode == 0, done.stdout + done.stderr
    credentials = installed.data / "credentials" / "kiosk-credentials.json"
    first = credentials.read_bytes()
    assert json.loads(first)["server_url"] == central.base_url
    # Run again with the same (now used) file: already enrolled, kept, exit 0.
    done = run_installer(installer_file, "--root", installed.root, "--provisioning",
                         provisioning)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "already enrolled; kept" in done.stdout
    assert credentials.read_bytes() == first
    assert all(path.is_file() for path in installed.lockdown)
    # A lab PC: the same rerun with --no-lockdown takes the lock-down away, nothing else.
    done = run_installer(installer_file, "--root", installed.root, "--no-lockdown")
    assert done.returncode == 0, done.stdout + done.stderr
    assert not any(path.exists() for path in installed.lockdown)
    assert credentials.read_bytes() == first and installed.unit.is_file()


def test_a_bad_option_is_exit_2(installer_file: Path, tmp_path: Path) -> None:
    done = run_installer(installer_file, "--root", tmp_path, "--server", "https://x")
    assert done.returncode == 2 and "--server needs --token" in done.stderr
    assert run_installer(installer_file, "--root", tmp_path, "--bogus").returncode == 2
    assert not (tmp_path / "opt").exists()


def test_a_refused_token_is_exit_4(installer_file: Path, central: CentralHandle,
                                   tmp_path: Path) -> None:
    done = run_installer(installer_file, "--root", tmp_path, "--server", central.base_url,
                         "--token", "-" + secrets.token_urlsafe(20))
    assert done.returncode == 4, done.stdout + done.stderr
    assert not (tmp_path / "etc" / "systemd").exists()  # no session for an unenrolled kiosk


def _old_database_with_records(source: Path, target: Path, count: int) -> None:
    """A kiosk database at schema 0002 holding ``count`` survey responses, most of them
    still only in its -wal file, copied to ``target`` as a running kiosk left it."""
    source.parent.mkdir(parents=True, exist_ok=True)
    migrate(source, target="0002")  # the schema as release 0002 made it
    # The survey and outbox tables are as 0002 left them, so today's service writes them.
    database = open_database(source, migrate_schema=False).database
    surveys = SurveyService(database, SystemClock())
    for _ in range(count):
        surveys.submit(survey_draft())
    raw = sqlite3.connect(source)
    assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == ("0002",)
    target.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal"):
        shutil.copy2(f"{source}{suffix}", f"{target / 'kiosk.db'}{suffix}")
    raw.close()
    database.close()


def _counts(db: Path) -> tuple[str, int, int]:
    conn = sqlite3.connect(db)
    try:
        (version,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        (surveys,) = conn.execute("SELECT count(*) FROM survey_response").fetchone()
        (outbox,) = conn.execute("SELECT count(*) FROM outbox_entry").fetchone()
    finally:
        conn.close()
    return version, surveys, outbox


def test_upgrade_keeps_the_database_and_its_wal_and_the_kiosk_migrates(
        installer_file: Path, tmp_path: Path) -> None:
    installed = Installed(tmp_path / "root")
    assert run_installer(installer_file, "--root", installed.root, "--no-session").returncode == 0
    (installed.prefix / "VERSION").write_text("0.0.9\n")  # the older version being replaced
    _old_database_with_records(tmp_path / "old" / "kiosk.db", installed.data, 5)
    wal = installed.data / "kiosk.db-wal"
    assert wal.stat().st_size > 0
    before = {p.name: sha256(p) for p in (installed.data / "kiosk.db", wal)}
    # It had taken a signed update (a version that only fails): the new install runs instead.
    updates = installed.data / "updates"
    taken = updates / "versions" / "0.0.9"
    taken.mkdir(parents=True)
    (taken / "trato-kiosk").write_text("#!/bin/sh\nexit 1\n")
    (taken / "trato-kiosk").chmod(0o755)
    (updates / "current").symlink_to(taken)
    (updates / "previous").symlink_to(installed.prefix)
    (updates / "probation").write_text("0.0.9 1\n")

    done = run_installer(installer_file, "--root", installed.root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "upgrade 0.0.9 ->" in done.stdout
    assert not any((updates / name).is_symlink() or (updates / name).exists()
                   for name in ("current", "previous", "probation"))
    assert taken.is_dir()  # left for the updater to prune
    assert {p.name: sha256(p) for p in (installed.data / "kiosk.db", wal)} == before
    assert "se actualizará a" in done.stdout  # the self-test saw the older schema

    command, unit_env = installed.service_command()
    kiosk = subprocess.Popen([*command, "--windowed"], env={**unit_env, "QT_QPA_PLATFORM":
                             "offscreen", "PATH": "/usr/bin:/bin"},
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        log = installed.data / "logs" / "kiosk.log"
        wait_until(lambda: log.is_file() and "database migrated" in log.read_text(), 60,
                   "the installed kiosk to migrate its database")
    finally:
        kiosk.send_signal(signal.SIGTERM)
        assert kiosk.wait(timeout=30) == 0
    assert _counts(installed.data / "kiosk.db") == (SCHEMA_HEAD, 5, 5)


def test_uninstall_keeps_the_data_and_purge_removes_it(installer_file: Path,
                                                       tmp_path: Path) -> None:
    installed = Installed(tmp_path)
    assert run_installer(installer_file, "--root", tmp_path).returncode == 0
    assert all(path.is_file() for path in installed.lockdown)
    (installed.data / "kiosk.db").write_bytes(b"records")
    uninstaller = installed.prefix / "install-kiosk.sh"
    kept = tmp_path / "install-kiosk.sh"
    shutil.copy2(uninstaller, kept)  # the uninstaller removes its own folder

    done = subprocess.run([str(uninstaller), "--root", str(tmp_path), "--uninstall"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert not installed.prefix.exists() and not installed.unit.exists()
    assert not installed.lightdm.exists() and not installed.xsession.exists()
    assert not any(path.exists() for path in installed.lockdown)
    assert (installed.data / "kiosk.db").read_bytes() == b"records"

    done = subprocess.run([str(kept), "--root", str(tmp_path), "--uninstall", "--purge"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert not installed.data.exists()


def test_the_installed_self_test_names_a_missing_file(enrolled: Installed, tmp_path: Path
                                                      ) -> None:
    """A damaged install (a translation deleted): exit 3 and the file named."""
    copy = Installed(tmp_path)
    shutil.copytree(enrolled.prefix, copy.prefix, symlinks=True)
    (copy.prefix / "_internal" / "assets" / "translations" / "trato_es.qm").unlink()
    copy.data.mkdir(parents=True)
    done = copy.run("self-test", env={"QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 3, done.stdout
    assert "[FALLA] Archivos del programa" in done.stdout
    assert "translations/trato_es.qm" in done.stdout
