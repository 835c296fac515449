"""A copy of the bundled assets, to start the kiosk (or its self-test) against."""

import shutil
from pathlib import Path

from kiosk.ui.assets import AssetLibrary


def copy_of_assets(folder: Path, *, fontconfig_lists_fonts: bool = True) -> Path:
    """The assets under ``folder``/assets; with ``fontconfig_lists_fonts=False`` their
    fonts.conf names no font folder, as an old fontconfig or a damaged cache would leave the
    kiosk on Linux."""
    assets = folder / "assets"
    shutil.copytree(AssetLibrary().root, assets)
    if not fontconfig_lists_fonts:
        (assets / "fonts" / "fonts.conf").write_text("<fontconfig></fontconfig>\n",
                                                     encoding="utf-8")
    return assets
