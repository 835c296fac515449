"""The notifier: notices fan out to every listener, and a failing listener harms no one."""

import logging

import pytest

from kiosk.services.notify import Level, Notice, Notifier


def test_notifier_fans_out_and_survives_a_failing_listener(
    caplog: pytest.LogCaptureFixture,
) -> None:
    notifier = Notifier()
    seen: list[Notice] = []

    def broken(_notice: Notice) -> None:
        raise RuntimeError("listener bug")

    notifier.subscribe(broken)
    unsubscribe = notifier.subscribe(seen.append)
    with caplog.at_level(logging.INFO):
        notice = notifier.warning("sync_backlog", count=12)
        notifier.info("hello")
        notifier.error("storage_full")
    assert notice == Notice(Level.WARNING, "sync_backlog", {"count": 12})
    assert [n.code for n in seen] == ["sync_backlog", "hello", "storage_full"]
    assert [n.level for n in seen] == [Level.WARNING, Level.INFO, Level.ERROR]
    assert "notification listener failed" in caplog.text
    unsubscribe()
    unsubscribe()  # twice is harmless
    notifier.info("after")
    assert len(seen) == 3
