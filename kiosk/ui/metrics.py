"""Touch-target sizes in millimetres, converted with the screen's physical DPI.

ux.md: primary targets at least 15 mm, nothing tappable under 10 mm, 3 mm apart. A screen
that reports a nonsensical DPI (virtual, offscreen, some TV panels) gets the DPI of the
reference kiosk panel: 21.5" at 1920x1080, about 102 DPI.
"""

from dataclasses import dataclass

from PySide6.QtGui import QGuiApplication, QScreen

REFERENCE_DPI = 102.5  # 21.5" 16:9 panel at 1920x1080
MM_PER_INCH = 25.4
PRIMARY_MM = 15.0
MINIMUM_MM = 10.0
GAP_MM = 3.0


@dataclass(frozen=True)
class Metrics:
    px_per_mm: float

    @classmethod
    def for_screen(cls, screen: QScreen | None = None) -> "Metrics":
        screen = screen or QGuiApplication.primaryScreen()
        dpi = REFERENCE_DPI
        if screen is not None and QGuiApplication.platformName() not in ("offscreen", "minimal"):
            reported = screen.physicalDotsPerInch()
            if 60.0 <= reported <= 400.0:
                dpi = reported
        return cls(px_per_mm=dpi / MM_PER_INCH)

    def mm(self, millimetres: float) -> int:
        return max(1, round(millimetres * self.px_per_mm))

    @property
    def primary(self) -> int:
        """Height of a primary target (answer, Continuar, Atrás): 22 mm, never under 15 mm."""
        return max(self.mm(22.0), self.mm(PRIMARY_MM))

    @property
    def minimum(self) -> int:
        return self.mm(MINIMUM_MM)

    @property
    def gap(self) -> int:
        return self.mm(GAP_MM)

    @property
    def key(self) -> int:
        """On-screen keyboard key: 16 mm square."""
        return self.mm(16.0)
