"""Read-only bundled files the screens need: styles, fonts, translations.

Everything is looked up under one ``assets`` directory that the composition root passes in
(by default the repository's ``assets/`` next to the ``kiosk`` package, or the PyInstaller
bundle's copy). The survey instruments and catalogues under the same directory are read by
:mod:`kiosk.services.configuration` (the bundled ones, or newer ones received from the central
server). Nothing here writes.
"""

import os
import sys
from pathlib import Path

#: The family every screen and the receipt are drawn with (assets/styles/*.qss).
FONT_FAMILY = "Noto Sans"


def default_assets_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "assets"
    return Path(__file__).resolve().parents[2] / "assets"


class AssetLibrary:
    """Typed access to the bundled files under ``root``."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root else default_assets_dir()

    def stylesheet_template(self, theme: str) -> str:
        return (self.root / "styles" / f"{theme}.qss").read_text(encoding="utf-8")

    @property
    def fonts(self) -> list[Path]:
        return sorted((self.root / "fonts").glob("*.ttf"))

    @property
    def fontconfig_file(self) -> Path:
        """fontconfig's configuration for the running kiosk: the bundled fonts only."""
        return self.root / "fonts" / "fonts.conf"

    @property
    def fonts_listed_by_fontconfig(self) -> bool:
        """Whether Qt finds the bundled fonts without being given them: on Linux, where Qt
        asks fontconfig, under :attr:`fontconfig_file` (which lists their folder)."""
        return (sys.platform == "linux"
                and os.environ.get("FONTCONFIG_FILE") == str(self.fontconfig_file))

    @property
    def translations_dir(self) -> Path:
        return self.root / "translations"
