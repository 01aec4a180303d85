"""The list of Nadir's Processing algorithms. Each feature adds its classes here.

Imported lazily by the provider's ``loadAlgorithms`` so the heavy modules behind the
algorithms are not loaded at QGIS start-up.
"""

from __future__ import annotations

from qgis.core import QgsProcessingAlgorithm


def algorithm_classes() -> list[type[QgsProcessingAlgorithm]]:
    from .deliveries import DownloadDeliveriesAlgorithm
    from .import_aoi import ImportAoiAlgorithm
    from .order_algorithms import EstimateAlgorithm, PlaceOrderAlgorithm
    from .tile_cover import TileCoverAlgorithm
    from .tracking import CancelOrderAlgorithm, ListOrdersAlgorithm

    return [ImportAoiAlgorithm, TileCoverAlgorithm, EstimateAlgorithm, PlaceOrderAlgorithm, ListOrdersAlgorithm,
            CancelOrderAlgorithm, DownloadDeliveriesAlgorithm]
