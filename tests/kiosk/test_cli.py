"""The kiosk's command line as IT types it."""

import pytest

from kiosk import cli


@pytest.mark.parametrize("token", ["-Xq3_k9", "--double-dash", "-", "plain_token-"])
def test_any_token_the_server_issues_works_as_an_argument(token: str) -> None:
    # URL-safe base64 tokens begin with "-" about once in 64: argparse alone reads them as
    # an unknown option ("expected one argument").
    args = cli.build_parser().parse_args(
        cli._join_opaque_values(["enroll", "--server", "https://c.example", "--token", token])
    )
    assert args.token == token
    assert args.server == "https://c.example"


def test_token_with_equals_and_missing_value_keep_argparse_answers() -> None:
    parser = cli.build_parser()
    parsed = parser.parse_args(cli._join_opaque_values(["enroll", "--token=-a"]))
    assert parsed.token == "-a"  # noqa: S105 - a test token, not a secret
    with pytest.raises(SystemExit):  # "--token" with nothing after it is still a usage error
        parser.parse_args(cli._join_opaque_values(["enroll", "--token"]))


def test_set_admin_pin_stores_only_a_hash_and_refuses_a_simple_pin(tmp_path) -> None:
    import subprocess
    import sys

    from kiosk.clock import SystemClock
    from kiosk.services.staff import LOCAL_ADMIN_ID, StaffAccounts
    from kiosk.settings import load_settings
    from kiosk.storage.db import open_database

    data_dir = tmp_path / "data"

    def run(pin: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kiosk.cli", "set-admin-pin", "--data-dir", str(data_dir),
             "--stdin"], input=pin + "\n", capture_output=True, text=True, timeout=60,
            check=False)

    refused = run("123456")
    assert refused.returncode == 2
    assert "demasiado sencillo" in refused.stderr and "123456" not in refused.stderr
    done = run("418263")
    assert done.returncode == 0 and done.stdout == "" and done.stderr == ""
    database = open_database(load_settings(data_dir).db_path).database
    try:
        accounts = StaffAccounts(database, SystemClock())
        assert accounts.has_admin()
        assert accounts.verify(LOCAL_ADMIN_ID, "418263") is not None
        assert accounts.verify(LOCAL_ADMIN_ID, "418264") is None
    finally:
        database.close()
    assert b"418263" not in (data_dir / "kiosk.db").read_bytes()
