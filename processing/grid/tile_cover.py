"""``nadir:tile_cover``: the grid cells covering an AOI layer.

The same cover as the dock's "select covering cells" (:mod:`core.grid.cover`): per UTM
band its own zone's cells, neighbouring zones only where a band is not covered, at tile
or minitile level, from the provider's grid (the ClearSKY connection in Nadir's
settings, credentials from the QGIS authentication database). Runs in the toolbox, in
models, in batch mode and headless in ``qgis_process``.

Heavy modules (shapely, pydantic, httpx) are imported when the algorithm runs, not when
QGIS loads the provider.
"""

from __future__ import annotations

import re
from typing import Any, Optional

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterString,
)

from ...toolbelt.compat import FIELD_DOUBLE, FIELD_INT, FIELD_STRING, multi_polygon_wkb
from ...toolbelt.i18n import tr
from ..algorithms import NadirAlgorithm

LEVELS = ("tile", "minitile")
PROVIDERS = ("clearsky",)  # providers with a tile grid
_ZONE = re.compile(r"^(\d{1,2})\s*([NS])$", re.IGNORECASE)


def parse_zones(text: str) -> set[int]:
    """``"31N, 32n; 32719"`` -> {32631, 32632, 32719}; ValueError names a bad entry."""
    zones = set()
    for token in re.split(r"[,;\s]+(?=\d)", text.strip()) if text.strip() else []:
        token = token.strip().strip(",;")
        match = _ZONE.match(token)
        if match and 1 <= int(match.group(1)) <= 60:
            zones.add((32700 if match.group(2).upper() == "S" else 32600) + int(match.group(1)))
        elif token.isdigit() and len(token) >= 4:
            zones.add(int(token))
        else:
            raise ValueError(f"'{token}' is not a UTM zone: write it like 31N or 19S, or as an EPSG code")
    return zones


