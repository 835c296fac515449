"""``trato-demo`` (``./dev run``): the newcomer's demo, kiosk and board side by side.

1. prepares a central server on its embedded SQLite under ``./var/demo/central`` (schema,
   organisation catalogue, a few months of demo data, a board user ``demo`` whose password is
   shown once on the console and kept in ``./var/demo/board-password.txt``);
2. starts it on 127.0.0.1 in a child process and waits for ``/healthz``;
3. enrols a kiosk (``./var/demo/kiosk``) to it with a one-time token, unless already enrolled;
4. opens the board in the default browser and starts the kiosk (windowed; ``--fullscreen``
   for the real kiosk mode), so a record tapped on the kiosk can be watched arriving;
5. stops the server when the kiosk closes, and whatever way this process ends: Ctrl+C, an
   error, or an abort inside Qt (a display it cannot use) — the server dies with its parent.

Only this entry point of the kiosk package may import the central server (it embeds it).
"""

import argparse
import contextlib
import ctypes
import ctypes.util
import logging
import os
import secrets
import signal
import socket
import subprocess  # the demo starts our own server and kiosk  # nosec B404
import sys
import time
import urllib.request
import webbrowser
from pathlib import Path
from typing import Any

log = logging.getLogger("trato-demo")

DEFAULT_PORT = 8765
READY_MARKER = ".demo-ready"


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _free_port(preferred: int) -> int:
    for port in (preferred, 0):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(s.getsockname()[1])
    raise RuntimeError("no free port")


def _central(args: list[str], central_dir: Path, env: dict[str, str] | None = None) -> str:
    """Run a ``trato-central`` command in a child process; returns what it printed.

    Never in-process: the central server's tables and the kiosk's share SQLModel's metadata,
    so this process (which runs the kiosk) must not import ``central.models``.
    """
    done = subprocess.run(  # noqa: S603  # our own interpreter and entry point  # nosec B603
        [sys.executable, "-m", "central.cli", "--data-dir", str(central_dir), *args],
        env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=900,
    )
    if done.returncode != 0:
        raise RuntimeError(f"trato-central {args[0]} failed ({done.returncode}): "
                           f"{done.stderr.strip()[-500:]}")
    return done.stdout.strip()


def _central_row(central_dir: Path, sql: str, **params: str) -> Any:
    """The first row of ``sql`` over the demo's central database (SQLite), or None."""
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{central_dir / 'central.db'}")
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql), params).first()
    finally:
        engine.dispose()


def _first_unit_clues(central_dir: Path) -> str:
    row = _central_row(
        central_dir,
        "SELECT n.clues FROM org_node n WHERE n.level = 'unit' AND n.clues IS NOT NULL "
        "AND EXISTS (SELECT 1 FROM org_node m WHERE m.parent_id = n.id "
        "AND m.level = 'module') ORDER BY n.code LIMIT 1")
    if row is None:
        raise RuntimeError("the demo catalogue has no unit with a module")
    return str(row[0])


#: The kiosk PIN of every demo agent (``central/demo.py`` gives it to the made-up staff of
#: the demo organisation). Never on a real server.
DEMO_AGENT_PIN = "135790"


def demo_agent(central_dir: Path, kiosk_dir: Path) -> tuple[str, str] | None:
    """(employee number, name) of an agent of the demo kiosk's unit, to sign in with."""
    from kiosk.settings import load_settings
    from kiosk.sync.credentials import load_credentials

    creds = load_credentials(load_settings(kiosk_dir).credentials_dir)  # type: ignore[arg-type]
    if creds is None:
        return None
    row = _central_row(
        central_dir,
        "SELECT s.employee_number, s.name FROM staff_member s JOIN kiosk k "
        "ON k.unit_id = s.unit_id WHERE k.id = :kiosk AND s.kiosk_role = 'agente' "
        "AND s.employee_number IS NOT NULL ORDER BY s.employee_number LIMIT 1",
        kiosk=creds.kiosk_id.hex)
    return (str(row[0]), str(row[1])) if row else None


def prepare_central(central_dir: Path, root: Path) -> str | None:
    """Schema, catalogue, demo data and the board user, once. Returns the new password
    the first time (None afterwards)."""
    central_dir.mkdir(parents=True, exist_ok=True)
    marker = central_dir / READY_MARKER
    if marker.exists():
        _central(["migrate"], central_dir)
        return None
    _say("Preparando el servidor central de demostración (solo la primera vez)…")
    _central(["migrate"], central_dir)
    _central(["load-catalogue"], central_dir)
    try:
        _central(["demo-data", "--days", "90"], central_dir)
    except RuntimeError as exc:  # the board starts empty; the demo still works
        log.warning("demo data not loaded: %s", exc)
    password = secrets.token_urlsafe(9)
    _central(["create-user", "demo", "--role", "nacional", "--display-name", "Demostración",
              "--password-env", "TD_DEMO_PASSWORD"], central_dir,
             env={"TD_DEMO_PASSWORD": password})
    # The call centre: an agent of the national 800 line registers cases on the web.
    _central(["create-user", "agente", "--role", "agente", "--display-name",
              "Agente de la línea 800", "--password-env", "TD_DEMO_PASSWORD"], central_dir,
             env={"TD_DEMO_PASSWORD": password})
    secret = root / "board-password.txt"
    secret.write_text(f"demo\n{password}\n(agente: same password)\n", encoding="utf-8")
    with contextlib.suppress(OSError):
        secret.chmod(0o600)
    marker.write_text("ok\n", encoding="utf-8")
    return password


