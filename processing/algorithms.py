"""The list of Nadir's Processing algorithms. Each feature adds its classes here.

Imported lazily by the provider's ``loadAlgorithms`` so the heavy modules behind the
algorithms are not loaded at QGIS start-up.
"""

from __future__ import annotations

from qgis.core import QgsProcessingAlgorithm, QgsProcessingOutputString, QgsProcessingParameterString
from qgis.PyQt.QtGui import QIcon

from ..toolbelt.help import algorithm_help_url
from ..toolbelt.i18n import tr
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


class PlacingAlgorithm(NadirAlgorithm):
    """An algorithm that places orders (``nadir:place_order``, ``nadir:task_acquisition``):
    it takes a client reference, so a re-run with the same reference never orders twice,
    and gives the outcome and the provider's order ids."""

    CLIENT_REFERENCE = "CLIENT_REFERENCE"

    def add_placement_parameters(self) -> None:
        """The client reference parameter and the STATE and ORDER_IDS outputs."""
        self.addParameter(
            QgsProcessingParameterString(
                self.CLIENT_REFERENCE,
                tr(
                    "Client reference (a re-run with the same reference never orders twice; "
                    "empty: the parameters themselves)"
                ),
                optional=True,
            )
        )
        self.addOutput(QgsProcessingOutputString("STATE", tr("Outcome: estimated only, placed, failed, unknown")))
        self.addOutput(QgsProcessingOutputString("ORDER_IDS", tr("Provider order ids")))


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
