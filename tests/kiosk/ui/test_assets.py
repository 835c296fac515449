"""The bundled font covers Spanish and the saltillo."""

from typing import Any

from PySide6.QtGui import QRawFont

from kiosk.ui.assets import AssetLibrary


def test_bundled_font_has_spanish_and_saltillo(qapp: Any) -> None:
    fonts = AssetLibrary().fonts
    assert fonts and (fonts[0].parent / "OFL.txt").is_file()
    for path in fonts:
        raw = QRawFont(str(path), 24)
        assert raw.isValid()
        for ch in "ñÑáéíóúüÜ¿¡\ua78c":
            assert raw.supportsCharacter(ord(ch)), (path.name, ch)
