"""``nadir:download_deliveries``: an order id -> its delivered files
and, in QGIS, its layers.

The adapter is made in ``prepareAlgorithm`` (main thread: the auth manager may need the
master password); :func:`core.deliveries.fetch.fetch_delivery` runs in ``processAlgorithm``
(maybe a background thread) with Processing's progress and cancel; layers are added in
``postProcessAlgorithm``, which QGIS runs on the main thread, into the context's project
(a group per order, as the orders panel's Load does). Headless in ``qgis_process`` there is
no project unless one is given, so only files are written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputFolder,
    QgsProcessingOutputMultipleLayers,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterString,
)

from ...core.provider_info import PROVIDERS
from ...toolbelt.i18n import tr
from ..algorithms import NadirAlgorithm

PROVIDER_IDS = list(PROVIDERS)


class DownloadDeliveriesAlgorithm(NadirAlgorithm):
    PROVIDER = "PROVIDER"
    ORDER_ID = "ORDER_ID"
    FOLDER = "FOLDER"
    LOAD = "LOAD"
    OUTPUT_FOLDER = "OUTPUT_FOLDER"
    FILES = "FILES"
    LAYERS = "LAYERS"
    FAILED = "FAILED"

    def __init__(self) -> None:
        super().__init__()
        self._adapter: Any = None
        self._root: Optional[Path] = None
        self._result: Any = None
        self._outputs: dict[str, Any] = {}

    def name(self) -> str:
        return "download_deliveries"

    def displayName(self) -> str:
        return tr("Download deliveries")

    def group(self) -> str:
        return tr("Orders")

    def groupId(self) -> str:
        return "orders"

    def shortHelpString(self) -> str:
        return tr(
            "Downloads everything a provider delivered for an order into a folder of its own "
            "(<download folder>/<provider>_<order id>): GeoTIFF, COG and JPEG 2000 files, zips unpacked. "
            "Partial files from an earlier run are resumed and complete ones are not downloaded again; "
            "sizes and checksums are checked before a file gets its final name.\n\n"
            "Download folder: empty means Nadir's download folder (Settings > Options > Nadir).\n"
            "Load as layers: in QGIS, adds the rasters to the current project in a group for the order, "
            "with provenance (provider, order id, capture date, product) in the layer metadata. Headless "
            "(qgis_process) only files are written."
        )

    def createInstance(self) -> DownloadDeliveriesAlgorithm:
        return DownloadDeliveriesAlgorithm()

    def initAlgorithm(self, config: Optional[dict[str, Any]] = None) -> None:
        self.addParameter(
            QgsProcessingParameterEnum(
                self.PROVIDER,
                tr("Provider connection"),
                options=[PROVIDERS[p].title for p in PROVIDER_IDS],
                defaultValue=0,
            )
        )
        self.addParameter(QgsProcessingParameterString(self.ORDER_ID, tr("Order id")))
        # A folder destination: the dialog offers "Save to folder…" and models can chain it.
        # Not created by default, so an empty value (also qgis_process without FOLDER) means
        # Nadir's download folder rather than a throwaway temporary folder.
        self.addParameter(
            QgsProcessingParameterFolderDestination(
                self.FOLDER,
                tr("Download folder (empty: Nadir's download folder)"),
                optional=True,
                createByDefault=False,
            )
        )
        self.addParameter(QgsProcessingParameterBoolean(self.LOAD, tr("Load as layers (in QGIS)"), defaultValue=True))
        self.addOutput(QgsProcessingOutputFolder(self.OUTPUT_FOLDER, tr("Order folder")))
        self.addOutput(QgsProcessingOutputMultipleLayers(self.FILES, tr("Raster files")))
        self.addOutput(QgsProcessingOutputNumber(self.LAYERS, tr("Layers added")))
        self.addOutput(QgsProcessingOutputNumber(self.FAILED, tr("Assets that failed")))

    def prepareAlgorithm(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> bool:
        from ...core.errors import NadirError
        from ...core.ports import SupportsDeliveries, close_adapter
        from ...toolbelt.connections import adapter_for
        from ...toolbelt.deliveries.prefs import download_root
        from ...toolbelt.settings import load

        provider = PROVIDER_IDS[self.parameterAsEnum(parameters, self.PROVIDER, context)]
        folder = (self.parameterAsFileOutput(parameters, self.FOLDER, context) or "").strip()
        settings = load()
        self._root = Path(folder) if folder else download_root(settings)
        try:
            adapter = adapter_for(provider, settings)
        except NadirError as exc:
            raise QgsProcessingException(exc.message) from None
        if not isinstance(adapter, SupportsDeliveries):
            close_adapter(adapter)
            raise QgsProcessingException(
                tr("{} deliveries cannot be fetched by Nadir.").format(PROVIDERS[provider].title)
            )
        self._adapter = adapter
        self._result = None
        return True

    def processAlgorithm(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict[str, Any]:
        from ...core.deliveries.fetch import fetch_delivery
        from ...core.errors import NadirError
        from ...core.ports import close_adapter

        order_id = (self.parameterAsString(parameters, self.ORDER_ID, context) or "").strip()
        adapter, self._adapter = self._adapter, None
        if adapter is None or self._root is None:
            raise QgsProcessingException(tr("The provider connection was not prepared."))
        try:
            if not order_id:
                raise QgsProcessingException(tr("Give the id of the order to download."))
            result = fetch_delivery(
                adapter, order_id, self._root, progress=feedback.setProgress, cancelled=feedback.isCanceled
            )
        except NadirError as exc:
            raise QgsProcessingException(exc.message) from None
        finally:
            close_adapter(adapter)
        for failure in result.failures:
            feedback.reportError(f"{failure.title or failure.asset_id}: {failure.message}")
        feedback.pushInfo(tr("{} order {}: {}").format(PROVIDERS[result.provider].title, order_id, result.summary()))
        if result.empty:
            feedback.pushWarning(tr("The provider lists nothing delivered for this order yet."))
        self._result = result if self.parameterAsBoolean(parameters, self.LOAD, context) else None
        self._outputs = {
            self.FOLDER: str(self._root),
            self.OUTPUT_FOLDER: result.folder,
            self.FILES: [r.path for r in result.rasters],
            self.LAYERS: 0,
            self.FAILED: len(result.failures),
        }
        return dict(self._outputs)

    def postProcessAlgorithm(self, context: QgsProcessingContext, feedback: QgsProcessingFeedback) -> dict[str, Any]:
        result, self._result = self._result, None
        outputs = dict(self._outputs)  # QGIS takes what this returns as the results when it is not empty
        project = context.project()
        if result is None or project is None:
            return outputs
        from ...toolbelt.deliveries.layers import load_result

        report = load_result(result, project)
        for problem in report.problems:
            feedback.reportError(problem)
        feedback.pushInfo(
            tr("{} layer(s) added to the project ({} already there).").format(len(report.added), len(report.existing))
        )
        return {**outputs, self.LAYERS: len(report.added)}
