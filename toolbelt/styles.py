"""Layer styles shipped as QML files that users can change.

Nadir's own layers (AOIs, tile grid, existing orders) take their symbology and labels
from ``<name>.qml``: first from the profile's ``nadir/styles`` folder (a style saved
there from *Layer Properties > Style > Save Style* wins and survives plugin updates),
else from the plugin's ``resources/styles``. The legend labels of the categories and
rules Nadir knows are then set from the code so they follow the QGIS language; a
missing or unreadable file falls back to the style built in code.
``scripts/make_styles.py`` writes the shipped files from the code's defaults.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable, Optional

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsFeatureRenderer,
    QgsMapLayer,
    QgsRuleBasedRenderer,
    QgsVectorLayer,
)

from .identity import PLUGIN_DIR
from .paths import data_dir

LOGGER = logging.getLogger(__name__)
SHIPPED = PLUGIN_DIR / "resources" / "styles"
CATEGORIES = QgsMapLayer.StyleCategory.Symbology | QgsMapLayer.StyleCategory.Labeling

AOI = "aoi"
GRID = "grid"
ORDERS = "existing_orders"


def user_styles() -> Path:
    return data_dir() / "styles"


def style_path(name: str) -> Optional[Path]:
    """The QML a layer of this kind loads: the user's own, else the shipped one."""
    for folder in (user_styles(), SHIPPED):
        path = folder / f"{name}.qml"
        if path.is_file():
            return path
    return None


def load_style(layer: QgsVectorLayer, name: str, default: Callable[[QgsVectorLayer], None]) -> Optional[Path]:
    """Style ``layer`` from its QML (legend labels from the code); ``default`` if there is none."""
    path = style_path(name)
    if path is not None:
        message, ok = layer.loadNamedStyle(str(path), CATEGORIES)
        if ok:
            reference = QgsVectorLayer("Polygon?crs=EPSG:4326", "reference", "memory")
            default(reference)
            relabel(layer.renderer(), reference.renderer())
            return path
        LOGGER.warning("The style %s could not be loaded (%s); using Nadir's default", path, message)
    default(layer)
    return None


def relabel(renderer: Optional[QgsFeatureRenderer], reference: Optional[QgsFeatureRenderer]) -> None:
    """Legend labels of known categories (by value) and rules (by filter) from ``reference``."""
    if isinstance(renderer, QgsCategorizedSymbolRenderer) and isinstance(reference, QgsCategorizedSymbolRenderer):
        labels = {str(c.value()): c.label() for c in reference.categories()}
        for index, category in enumerate(renderer.categories()):
            label = labels.get(str(category.value()))
            if label is not None:
                renderer.updateCategoryLabel(index, label)
    elif isinstance(renderer, QgsRuleBasedRenderer) and isinstance(reference, QgsRuleBasedRenderer):
        rule_labels = {(r.filterExpression(), r.isElse()): r.label() for r in reference.rootRule().children()}
        for rule in renderer.rootRule().children():
            label = rule_labels.get((rule.filterExpression(), rule.isElse()))
            if label is not None:
                rule.setLabel(label)