#: prctl(2) option: the signal a child gets when its parent dies (Linux).
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when the demo process dies, however it dies (an
    abort inside Qt runs no ``finally``). Linux only; elsewhere the ``finally`` must do."""
    libc_name = ctypes.util.find_library("c")
    if libc_name and sys.platform.startswith("linux"):
        ctypes.CDLL(libc_name, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def start_server(central_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env["TD_CENTRAL_PUBLIC_BASE_URL"] = f"http://127.0.0.1:{port}"
    return subprocess.Popen(  # noqa: S603  # our own interpreter and entry point  # nosec B603
        [sys.executable, "-m", "central.cli", "--data-dir", str(central_dir), "serve",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=env, preexec_fn=_die_with_parent,  # only prctl: safe before exec
    )


def open_board(url: str) -> str | None:
    """Open the board in the person's browser; returns why it could not be opened (None when
    it was), so the address is printed with the reason instead of failing in silence."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
            or sys.platform in ("win32", "darwin")):
        return "no hay una pantalla gráfica (DISPLAY)"
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Chromium and Firefox refuse to run as root (Chromium without --no-sandbox):
        # webbrowser.open would report success and nothing would appear.
        return "los navegadores no se abren como root; ábralo desde su usuario"
    try:
        opened = webbrowser.get().open(url)
    except webbrowser.Error as exc:
        return f"no se encontró un navegador ({exc})"
    return None if opened else "el navegador no respondió"


def wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the central server stopped while starting")
        try:
            # http://127.0.0.1 of the server it started
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:  # noqa: S310  # nosec B310
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the central server did not start in time")


def ensure_enrolled(kiosk_dir: Path, central_dir: Path, url: str) -> None:
    from kiosk.settings import load_settings
    from kiosk.sync.credentials import KioskCredentials, load_credentials, save_credentials
    from kiosk.sync.enrolment import enroll

    settings = load_settings(kiosk_dir)
    creds = load_credentials(settings.credentials_dir)  # type: ignore[arg-type]
    if creds is not None:
        if creds.server_url != url:  # the demo server came up on another port
            save_credentials(settings.credentials_dir,  # type: ignore[arg-type]
                             KioskCredentials(creds.kiosk_id, creds.signing_key, url,
                                              creds.ca_bundle))
        return
    token = _central(["issue-token", _first_unit_clues(central_dir)], central_dir)
    token = token.strip().splitlines()[-1].strip()
    enroll(settings, url, token)
    _say("Kiosco registrado con el servidor central de demostración.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="trato-demo", description=__doc__.splitlines()[0])
    parser.add_argument("--fullscreen", action="store_true",
                        help="start the kiosk fullscreen (kiosk mode) instead of windowed")
    parser.add_argument("--dir", default="var/demo", help="demo data folder (default ./var/demo)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--no-kiosk", action="store_true",
                        help="prepare, start the server and enrol, then wait (Ctrl+C stops)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    # Ctrl+C stops the demo however it was started: a parent that ignores SIGINT (a test
    # runner's worker, nohup) would otherwise pass that on, and Python would not raise.
    signal.signal(signal.SIGINT, signal.default_int_handler)

    root = Path(args.dir).resolve()
    central_dir, kiosk_dir = root / "central", root / "kiosk"
    root.mkdir(parents=True, exist_ok=True)
    password = prepare_central(central_dir, root)
    port = _free_port(args.port)
    url = f"http://127.0.0.1:{port}"
    server = start_server(central_dir, port)
    try:
        wait_healthy(url, server)
        ensure_enrolled(kiosk_dir, central_dir, url)
        # Short rounds so a tapped record shows on the board within seconds.
        os.environ.setdefault("TD_KIOSK_SYNC_INTERVAL_SECONDS", "10")
        _say(f"Tablero: {url}/tablero")
        from kiosk.settings import DEMO_STAFF_PIN

        agent = demo_agent(central_dir, kiosk_dir)
        if agent is not None:  # the roster reaches the kiosk with its first sync
            _say(f"Personal del módulo (cinco toques en el logotipo IMSS): número {agent[0]} "
                 f"({agent[1]}), PIN {DEMO_AGENT_PIN}; administrador del kiosco: marque "
                 f"«Administrador» y use el PIN {DEMO_STAFF_PIN}.")
        if password:
            _say(f"Usuario del tablero: demo   contraseña: {password}   (se muestra solo esta "
                 f"vez; también en {root / 'board-password.txt'})")
        else:
            _say(f"Usuario del tablero: demo (contraseña en {root / 'board-password.txt'})")
        if not args.no_browser:
            why = open_board(f"{url}/tablero")
            if why:
                _say(f"El tablero no se abrió solo: {why}. Ábralo en su navegador: "
                     f"{url}/tablero")
        if args.no_kiosk:
            with contextlib.suppress(KeyboardInterrupt):
                server.wait()
            return 0
        from kiosk.app import main as run_kiosk

        return int(run_kiosk(windowed=not args.fullscreen, data_dir=str(kiosk_dir)) or 0)
    except KeyboardInterrupt:  # Ctrl+C at any moment stops the demo cleanly
        return 0
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    sys.exit(main())
