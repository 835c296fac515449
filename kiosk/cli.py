"""``trato-kiosk``: the kiosk's command line, a composition root like :mod:`kiosk.app`: it reads
the settings and hands them to the sync package. What each sub-command needs is imported
inside it, so ``trato-kiosk enroll`` works on a machine without a screen and never imports Qt,
and ``trato-kiosk run`` paints the attract screen without waiting for what only the other
sub-commands use (``json``).
"""

import argparse
import sys


def _add_run(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    run = sub.add_parser("run", help="start the kiosk (default)")
    run.add_argument("--windowed", action="store_true", help="development: a normal window")
    run.add_argument("--data-dir", help="where the kiosk keeps its database and logs")


def _add_enroll(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    enroll = sub.add_parser("enroll", help="enrol this kiosk with the central server")
    enroll.add_argument("--server", help="central server URL, e.g. https://trato.imss.gob.mx")
    enroll.add_argument("--token", help="one-time enrolment token")
    enroll.add_argument("--file", help="provisioning file with server and token")
    enroll.add_argument("--ca-bundle", help="CA bundle for a hospital's private CA")
    enroll.add_argument("--force", action="store_true",
                        help="enrol again although this kiosk already has credentials")
    enroll.add_argument("--data-dir", help="where the kiosk keeps its database and logs")
    enroll.add_argument("--admin-pin-stdin", action="store_true",
                        help="read the kiosk administrator's PIN from the first line of stdin "
                        "(on a terminal, it is asked for)")


def _add_status(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    status = sub.add_parser("status", help="print the sync status (no personal data)")
    status.add_argument("--data-dir")


def _add_sync(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    sync = sub.add_parser("sync", help="run one sync round now, without the UI")
    sync.add_argument("--data-dir")


def _add_self_test(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    selftest = sub.add_parser("self-test", help="check the installed kiosk (exit 0 ok, "
                              "1 warnings, 3 failures)")
    selftest.add_argument("--data-dir")
    selftest.add_argument("--json", action="store_true", help="one JSON object on stdout")
    selftest.add_argument("--qt-probe", action="store_true", help=argparse.SUPPRESS)


def _add_admin_pin(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    admin = sub.add_parser("set-admin-pin", help="set the kiosk administrator's PIN")
    admin.add_argument("--data-dir")
    admin.add_argument("--stdin", action="store_true",
                       help="read the PIN from the first line of stdin instead of asking")


#: Each sub-command's arguments, in the order ``--help`` lists them.
_SUB_COMMANDS = {"run": _add_run, "enroll": _add_enroll, "status": _add_status,
                 "sync": _add_sync, "self-test": _add_self_test,
                 "set-admin-pin": _add_admin_pin}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line; with ``only`` (a sub-command's name), that sub-command alone.
    ``main`` builds only the one it runs: argparse looks up its translations for every
    parser it makes, which for all seven cost the attract screen a few milliseconds."""
    # The usage line as argparse writes it for all seven, also when only one is built.
    usage = "%(prog)s [-h] {" + ",".join(_SUB_COMMANDS) + "} ..."
    parser = argparse.ArgumentParser(prog="trato-kiosk", usage=usage,
                                     description="Kiosco de Trato Digno")
    sub = parser.add_subparsers(dest="command", prog="trato-kiosk")
    for name, add in _SUB_COMMANDS.items():
        if only is None or only == name:
            add(sub)
    return parser


#: Why a PIN was refused, for the person at the terminal (trato.protocol.pins codes).
_PIN_PROBLEMS = {
    "pin_digits_only": "el PIN lleva solo números",
    "pin_length": "el PIN lleva de 6 a 12 números",
    "pin_too_simple": "el PIN es demasiado sencillo (números iguales o seguidos)",
    "pin_mismatch": "los dos PIN escritos no coinciden",
}


def _read_admin_pin(from_stdin: bool) -> str | None:
    """The administrator's PIN: the first line of stdin, or asked twice on a terminal (never
    echoed); None when there is no terminal to ask on."""
    if from_stdin:
        return sys.stdin.readline().strip()
    if not sys.stdin.isatty():
        return None
    import getpass

    first = getpass.getpass("PIN del administrador de este kiosco: ")
    if getpass.getpass("Escríbalo de nuevo: ") != first:
        raise ValueError("pin_mismatch")
    return first


def _set_admin_pin(data_dir: str | None, pin: str) -> int:
    """Store the administrator's PIN hash; exit 0, or 2 with the reason on stderr."""
    from kiosk.clock import SystemClock
    from kiosk.services.staff import StaffAccounts
    from kiosk.settings import load_settings
    from kiosk.storage.db import open_database

    database = open_database(load_settings(data_dir).db_path).database
    try:
        StaffAccounts(database, SystemClock()).set_admin_pin(pin)
    except ValueError as exc:
        sys.stderr.write(f"trato-kiosk: {_PIN_PROBLEMS.get(str(exc), str(exc))}\n")
        return 2
    finally:
        database.close()
    return 0


def _admin_pin(args: argparse.Namespace) -> int:
    """``trato-kiosk set-admin-pin``: exit 0 when set, 2 when the PIN is refused or missing."""
    try:
        pin = _read_admin_pin(bool(args.stdin))
    except ValueError as exc:
        sys.stderr.write(f"trato-kiosk: {_PIN_PROBLEMS[str(exc)]}\n")
        return 2
    if pin is None:
        sys.stderr.write("trato-kiosk: sin terminal, use --stdin\n")
        return 2
    return _set_admin_pin(args.data_dir, pin)


def _enroll(args: argparse.Namespace) -> int:
    """``trato-kiosk enroll``: exit code 0 on success, see ``kiosk.sync.enrolment.EXIT_*``."""
    from kiosk.settings import load_settings
    from kiosk.sync.enrolment import EXIT_OK, EXIT_USAGE, EnrolmentError, enroll, read_provisioning

    try:
        if args.file:
            prov = read_provisioning(args.file)
            server, token, ca = prov.server, prov.token, args.ca_bundle or prov.ca_bundle
        else:
            server, token, ca = args.server, args.token, args.ca_bundle
            if not server or not token:
                raise EnrolmentError(EXIT_USAGE, "indique --server y --token, o --file")
        settings = load_settings(args.data_dir)
        enroll(settings, server, token, ca_bundle=ca, force=bool(args.force))
    except EnrolmentError as exc:
        sys.stderr.write(f"trato-kiosk enroll: {exc}\n")
        return exc.exit_code
    # The kiosk's own administrator, who signs in before any roster arrives.
    try:
        pin = _read_admin_pin(bool(getattr(args, "admin_pin_stdin", False)))
    except ValueError as exc:
        sys.stderr.write(f"trato-kiosk enroll: {_PIN_PROBLEMS[str(exc)]}; "
                         "use trato-kiosk set-admin-pin\n")
        return EXIT_USAGE
    if pin is not None and _set_admin_pin(args.data_dir, pin):
        return EXIT_USAGE
    return EXIT_OK


def _status(args: argparse.Namespace) -> int:
    """``trato-kiosk status``: the sync status as one JSON object on stdout; exit 1 when the
    kiosk is not enrolled."""
    from kiosk.settings import load_settings
    from kiosk.storage.db import open_database
    from kiosk.sync.credentials import CredentialsError, load_credentials
    from kiosk.sync.status import SyncStatus, read_status

    settings = load_settings(args.data_dir)
    try:
        enrolled = load_credentials(settings.credentials_dir) is not None  # type: ignore[arg-type]
    except CredentialsError:
        enrolled = False
    if not settings.db_path.exists():
        status = SyncStatus(enrolled=False)
    else:
        database = open_database(settings.db_path).database
        try:
            status = read_status(database, enrolled=enrolled)
        finally:
            database.close()
    _print_json(status.to_json())
    return 0 if status.enrolled else 1


def _print_json(value: object, *, ensure_ascii: bool = False) -> None:
    """One JSON object on a line of stdout."""
    import json

    sys.stdout.write(json.dumps(value, ensure_ascii=ensure_ascii) + "\n")


def _sync(args: argparse.Namespace) -> int:
    """``trato-kiosk sync``: one round now; prints the status as JSON. Exit 0 when the round
    succeeded, 1 on a transient failure, 3 when not enrolled, 4 when revoked/refused."""
    from kiosk.settings import load_settings
    from kiosk.storage.db import open_database
    from kiosk.sync.engine import build_engine

    settings = load_settings(args.data_dir)
    database = open_database(settings.db_path).database
    try:
        engine = build_engine(settings, database)
        if engine is None:
            sys.stderr.write("trato-kiosk sync: este kiosco no está registrado\n")
            return 3
        try:
            report = engine.run_round()
            status = engine.status()
        finally:
            engine.client.close()
    finally:
        database.close()
    _print_json(status.to_json())
    if report.ok:
        return 0
    if status.revoked or report.error in ("bad_signature", "unknown_kiosk"):
        return 4
    return 1


def _self_test(args: argparse.Namespace) -> int:
    """``trato-kiosk self-test``: the report on stdout; exit codes in :mod:`kiosk.selftest`."""
    from pydantic import ValidationError

    from kiosk import __version__, selftest
    from kiosk.settings import load_settings
    from kiosk.ui.assets import default_assets_dir

    assets = default_assets_dir()
    try:
        settings = load_settings(args.data_dir)
    except ValidationError as exc:
        first = exc.errors()[0]
        sys.stderr.write(f"trato-kiosk self-test: configuración inválida "
                         f"({'.'.join(map(str, first['loc']))}: {first['msg']})\n")
        return selftest.EXIT_FAILED
    if args.qt_probe:
        probe = selftest.qt_probe(assets, settings.screen_dpi, settings.screen_diagonal_inches)
        _print_json(probe, ensure_ascii=True)
        return 0
    checks = selftest.run_checks(settings, assets)
    selftest.record(settings, checks)
    render = selftest.as_json if args.json else selftest.render
    sys.stdout.write(render(checks, __version__))
    return selftest.exit_code(checks)


#: Options whose value is opaque and may begin with "-" (an enrolment token is URL-safe
#: base64, so about one in 64 starts with "-"): argparse would read it as an option.
_OPAQUE_VALUE_OPTIONS = ("--token",)


def _join_opaque_values(argv: list[str]) -> list[str]:
    """``--token -abc`` → ``--token=-abc``, so every token the server issues works."""
    joined: list[str] = []
    args = iter(argv)
    for arg in args:
        if arg in _OPAQUE_VALUE_OPTIONS:
            value = next(args, None)
            joined.append(arg if value is None else f"{arg}={value}")
        else:
            joined.append(arg)
    return joined


#: The command lines a kiosk session starts with (the service runs ``trato-kiosk run``), and
#: whether each is windowed: read without argparse, whose first parser of a process costs
#: the attract screen 5 ms (it looks up its translations and compiles its patterns).
_PLAIN_RUNS = {(): False, ("run",): False, ("run", "--windowed"): True}


def _run(windowed: bool, data_dir: str | None) -> int:
    from kiosk.app import main as run_main

    return run_main(windowed=windowed, data_dir=data_dir)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if sys.platform == "win32" and getattr(sys, "frozen", False) and argv[:1] in ([], ["run"]):
        # The installed Windows program is its own update launcher (no shell script there).
        from kiosk.sync.launch import launch_installed

        code = launch_installed(argv)
        if code is not None:
            return code
    windowed = _PLAIN_RUNS.get(tuple(argv))
    if windowed is not None:
        return _run(windowed, None)
    # No arguments is "run"; a sub-command's name first needs only its own parser; anything
    # else (--help, a mistake) the whole command line, which lists every sub-command.
    first = argv[0] if argv else "run"
    only = first if first in _SUB_COMMANDS else None
    args = build_parser(only).parse_args(_join_opaque_values(argv))
    command = args.command or "run"
    if command == "run":
        return _run(getattr(args, "windowed", False), getattr(args, "data_dir", None))
    commands = {"enroll": _enroll, "status": _status, "sync": _sync, "self-test": _self_test,
                "set-admin-pin": _admin_pin}
    return commands[command](args)


if __name__ == "__main__":
    sys.exit(main())
