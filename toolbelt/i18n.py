"""Translation helpers: translate first, then format."""

from __future__ import annotations

import re
from pathlib import Path

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QTranslator

from ..core.i18n import QT_TRANSLATE_NOOP
from .identity import PLUGIN_DIR

__all__ = ["QT_TRANSLATE_NOOP", "install_translator", "remove_translator", "tr", "tr_marked", "user_locale"]

CONTEXT = "Nadir"
I18N_DIR: Path = PLUGIN_DIR / "resources" / "i18n"


def tr(text: str, context: str = CONTEXT) -> str:
    """Translate a literal (only literals are extracted, scripts/i18n_extract.py: format afterwards)."""
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


# -- numbers shown to users -------------------------------------------------------------
def number(value: float, decimals: int = 0) -> str:
    """``value`` in the user's locale: grouping and decimal separator (1,234.5 / 1 234,5).
    Grouped also in the C locale (a bare LANG=C), which leaves it out by default."""
    locale = QLocale()
    locale.setNumberOptions(locale.numberOptions() & ~QLocale.NumberOption.OmitGroupSeparator)
    if decimals == 0:
        return locale.toString(round(value))
    return locale.toString(float(value), "f", decimals)


def area(km2: float) -> str:
    """An area as every Nadir view shows it: m² below 0.01 km², then km² with 2
    decimals below 10, 1 below 1,000, none above (the same rule everywhere)."""
    if km2 < 0.01:
        return f"{number(km2 * 1e6)} m²"
    decimals = 2 if km2 < 10 else 1 if km2 < 1000 else 0
    return f"{number(km2, decimals)} km²"


def trn(text: str, n: int) -> str:
    """``text`` with ``%n`` for a count: "%n feature(s)", "%n (vertex|vertices)". A
    translation picks its own plural form (Qt numerus); untranslated, English: "(s)" is
    dropped for 1 and becomes "s" otherwise, "(a|b)" is a for 1 and b otherwise. The
    count is shown in the user's locale (1,234)."""
    count = number(n)
    translated = QCoreApplication.translate(CONTEXT, text, None, n)
    if translated == text.replace("%n", str(n)):  # no translation: English forms
        english = re.sub(r"\((\w+)\|(\w+)\)", r"\1" if n == 1 else r"\2", text)
        english = re.sub(r"\((\w+)\)", "" if n == 1 else r"\1", english)
        return english.replace("%n", count)
    return translated.replace(str(n), count, 1)