class TileCoverAlgorithm(NadirAlgorithm):
    INPUT = "INPUT"
    LEVEL = "LEVEL"
    PROVIDER = "PROVIDER"
    EXCLUDE_ZONES = "EXCLUDE_ZONES"
    OUTPUT = "OUTPUT"

    def __init__(self) -> None:
        super().__init__()
        self._source: Any = None

    # -- identity ---------------------------------------------------------------------
    def name(self) -> str:
        return "tile_cover"

    def displayName(self) -> str:
        return tr("Tile cover (provider grid)")

    def group(self) -> str:
        return tr("Tile grid")

    def groupId(self) -> str:
        return "grid"

    def shortHelpString(self) -> str:
        return tr(
            "Finds the cells of the provider's tile grid (ClearSKY Vision: UTM tiles of 5120x5120 px and "
            "minitiles of 320x320 px at 10 m) that cover the AOI, at tile or minitile level. Where UTM zones "
            "overlap, each part of the AOI is covered by the cells of its own zone; a neighbouring zone's "
            "cells are used only where its own zone has none (or is excluded). Tile orders bill the cells: "
            "the coverage ratio (cell area / AOI area) is reported. The provider connection and its "
            "credentials come from Settings > Options > Nadir."
        )

    def createInstance(self) -> TileCoverAlgorithm:
        return TileCoverAlgorithm()

    def initAlgorithm(self, config: Optional[dict[str, Any]] = None) -> None:
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.INPUT, tr("AOI layer"), [QgsProcessing.SourceType.TypeVectorPolygon]
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(self.LEVEL, tr("Level"), [tr("Tiles"), tr("Minitiles")], defaultValue=0)
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.PROVIDER, tr("Provider connection"), [tr("ClearSKY Vision (Nadir settings)")], defaultValue=0
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.EXCLUDE_ZONES, tr("UTM zones to leave out (e.g. 31N, 32N)"), optional=True, defaultValue=""
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Cells"), QgsProcessing.SourceType.TypeVectorPolygon)
        )
        for key, label in (
            ("CELL_COUNT", tr("Number of cells")),
            ("AOI_KM2", tr("AOI area (km²)")),
            ("CELLS_KM2", tr("Cell area (km²)")),
            ("RATIO", tr("Coverage ratio")),
            ("UNCOVERED_KM2", tr("AOI area not covered (km²)")),
        ):
            self.addOutput(QgsProcessingOutputNumber(key, label))

    # -- running ------------------------------------------------------------------------
    def prepareAlgorithm(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> bool:
        """Main thread: credentials are read from the QGIS authentication database here."""
        from ...core.errors import NadirError
        from ...core.ports import SupportsGrid, close_adapter
        from ...toolbelt.connections import adapter_for
        from ...toolbelt.settings import load

        provider = PROVIDERS[self.parameterAsEnum(parameters, self.PROVIDER, context)]
        try:
            adapter = adapter_for(provider, load())
        except NadirError as exc:
            raise QgsProcessingException(exc.message) from None
        if not isinstance(adapter, SupportsGrid):
            close_adapter(adapter)
            raise QgsProcessingException(f"The {provider} adapter has no tile grid.")
        self._source = adapter
        return True

    def processAlgorithm(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict[str, Any]:
        from ...core.ports import close_adapter

        try:
            return self._cover(parameters, context, feedback)
        finally:
            close_adapter(self._source)
            self._source = None

    def _cover(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict[str, Any]:
        import shapely

        from ...core.errors import NadirError, OperationCancelled
        from ...core.grid.fetch import cover_aoi
        from ...core.grid.model import zone_label
        from ...core.models import CellLevel
        from ...toolbelt.geometry import many_to_qgs, qgs_to_wgs84

        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.INPUT))
        level = CellLevel(LEVELS[self.parameterAsEnum(parameters, self.LEVEL, context)])
        try:
            disabled = parse_zones(self.parameterAsString(parameters, self.EXCLUDE_ZONES, context) or "")
        except ValueError as exc:
            raise QgsProcessingException(str(exc)) from None
        parts = []
        for feature in source.getFeatures():
            geometry = qgs_to_wgs84(feature.geometry(), source.sourceCrs(), context.transformContext())
            if geometry is not None and not geometry.is_empty:
                parts.append(geometry)
        if not parts:
            raise QgsProcessingException(tr("The AOI layer has no polygon features."))
        aoi = shapely.union_all(parts)

        fields = QgsFields()
        for name, kind in (
            ("guid", FIELD_STRING),
            ("level", FIELD_STRING),
            ("parent", FIELD_STRING),
            ("epsg", FIELD_INT),
            ("zone", FIELD_STRING),
            ("area_km2", FIELD_DOUBLE),
        ):
            fields.append(QgsField(name, kind))
        sink, dest_id = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, multi_polygon_wkb(), QgsCoordinateReferenceSystem("EPSG:4326")
        )
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        try:
            outcome = cover_aoi(
                self._source, aoi, level, disabled, cancelled=feedback.isCanceled, progress=feedback.setProgress
            )
        except OperationCancelled:
            return {}
        except NadirError as exc:
            raise QgsProcessingException(exc.message) from None
        batch = outcome.tiles.batch if level is CellLevel.TILE else outcome.minitiles.batch  # type: ignore[union-attr]
        row = {guid: k for k, guid in enumerate(batch.guids)}
        picked = [row[g] for g in outcome.result.guids]
        for index, geometry in zip(picked, many_to_qgs(batch.geoms[picked]) if picked else []):
            cell = batch.cell(index)
            feature = QgsFeature(fields)
            geometry.convertToMultiType()
            feature.setGeometry(geometry)
            feature.setAttributes(
                [
                    cell.guid,
                    cell.level.value,
                    cell.parent or "",
                    cell.epsg,
                    zone_label(cell.epsg),
                    round(float(batch.areas[index]), 4),
                ]
            )
            sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert)
        result = outcome.result
        feedback.pushInfo(
            tr("{} cells; coverage ratio {:.3f} ({:,.1f} km² of cells for {:,.1f} km² of AOI).").format(
                len(result.guids), result.ratio, result.cells_km2, result.aoi_km2
            )
        )
        if result.uncovered_km2 > 0:
            feedback.reportError(
                tr("{:,.1f} km² of the AOI are not covered (excluded zones or outside the grid).").format(
                    result.uncovered_km2
                )
            )
        feedback.pushInfo(
            tr("Provider calls: {} in {:.2f} s; client-side work {:.3f} s.").format(
                outcome.timer.calls, outcome.timer.provider_s, outcome.timer.client_s
            )
        )
        return {
            self.OUTPUT: dest_id,
            "CELL_COUNT": len(result.guids),
            "AOI_KM2": result.aoi_km2,
            "CELLS_KM2": result.cells_km2,
            "RATIO": result.ratio,
            "UNCOVERED_KM2": result.uncovered_km2,
        }
