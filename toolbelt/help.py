"""Nadir's help pages (``resources/help``): which page documents what, and opening them.

Pages are plain HTML files opened in the system browser by ``file://`` URL. A page
translated into the QGIS language (``resources/help/<lang>/<page>``) is preferred when
it exists; English otherwise.
"""

from __future__ import annotations

from pathlib import Path

from qgis.PyQt.QtCore import QUrl
from qgis.PyQt.QtGui import QDesktopServices

from .i18n import user_locale
from .identity import PLUGIN_DIR

HELP_DIR = PLUGIN_DIR / "resources" / "help"
INDEX = "index.html"

#: dock section key -> page (the start page has no key)
SECTION_PAGES = {
    "start": INDEX,
    "aois": "aois.html",
    "grid": "grid.html",
    "cart": "cart.html",
    "orders": "orders.html",
    "deliveries": "deliveries.html",
    "search": "search.html",
    "tasking": "tasking.html",
}

#: Processing algorithm name -> page
ALGORITHM_PAGES = {
    "import_aoi": "aois.html",
    "tile_cover": "grid.html",
    "estimate": "cart.html",
    "place_order": "checkout.html",
    "list_orders": "orders.html",
    "cancel_order": "orders.html",
    "download_deliveries": "deliveries.html",
    "search_archive": "search.html",
    "task_acquisition": "tasking.html",
    "tasking_decision": "tasking.html",
}


def help_path(page: str = INDEX) -> Path:
    translated = HELP_DIR / user_locale() / page
    return translated if translated.is_file() else HELP_DIR / page


def help_url(page: str = INDEX) -> str:
    """``file://`` URL of a page (for ``QgsProcessingAlgorithm.helpUrl``)."""
    return QUrl.fromLocalFile(str(help_path(page))).toString()


def algorithm_help_url(name: str) -> str:
    return help_url(ALGORITHM_PAGES.get(name, "processing.html"))


def open_help(page: str = INDEX) -> bool:
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(help_path(page)))))
