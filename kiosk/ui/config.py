"""What the screens need from the settings (:class:`UiConfig`, built by the composition root)
and the services they hand drafts to (:class:`Submitter`)."""

from dataclasses import dataclass
from typing import Any, Protocol

from trato.domain.enums import Channel


class Submitter(Protocol):
    def submit(self, draft: Any) -> Any: ...


@dataclass(frozen=True)
class UiConfig:
    """What the screens need from the settings (built by the composition root)."""

    idle_seconds: float = 90
    idle_countdown_seconds: float = 30
    done_seconds: float = 40
    privacy_notice_url: str = "https://www.imss.gob.mx/privacidad"
    privacy_notice_version: str = "2025-12"
    channel: Channel = Channel.KIOSK
    confirm_ms: int = 350
    kiosk_mode: bool = True
    staff_taps: int = 5
    staff_tap_window_s: float = 3.0
    instrument_id: str = "trato-general"
    tap_guard_ms: int = 600  # presses dropped after a change of screen (kiosk.ui.tapguard)
    receipt_printer: str = ""  # CUPS queue of the receipt printer; "" for none
