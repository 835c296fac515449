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
