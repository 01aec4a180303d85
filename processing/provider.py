"""Processing provider ``nadir``. Algorithms are listed in :mod:`.algorithms`."""

from __future__ import annotations

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..toolbelt.identity import PLUGIN_DIR, identity
from .algorithms import algorithm_classes


class NadirProcessingProvider(QgsProcessingProvider):
    def id(self) -> str:
        return "nadir"

    def name(self) -> str:
        return identity().name

    def longName(self) -> str:
        return f"{identity().name} {identity().version}"

    def icon(self) -> QIcon:
        return QIcon(str(PLUGIN_DIR / "resources" / "icons" / "nadir.svg"))

    def svgIconPath(self) -> str:
        return str(PLUGIN_DIR / "resources" / "icons" / "nadir.svg")

    def loadAlgorithms(self) -> None:
        for algorithm_class in algorithm_classes():
            self.addAlgorithm(algorithm_class())
