"""The paper receipt ("Imprimir comprobante") on an 80 mm thermal printer, through CUPS.

``TD_KIOSK_RECEIPT_PRINTER`` names the CUPS queue; Qt's print support (QtPrintSupport, part of
PySide6-Essentials, with its CUPS plug-in) sends the page. The receipt holds the title, the
folio, its QR, the date and a queja's deadlines, and how to follow it: never the person's
words or data. The page is 80 mm wide and as long as its content, so the roll is not wasted.

:class:`ReceiptPrinter` prints to a queue; :class:`PdfReceiptPrinter` draws the very same page
into a PDF file (tests, and a look at the layout without a printer).
"""

import logging
from pathlib import Path

from PySide6 import QtCore
from PySide6.QtCore import QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QFont, QFontMetricsF, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from kiosk.ui.assets import FONT_FAMILY
from kiosk.ui.receipt import Receipt
from kiosk.ui.widgets import qr_image

log = logging.getLogger(__name__)

PAPER_WIDTH_MM = 80.0
MARGIN_MM = 4.0
QR_MM = 40.0
GAP_MM = 3.0
_WRAP = int(QtCore.Qt.TextFlag.TextWordWrap) | int(QtCore.Qt.AlignmentFlag.AlignHCenter)


class ReceiptPrinter:
    """Prints receipts on a CUPS queue."""

    def __init__(self, queue: str) -> None:
        self.queue = queue

    @classmethod
    def for_queue(cls, queue: str) -> "ReceiptPrinter | None":
        """A printer for ``queue``, or None (logged) when CUPS does not know that queue."""
        if queue in QPrinterInfo.availablePrinterNames():
            return cls(queue)
        log.warning("receipt printer queue not found; the receipt cannot be printed")
        return None

    def _printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPrinterName(self.queue)
        return printer

    def print_receipt(self, receipt: Receipt) -> bool:
        """Draw and send one receipt; False (logged, without its content) if it failed."""
        printer = self._printer()
        try:
            blocks = _blocks(receipt)
            height = _measure(printer, blocks)
            printer.setPageLayout(QPageLayout(
                QPageSize(QSizeF(PAPER_WIDTH_MM, height), QPageSize.Unit.Millimeter,
                          "Receipt 80 mm", QPageSize.SizeMatchPolicy.ExactMatch),
                QPageLayout.Orientation.Portrait,
                QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                QPageLayout.Unit.Millimeter))
            painter = QPainter()
            if not painter.begin(printer):
                log.warning("receipt printer could not start a page")
                return False
            try:
                _draw(painter, printer, blocks, receipt.tracking_url)
            finally:
                painter.end()
        except RuntimeError:
            log.exception("receipt printing failed")
            return False
        return True


class PdfReceiptPrinter(ReceiptPrinter):
    """Draws receipts into ``path`` (a PDF file), exactly as on paper."""

    def __init__(self, path: Path) -> None:
        super().__init__("")
        self.path = path

    def _printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(self.path))
        return printer


#: (text, point size, bold) in order; the QR goes after the folio.
Block = tuple[str, float, bool]


def _blocks(receipt: Receipt) -> list[Block]:
    return [(receipt.title, 11, True), (receipt.folio, 18, True),
            *[(line, 9, False) for line in receipt.dates], (receipt.follow, 8, False)]


def _font(size: float, bold: bool) -> QFont:
    font = QFont(FONT_FAMILY)
    font.setPointSizeF(size)
    font.setBold(bold)
    return font


def _px(printer: QPrinter, mm: float) -> float:
    return mm * printer.resolution() / 25.4


def _text_width(printer: QPrinter) -> float:
    return _px(printer, PAPER_WIDTH_MM - 2 * MARGIN_MM)


def _block_height(printer: QPrinter, block: Block) -> float:
    text, size, bold = block
    box = QRectF(0, 0, _text_width(printer), 1e6)
    return QFontMetricsF(_font(size, bold), printer).boundingRect(box, _WRAP, text).height()


def _measure(printer: QPrinter, blocks: list[Block]) -> float:
    """The page length in millimetres: margins, every block, the QR and the gaps."""
    text = sum(_block_height(printer, b) for b in blocks) * 25.4 / printer.resolution()
    return 2 * MARGIN_MM + text + QR_MM + GAP_MM * (len(blocks) + 1)


def _draw(painter: QPainter, printer: QPrinter, blocks: list[Block], url: str) -> None:
    width = _text_width(printer)
    y = 0.0
    for i, block in enumerate(blocks):
        text, size, bold = block
        painter.setFont(_font(size, bold))
        height = _block_height(printer, block)
        painter.drawText(QRectF(0, y, width, height), _WRAP, text)
        y += height + _px(printer, GAP_MM)
        if i == 1 and url:  # the QR right under the folio
            side = _px(printer, QR_MM)
            painter.drawImage(QRectF((width - side) / 2, y, side, side), qr_image(url))
            y += side + _px(printer, GAP_MM)
