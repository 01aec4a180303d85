"""``nadir:estimate`` and ``nadir:place_order``: the configure rules, the provider's
estimate and the outbox, from the toolbox, models, batch mode and ``qgis_process``.

Inputs: an AOI layer (polygons, any CRS; each feature is one AOI of a composite order)
or tile/minitile GUIDs (a tile order), and the configure parameters
(model, constellations, from, to, frequency, reference date, storage months, API requests,
tile deduplication).
Credentials come from the chosen provider's connection in Settings > Options > Nadir (the
QGIS authentication database), resolved in ``prepareAlgorithm`` on the main thread.

Archive captures (Geopera, OneAtlas, UP42): a footprints layer with ``provider`` and
``capture_id`` fields (``nadir:search_archive``'s output; only the chosen provider's
features are used) or capture ids with an AOI; the part bought is AOI ∩ footprint, the
product options (``ARCHIVE_OPTIONS``, JSON) are checked with the provider's rules
(:mod:`core.ordering.archive_options`) before anything is sent.

``nadir:place_order`` orders only with ``CONFIRM=true``; without it, it estimates and
says that nothing was ordered. With it, it goes through the same outbox as the cart:
the order is written with its reference before it is sent, and a re-run with the same
parameters (or the same ``CLIENT_REFERENCE``) finds that entry and never orders twice.
To order the very same thing again on purpose, give a new ``CLIENT_REFERENCE``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Optional

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsDistanceArea,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDateTime,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterNumber,
    QgsProcessingParameters,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QDate

from ...core.errors import AlreadyPlacing, NadirError
from ...core.ordering import clearsky_limits as limits
from ...toolbelt.compat import DATE_ONLY, INTEGER_NUMBER, SOURCE_VECTOR_POLYGON
from ...toolbelt.i18n import tr
from ..algorithms import NadirAlgorithm, PlacingAlgorithm

# QGIS builds every algorithm when it starts (to list its parameters), so this module
# imports only what the parameters need; the models, the outbox and the HTTP stack
# (pydantic, httpx: about 0.3 s) are imported when an algorithm runs.
if TYPE_CHECKING:
    from ...core.models import ArchiveSpec, Estimate, Money
    from ...core.ordering import clearsky_configure as configure
    from ...core.ordering.outbox import OutboxEntry

PROVIDERS = ("clearsky", "geopera", "oneatlas", "up42")
PROVIDER_TITLES = (
    "ClearSKY Vision",
    "Geopera (archive captures)",
    "Airbus OneAtlas (archive captures)",
    "UP42 (archive captures)",
)
WGS84 = "EPSG:4326"


def parse_guids(text: str) -> tuple[str, ...]:
    parts = text.replace(",", " ").replace(";", " ").split()
    return tuple(dict.fromkeys(p.strip() for p in parts if p.strip()))


def _month_or_day(text: str) -> Any:
    """``YYYY-MM`` (the first of that month) or ``YYYY-MM-DD`` (a time after it is ignored)."""
    from datetime import date

    value = text.strip()
    if len(value) == 7:  # YYYY-MM
        return date.fromisoformat(value + "-01")
    return date.fromisoformat(value[:10] if value[10:11] in ("T", " ") else value)


def _date_error(name: str, text: str) -> str:
    return tr("{} must be a date as YYYY-MM-DD (or a month as YYYY-MM), not {!r}.").format(name, text)


def parse_month(text: str, name: str) -> Any:
    try:
        return _month_or_day(text)
    except ValueError:
        raise QgsProcessingException(_date_error(name, text)) from None


def estimate_lines(estimate: Estimate) -> list[str]:
    lines = [tr("Estimate: {}").format(estimate.total)]
    if estimate.next_month is not None:
        lines.append(tr("Following month: {}").format(estimate.next_month))
    if estimate.image_dates:
        lines.append(
            tr("Image dates ({}): {}").format(
                len(estimate.image_dates), ", ".join(d.isoformat() for d in estimate.image_dates)
            )
        )
    for error in estimate.errors:
        lines.append(tr("Not priced: {}: {}").format(error.item, error.message))
    return lines


class _OrderAlgorithm(NadirAlgorithm):
    """Shared parameters and steps of estimate and place_order."""

    AOI, TILES, MINITILES, PROVIDER = "AOI", "TILES", "MINITILES", "PROVIDER"
    MODEL, CONSTELLATIONS, FROM, TO, FREQUENCY = "MODEL", "CONSTELLATIONS", "FROM", "TO", "FREQUENCY"
    REFERENCE_DATE, STORAGE_MONTHS, API_REQUESTS, TILE_DEDUP = (
        "REFERENCE_DATE",
        "STORAGE_MONTHS",
        "API_REQUESTS",
        "TILE_DEDUP",
    )
    FOOTPRINTS, CAPTURES, ARCHIVE_OPTIONS = "FOOTPRINTS", "CAPTURES", "ARCHIVE_OPTIONS"

    def __init__(self) -> None:
        super().__init__()
        self._adapter: Any = None

    def group(self) -> str:
        return tr("Ordering")

    def groupId(self) -> str:
        return "ordering"

    def initAlgorithm(self, config: Optional[dict[str, Any]] = None) -> None:
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.AOI,
                tr("Areas of interest (polygons; each feature is one AOI of a composite order)"),
                [SOURCE_VECTOR_POLYGON],
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.TILES,
                tr("Tile GUIDs (for a tile order; separated by commas or spaces)"),
                optional=True,
                multiLine=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.MINITILES, tr("Minitile GUIDs (for a tile order)"), optional=True, multiLine=True
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.PROVIDER, tr("Provider connection"), options=list(PROVIDER_TITLES), defaultValue=0
            )
        )
        self.addParameter(QgsProcessingParameterString(self.MODEL, tr("AI model"), defaultValue="Stratus2"))
        self.addParameter(
            QgsProcessingParameterString(
                self.CONSTELLATIONS,
                tr("Satellite constellations (comma separated; empty: the model's required ones)"),
                optional=True,
            )
        )
        # Dates are Date parameters (a calendar in the dialog, a date in models); strings
        # still work, as qgis_process and existing scripts pass them: YYYY-MM-DD or YYYY-MM.
        self.addParameter(
            QgsProcessingParameterDateTime(
                self.FROM,
                tr("From (first month: the 1st day of a month, or YYYY-MM; ClearSKY only)"),
                DATE_ONLY,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterDateTime(
                self.TO,
                tr("To (last image date; empty: recurring live order, renews every month until cancelled)"),
                DATE_ONLY,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.FREQUENCY,
                tr("Image frequency (days between images)"),
                INTEGER_NUMBER,
                defaultValue=7,
                minValue=limits.MIN_FREQUENCY,
                maxValue=limits.MAX_FREQUENCY,
            )
        )
        self.addParameter(
            QgsProcessingParameterDateTime(
                self.REFERENCE_DATE, tr("Reference date aligning the schedule (empty: From)"), DATE_ONLY, optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.STORAGE_MONTHS,
                tr("Storage months (the first month is free)"),
                INTEGER_NUMBER,
                defaultValue=1,
                minValue=limits.STORAGE_MONTHS[0],
                maxValue=limits.STORAGE_MONTHS[1],
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.API_REQUESTS,
                tr("API requests"),
                INTEGER_NUMBER,
                defaultValue=1,
                minValue=limits.API_REQUESTS[0],
                maxValue=limits.API_REQUESTS[1],
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.TILE_DEDUP, tr("Tile deduplication (tile orders only)"), defaultValue=False
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.FOOTPRINTS,
                tr(
                    "Archive captures: footprints layer with provider and capture_id fields (the "
                    "output of Search archive); the part bought is the AOI inside each footprint"
                ),
                [SOURCE_VECTOR_POLYGON],
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.CAPTURES,
                tr("Archive captures: capture ids of the chosen provider (with an AOI layer: the part bought)"),
                optional=True,
                multiLine=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.ARCHIVE_OPTIONS,
                tr(
                    'Archive product options (JSON), e.g. {"productType": "bundle", '
                    '"crsCode": "EPSG:32631"} (OneAtlas), {"split_by_date": true} '
                    '(Geopera), {"data_product": "<id>"} (UP42); empty: the defaults'
                ),
                optional=True,
                multiLine=True,
            )
        )
        self.addOutput(QgsProcessingOutputString("TOTAL", tr("Estimated total")))
        self.addOutput(QgsProcessingOutputString("CURRENCY", tr("Currency")))
        self.addOutput(QgsProcessingOutputString("IMAGE_DATES", tr("Image dates")))
        self.addOutput(QgsProcessingOutputString("ESTIMATE_JSON", tr("The provider's estimate (JSON)")))

    def _date_labels(self) -> dict[str, str]:
        return {self.FROM: "From", self.TO: "To", self.REFERENCE_DATE: "Reference date"}

    def checkParameterValues(self, parameters: dict[str, Any], context: QgsProcessingContext) -> tuple[bool, str]:
        """Accept the string dates of qgis_process and scripts (QGIS's own check refuses ``YYYY-MM``)."""
        checked = dict(parameters)
        for name, label in self._date_labels().items():
            value = parameters.get(name)
            if isinstance(value, str) and value.strip():
                try:
                    day = _month_or_day(value)
                except ValueError:
                    return False, _date_error(label, value)
                checked[name] = QDate(day.year, day.month, day.day)
        ok, message = super().checkParameterValues(checked, context)
        if (
            ok
            and PROVIDERS[self.parameterAsEnum(checked, self.PROVIDER, context)] == "clearsky"
            and checked.get(self.FROM) in (None, "")
        ):
            return False, tr(
                "From is required for a ClearSKY order: the first month, as YYYY-MM or the 1st day of a month."
            )
        return bool(ok), str(message)

    def _date(self, parameters: dict[str, Any], name: str, context: QgsProcessingContext) -> Any:
        """A Date parameter as a ``datetime.date`` (None when empty), from a QDate or a string."""
        value = parameters.get(name)
        if isinstance(value, str):
            return parse_month(value, self._date_labels()[name]) if value.strip() else None
        # QDate, QDateTime, expressions (QgsProcessingAlgorithm.parameterAsDate is missing in 3.22)
        day = QgsProcessingParameters.parameterAsDate(self.parameterDefinition(name), parameters, context)
        return day.toPyDate() if day.isValid() else None

    # ------------------------------------------------------------------ steps
    def prepareAlgorithm(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> bool:
        from ...toolbelt.connections import adapter_for

        provider = PROVIDERS[self.parameterAsEnum(parameters, self.PROVIDER, context)]
        try:
            self._adapter = adapter_for(provider)  # main thread: the auth database may ask for its password
        except NadirError as exc:
            raise QgsProcessingException(exc.message) from None
        return True

    def _target(self, parameters: dict[str, Any], context: QgsProcessingContext) -> configure.OrderTarget:
        from ...core.ordering import clearsky_configure as configure

        tiles = parse_guids(self.parameterAsString(parameters, self.TILES, context))
        minis = parse_guids(self.parameterAsString(parameters, self.MINITILES, context))
        source = self.parameterAsSource(parameters, self.AOI, context)
        if source is not None and (tiles or minis):
            raise QgsProcessingException(
                tr("Give either an AOI layer (composite order) or tile/minitile GUIDs (tile order), not both.")
            )
        if source is None:
            if not (tiles or minis):
                raise QgsProcessingException(tr("Give an AOI layer or tile/minitile GUIDs."))
            return configure.OrderTarget.cells(tiles, minis)
        transform = QgsCoordinateTransform(
            source.sourceCrs(), QgsCoordinateReferenceSystem(WGS84), context.transformContext()
        )
        area = QgsDistanceArea()
        area.setSourceCrs(QgsCoordinateReferenceSystem(WGS84), context.transformContext())
        area.setEllipsoid("WGS84")
        geometries, names, areas = [], [], []
        for feature in source.getFeatures():
            geometry = feature.geometry()
            if geometry.isNull() or geometry.isEmpty():
                continue
            geometry.transform(transform)
            geometries.append(json.loads(geometry.asJson(7)))
            names.append(str(feature.id()))
            areas.append(area.measureArea(geometry) / 1e6)
        if not geometries:
            raise QgsProcessingException(tr("The AOI layer has no polygons (or none are selected)."))
        aoi = geometries[0] if len(geometries) == 1 else {"type": "GeometryCollection", "geometries": geometries}
        return configure.OrderTarget.composite(aoi, names=names, areas_km2=areas)

    def _draft(self, parameters: dict[str, Any], context: QgsProcessingContext) -> configure.Draft:
        from ...core.ordering import clearsky_configure as configure

        constellations = self.parameterAsString(parameters, self.CONSTELLATIONS, context)
        return configure.Draft(
            model=self.parameterAsString(parameters, self.MODEL, context).strip(),
            constellations=tuple(c.strip() for c in constellations.split(",") if c.strip()),
            start=self._date(parameters, self.FROM, context),
            end=self._date(parameters, self.TO, context),
            frequency_days=self.parameterAsInt(parameters, self.FREQUENCY, context),
            reference_date=self._date(parameters, self.REFERENCE_DATE, context),
            storage_months=self.parameterAsInt(parameters, self.STORAGE_MONTHS, context),
            api_requests=self.parameterAsInt(parameters, self.API_REQUESTS, context),
            tile_dedup=self.parameterAsBool(parameters, self.TILE_DEDUP, context),
        )

    def _provider(self, parameters: dict[str, Any], context: QgsProcessingContext) -> str:
        return PROVIDERS[self.parameterAsEnum(parameters, self.PROVIDER, context)]

    def _aoi_geometry(self, parameters: dict[str, Any], context: QgsProcessingContext) -> Optional[dict[str, Any]]:
        """The AOI layer's polygons in EPSG:4326 as one GeoJSON geometry (None without a layer)."""
        from shapely.geometry import mapping, shape
        from shapely.ops import unary_union

        source = self.parameterAsSource(parameters, self.AOI, context)
        if source is None:
            return None
        transform = QgsCoordinateTransform(
            source.sourceCrs(), QgsCoordinateReferenceSystem(WGS84), context.transformContext()
        )
        parts = []
        for feature in source.getFeatures():
            geometry = feature.geometry()
            if geometry.isNull() or geometry.isEmpty():
                continue
            geometry.transform(transform)
            parts.append(shape(json.loads(geometry.asJson(7))))
        if not parts:
            raise QgsProcessingException(tr("The AOI layer has no polygons (or none are selected)."))
        return dict(mapping(unary_union(parts)))

    def _archive_options(self, parameters: dict[str, Any], context: QgsProcessingContext) -> dict[str, Any]:
        text = self.parameterAsString(parameters, self.ARCHIVE_OPTIONS, context).strip()
        if not text:
            return {}
        try:
            options = json.loads(text)
        except ValueError as exc:
            raise QgsProcessingException(
                tr(
                    'ARCHIVE_OPTIONS is not valid JSON ({}). Give an object such as {{"productType": "bundle"}}.'
                ).format(exc)
            ) from None
        if not isinstance(options, dict):
            raise QgsProcessingException(tr('ARCHIVE_OPTIONS must be a JSON object such as {"productType": "bundle"}.'))
        return options

    def _archive_spec(
        self, provider: str, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> ArchiveSpec:
        from ...core.models import Capture
        from ...core.ordering import archive_options as ao

        aoi = self._aoi_geometry(parameters, context)
        ids = parse_guids(self.parameterAsString(parameters, self.CAPTURES, context))
        source = self.parameterAsSource(parameters, self.FOOTPRINTS, context)
        captures: list[Capture] = []
        if source is not None:
            names = source.fields().names()
            id_field = "capture_id" if "capture_id" in names else "id" if "id" in names else ""
            if not id_field:
                raise QgsProcessingException(
                    tr("The footprints layer needs a capture_id field (the output of Search archive has it).")
                )
            transform = QgsCoordinateTransform(
                source.sourceCrs(), QgsCoordinateReferenceSystem(WGS84), context.transformContext()
            )
            others = 0
            for feature in source.getFeatures():
                owner = str(feature["provider"] or "") if "provider" in names else provider
                ident = str(feature[id_field] or "")
                geometry = feature.geometry()
                if owner != provider:
                    others += 1
                    continue
                if not ident or geometry.isNull() or geometry.isEmpty() or (ids and ident not in ids):
                    continue
                geometry.transform(transform)
                collection = str(feature["collection"] or "") if "collection" in names else ""
                if not collection and "constellation" in names:
                    collection = str(feature["constellation"] or "")
                host = str(feature["host"] or "") if "host" in names else ""
                captures.append(
                    Capture(
                        provider=provider,
                        id=ident,
                        collection=collection,
                        host=host or None,
                        footprint=json.loads(geometry.asJson(7)),
                    )
                )
            if others:
                feedback.pushWarning(
                    tr(
                        "{} footprints of other providers were left out: one order is for one "
                        "provider (the Provider parameter)."
                    ).format(others)
                )
        elif ids:
            if aoi is None:
                raise QgsProcessingException(
                    tr(
                        "Capture ids alone do not say which part to buy: give an AOI layer "
                        "too, or a footprints layer (the output of Search archive)."
                    )
                )
            captures = [Capture(provider=provider, id=ident, footprint=aoi) for ident in ids]
        if not captures:
            raise QgsProcessingException(
                tr(
                    "No {} capture to order: give a footprints layer with this provider's "
                    "captures, or capture ids and an AOI layer."
                ).format(provider)
            )
        plan = ao.plan_archive(captures, aoi, {provider: self._archive_options(parameters, context)})
        for dropped in plan.dropped:
            feedback.pushWarning(dropped.reason)
        if not plan.specs:
            raise QgsProcessingException(tr("No capture overlaps the AOI: nothing to order."))
        planned = plan.specs[0]
        problems = ao.validate(planned.spec)
        if problems:
            raise QgsProcessingException(
                tr("The order cannot be configured like this:\n") + "\n".join(f"- {p}" for p in problems)
            )
        feedback.pushInfo(
            tr("{} archive order: {}; options {}").format(
                provider, planned.summary, json.dumps(dict(planned.spec.options), sort_keys=True)
            )
        )
        return planned.spec

    def _spec(self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback) -> Any:
        from ...core.ordering import clearsky_configure as configure

        provider = self._provider(parameters, context)
        if provider != "clearsky":
            return self._archive_spec(provider, parameters, context, feedback)
        if (
            self.parameterAsSource(parameters, self.FOOTPRINTS, context) is not None
            or self.parameterAsString(parameters, self.CAPTURES, context).strip()
        ):
            raise QgsProcessingException(
                tr(
                    "Archive captures are ordered from Geopera, OneAtlas or UP42: choose "
                    "that provider. ClearSKY orders take an AOI layer or tile GUIDs."
                )
            )
        target = self._target(parameters, context)
        draft = self._draft(parameters, context)
        feedback.pushInfo(tr("Loading the AI models from ClearSKY…"))
        models = self._adapter.imagery_models()
        model = configure.find_model(models, draft.model)
        if model is not None and not draft.constellations:
            draft = configure.with_required(draft, model)
        limit = self._max_area(feedback) if target.kind.value == "composite" else None
        result = configure.check(draft, target, models, limit)
        for notice in result.notices:
            feedback.pushWarning(notice.message)
        if not result.ok:
            raise QgsProcessingException(
                tr("The order cannot be configured like this:\n") + "\n".join(f"- {p.message}" for p in result.errors)
            )
        kind = (
            tr("recurring live order (renews every month until cancelled)")
            if draft.end is None
            else tr("fixed period ending {}").format(draft.end.isoformat())
        )
        feedback.pushInfo(tr("ClearSKY {} order, {}: {}").format(target.kind.value, target.summary, kind))
        return configure.build_spec(draft, target, models, limit)

    def _max_area(self, feedback: QgsProcessingFeedback) -> Optional[float]:
        """The account's largest composite (``MaxCompositeAreaKm2``), the same rule the
        configure dialog applies; None (with a warning) when the account cannot be read."""
        from ...core.ordering import clearsky_configure as configure

        try:
            return configure.max_composite_area(self._adapter.account().extra)
        except NadirError as exc:
            feedback.pushWarning(
                tr(
                    "The ClearSKY account's limits could not be read ({}); the largest "
                    "composite it can deliver is not checked."
                ).format(exc.message)
            )
            return None

    def _estimate(self, spec: Any, feedback: QgsProcessingFeedback) -> tuple[Estimate, dict[str, Any]]:
        estimate = self._adapter.estimate(spec)
        for line in estimate_lines(estimate):
            feedback.pushInfo(line)
        outputs = {
            "TOTAL": f"{estimate.total.amount}",
            "CURRENCY": estimate.total.currency,
            "IMAGE_DATES": ",".join(d.isoformat() for d in estimate.image_dates),
            "ESTIMATE_JSON": estimate.model_dump_json(),
        }
        return estimate, outputs

    def postProcessAlgorithm(self, context: QgsProcessingContext, feedback: QgsProcessingFeedback) -> dict[str, Any]:
        self._close()
        return {}

    def _close(self) -> None:
        from ...core.ports import close_adapter

        close_adapter(self._adapter)
        self._adapter = None

    def _run(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict[str, Any]:
        raise NotImplementedError

    def processAlgorithm(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict[str, Any]:
        try:
            return self._run(parameters, context, feedback)
        except NadirError as exc:
            raise QgsProcessingException(exc.message) from None
        finally:
            self._close()


class EstimateAlgorithm(_OrderAlgorithm):
    def name(self) -> str:
        return "estimate"

    def displayName(self) -> str:
        return tr("Estimate an order")

    def shortHelpString(self) -> str:
        return tr(
            "Asks the provider for the price of a ClearSKY composite order (AOI layer) or tile order (tile "
            "and minitile GUIDs), or of archive captures from Geopera, OneAtlas or UP42 (a footprints layer "
            "from Search archive, or capture ids with an AOI layer; product options as JSON), after checking "
            "the configuration against the provider's rules. Nothing is ordered."
        )

    def createInstance(self) -> QgsProcessingAlgorithm:
        return EstimateAlgorithm()

    def _run(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict[str, Any]:
        spec = self._spec(parameters, context, feedback)
        return self._estimate(spec, feedback)[1]


class PlaceOrderAlgorithm(_OrderAlgorithm, PlacingAlgorithm):
    CONFIRM = "CONFIRM"

    def name(self) -> str:
        return "place_order"

    def displayName(self) -> str:
        return tr("Place an order")

    def shortHelpString(self) -> str:
        return tr(
            "Estimates a ClearSKY order or archive captures (Geopera, OneAtlas, UP42) and, only with "
            "CONFIRM set, places it. The order goes through "
            "Nadir's outbox: it is recorded with its reference before it is sent, so running this again with "
            "the same parameters (or the same client reference) never orders twice; it reports the order "
            "already placed. Give a new client reference to order the same thing again on purpose."
        )

    def createInstance(self) -> QgsProcessingAlgorithm:
        return PlaceOrderAlgorithm()

    def initAlgorithm(self, config: Optional[dict[str, Any]] = None) -> None:
        super().initAlgorithm(config)
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.CONFIRM,
                tr("Confirm: place the order and pay the estimated price (without it, only estimate)"),
                defaultValue=False,
            )
        )
        self.add_placement_parameters()
        self.addOutput(QgsProcessingOutputString("REFERENCE", tr("Outbox reference")))

    def _run(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict[str, Any]:
        spec = self._spec(parameters, context, feedback)
        estimate, outputs = self._estimate(spec, feedback)
        if not self.parameterAsBool(parameters, self.CONFIRM, context):
            feedback.pushWarning(
                tr(
                    "CONFIRM is not set: nothing was ordered. The estimate is {}. Run again with "
                    "CONFIRM=true to place the order."
                ).format(estimate.total)
            )
            return {**outputs, "STATE": "estimated only", "ORDER_IDS": "", "REFERENCE": ""}
        from ...core.ordering.cart import fingerprint

        key = self.parameterAsString(parameters, self.CLIENT_REFERENCE, context).strip() or fingerprint(spec)
        entry = self._place(spec, f"processing:{key}", feedback, estimate.total)
        return {**outputs, "STATE": entry.state, "ORDER_IDS": ",".join(entry.order_ids), "REFERENCE": entry.reference}

    def _place(
        self, spec: Any, key: str, feedback: QgsProcessingFeedback, price: Optional[Money] = None
    ) -> OutboxEntry:
        from ...core.ordering import checkout
        from ...core.ordering.outbox import PLACED, Outbox
        from ...toolbelt.paths import outbox_path

        outbox = Outbox(outbox_path())
        if outbox.recovery is not None:
            feedback.pushWarning(outbox.recovery.message)
        from ...core.models import ArchiveSpec
        from ...core.provider_info import PROVIDERS as INFO

        provider = str(getattr(spec, "provider", "clearsky"))  # a ClearSkySpec has no provider field
        provider_title = INFO[provider].title if provider in INFO else provider
        if isinstance(spec, ArchiveSpec):
            title = tr("{} archive order (Processing)").format(provider_title)
        else:
            title = tr("ClearSKY {} order (Processing)").format(spec.kind.value)
        try:
            entry = outbox.enqueue(spec, dedup_key=key, title=title, price=price)
        except AlreadyPlacing as exc:
            entry = outbox.require(exc.reference)
            if entry.state == PLACED:
                feedback.pushWarning(
                    tr("This order was already placed (order {}, reference {}); nothing was sent again.").format(
                        ", ".join(entry.order_ids), entry.reference
                    )
                )
                return entry
            feedback.pushInfo(tr("Finishing the placement started earlier (reference {}).").format(entry.reference))
        feedback.pushInfo(tr("Placing the order (reference {})…").format(entry.reference))
        outcome = checkout.place(outbox, self._adapter, entry.reference, provider_title=provider_title)
        entry = outcome.entry
        if entry.state == PLACED:
            feedback.pushInfo(tr("Placed: order {}.").format(", ".join(entry.order_ids)))
            return entry
        raise QgsProcessingException(tr("The order was not placed ({}): {}").format(entry.state, entry.message))
