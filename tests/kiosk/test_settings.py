"""kiosk.settings (kept with the service tests: settings are injected into services)."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from kiosk.settings import (
    DEMO_STAFF_PIN,
    DEMO_STAFF_PIN_HASH,
    KioskSettings,
    default_data_dir,
    hash_pin,
    load_settings,
    verify_pin,
)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if name.startswith("TD_KIOSK_"):
            monkeypatch.delenv(name)


def test_defaults_derive_every_path_from_the_data_dir(tmp_path: Path) -> None:
    s = load_settings(tmp_path)
    assert s.data_dir == tmp_path
    assert s.database_path == s.db_path == tmp_path / "kiosk.db"
    assert s.credentials_dir == tmp_path / "credentials"
    assert s.log_dir == tmp_path / "logs"
    assert (s.idle_seconds, s.idle_countdown_seconds) == (90, 30)
    assert (s.sync_interval_seconds, s.retention_days) == (60, 30)
    assert s.privacy_notice_version == "2025-12" and s.language == "es"
    assert s.ca_bundle is None and s.server_url is None
    assert s.staff_pin_hash == DEMO_STAFF_PIN_HASH


def test_the_default_data_dir_is_the_platform_user_data_dir() -> None:
    assert default_data_dir().name == "trato-digno-kiosk"
    assert KioskSettings().data_dir == default_data_dir()


def test_settings_are_frozen(tmp_path: Path) -> None:
    s = load_settings(tmp_path)
    with pytest.raises(ValidationError):
        s.idle_seconds = 5  # type: ignore[misc]


def test_environment_and_settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "kiosk.env").write_text(
        "TD_KIOSK_IDLE_SECONDS=120\nTD_KIOSK_SERVER_URL=https://file.example.mx\n"
        "TD_KIOSK_DATABASE_PATH=/srv/kiosk/other.db\n",
        encoding="utf-8",
    )
    s = load_settings(tmp_path)
    assert s.idle_seconds == 120 and s.server_url == "https://file.example.mx"
    assert s.database_path == Path("/srv/kiosk/other.db")
    monkeypatch.setenv("TD_KIOSK_IDLE_SECONDS", "45")  # the environment beats the file
    assert load_settings(tmp_path).idle_seconds == 45
    assert load_settings(tmp_path, idle_seconds=60).idle_seconds == 60  # code beats both


def test_data_dir_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TD_KIOSK_DATA_DIR", str(tmp_path))
    (tmp_path / "kiosk.env").write_text("TD_KIOSK_RETENTION_DAYS=7\n", encoding="utf-8")
    s = load_settings()
    assert s.data_dir == tmp_path and s.retention_days == 7
    other = tmp_path / "other"
    assert load_settings(other).data_dir == other  # --data-dir wins


@pytest.mark.parametrize(
    "overrides",
    [
        {"idle_countdown_seconds": 19},
        {"idle_seconds": 0},
        {"staff_pin_hash": "plain-1234"},
        {"staff_pin_hash": "scrypt$3$8$1$AA==$AA=="},
        {"staff_pin_hash": "scrypt$x$8$1$AA==$AA=="},
        {"server_url": "ftp://central"},
        {"retention_days": 0},
    ],
)
def test_invalid_values_are_refused(tmp_path: Path, overrides: dict) -> None:
    with pytest.raises(ValidationError):
        load_settings(tmp_path, **overrides)


def test_the_countdown_may_be_exactly_twenty_seconds(tmp_path: Path) -> None:
    assert load_settings(tmp_path, idle_countdown_seconds=20).idle_countdown_seconds == 20


def test_pin_hash_and_verify() -> None:
    encoded = hash_pin("8642")
    assert encoded.startswith("scrypt$16384$8$1$")
    assert verify_pin("8642", encoded)
    assert not verify_pin("8643", encoded)
    assert hash_pin("8642") != encoded  # salted
    assert not verify_pin("8642", "garbage")
    assert not verify_pin("8642", "scrypt$16384$8$1$%%%$AA==")
    with pytest.raises(ValueError):
        hash_pin("")


def test_the_demo_pin_matches_the_default_hash(tmp_path: Path) -> None:
    s = load_settings(tmp_path)
    assert s.verify_staff_pin(DEMO_STAFF_PIN)
    assert not s.verify_staff_pin("000000")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"TD_KIOSK_SCREEN_DPI": "20"}, "screen_dpi must be between 60 and 400"),
        ({"TD_KIOSK_SCREEN_DPI": "noventa"}, "screen_dpi"),
        ({"TD_KIOSK_SCREEN_DIAGONAL_INCHES": "3"}, "between 7 and 100 inches"),
        (
            {"TD_KIOSK_SCREEN_DPI": "96", "TD_KIOSK_SCREEN_DIAGONAL_INCHES": "21.5"},
            "not both",
        ),
    ],
)
def test_a_wrong_screen_size_is_refused_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], message: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError, match=message):
        load_settings(tmp_path)


def test_the_screen_size_comes_from_the_settings_file(tmp_path: Path) -> None:
    assert load_settings(tmp_path).screen_dpi is None
    (tmp_path / "kiosk.env").write_text("TD_KIOSK_SCREEN_DIAGONAL_INCHES=15.6\n", encoding="utf-8")
    settings = load_settings(tmp_path)
    assert settings.screen_diagonal_inches == 15.6 and settings.screen_dpi is None
