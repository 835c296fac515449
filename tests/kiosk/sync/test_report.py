"""The stored self-test summary: what it keeps, written whole, read back or ignored when
damaged; and the quick self-test the kiosk runs at start when none is recent."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from kiosk.selftest import startup_self_test
from kiosk.settings import load_settings
from kiosk.sync.report import (
    load_self_test,
    needs_self_test,
    save_self_test,
    self_test_path,
    summarise,
)
from kiosk.ui.assets import default_assets_dir

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def test_the_worst_outcome_decides_and_the_file_is_replaced_whole(tmp_path: Path) -> None:
    assert summarise([("disk", "ok"), ("clock", "ok")], NOW).result == "ok"
    assert summarise([("disk", "aviso"), ("clock", "ok")], NOW).result == "warnings"
    failing = summarise([("disk", "aviso"), ("qt", "falla")], NOW)
    assert failing.result == "failures"
    save_self_test(tmp_path, summarise([("disk", "ok")], NOW))
    save_self_test(tmp_path, failing)
    assert load_self_test(tmp_path) == failing
    assert [p.name for p in tmp_path.iterdir()] == [self_test_path(tmp_path).name]
    assert not needs_self_test(tmp_path, NOW + timedelta(hours=23))
    assert needs_self_test(tmp_path, NOW + timedelta(hours=25))
    assert needs_self_test(tmp_path, NOW - timedelta(hours=1))  # from a clock put back
    self_test_path(tmp_path).write_text('{"ran_at": 1', encoding="utf-8")
    assert load_self_test(tmp_path) is None and needs_self_test(tmp_path, NOW)


def test_the_kiosk_runs_a_quick_self_test_at_start_only_when_none_is_recent(
        tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "data")
    assert startup_self_test(settings, default_assets_dir())
    summary = load_self_test(settings.data_dir)
    assert summary is not None
    names = {c.name: c.status for c in summary.checks}
    assert "qt" not in names  # the running kiosk's window shows Qt works
    assert names["server"] == "aviso"  # not enrolled yet
    assert summary.result != "ok"
    assert not startup_self_test(settings, default_assets_dir())


def test_a_server_without_the_report_is_not_asked_again_a_busy_one_is(
        tmp_path: Path, monkeypatch) -> None:
    import uuid

    from kiosk.sync.client import CentralClient, PermanentError, TransientError
    from kiosk.sync.engine import SyncEngine

    client = CentralClient("http://127.0.0.1:9", kiosk_id=uuid.uuid4())
    engine = SyncEngine(None, client, settings=load_settings(tmp_path / "data"))
    sent: list[object] = []

    def busy(report: object) -> None:
        sent.append(report)
        raise TransientError("server_error")

    monkeypatch.setattr(client, "report", busy)
    assert not engine.send_report() and not engine.send_report()
    assert len(sent) == 2  # tried again next round

    def old_server(report: object) -> None:
        sent.append(report)
        raise PermanentError("http_404")

    monkeypatch.setattr(client, "report", old_server)
    assert engine.send_report()
    assert not engine.send_report()  # not again until the kiosk restarts
    assert len(sent) == 3
    save_self_test(tmp_path / "data", summarise([("disk", "ok")], NOW))
    assert engine.send_report() and len(sent) == 4  # a new self-test is news
    client.close()
