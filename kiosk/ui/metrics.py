"""Touch-target sizes in millimetres, converted with the screen's physical DPI.

The rules (docs/design/ux.md): primary targets at least 15 mm, 3 mm apart, nothing tappable
under 10 mm.

**Where the DPI comes from**, first that applies:

1. the kiosk settings, for a panel that reports its size wrongly: ``TD_KIOSK_SCREEN_DPI`` or
   ``TD_KIOSK_SCREEN_DIAGONAL_INCHES`` (see :func:`dpi_from_diagonal`);
2. the physical size the screen reports (from the panel's EDID through the windowing system),
   if it is plausible: a diagonal of 10" to 100" whose width:height matches the pixels'
   (EDID may hold only an aspect ratio, e.g. 16 x 9 cm, which would read as 300 dpi and make
   every target a third of its size);
3. else the reference kiosk panel, 21.5" at 1920x1080 (about 102.5 DPI). The ``offscreen`` and
   ``minimal`` platforms always get it: their "physical size" is a fixed 100 DPI invention.

**How a layout degrades on a small screen.** Sizes follow the window's height in millimetres
(:meth:`Metrics.resized`). The on-screen keyboard (five rows of letters, six for an e-mail
address) may take half of that height; its keys, the top bar's buttons and the scroll cues
(:attr:`Metrics.touch`) are as tall as that allows, between 10 and 15 mm (18 mm with larger
text), always 3 mm apart. Primary targets (answers, "Continuar", "Enviar") stay at least
15 mm and grow to 22 mm on a tall screen. Page margins and spacing
shrink from 8/4 mm to 4/3 mm. What still does not fit scrolls, with a visible cue
(:class:`kiosk.ui.widgets.ScrollPane`), never clips. At the reference DPI:

=========  =======  ============  ===========  =======  =====
window     height   keys (large)  e-mail keys  primary  gap
=========  =======  ============  ===========  =======  =====
1280x720   178 mm   15 (15) mm    12 mm        15 mm    3 mm
1366x768   190 mm   15 (15) mm    13 mm        16 mm    3 mm
1920x1080  268 mm   15 (18) mm    15 mm        22 mm    3 mm
1080x1920  476 mm   15 (18) mm    15 mm        22 mm    3 mm
=========  =======  ============  ===========  =======  =====
"""

import math
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from PySide6.QtGui import QScreen

REFERENCE_DPI = 102.5  # 21.5" 16:9 panel at 1920x1080
REFERENCE_SIZE_PX = (1920, 1080)
MM_PER_INCH = 25.4
PRIMARY_MM = 15.0
PRIMARY_ROOMY_MM = 22.0
MINIMUM_MM = 10.0
GAP_MM = 3.0
KEY_MAX_MM = 15.0
KEY_LARGE_MAX_MM = 18.0
#: Share of the window's height the on-screen keyboard may take. With larger text the page
#: needs more room too: its keys grow only where the screen is tall enough.
KEYBOARD_SHARE = 0.5
KEYBOARD_SHARE_LARGE = 0.48
KEYBOARD_ROWS = 5  # the letters layer; the e-mail layer has 6
KEYBOARD_MARGIN_MM = 2.0
#: Window heights (mm) between which margins, spacing and primary targets grow.
SMALL_HEIGHT_MM = 178.0  # 1280x720 at the reference DPI (a 14" panel)
ROOMY_HEIGHT_MM = 260.0
#: What a plausible reported panel looks like.
DIAGONAL_RANGE_IN = (10.0, 100.0)
DPI_RANGE = (60.0, 400.0)
ASPECT_TOLERANCE = 0.15
FAKE_PLATFORMS = ("offscreen", "minimal")


def dpi_from_diagonal(width_px: int, height_px: int, diagonal_inches: float) -> float:
    """Pixels per inch of a panel of ``diagonal_inches`` showing ``width_px`` x ``height_px``."""
    return math.hypot(width_px, height_px) / diagonal_inches


def plausible_dpi(width_px: int, height_px: int, width_mm: float, height_mm: float) -> float | None:
    """The DPI of a reported physical size, or None when the report cannot be right."""
    if min(width_px, height_px, width_mm, height_mm) <= 0:
        return None
    diagonal_in = math.hypot(width_mm, height_mm) / MM_PER_INCH
    if not DIAGONAL_RANGE_IN[0] <= diagonal_in <= DIAGONAL_RANGE_IN[1]:
        return None
    # Orientation-agnostic: a rotated panel may report its unrotated size.
    px_aspect = max(width_px, height_px) / min(width_px, height_px)
    mm_aspect = max(width_mm, height_mm) / min(width_mm, height_mm)
    if abs(px_aspect / mm_aspect - 1.0) > ASPECT_TOLERANCE:
        return None
    dpi = math.hypot(width_px, height_px) / diagonal_in
    return dpi if DPI_RANGE[0] <= dpi <= DPI_RANGE[1] else None


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _lerp(small: float, roomy: float, fit: float) -> float:
    return small + (roomy - small) * fit


