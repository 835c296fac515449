"""Looking up a folio: the kiosk cannot show a case's progress (it holds no one's case after
the receipt), so it says where to look, with the receipt's QR or at the module."""

from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.ui.base import LazyModule, Page
from kiosk.ui.flow import Flow

if TYPE_CHECKING:
    from kiosk.ui import pages
else:
    pages = LazyModule("kiosk.ui.pages")


class FolioFlow(Flow):
    def builders(self) -> dict[str, Callable[[], Page]]:
        return {"folio_info": self._info_page}

    def _info_page(self) -> Page:
        page = pages.InfoPage(
            self.host.metrics,
            self.tr("Consultar un folio"),
            self.tr(
                "Para conocer el avance de su solicitud, escanee con su teléfono el código "
                "QR de su comprobante, o pregunte en el módulo de Trato Digno con su número "
                "de folio."
            ),
            self.tr("Terminar"),
        )
        page.finished.connect(self.finished)
        return page
