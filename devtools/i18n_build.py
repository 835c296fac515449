"""Refresh the kiosk's translation catalogues: ``python -m devtools.i18n_build``.

1. ``lupdate`` (PySide6's) extracts every ``self.tr``/``QCoreApplication.translate`` literal
   from ``kiosk/ui`` (subpackages included) and ``kiosk/app.py`` into
   ``assets/translations/trato_<lang>.ts``.
2. Spanish is the source language (see :mod:`kiosk.ui.i18n`): in ``trato_es.ts`` an entry
   nobody has worded differently gets its source text as translation and is marked finished.
   Other languages keep unfinished entries for their translators.
3. ``lrelease`` compiles each ``.ts`` to ``.qm``; Qt's own ``qtbase_es.qm`` is copied beside.
"""

import logging
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import PySide6
from PySide6.QtCore import QLibraryInfo

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "kiosk" / "ui", ROOT / "kiosk" / "app.py"]
TRANSLATIONS = ROOT / "assets" / "translations"
SOURCE_LANGUAGE = "es"
SPANISH_NUMERUS_FORMS = 3  # Qt's rule for Spanish: one, many, other


def tool(name: str) -> str:
    here = Path(PySide6.__file__).parent
    for candidate in (here / name, here / "Qt" / "libexec" / name, here / "Qt" / "bin" / name):
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(name) or shutil.which(f"pyside6-{name}")
    if not found:
        raise FileNotFoundError(f"{name} not found next to PySide6")
    return found


def source_files() -> list[str]:
    files: list[str] = []
    for src in SOURCES:
        if src.is_dir():
            files += sorted(str(p) for p in src.rglob("*.py"))
        else:
            files.append(str(src))
    return files


def run_lupdate(ts: Path) -> None:
    subprocess.run(  # noqa: S603 - PySide6's own tool
        [
            tool("lupdate"),
            "-silent",
            "-no-obsolete",
            "-locations",
            "none",
            *source_files(),
            "-ts",
            str(ts),
        ],
        check=True,
    )


def fill_source_language(ts: Path) -> int:
    """Mark every unfinished entry of the source-language catalogue as its own translation."""
    tree = ET.parse(ts)  # noqa: S314 - our own catalogue
    filled = 0
    for message in tree.getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        unfinished = translation.get("type") in ("unfinished", "vanished", "obsolete")
        empty = not (translation.text or "").strip() and not list(translation)
        if message.get("numerus") == "yes":
            forms = list(translation.findall("numerusform"))
            if unfinished or not forms or not any((f.text or "").strip() for f in forms):
                for form in forms:
                    translation.remove(form)
                for _ in range(SPANISH_NUMERUS_FORMS):
                    ET.SubElement(translation, "numerusform").text = source
                translation.attrib.pop("type", None)
                translation.text = None
                filled += 1
        elif unfinished or empty:
            if empty:
                translation.text = source
            translation.attrib.pop("type", None)
            filled += 1
    ET.indent(tree)
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    return filled


def run_lrelease(ts: Path) -> Path:
    qm = ts.with_suffix(".qm")
    subprocess.run([tool("lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)  # noqa: S603 - PySide6's own tool
    return qm


def copy_qt_catalogue(language: str) -> Path | None:
    qt_dir = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    src = qt_dir / f"qtbase_{language}.qm"
    if not src.is_file():
        return None
    dst = TRANSLATIONS / src.name
    shutil.copyfile(src, dst)
    return dst


def build() -> list[Path]:
    TRANSLATIONS.mkdir(parents=True, exist_ok=True)
    es = TRANSLATIONS / f"trato_{SOURCE_LANGUAGE}.ts"
    if not es.exists():
        es.write_text(
            '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
            '<TS version="2.1" language="es_MX" sourcelanguage="es_MX"></TS>\n',
            encoding="utf-8",
        )
    outputs = []
    for ts in sorted(TRANSLATIONS.glob("trato_*.ts")):
        run_lupdate(ts)
        if ts == es:
            fill_source_language(ts)
        outputs.append(run_lrelease(ts))
    qt = copy_qt_catalogue(SOURCE_LANGUAGE)
    if qt is not None:
        outputs.append(qt)
    return outputs


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for path in build():
        log.info("wrote %s", path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
