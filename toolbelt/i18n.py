"""Translation helpers (STYLE.md 14): translate first, then format."""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QTranslator

from ..core.i18n import QT_TRANSLATE_NOOP
from .identity import PLUGIN_DIR

__all__ = ["QT_TRANSLATE_NOOP", "install_translator", "remove_translator", "tr", "tr_marked", "user_locale"]

CONTEXT = "Nadir"
I18N_DIR: Path = PLUGIN_DIR / "resources" / "i18n"


def tr(text: str, context: str = CONTEXT) -> str:
    """Translate a literal (pylupdate5 extracts only literals: format afterwards)."""
    return QCoreApplication.translate(context, text)


def tr_marked(text: str) -> str:
    """Translate a text held in a variable that was marked with ``QT_TRANSLATE_NOOP("Nadir", ...)``."""
    return QCoreApplication.translate(CONTEXT, text)


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
