"""``nadir:search_archive``: archive captures of several providers as a footprints layer.

The same search as the Search section (:func:`core.search.engine.search_providers`):
each chosen provider is searched over the area (a layer's features, or an extent), the
captures are written to the output with every attribute the section shows (provider,
capture id, collection, constellation, acquisition time, cloud, incidence, GSD, % of the
area covered, price, host). A provider that fails is reported and the others still
written; the algorithm fails only when every provider failed. Adapters are made in
``prepareAlgorithm`` (main thread: the auth manager may ask for the master password).
"""

from __future__ import annotations

import json
from typing import Any, Optional

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeatureSink,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingParameterDateTime,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from ...core.provider_info import PROVIDERS
from ...toolbelt.i18n import tr
from ..algorithms import NadirAlgorithm

#: the providers with an archive, in the order the parameter lists them
ARCHIVE_PROVIDERS = ("geopera", "oneatlas", "up42")


class SearchArchiveAlgorithm(NadirAlgorithm):
    AREA = "AREA"
    PROVIDERS = "PROVIDERS"
    FROM = "FROM"
    TO = "TO"
    MAX_CLOUD = "MAX_CLOUD"
    MAX_INCIDENCE = "MAX_INCIDENCE"
    UP42_COLLECTION = "UP42_COLLECTION"
    LIMIT = "LIMIT"
    OUTPUT = "OUTPUT"
    COUNT = "COUNT"

    def __init__(self) -> None:
        super().__init__()
        self._adapters: dict[str, Any] = {}
        self._failed: list[str] = []

    def name(self) -> str:
        return "search_archive"

    def displayName(self) -> str:
        return tr("Search archive imagery")

    def group(self) -> str:
        return tr("Ordering")

    def groupId(self) -> str:
        return "ordering"

    def shortHelpString(self) -> str:
        return tr(
            "Searches the archives of Geopera, Airbus OneAtlas and UP42 over the features of a layer and writes "
            "the footprints of the captures found (EPSG:4326) with provider, capture id, collection, "
            "constellation, acquisition time, cloud cover, incidence angle, GSD, the % of the area each covers, "
            "the price where the provider adds one, and the host.\n\n"
            "UP42 searches one collection on one host: give it as collection@host (for example phr@oneatlas). "
            "A provider that fails is reported in the log and the others are still written."
        )

    def createInstance(self) -> SearchArchiveAlgorithm:
        return SearchArchiveAlgorithm()

    def initAlgorithm(self, config: Optional[dict[str, Any]] = None) -> None:
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.AREA, tr("Area to search"), [QgsProcessing.SourceType.TypeVectorPolygon]
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.PROVIDERS,
                tr("Providers"),
                options=[PROVIDERS[p].title for p in ARCHIVE_PROVIDERS],
                allowMultiple=True,
                defaultValue=[0, 1],
            )
        )
        self.addParameter(QgsProcessingParameterDateTime(self.FROM, tr("Acquired from")))
        self.addParameter(QgsProcessingParameterDateTime(self.TO, tr("Acquired until")))
        self.addParameter(
            QgsProcessingParameterNumber(
                self.MAX_CLOUD,
                tr("Max cloud cover (%)"),
                QgsProcessingParameterNumber.Type.Double,
                100.0,
                minValue=0.0,
                maxValue=100.0,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.MAX_INCIDENCE,
                tr("Max incidence angle (°)"),
                QgsProcessingParameterNumber.Type.Double,
                90.0,
                minValue=0.0,
                maxValue=90.0,
            )
        )
        self.addParameter(QgsProcessingParameterString(self.UP42_COLLECTION, tr("UP42 collection@host"), optional=True))
        self.addParameter(
            QgsProcessingParameterNumber(
                self.LIMIT,
                tr("At most, per provider"),
                QgsProcessingParameterNumber.Type.Integer,
                500,
                minValue=1,
                maxValue=100000,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Captures"), QgsProcessing.SourceType.TypeVectorPolygon)
        )
        self.addOutput(QgsProcessingOutputNumber(self.COUNT, tr("Number of captures")))

    def prepareAlgorithm(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> bool:
        from ...core.errors import NadirError
        from ...toolbelt.connections import adapter_for

        self._adapters, self._failed = {}, []
        chosen = [ARCHIVE_PROVIDERS[i] for i in self.parameterAsEnums(parameters, self.PROVIDERS, context)]
        if not chosen:
            raise QgsProcessingException(tr("Choose at least one provider to search."))
        for provider in chosen:
            try:
                self._adapters[provider] = adapter_for(provider)
            except NadirError as exc:
                feedback.reportError(f"{PROVIDERS[provider].title}: {exc.message}")
                self._failed.append(provider)
        if not self._adapters:
            raise QgsProcessingException(tr("No provider could be searched; see the log."))
        return True

    def _area(self, parameters: dict[str, Any], context: QgsProcessingContext) -> dict[str, Any]:
        source = self.parameterAsSource(parameters, self.AREA, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.AREA))
        wgs84 = QgsCoordinateReferenceSystem("EPSG:4326")
        geometries = [f.geometry() for f in source.getFeatures() if f.hasGeometry()]
        union = QgsGeometry.unaryUnion(geometries) if geometries else QgsGeometry()
        if union.isNull() or union.isEmpty():
            raise QgsProcessingException(tr("The area layer has no polygon to search over."))
        if source.sourceCrs() != wgs84:
            union.transform(QgsCoordinateTransform(source.sourceCrs(), wgs84, context.transformContext()))
        value = json.loads(union.asJson())
        if not isinstance(value, dict):
            raise QgsProcessingException(tr("The area cannot be read as a polygon."))
        return value

    def processAlgorithm(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict[str, Any]:
        from datetime import timezone

        from ...core.errors import NadirError
        from ...core.models import SearchQuery
        from ...core.search.engine import Failed, Found, ProviderSearch, search_providers
        from ...core.search.results import capture_key
        from ...toolbelt.compat import multi_polygon_wkb
        from ...toolbelt.search.layer import CaptureFeatures, capture_fields

        adapters, self._adapters = self._adapters, {}
        try:
            area = self._area(parameters, context)
            start = self.parameterAsDateTime(parameters, self.FROM, context).toPyDateTime()
            end = self.parameterAsDateTime(parameters, self.TO, context).toPyDateTime()
            start, end = (d.replace(tzinfo=timezone.utc) if d.tzinfo is None else d for d in (start, end))
            if end <= start:
                raise QgsProcessingException(tr("'Acquired until' is before 'Acquired from'. Swap the dates."))
            limit = self.parameterAsInt(parameters, self.LIMIT, context)
            base = {
                "geometry": area,
                "start": start,
                "end": end,
                "limit": limit,
                "page_size": min(limit, 100),
                "max_cloud": self.parameterAsDouble(parameters, self.MAX_CLOUD, context),
                "max_incidence": self.parameterAsDouble(parameters, self.MAX_INCIDENCE, context),
            }
            searches = []
            for provider in adapters:
                extra: dict[str, Any] = {}
                if provider == "up42":
                    text = (self.parameterAsString(parameters, self.UP42_COLLECTION, context) or "").strip()
                    collection, _, host = text.partition("@")
                    if not collection or not host:
                        feedback.reportError(
                            tr("UP42: give the collection to search as collection@host, for example phr@oneatlas.")
                        )
                        self._failed.append(provider)
                        continue
                    extra = {"collections": (collection,), "host": host}
                searches.append(ProviderSearch(provider, SearchQuery(**base, **extra)))
            fields = capture_fields()
            sink, dest_id = self.parameterAsSink(
                parameters, self.OUTPUT, context, fields, multi_polygon_wkb(), QgsCoordinateReferenceSystem("EPSG:4326")
            )
            if sink is None:
                raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
            written = 0
            factory = CaptureFeatures(fields)

            def publish(value: object) -> None:
                nonlocal written
                if isinstance(value, Found):
                    keys = [capture_key(c) for c in value.captures]
                    wkbs = value.wkbs or (None,) * len(keys)
                    features = factory.many(value.captures, value.coverage, keys, wkbs)
                    sink.addFeatures(list(features), QgsFeatureSink.Flag.FastInsert)
                    written += len(features)
                    feedback.pushInfo(tr("{}: {} captures so far").format(PROVIDERS[value.provider].title, written))
                elif isinstance(value, Failed):
                    feedback.reportError(value.message)
                    self._failed.append(value.provider)

            titles = {p: PROVIDERS[p].title for p in PROVIDERS}
            try:
                search_providers(
                    searches, adapters.__getitem__, publish, aoi=area, titles=titles, cancelled=feedback.isCanceled
                )
            except NadirError as exc:
                raise QgsProcessingException(exc.message) from None
            if written == 0 and set(self._failed) >= set(adapters):
                raise QgsProcessingException(tr("No provider could be searched; see the log."))
            feedback.pushInfo(tr("{} captures").format(written))
            return {self.OUTPUT: dest_id, self.COUNT: written}
        finally:
            for adapter in adapters.values():
                adapter.close()
