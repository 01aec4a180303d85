"""Translation helpers (STYLE.md 14): translate first, then format."""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QTranslator

from .identity import PLUGIN_DIR

CONTEXT = "Nadir"
I18N_DIR: Path = PLUGIN_DIR / "resources" / "i18n"


def tr(text: str, context: str = CONTEXT) -> str:
    return QCoreApplication.translate(context, text)


def user_locale() -> str:
    override = QgsSettings().value("locale/overrideFlag", False, type=bool)
    name = QgsSettings().value("locale/userLocale", "", type=str) if override else QLocale.system().name()
    return (name or "en")[:2]


def install_translator() -> QTranslator | None:
    """Load ``resources/i18n/nadir_<lang>.qm`` if it exists; returns it for unload."""
    path = I18N_DIR / f"nadir_{user_locale()}.qm"
    if not path.exists():
        return None
    translator = QTranslator()
    if not translator.load(str(path)):
        return None
    QCoreApplication.installTranslator(translator)
    return translator


def remove_translator(translator: QTranslator | None) -> None:
    if translator is not None:
        QCoreApplication.removeTranslator(translator)
