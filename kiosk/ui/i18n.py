"""Languages of the beneficiary screens (Qt's translation system).

Decision: the source strings in ``self.tr()`` are Mexican Spanish, not English. The wording
of the kiosk is IMSS's own (privacy notice, Art. 18 terms) and the translators of Nahuatl,
Maya, Tsotsil and the other languages work from Spanish, so Spanish is the reference text.
Spanish still ships as a real catalogue, ``assets/translations/trato_es.ts`` compiled to
``trato_es.qm`` (every entry finished; a test keeps it complete), so wording can be corrected
without touching code and every other language is one more ``trato_<code>.ts``. Qt's own
``qtbase_<code>.qm`` is installed beside it so standard widgets speak the same language.

Survey instruments and catalogues are content that comes from the central server, versioned
in JSON; their labels are not part of these catalogues.
"""

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

log = logging.getLogger(__name__)

DEFAULT_LANGUAGE = "es"
#: Languages by their own names (docs/design/ux.md). Only those with a ``trato_<code>.qm`` are
#: offered.
OWN_NAMES = {
    "es": "Español",
    "nah": "Nahuatl",
    "yua": "Maaya t'aan",
    "tzo": "Bats'i k'op",
    "tzh": "Bats'il k'op",
    "zap": "Diidxazá",
    "mix": "Tu'un savi",
    "oto": "Hñähñu",
    "en": "English",
}


def available_languages(translations_dir: Path) -> list[tuple[str, str]]:
    """(code, own name) of every language with a compiled catalogue; Spanish first."""
    codes = {p.stem.split("_", 1)[1] for p in translations_dir.glob("trato_*.qm")}
    codes.add(DEFAULT_LANGUAGE)
    ordered = [DEFAULT_LANGUAGE, *sorted(c for c in codes if c != DEFAULT_LANGUAGE)]
    return [(c, OWN_NAMES.get(c, c)) for c in ordered]


class Translations:
    """Installs the kiosk's and Qt's catalogues for one language at a time."""

    def __init__(self, translations_dir: Path) -> None:
        self.translations_dir = translations_dir
        self.language = ""
        self._installed: list[QTranslator] = []

    def set_language(self, code: str) -> bool:
        """Switch the application's catalogues; returns False if the kiosk's is missing."""
        if code == self.language:
            return True
        app = QCoreApplication.instance()
        if app is None:
            raise RuntimeError("create the QApplication first")
        for translator in self._installed:
            app.removeTranslator(translator)
        self._installed = []
        ok = self._install(app, self.translations_dir / f"trato_{code}.qm")
        if not self._install(app, self.translations_dir / f"qtbase_{code}.qm"):
            # Qt's own copy, when the bundle has none for this language (QLibraryInfo is
            # imported here: its enum is built on import, and the bundled copy is the rule).
            from PySide6.QtCore import QLibraryInfo

            qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            self._install(app, Path(qt_dir) / f"qtbase_{code}.qm")
        QLocale.setDefault(QLocale(code if code != "es" else "es_MX"))
        self.language = code
        if not ok:
            log.warning("no kiosk catalogue for language %s", code)
        return ok

    def _install(self, app: QCoreApplication, path: Path) -> bool:
        if not path.is_file():
            return False
        translator = QTranslator(app)
        if not translator.load(str(path)):
            return False
        app.installTranslator(translator)
        self._installed.append(translator)
        return True
