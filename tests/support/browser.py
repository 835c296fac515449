"""Headless Chromium helpers shared by the board tests, the board screenshots and the board
latency benchmark: how Debian's chromium is launched and how a committee member signs in."""

from typing import Any

#: No sandbox (root in containers), no GPU, and nothing that would reach the internet.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


def sign_in(page: Any, base_url: str, username: str, password: str) -> None:
    """Sign in through the login form and wait for the board to open."""
    page.goto(f"{base_url}/entrar")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/tablero")
