"""The administrator's kiosk settings (staff area, "Ajustes del kiosco"): read the few
settings an administrator may change (:data:`kiosk.settings.EDITABLE`), check and save
them to ``kiosk.env`` (:func:`kiosk.settings.save_settings`, written atomically), audit who
changed what, and hand the new settings to whoever applies them (the composition root).

Leaving kiosk mode (for IT) is audited here too; what it does is the composition root's
(``kiosk.app``: the program ends with :data:`EXIT_LEFT_KIOSK_MODE`, which the service
manager does not restart).

Nothing here is personal data, and no PIN is among these settings: the audit names the
settings changed and their new values."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from kiosk.services.errors import KnownError
from kiosk.services.staff import AuditAction, KioskPlace
from kiosk.settings import EDITABLE, KioskSettings, save_settings

log = logging.getLogger(__name__)

#: The exit status of a kiosk an administrator took out of kiosk mode (the systemd unit's
#: ``RestartPreventExitStatus``; Shell Launcher's custom return code "do nothing").
EXIT_LEFT_KIOSK_MODE = 75


class SettingsRefused(KnownError):  # noqa: N818 - reads as what happened
    """Nothing was saved. ``fields`` names the settings refused ("" when the file could not
    be written: ``code`` is then ``settings_not_written``)."""

    code = "settings_refused"

    def __init__(self, fields: tuple[str, ...], code: str = "settings_refused") -> None:
        super().__init__(code)
        self.fields = fields
        self.code = code


@dataclass(frozen=True)
class Saved:
    """What a save changed, and the names an environment variable overrides at start."""

    changed: tuple[str, ...]
    shadowed: tuple[str, ...]


class KioskSettingsEditor:
    """``audit(staff_id, action, detail)`` writes the staff audit; ``where()`` says where the
    kiosk is enrolled; ``apply(settings)`` puts new settings into effect;
    ``leave()`` ends kiosk mode."""

    def __init__(self, settings: KioskSettings, *,
                 audit: Callable[[str, AuditAction, str], None],
                 where: Callable[[], KioskPlace],
                 apply: Callable[[KioskSettings], None],
                 leave: Callable[[], None]) -> None:
        self.settings = settings
        self._audit = audit
        self._where = where
        self._apply = apply
        self._leave = leave

    def where(self) -> KioskPlace:
        return self._where()

    def values(self) -> dict[str, Any]:
        return {name: getattr(self.settings, name) for name in EDITABLE}

    def change(self, staff_id: str, changes: dict[str, Any]) -> Saved:
        """Check, save, audit and apply ``changes`` (only those that differ). Raises
        :class:`SettingsRefused` with nothing saved."""
        current = self.values()
        wanted = {n: v for n, v in changes.items() if (v or None) != (current.get(n) or None)}
        if not wanted:
            return Saved((), ())
        try:
            checked, shadowed = save_settings(self.settings, wanted)
        except ValidationError as exc:
            fields = tuple(dict.fromkeys(
                str(e["loc"][0]) if e["loc"] else "" for e in exc.errors()))
            raise SettingsRefused(fields) from None
        except OSError:
            log.exception("kiosk settings not written")
            raise SettingsRefused((), "settings_not_written") from None
        self.settings = checked
        detail = ", ".join(f"{n}={getattr(checked, n) if getattr(checked, n) is not None else ''}"
                           for n in wanted)
        self._audit(staff_id, AuditAction.SETTINGS_CHANGED, detail)
        self._apply(checked)
        return Saved(tuple(wanted), shadowed)

    def leave_kiosk_mode(self, staff_id: str) -> None:
        """Audited first, then kiosk mode ends."""
        self._audit(staff_id, AuditAction.LEFT_KIOSK_MODE, "")
        self._leave()
