"""``nadir:import_aoi``: AOIs from a file or a layer, with area and validation columns.

The same readers and checks as the dock (``toolbelt.aoi.files``, ``core``): text formats
through core's parser, everything else through OGR; reprojection to EPSG:4326,
antimeridian splits, geodesic areas, located problems. Optionally repairs invalid AOIs
and applies a provider's rules. Runs headless:

    qgis_process.bin run nadir:import_aoi --FILE=fields.kml --PROVIDER=2 --OUTPUT=aois.gpkg
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from qgis.core import (
    QgsFeatureSink,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
)

from ...core.errors import InputError, NadirError, OperationCancelled
from ...core.provider_info import PROVIDERS
from ...toolbelt.compat import SOURCE_VECTOR_POLYGON, multi_polygon_wkb
from ...toolbelt.i18n import tr
from ..algorithms import NadirAlgorithm

# QGIS builds every algorithm when it starts, so the AOI machinery (shapely, the
# readers: about 0.2 s) is imported when the algorithm runs, not here.
if TYPE_CHECKING:
    from ...core.aoi.build import ImportResult
    from ...core.aoi.model import Aoi

# The providers whose rules can be checked, in the order of ``core.aoi.rules.RULES``
# (a test keeps the two in step).
PROVIDER_CHOICES = ("", *PROVIDERS)


class FeedbackProgress:
    """``toolbelt.aoi.files.Progress`` over a Processing feedback."""

    def __init__(self, feedback: Optional[QgsProcessingFeedback]) -> None:
        self.feedback = feedback

    def check(self) -> None:
        if self.feedback is not None and self.feedback.isCanceled():
            raise OperationCancelled()

    def progress(self, percent: float) -> None:
        if self.feedback is not None:
            self.feedback.setProgress(percent)


class ImportAoiAlgorithm(NadirAlgorithm):
    INPUT = "INPUT"
    FILE = "FILE"
    DISSOLVE = "DISSOLVE"
    REPAIR = "REPAIR"
    PROVIDER = "PROVIDER"
    OUTPUT = "OUTPUT"
    AOIS = "AOIS"
    REFUSED = "REFUSED"
    INVALID = "INVALID"

    def name(self) -> str:
        return "import_aoi"

    def displayName(self) -> str:
        return tr("Import areas of interest")

    def group(self) -> str:
        return tr("Areas of interest")

    def groupId(self) -> str:
        return "aoi"

    def shortHelpString(self) -> str:
        return tr(
            "Makes AOIs from a vector layer or from a file (GeoJSON, JSON, WKT, TXT, KML, zipped "
            "shapefile, GeoPackage or anything OGR reads; every polygon layer of the file). Every AOI is "
            "reprojected to EPSG:4326, split at the antimeridian if it crosses it, and checked: the "
            "output has its geodesic area in km² (WGS84), whether it is valid, and each problem with "
            "where it is and what to do. Features that cannot be areas (points, lines, empty or "
            "out-of-range coordinates) are reported and left out. Optionally repairs invalid shapes and "
            "checks a provider's rules (minimum area, vertex limit)."
        )

    def createInstance(self) -> ImportAoiAlgorithm:
        return ImportAoiAlgorithm()

    def initAlgorithm(self, config: Optional[dict[str, Any]] = None) -> None:
        self.addParameter(
            QgsProcessingParameterFeatureSource(self.INPUT, tr("Polygon layer"), [SOURCE_VECTOR_POLYGON], optional=True)
        )
        self.addParameter(
            QgsProcessingParameterFile(
                self.FILE, tr("…or a file (GeoJSON, JSON, WKT, TXT, KML, zipped shapefile, GeoPackage…)"), optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(self.DISSOLVE, tr("Dissolve all features into one AOI"), defaultValue=False)
        )
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.REPAIR, tr("Repair invalid AOIs (keep their polygonal parts)"), defaultValue=False
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.PROVIDER,
                tr("Check the rules of a provider"),
                options=[tr("(none)")] + [PROVIDERS[p].title for p in PROVIDER_CHOICES[1:]],
                defaultValue=0,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Imported AOIs"), SOURCE_VECTOR_POLYGON)
        )  # not the dock layer's name
        self.addOutput(QgsProcessingOutputNumber(self.AOIS, tr("Number of AOIs")))
        self.addOutput(QgsProcessingOutputNumber(self.INVALID, tr("Number of invalid AOIs")))
        self.addOutput(QgsProcessingOutputNumber(self.REFUSED, tr("Number of features refused")))

    def processAlgorithm(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict[str, Any]:
        progress = FeedbackProgress(feedback)
        try:
            result = self._read(parameters, context, progress)
        except NadirError as exc:
            raise QgsProcessingException(exc.message) from None
        for problem in result.refused:
            feedback.reportError(problem.text(), fatalError=False)
        if not result.aois:
            raise QgsProcessingException(
                tr("No AOI could be made: {}").format(
                    result.refused[0].text() if result.refused else tr("the input holds no features")
                )
            )
        from ...core.aoi import rules as aoi_rules
        from ...toolbelt.aoi.layer import aoi_feature, aoi_fields
        from ...toolbelt.geometry import wgs84

        aois = list(result.aois)
        if self.parameterAsBoolean(parameters, self.REPAIR, context):
            aois = [self._repaired(aoi, feedback) for aoi in aois]
        provider = PROVIDER_CHOICES[self.parameterAsEnum(parameters, self.PROVIDER, context)]

        fields = aoi_fields()
        sink, dest_id = self.parameterAsSink(parameters, self.OUTPUT, context, fields, multi_polygon_wkb(), wgs84())
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        invalid = 0
        for aoi in aois:
            if provider:
                problems = aoi_rules.check(aoi, provider)
                aoi = _with_problems(aoi, problems)
            invalid += not aoi.valid
            for problem in aoi.problems:
                feedback.pushInfo(f"{aoi.name}: {problem.text()}")
            sink.addFeature(aoi_feature(aoi, fields, use=aoi.valid), QgsFeatureSink.Flag.FastInsert)
        feedback.pushInfo(
            tr("{} AOI(s), {:,.3f} km² in total; {} invalid; {} feature(s) refused.").format(
                len(aois), sum(a.area_km2 for a in aois), invalid, len(result.refused)
            )
        )
        return {self.OUTPUT: dest_id, self.AOIS: len(aois), self.INVALID: invalid, self.REFUSED: len(result.refused)}

    def _read(
        self, parameters: dict[str, Any], context: QgsProcessingContext, progress: FeedbackProgress
    ) -> ImportResult:
        from ...toolbelt.aoi import files as aoi_files

        dissolve = self.parameterAsBoolean(parameters, self.DISSOLVE, context)
        path = self.parameterAsFile(parameters, self.FILE, context)
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if bool(path) == (source is not None):
            raise InputError(tr("Give either a layer (INPUT) or a file (FILE), not both and not neither."))
        if path:
            name = Path(path).stem
            return aoi_files.import_file(
                Path(path), context.transformContext(), None, name if dissolve else None, progress
            )
        name = source.sourceName() or tr("layer")
        raws = aoi_files.read_features(
            source,
            source.sourceCrs(),
            source.fields(),
            context.transformContext(),
            progress=progress,
            total=source.featureCount(),
        )
        return aoi_files.finish_import(raws, name, name, name if dissolve else None)

    @staticmethod
    def _repaired(aoi: Aoi, feedback: QgsProcessingFeedback) -> Aoi:
        from ...core.aoi.build import repair_preview, with_geometry

        if aoi.valid:
            return aoi
        try:
            repaired = with_geometry(aoi, repair_preview(aoi).geometry)
        except InputError as exc:
            feedback.reportError(f"{aoi.name}: {exc.message}", fatalError=False)
            return aoi
        feedback.pushInfo(tr("{}: repaired").format(aoi.name))
        return repaired


def _with_problems(aoi: Aoi, problems: list[Any]) -> Aoi:
    return replace(aoi, problems=(*aoi.problems, *problems)) if problems else aoi
