"""Tasking from Processing: ``nadir:task_acquisition`` orders a new UP42 acquisition;
``nadir:tasking_decision`` reports what a tasking order waits for and, with ``CONFIRM``,
chooses a feasibility option or accepts or rejects the quotation.

``nadir:task_acquisition`` reads the product's schema from UP42, checks the parameters
(JSON) against it with messages that name the field, fits the AOI to UP42's rules (one
polygon per order, at most 999 vertices: the MULTIPART and SIMPLIFY choices), and asks
UP42 for the price. Only with ``CONFIRM`` does it place, through the same outbox as the
cart: a re-run with the same parameters or ``CLIENT_REFERENCE`` never orders twice.
The adapter is made in ``prepareAlgorithm`` (main thread: the auth manager).
"""

from __future__ import annotations

import json
from typing import Any, Optional

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterString,
)

from ...toolbelt.i18n import tr
from ..algorithms import NadirAlgorithm, PlacingAlgorithm

MULTIPART = ("refuse", "split", "largest", "hull")


def _multipart_labels() -> list[str]:
    return [
        tr("Refuse (UP42 tasks one polygon)"),
        tr("One order per polygon"),
        tr("Only the largest polygon"),
        tr("One outline around all polygons"),
    ]


class _Up42Algorithm(NadirAlgorithm):
    def __init__(self) -> None:
        super().__init__()
        self._adapter: Any = None

    def group(self) -> str:
        return tr("Tasking")

    def groupId(self) -> str:
        return "tasking"

    def prepareAlgorithm(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> bool:
        from ...core.errors import NadirError
        from ...toolbelt.connections import adapter_for

        try:
            self._adapter = adapter_for("up42")
        except NadirError as exc:
            raise QgsProcessingException(exc.message) from None
        return True

    def _take_adapter(self) -> Any:
        adapter, self._adapter = self._adapter, None
        if adapter is None:
            raise QgsProcessingException(tr("The UP42 connection was not prepared."))
        return adapter


class TaskAcquisitionAlgorithm(_Up42Algorithm, PlacingAlgorithm):
    DATA_PRODUCT = "DATA_PRODUCT"
    AOI = "AOI"
    PARAMETERS = "PARAMETERS"
    MULTIPART = "MULTIPART"
    SIMPLIFY = "SIMPLIFY"
    CONFIRM = "CONFIRM"

    def name(self) -> str:
        return "task_acquisition"

    def displayName(self) -> str:
        return tr("Task a new acquisition (UP42)")

    def shortHelpString(self) -> str:
        return tr(
            "Orders a new acquisition of a UP42 tasking data product over the polygons of a layer. Parameters: the "
            'product\'s parameters as a JSON object (for example {"displayName": "My order", '
            '"acquisitionStart": "2027-01-01T00:00:00Z", ...}), checked against the product\'s schema from UP42; '
            "each problem names its field. The geometry comes from the layer: UP42 tasks one polygon per order with "
            "at most 999 vertices (choose what to do with several polygons; Simplify fits a detailed outline).\n\n"
            "Without Confirm only the price is asked; with it the order is placed through Nadir's outbox, so a "
            "re-run with the same parameters or client reference never orders twice."
        )

    def createInstance(self) -> TaskAcquisitionAlgorithm:
        return TaskAcquisitionAlgorithm()

    def initAlgorithm(self, config: Optional[dict[str, Any]] = None) -> None:
        self.addParameter(QgsProcessingParameterString(self.DATA_PRODUCT, tr("UP42 data product id")))
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.AOI, tr("Area of interest (polygons)"), [QgsProcessing.SourceType.TypeVectorPolygon]
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.PARAMETERS, tr("Parameters (JSON object)"), multiLine=True, defaultValue="{}"
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.MULTIPART, tr("Several polygons"), options=_multipart_labels(), defaultValue=0
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.SIMPLIFY, tr("Simplify to UP42's 999 vertices when needed"), defaultValue=False
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.CONFIRM, tr("Confirm: place the order (without it, only the price is asked)"), defaultValue=False
            )
        )
        self.add_placement_parameters()
        self.addOutput(QgsProcessingOutputString("ESTIMATE", tr("Estimated total")))

    def _aoi(self, parameters: dict[str, Any], context: QgsProcessingContext) -> Any:
        from shapely.geometry import shape

        source = self.parameterAsSource(parameters, self.AOI, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.AOI))
        geometries = [f.geometry() for f in source.getFeatures() if f.hasGeometry()]
        union = QgsGeometry.unaryUnion(geometries) if geometries else QgsGeometry()
        if union.isNull() or union.isEmpty():
            raise QgsProcessingException(tr("The area layer has no polygon to task."))
        wgs84 = QgsCoordinateReferenceSystem("EPSG:4326")
        if source.sourceCrs() != wgs84:
            union.transform(QgsCoordinateTransform(source.sourceCrs(), wgs84, context.transformContext()))
        return shape(json.loads(union.asJson()))

    def _params(self, parameters: dict[str, Any], context: QgsProcessingContext) -> dict[str, Any]:
        text = self.parameterAsString(parameters, self.PARAMETERS, context) or "{}"
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise QgsProcessingException(
                tr("Parameters are not valid JSON: line {}, column {}: {}.").format(exc.lineno, exc.colno, exc.msg)
            ) from None
        if not isinstance(value, dict):
            raise QgsProcessingException(tr('Parameters must be a JSON object: {"name": value, …}.'))
        return value

    def processAlgorithm(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict[str, Any]:
        from ...core.errors import NadirError
        from ...core.models import DataProduct
        from ...core.ordering.cart import fingerprint
        from ...core.tasking.geometry import Multipart
        from ...core.tasking.products import tasking_specs
        from ...core.tasking.schema import validate
        from ...core.tasking.schema_read import geometry_paths

        adapter = self._take_adapter()
        try:
            product_id = self.parameterAsString(parameters, self.DATA_PRODUCT, context).strip()
            if not product_id:
                raise QgsProcessingException(tr("Give the id of the UP42 data product to task."))
            params = self._params(parameters, context)
            aoi = self._aoi(parameters, context)
            schema = adapter.product_schema(product_id)
            problems = validate(schema, params, skip=geometry_paths(schema))
            if problems:
                for problem in problems:
                    where = ".".join(problem.path) or tr("parameters")
                    feedback.reportError(f"{where}: {problem.message}")
                raise QgsProcessingException(
                    tr("{} parameter(s) do not match the product's schema; see the log.").format(len(problems))
                )
            multipart = Multipart(MULTIPART[self.parameterAsEnum(parameters, self.MULTIPART, context)])
            product = DataProduct(id=product_id, name=product_id)
            specs, geometry = tasking_specs(
                product, params, aoi, multipart, self.parameterAsBool(parameters, self.SIMPLIFY, context)
            )
            for note in geometry.notes:
                feedback.pushInfo(note)
            totals = []
            for spec in specs:
                estimate = adapter.estimate(spec)
                totals.append(str(estimate.total))
                feedback.pushInfo(tr("Estimate: {}").format(estimate.total))
            if not self.parameterAsBool(parameters, self.CONFIRM, context):
                feedback.pushWarning(
                    tr(
                        "CONFIRM is not set: nothing was ordered. The estimate is {}. Run again with "
                        "CONFIRM=true to place the order."
                    ).format(" + ".join(totals))
                )
                return {"STATE": "estimated only", "ORDER_IDS": "", "ESTIMATE": " + ".join(totals)}
            reference = self.parameterAsString(parameters, self.CLIENT_REFERENCE, context).strip()
            order_ids, state = [], "placed"
            for index, spec in enumerate(specs):
                key = f"{reference}:{index}" if reference else fingerprint(spec)
                entry = self._place(adapter, spec, f"processing:{key}", feedback)
                order_ids += entry.order_ids
                state = entry.state
            return {"STATE": state, "ORDER_IDS": ",".join(order_ids), "ESTIMATE": " + ".join(totals)}
        except NadirError as exc:
            raise QgsProcessingException(exc.message) from None
        finally:
            adapter.close()

    def _place(self, adapter: Any, spec: Any, key: str, feedback: QgsProcessingFeedback) -> Any:
        from ...core.errors import AlreadyPlacing
        from ...core.ordering import checkout
        from ...core.ordering.outbox import PLACED, Outbox
        from ...toolbelt.paths import outbox_path

        outbox = Outbox(outbox_path())
        try:
            entry = outbox.enqueue(spec, dedup_key=key, title=spec.display_name or tr("UP42 tasking (Processing)"))
        except AlreadyPlacing as exc:
            entry = outbox.require(exc.reference)
            if entry.state == PLACED:
                feedback.pushWarning(
                    tr("This order was already placed (order {}, reference {}); nothing was sent again.").format(
                        ", ".join(entry.order_ids), entry.reference
                    )
                )
                return entry
        outcome = checkout.place(outbox, adapter, entry.reference, provider_title="UP42")
        entry = outcome.entry
        if entry.state == PLACED:
            feedback.pushInfo(tr("Placed: order {}.").format(", ".join(entry.order_ids)))
            return entry
        raise QgsProcessingException(tr("The order was not placed ({}): {}").format(entry.state, entry.message))


class TaskingDecisionAlgorithm(_Up42Algorithm):
    ORDER_ID = "ORDER_ID"
    DECISION = "DECISION"
    CONFIRM = "CONFIRM"

    def name(self) -> str:
        return "tasking_decision"

    def displayName(self) -> str:
        return tr("Decide a tasking order (UP42)")

    def shortHelpString(self) -> str:
        return tr(
            "Reports what a UP42 tasking order waits for: a feasibility study's options (their ids and "
            "descriptions) or a quotation's price. With Confirm it sends the decision: an option id to choose that "
            "feasibility option, or accept or reject for the quotation. Without Confirm nothing is sent."
        )

    def createInstance(self) -> TaskingDecisionAlgorithm:
        return TaskingDecisionAlgorithm()

    def initAlgorithm(self, config: Optional[dict[str, Any]] = None) -> None:
        self.addParameter(QgsProcessingParameterString(self.ORDER_ID, tr("UP42 order id")))
        self.addParameter(
            QgsProcessingParameterString(
                self.DECISION,
                tr("Decision: a feasibility option id, or accept / reject for a quotation"),
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.CONFIRM, tr("Confirm: send the decision (otherwise only report what waits)"), defaultValue=False
            )
        )
        self.addOutput(
            QgsProcessingOutputString("WAITING", tr("What the order waits for: feasibility, quotation or nothing"))
        )
        self.addOutput(QgsProcessingOutputString("DETAILS", tr("The options or the quotation (JSON)")))
        self.addOutput(QgsProcessingOutputString("DECIDED", tr("The decision sent, if any")))

    def processAlgorithm(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict[str, Any]:
        from ...core.errors import NadirError
        from ...core.tasking.decisions import decide, find_pending

        adapter = self._take_adapter()
        order_id = self.parameterAsString(parameters, self.ORDER_ID, context).strip()
        decision = (self.parameterAsString(parameters, self.DECISION, context) or "").strip()
        try:
            if not order_id:
                raise QgsProcessingException(tr("Give the id of the UP42 order."))
            pending = find_pending(adapter, order_id)
            details: dict[str, Any]
            if pending.quotation is not None:
                waiting = "quotation"
                details = {"quotation": pending.quotation.id, "price": str(pending.quotation.price or "")}
                feedback.pushInfo(tr("The order waits for a decision on the quotation: {}.").format(details["price"]))
            elif pending.study is not None:
                waiting = "feasibility"
                details = {
                    "study": pending.study.id,
                    "options": [{"id": o.id, "description": o.description} for o in pending.study.options],
                }
                for option in pending.study.options:
                    feedback.pushInfo(tr("Feasibility option {}: {}").format(option.id, option.description))
            else:
                feedback.pushInfo(tr("The order waits for no decision."))
                return {"WAITING": "nothing", "DETAILS": "{}", "DECIDED": ""}
            result = {"WAITING": waiting, "DETAILS": json.dumps(details), "DECIDED": ""}
            if not self.parameterAsBool(parameters, self.CONFIRM, context):
                feedback.pushWarning(tr("CONFIRM is not set: no decision was sent."))
                return result
            if waiting == "quotation":
                if decision.lower() not in ("accept", "reject"):
                    raise QgsProcessingException(tr("Decide the quotation with accept or reject."))
                decide(adapter, pending, accept=decision.lower() == "accept")
            else:
                decide(adapter, pending, option_id=decision)
            feedback.pushInfo(tr("Sent: {}.").format(decision))
            return {**result, "DECIDED": decision}
        except NadirError as exc:
            raise QgsProcessingException(exc.message) from None
        finally:
            adapter.close()
