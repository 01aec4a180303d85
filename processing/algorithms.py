"""The list of Nadir's Processing algorithms. Each feature adds its classes here.

Imported lazily by the provider's ``loadAlgorithms`` so the heavy modules behind the
algorithms are not loaded at QGIS start-up.
"""

from __future__ import annotations

from qgis.core import QgsProcessingAlgorithm
from qgis.PyQt.QtGui import QIcon

from ..toolbelt.help import algorithm_help_url
from ..toolbelt.identity import PLUGIN_DIR

ICONS = PLUGIN_DIR / "resources" / "icons"


def icon_path(algorithm_name: str) -> str:
    """The SVG of an algorithm, ``resources/icons/<name>.svg`` (by path: no compiled resources)."""
    return str(ICONS / f"{algorithm_name}.svg")


class NadirAlgorithm(QgsProcessingAlgorithm):
    """Base of Nadir's algorithms: each shows its own icon in the toolbox, models and history,
    and opens its own page of Nadir's help."""

    def helpUrl(self) -> str:
        return algorithm_help_url(self.name())

    def icon(self) -> QIcon:
        return QIcon(self.svgIconPath())

    def svgIconPath(self) -> str:
        return icon_path(self.name())


def algorithm_classes() -> list[type[QgsProcessingAlgorithm]]:
    from .aoi.import_aoi import ImportAoiAlgorithm
    from .deliveries.download_deliveries import DownloadDeliveriesAlgorithm
    from .grid.tile_cover import TileCoverAlgorithm
    from .ordering.order_algorithms import EstimateAlgorithm, PlaceOrderAlgorithm
    from .orders.tracking import CancelOrderAlgorithm, ListOrdersAlgorithm
    from .search.search_archive import SearchArchiveAlgorithm
    from .tasking.tasking_algorithms import TaskAcquisitionAlgorithm, TaskingDecisionAlgorithm

    return [
        ImportAoiAlgorithm,
        TileCoverAlgorithm,
        EstimateAlgorithm,
        PlaceOrderAlgorithm,
        ListOrdersAlgorithm,
        CancelOrderAlgorithm,
        DownloadDeliveriesAlgorithm,
        SearchArchiveAlgorithm,
        TaskAcquisitionAlgorithm,
        TaskingDecisionAlgorithm,
    ]
