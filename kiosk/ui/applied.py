"""Putting the kiosk's settings into effect on a running window: at start (the composition
root, after reading them) and again when the administrator changes them in "Ajustes del
kiosco" (:mod:`kiosk.ui.staff.admin`).

What applies at once: the idle waits (the staff one also in the staff session open now), the
languages offered (from the next person on), the receipt printer. The screen size changes
every page's measures, so a change made in staff mode waits for the end of that session."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk.ui.i18n import DEFAULT_LANGUAGE, available_languages

if TYPE_CHECKING:
    from kiosk.services.kiosk_settings import KioskSettingsEditor
    from kiosk.settings import KioskSettings
    from kiosk.ui.window import KioskWindow


def apply_settings(window: "KioskWindow", settings: "KioskSettings", *, kiosk_mode: bool,
                   overrides: dict[str, Any] | None = None, live: bool = False) -> None:
    """Apply ``settings`` to ``window``; ``live``: the administrator changed them just now."""
    window.configure(
        window.config._replace(
            idle_seconds=settings.idle_seconds,
            idle_countdown_seconds=settings.idle_countdown_seconds,
            privacy_notice_url=settings.privacy_notice_url,
            privacy_notice_version=settings.privacy_notice_version,
            receipt_printer=settings.receipt_printer,
            kiosk_mode=kiosk_mode,
            **(overrides or {}),
        ),
        verify_pin=settings.verify_staff_pin,
    )
    staff = window.staff
    staff.idle_seconds = settings.staff_idle_seconds
    if staff.agent is not None:  # the staff session open now waits as long
        window.idle.idle_seconds = settings.staff_idle_seconds
    offered = settings.offered_languages
    languages = [(code, name) for code, name in
                 available_languages(window.assets.translations_dir)
                 if not offered or code in offered or code == DEFAULT_LANGUAGE]
    if languages != window.languages:
        window.languages = languages
        window.stack.drop(keep=[n for n in window.stack.pages if n != "language"])
    size = {"dpi": settings.screen_dpi, "diagonal_inches": settings.screen_diagonal_inches}
    if size == window.sizing.screen_size or (not live and not any(size.values())):
        return
    if not live or staff.agent is None:
        window.sizing.set_screen_size(**size)
        return

    def at_session_end() -> None:
        window.session_ended.disconnect(at_session_end)
        window.sizing.set_screen_size(**size)

    window.session_ended.connect(at_session_end)


def settings_editor(window: "KioskWindow", settings: "KioskSettings", accounts: Any, *,
                    kiosk_mode: bool, overrides: dict[str, Any], leave: Callable[[], None],
                    changed: Callable[["KioskSettings"], None]) -> "KioskSettingsEditor":
    """What "Ajustes del kiosco" changes: saved, audited (``accounts``), applied here."""
    from kiosk.services.kiosk_settings import KioskSettingsEditor

    def apply(new: "KioskSettings") -> None:
        changed(new)
        apply_settings(window, new, kiosk_mode=kiosk_mode, overrides=overrides, live=True)

    return KioskSettingsEditor(settings, audit=accounts.audit, where=accounts.where,
                               apply=apply, leave=leave)
