"""The flow package is tested without a display: nothing here imports PySide6."""

from pathlib import Path

import pytest

from kiosk.services.configuration import BundledContent, Content

ASSETS = Path(__file__).resolve().parents[3] / "assets"


@pytest.fixture(scope="session")
def content() -> Content:
    return BundledContent(ASSETS).current()
