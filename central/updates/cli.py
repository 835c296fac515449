"""``trato-central updates …``: make the repository keys, publish a kiosk build, re-sign the
timestamp, list what is published. See "Actualizaciones firmadas" in docs/operations.md."""

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from central.updates.repository import Repository, RepositoryError


def add_parser(sub: Any) -> None:
    updates = sub.add_parser("updates", help="signed kiosk updates (TUF repository)")
    verbs = updates.add_subparsers(dest="updates_command", required=True)
    init = verbs.add_parser("init-keys", help="create the repository and its keys (once)")
    init.add_argument("--offline-dir", required=True, type=Path,
                      help="where the ROOT key is written (a removable drive kept offline)")
    publish = verbs.add_parser("publish", help="add a folder build as a new version (a Linux "
                               "or a Windows build: told by its program)")
    publish.add_argument("bundle", type=Path, help="the folder build (dist/trato-kiosk)")
    publish.add_argument("--version", required=True, help="its version, e.g. 0.2.0")
    verbs.add_parser("refresh", help="sign snapshot and timestamp again (run weekly)")
    verbs.add_parser("list", help="the published versions")


def run(args: argparse.Namespace, settings_of: Callable[[argparse.Namespace], Any]) -> int:
    settings = settings_of(args)
    repo = Repository(settings.data_dir)
    try:
        if args.updates_command == "init-keys":
            root_key = repo.init(args.offline_dir)
            print(f"repository created in {repo.base}")
            print(f"ROOT KEY: {root_key} — move it off this server and keep it offline")
        elif args.updates_command == "publish":
            target = repo.publish(args.bundle, args.version)
            print(f"published {target.path} ({target.length} bytes, "
                  f"sha256 {target.hashes['sha256']})")
        elif args.updates_command == "refresh":
            repo.refresh()
            print("snapshot and timestamp signed again")
        else:
            for item in repo.versions():
                print(f"{item['version']}\t{item['platform']}\t{item['target']}\t"
                      f"{item['length']}")
    except RepositoryError as exc:
        sys.stderr.write(f"trato-central updates: {exc}\n")
        return 2
    return 0