class Metrics(NamedTuple):
    """Sizes for one window: ``px_per_mm`` (from the DPI) and the window's size in pixels.

    The default size is the reference panel's, so ``Metrics(px_per_mm=4.0)`` is a roomy
    screen; the window calls :meth:`resized` with its real size.
    """

    px_per_mm: float
    width_px: int = REFERENCE_SIZE_PX[0]
    height_px: int = REFERENCE_SIZE_PX[1]

    # ------------------------------------------------------------------ construction
    @classmethod
    def for_screen(
        cls,
        screen: "QScreen | None" = None,
        *,
        dpi: float | None = None,
        diagonal_inches: float | None = None,
    ) -> "Metrics":
        """Metrics for ``screen`` (default: the primary screen) at its full size."""
        from PySide6.QtGui import QGuiApplication

        screen = screen or QGuiApplication.primaryScreen()
        width, height = REFERENCE_SIZE_PX
        if screen is not None:
            size = screen.geometry().size()
            if size.width() > 0 and size.height() > 0:
                width, height = size.width(), size.height()
        return cls(
            px_per_mm=cls.dpi_of(screen, dpi=dpi, diagonal_inches=diagonal_inches) / MM_PER_INCH,
            width_px=width,
            height_px=height,
        )

    @staticmethod
    def dpi_of(
        screen: "QScreen | None",
        *,
        dpi: float | None = None,
        diagonal_inches: float | None = None,
    ) -> float:
        """The DPI to size ``screen`` with (see the module's docstring for the order)."""
        if dpi:
            return dpi
        from PySide6.QtGui import QGuiApplication

        if screen is None:
            return REFERENCE_DPI
        geometry = screen.geometry()
        if diagonal_inches:
            return dpi_from_diagonal(geometry.width(), geometry.height(), diagonal_inches)
        if QGuiApplication.platformName() in FAKE_PLATFORMS:
            return REFERENCE_DPI
        physical = screen.physicalSize()
        reported = plausible_dpi(
            geometry.width(), geometry.height(), physical.width(), physical.height()
        )
        return reported or REFERENCE_DPI

    def resized(self, width_px: int, height_px: int) -> "Metrics":
        """The same DPI for a window of ``width_px`` x ``height_px``."""
        return self._replace(width_px=max(1, width_px), height_px=max(1, height_px))

    # ------------------------------------------------------------------ conversions
    def mm(self, millimetres: float) -> int:
        return max(1, round(millimetres * self.px_per_mm))

    def to_mm(self, pixels: float) -> float:
        return pixels / self.px_per_mm

    @property
    def dpi(self) -> float:
        return self.px_per_mm * MM_PER_INCH

    @property
    def height_mm(self) -> float:
        return self.height_px / self.px_per_mm

    @property
    def width_mm(self) -> float:
        return self.width_px / self.px_per_mm

    @property
    def portrait(self) -> bool:
        return self.height_px > self.width_px

    @property
    def fit(self) -> float:
        """0 on a small screen (1280x720 class) .. 1 on a roomy one (1920x1080 and up)."""
        return _clamp((self.height_mm - SMALL_HEIGHT_MM) / (ROOMY_HEIGHT_MM - SMALL_HEIGHT_MM),
                      0.0, 1.0)

    # ------------------------------------------------------------------ sizes in mm
    def key_mm(self, large_text: bool = False, rows: int = KEYBOARD_ROWS) -> float:
        """Height of an on-screen key: a layer of ``rows`` rows in half of the window's
        height, 3 mm apart, between 10 and 15 mm (18 with larger text, where it fits)."""
        share, top = (
            (KEYBOARD_SHARE_LARGE, KEY_LARGE_MAX_MM) if large_text else (KEYBOARD_SHARE, KEY_MAX_MM)
        )
        room = self.height_mm * share - KEYBOARD_MARGIN_MM - (rows - 1) * GAP_MM
        # Half-millimetre steps: a window a few pixels taller does not rebuild every page.
        size = _clamp(math.floor(2 * room / rows) / 2, MINIMUM_MM, top)
        return max(size, self.key_mm(rows=rows)) if large_text else size

    @property
    def touch_mm(self) -> float:
        """The smallest target on this screen (keys, top bar, scroll cues): 10..15 mm."""
        return min(PRIMARY_MM, self.key_mm())

    @property
    def primary_mm(self) -> float:
        return round(_lerp(PRIMARY_MM, PRIMARY_ROOMY_MM, self.fit) * 2) / 2

    # ------------------------------------------------------------------ sizes in pixels
    @property
    def primary(self) -> int:
        """Height of a primary target (answer, Continuar): 15 mm, up to 22 mm when roomy."""
        return self.mm(self.primary_mm)

    @property
    def minimum(self) -> int:
        return self.mm(MINIMUM_MM)

    @property
    def touch(self) -> int:
        return self.mm(self.touch_mm)

    @property
    def gap(self) -> int:
        return self.mm(GAP_MM)

    @property
    def key(self) -> int:
        """On-screen keyboard key height."""
        return self.mm(self.key_mm())

    @property
    def key_large(self) -> int:
        """Key height with "Texto grande" on."""
        return self.mm(self.key_mm(large_text=True))

    @property
    def spacing(self) -> int:
        """Between the blocks of a page (question, hint, answers, "Continuar"): never less than
        the gap between two targets."""
        return self.mm(round(_lerp(GAP_MM, 4.0, self.fit)))

    @property
    def margin(self) -> int:
        """Left and right page margin."""
        return self.mm(round(_lerp(4.0, 8.0, self.fit)))

    @property
    def layout_key(self) -> tuple[float, ...]:
        """What the pages are built from: equal keys need no rebuild after a resize."""
        return (
            round(self.px_per_mm, 3),
            self.key_mm(),
            self.key_mm(large_text=True),
            self.primary_mm,
            float(self.spacing),
            float(self.margin),
            float(self.portrait),
        )

    def describe(self) -> str:
        """One line for the log: DPI, size and the resulting targets."""
        return (
            f"{self.dpi:.1f} dpi, {self.width_px}x{self.height_px} px "
            f"({self.width_mm:.0f}x{self.height_mm:.0f} mm): keys {self.key_mm():.1f} mm "
            f"(large text {self.key_mm(True):.1f}), primary {self.primary_mm:.1f} mm, "
            f"gap {GAP_MM:.0f} mm"
        )
