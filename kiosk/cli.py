"""``trato-kiosk``: the kiosk's command line. Sub-commands are imported lazily so that
``trato-kiosk enroll`` works on a machine without a screen and never imports Qt."""

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="trato-kiosk", description="Kiosco de Trato Digno")
    sub = parser.add_subparsers(dest="command")

    run = sub.add_parser("run", help="start the kiosk (default)")
    run.add_argument("--windowed", action="store_true", help="development: a normal window")
    run.add_argument("--data-dir", help="where the kiosk keeps its database and logs")

    enroll = sub.add_parser("enroll", help="enrol this kiosk with the central server")
    enroll.add_argument("--server", help="central server URL, e.g. https://trato.imss.gob.mx")
    enroll.add_argument("--token", help="one-time enrolment token")
    enroll.add_argument("--file", help="provisioning file with server and token")
    enroll.add_argument("--ca-bundle", help="CA bundle for a hospital's private CA")
    enroll.add_argument("--force", action="store_true",
                        help="enrol again although this kiosk already has credentials")
    enroll.add_argument("--data-dir", help="where the kiosk keeps its database and logs")

    status = sub.add_parser("status", help="print the sync status (no personal data)")
    status.add_argument("--data-dir")

    sync = sub.add_parser("sync", help="run one sync round now, without the UI")
    sync.add_argument("--data-dir")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "run"
    if command == "run":
        from kiosk.app import main as run_main

        return run_main(windowed=getattr(args, "windowed", False),
                        data_dir=getattr(args, "data_dir", None))
    if command == "enroll":
        from kiosk.sync.enrolment import enroll_main

        return enroll_main(args)
    if command == "status":
        from kiosk.sync.status import status_main

        return status_main(args)
    if command == "sync":
        from kiosk.sync.engine import sync_once_main

        return sync_once_main(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
