"""What the kiosk tells the central server about itself: its version and the summary of its
last self-test (:class:`~trato.protocol.wire.KioskReport`).

``trato-kiosk self-test`` (and the quick one the kiosk runs at start when none is recent)
stores the summary in the data folder, written whole or not at all (a temporary file in the
same folder, flushed, then renamed over the old one). Only each check's name and outcome are
kept: the messages name folders and addresses and stay on the kiosk's screen and log.
"""

import json
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path

from pydantic import ValidationError

from kiosk.files import write_text_atomically
from trato.protocol.wire import SelfTestCheck, SelfTestResult, SelfTestStatus, SelfTestSummary

log = logging.getLogger(__name__)

LAST_SELF_TEST_FILE = "selftest-last.json"
#: A self-test older than this is run again (quickly) when the kiosk starts.
SELF_TEST_MAX_AGE = timedelta(hours=24)


def summarise(checks: Iterable[tuple[str, str]], ran_at: datetime) -> SelfTestSummary:
    """The summary of checks given as ``(name, status)``; the worst status decides."""
    items = [SelfTestCheck(name=name, status=SelfTestStatus(status)) for name, status in checks]
    statuses = {c.status for c in items}
    if SelfTestStatus.FAILURE in statuses:
        result = SelfTestResult.FAILURES
    elif SelfTestStatus.WARNING in statuses:
        result = SelfTestResult.WARNINGS
    else:
        result = SelfTestResult.OK
    return SelfTestSummary(ran_at=ran_at, result=result, checks=items)


def self_test_path(data_dir: Path | str) -> Path:
    return Path(data_dir) / LAST_SELF_TEST_FILE


def save_self_test(data_dir: Path | str, summary: SelfTestSummary) -> Path:
    """Replace the stored summary atomically; returns its path. Raises OSError."""
    target = self_test_path(data_dir)
    write_text_atomically(target, summary.model_dump_json(), prefix=".selftest-")
    return target


def load_self_test(data_dir: Path | str) -> SelfTestSummary | None:
    """The stored summary, or None when there is none or it cannot be read."""
    path = self_test_path(data_dir)
    try:
        return SelfTestSummary.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError, ValidationError, json.JSONDecodeError):
        log.warning("the stored self-test summary is unreadable; it will be made again")
        return None


def needs_self_test(data_dir: Path | str, now: datetime,
                    max_age: timedelta = SELF_TEST_MAX_AGE) -> bool:
    """No stored summary, or one older than ``max_age`` (or from the future)."""
    summary = load_self_test(data_dir)
    if summary is None:
        return True
    age = now - summary.ran_at
    return not -timedelta(minutes=5) <= age <= max_age
