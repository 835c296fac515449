"""``trato-central``: serve, migrate, users, kiosk tokens and revocation, catalogues, demo data,
rebuilding the board's rollups.

Settings come from the environment (``TD_CENTRAL_*``) or ``--env-file``; ``--database-url`` and
``--data-dir`` override them for one command.
"""

import argparse
import getpass
import logging
import os
import sys
import uuid
from typing import Any

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="trato-central",
                                     description="Servidor central de Trato Digno")
    parser.add_argument("--env-file", help="file with TD_CENTRAL_* settings")
    parser.add_argument("--database-url", help="SQLAlchemy URL (default: SQLite in data dir)")
    parser.add_argument("--data-dir", help="writable data folder")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the HTTP server (uvicorn)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--log-level", default="info")

    sub.add_parser("migrate", help="upgrade the database schema to the latest revision")

    user = sub.add_parser("create-user", help="create or update a board user")
    user.add_argument("username")
    user.add_argument("--role", required=True,
                      choices=["admin", "nacional", "ooad", "umae", "unidad", "agente"])
    user.add_argument("--scope", default=None,
                      help="code of the branch: OOAD/UMAE code or unit CLUES")
    user.add_argument("--display-name", default="")
    user.add_argument("--password-stdin", action="store_true",
                      help="read the password from standard input")
    user.add_argument("--password-env", default=None,
                      help="name of an environment variable holding the password")

    staff = sub.add_parser("set-staff-pin",
                           help="create or update a module agent's kiosk account and PIN")
    staff.add_argument("unit", help="CLUES of the agent's unit")
    staff.add_argument("employee_number", help="what the agent types to sign in")
    staff.add_argument("--name", default=None, help="display name (needed for a new agent)")
    staff.add_argument("--role", default=None, choices=["agente", "administrador"],
                       help="what the account may do on the kiosk (default: agente)")
    staff.add_argument("--title", default=None, help="job title, e.g. 'técnico(a) de atención'")
    staff.add_argument("--can-read-sensitive", default=None, choices=["yes", "no"],
                       help="may open cases flagged sensible")
    staff.add_argument("--certified-on", default=None, help="Buen Trato certification, YYYY-MM-DD")
    staff.add_argument("--certified-until", default=None, help="certification ends, YYYY-MM-DD")
    staff.add_argument("--deactivate", action="store_true", help="the agent can no longer sign in")
    staff.add_argument("--no-pin", action="store_true", help="change the account, keep the PIN")
    staff.add_argument("--pin-stdin", action="store_true", help="read the PIN from standard input")
    staff.add_argument("--pin-env", default=None,
                       help="name of an environment variable holding the PIN")

    token = sub.add_parser("issue-token", help="print a one-time kiosk enrolment token")
    token.add_argument("target", help="module code or unit CLUES")
    token.add_argument("--expires", type=int, default=None, help="hours (default: settings)")

    revoke = sub.add_parser("revoke-kiosk", help="revoke a kiosk")
    revoke.add_argument("kiosk_id")
    revoke.add_argument("--reason", default="")

    cat = sub.add_parser("load-catalogue", help="load the organisation catalogue (idempotent)")
    cat.add_argument("path", nargs="?", help="organisation.json (default: bundled)")

    demo = sub.add_parser("demo-data", help="create realistic demo units, kiosks and records")
    demo.add_argument("--days", type=int, default=120)
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--scale", type=float, default=1.0)
    demo.add_argument("--users-password-env", default=None,
                      help="create demo users (admin, nacional, ooad.cdmxn, ooad.jal, "
                           "umae.sxxi, agente.800) with the password in this environment variable")

    sub.add_parser("export-public-key", help="print the sealing public key (base64)")
    sub.add_parser("rebuild-rollups",
                   help="refill the board's daily counts from the stored records (one "
                        "transaction; kiosks' batches wait while it runs)")
    # Signed kiosk updates (TUF repository): central/updates/cli.py.
    from central.updates.cli import add_parser as add_updates_parser

    add_updates_parser(sub)
    return parser


def _settings(args: argparse.Namespace) -> Any:
    from central.settings import load_settings

    overrides: dict[str, Any] = {}
    if args.database_url:
        overrides["database_url"] = args.database_url
    if args.data_dir:
        overrides["data_dir"] = args.data_dir
    return load_settings(args.env_file, **overrides)


def _engine(settings: Any, migrate: bool = True) -> Any:
    from pathlib import Path

    from central.db import make_engine
    from central.migrations import upgrade_to_head

    Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    if migrate:
        upgrade_to_head(engine)
    return engine


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = _settings(args)
    # Workers re-read the settings from the environment.
    os.environ["TD_CENTRAL_DATABASE_URL"] = settings.database_url
    os.environ["TD_CENTRAL_DATA_DIR"] = str(settings.data_dir)
    if args.env_file:
        os.environ["TD_CENTRAL_ENV_FILE"] = args.env_file
    # Migrate once before the workers start (unless a migrate unit or job does it).
    _engine(settings, migrate=settings.auto_migrate).dispose()
    # Forwarded headers only from the configured proxies (none by default): uvicorn's own
    # default would believe any X-Forwarded-For sent from loopback.
    proxies = list(settings.trusted_proxies)
    uvicorn.run("central.app:app_factory", factory=True, host=args.host, port=args.port,
                workers=args.workers, log_level=args.log_level, proxy_headers=bool(proxies),
                forwarded_allow_ips=proxies)
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from central.migrations import current_revision

    engine = _engine(_settings(args))
    _out(f"schema at revision {current_revision(engine)}")
    return 0


