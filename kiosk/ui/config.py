"""What the screens need from the settings (:class:`UiConfig`, built by the composition root)
and the services they hand drafts to (:class:`Submitter`).

The value records the attract screen needs (this one, ``kiosk.ui.metrics.Metrics``,
``kiosk.ui.theme.TextSizes``) are ``NamedTuple``s, not dataclasses: a frozen dataclass is
made by compiling generated code at every start (2 ms for this one) and the ``dataclasses``
module costs 3 ms more before the first paint (bench/bench_bundle.py)."""

from typing import Any, NamedTuple, Protocol

from trato.domain.enums import Channel


class Submitter(Protocol):
    def submit(self, draft: Any) -> Any: ...


class UiConfig(NamedTuple):
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