def _password(args: argparse.Namespace) -> str:
    if args.password_env:
        value = os.environ.get(args.password_env, "")
    elif args.password_stdin:
        value = sys.stdin.readline().rstrip("\n")
    else:
        value = getpass.getpass("Contraseña: ")
        if getpass.getpass("Repita la contraseña: ") != value:
            raise SystemExit("las contraseñas no coinciden")
    from central.services.users import MIN_PASSWORD_LENGTH

    if len(value) < MIN_PASSWORD_LENGTH:
        raise SystemExit(f"la contraseña debe tener al menos {MIN_PASSWORD_LENGTH} caracteres")
    return value


def cmd_create_user(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from central.services.users import UserError, create_or_update_user

    engine = _engine(_settings(args))
    password = _password(args)
    with Session(engine) as session:
        try:
            user = create_or_update_user(session, args.username, role=args.role,
                                         scope_code=args.scope, password=password,
                                         display_name=args.display_name)
        except UserError as exc:
            _err(str(exc))
            return 2
    _out(f"user {user.username} ({user.role})")
    return 0


def _pin(args: argparse.Namespace) -> str | None:
    if args.no_pin:
        return None
    if args.pin_env:
        return os.environ.get(args.pin_env, "")
    if args.pin_stdin:
        return sys.stdin.readline().strip()
    value = getpass.getpass("PIN: ")
    if getpass.getpass("Repita el PIN: ") != value:
        raise SystemExit("los PIN no coinciden")
    return value


def cmd_set_staff_pin(args: argparse.Namespace) -> int:
    from datetime import date

    from sqlmodel import Session

    from central.services.staff import StaffAccount, StaffError, set_staff_account
    from trato.domain.enums import StaffRole

    def day(text: str | None) -> date | None:
        try:
            return date.fromisoformat(text) if text else None
        except ValueError:
            raise SystemExit(f"not a date (YYYY-MM-DD): {text}") from None

    account = StaffAccount(
        unit_clues=args.unit, employee_number=args.employee_number, pin=_pin(args),
        name=args.name, role=StaffRole(args.role) if args.role else None, title=args.title,
        can_read_sensitive=None if args.can_read_sensitive is None
        else args.can_read_sensitive == "yes",
        certified_on=day(args.certified_on), certified_until=day(args.certified_until),
        active=False if args.deactivate else None)
    engine = _engine(_settings(args))
    with Session(engine) as session:
        try:
            member = set_staff_account(session, account)
        except StaffError as exc:
            _err(str(exc))
            return 2
        summary = (f"staff {member.employee_number} ({member.kiosk_role}) at {args.unit}: "
                   f"{'PIN set' if member.pin_hash else 'no PIN'}, "
                   f"{'active' if member.active else 'inactive'}")
    _out(summary)  # never the PIN
    return 0


def cmd_issue_token(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from central.services.enrolment import issue_token

    settings = _settings(args)
    engine = _engine(settings)
    with Session(engine) as session:
        try:
            token = issue_token(session, args.target,
                                hours=args.expires or settings.enrolment_token_hours,
                                created_by="cli")
        except LookupError as exc:
            _err(str(exc))
            return 2
    _out(token)
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from central.services.enrolment import revoke_kiosk

    engine = _engine(_settings(args))
    with Session(engine) as session:
        try:
            kiosk = revoke_kiosk(session, uuid.UUID(args.kiosk_id), args.reason)
        except (LookupError, ValueError):
            _err("unknown kiosk")
            return 2
        # Read while the session is open: the committed instance is expired afterwards.
        summary = f"kiosk {kiosk.id} {kiosk.status}"
    _out(summary)
    return 0


def cmd_load_catalogue(args: argparse.Namespace) -> int:
    from pathlib import Path

    from sqlmodel import Session

    from central.catalogue import load_organisation, publish_bundled_configuration, read_catalogue

    engine = _engine(_settings(args))
    data = read_catalogue(Path(args.path) if args.path else None)
    with Session(engine) as session:
        counts = load_organisation(session, data)
        counts.update(publish_bundled_configuration(session))
    _out(", ".join(f"{k}: {v}" for k, v in counts.items()))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from central.demo import create_demo_data
    from central.keys import load_or_create_sealing_key, sealing_public_key_b64

    settings = _settings(args)
    engine = _engine(settings)
    password = os.environ.get(args.users_password_env) if args.users_password_env else None
    summary = create_demo_data(
        engine, days=args.days, seed=args.seed, scale=args.scale,
        sealing_public_key=sealing_public_key_b64(load_or_create_sealing_key(settings)),
        users_password=password)
    _out(", ".join(f"{k}: {v}" for k, v in summary.items()))
    return 0


def cmd_public_key(args: argparse.Namespace) -> int:
    from central.keys import load_or_create_sealing_key, sealing_public_key_b64

    _out(sealing_public_key_b64(load_or_create_sealing_key(_settings(args))))
    return 0


def cmd_rebuild_rollups(args: argparse.Namespace) -> int:
    from central.services.rollups import rebuild_rollups

    engine = _engine(_settings(args))
    with engine.begin() as conn:
        counts = rebuild_rollups(conn)
    _out(", ".join(f"{k}: {v}" for k, v in counts.items()))
    return 0


def cmd_updates(args: argparse.Namespace) -> int:
    from central.updates.cli import run

    return run(args, _settings)


COMMANDS = {
    "serve": cmd_serve, "migrate": cmd_migrate, "create-user": cmd_create_user,
    "set-staff-pin": cmd_set_staff_pin,
    "issue-token": cmd_issue_token, "revoke-kiosk": cmd_revoke,
    "load-catalogue": cmd_load_catalogue, "demo-data": cmd_demo,
    "export-public-key": cmd_public_key, "rebuild-rollups": cmd_rebuild_rollups,
    "updates": cmd_updates,
}


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    return COMMANDS[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
