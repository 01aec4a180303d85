"""``nadir:list_orders`` and ``nadir:cancel_order``: the orders panel's listing and cancel, headless.

The adapter is made in ``prepareAlgorithm``, which QGIS runs on the main thread (the
auth manager may need the master password there); the provider is called in
``processAlgorithm``, which may run in a background thread. Cancelling needs an explicit
``CONFIRM``: without it the algorithm only reports what cancelling would do (the
provider's own rule, ``cancel_preview``), so a model or batch run cannot cancel by
accident. Heavy modules (pydantic, httpx) are imported when an algorithm runs, not when
QGIS lists the algorithms at start-up.
"""

from __future__ import annotations

from typing import Any, Optional

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeatureSink,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputBoolean,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterString,
)

from ...core.provider_info import PROVIDERS
from ...toolbelt.i18n import tr, tr_marked
from ..algorithms import NadirAlgorithm

PROVIDER_IDS = list(PROVIDERS)
#: StatusGroup values (core.orders.filters), listed here so loading the toolbox needs no pydantic
STATUS_GROUPS = ("all", "live", "completed", "ended", "unknown", "awaiting")


def _status_labels() -> list[str]:
    return [
        tr("All"),
        tr("Live (not finished)"),
        tr("Completed"),
        tr("Failed or cancelled"),
        tr("Unknown status"),
        tr("Awaiting your decision"),
    ]


def _day(value: Any) -> str:
    return value.isoformat() if value is not None else ""


class _OrdersAlgorithm(NadirAlgorithm):
    """Shared: the provider parameter and the adapter made on the main thread."""

    PROVIDER = "PROVIDER"

    def __init__(self) -> None:
        super().__init__()
        self._adapter: Any = None

    def group(self) -> str:
        return tr("Orders")

    def groupId(self) -> str:
        return "orders"

    def _provider_parameter(self) -> QgsProcessingParameterEnum:
        return QgsProcessingParameterEnum(
            self.PROVIDER,
            tr("Provider connection"),
            options=[PROVIDERS[p].title for p in PROVIDER_IDS],
            defaultValue=0,
        )

    def prepareAlgorithm(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> bool:
        from ...core.errors import NadirError
        from ...core.ports import SupportsOrders, close_adapter
        from ...toolbelt.connections import adapter_for

        provider = PROVIDER_IDS[self.parameterAsEnum(parameters, self.PROVIDER, context)]
        try:
            adapter = adapter_for(provider)
        except NadirError as exc:
            raise QgsProcessingException(exc.message) from None
        if not isinstance(adapter, SupportsOrders):
            close_adapter(adapter)
            raise QgsProcessingException(
                tr("{} orders cannot be listed or cancelled from Nadir.").format(PROVIDERS[provider].title)
            )
        self._adapter = adapter
        return True

    def _run(self, work: Any) -> Any:
        """Call ``work(adapter)``; Nadir's errors become Processing errors; close the adapter."""
        from ...core.errors import NadirError
        from ...core.ports import close_adapter

        adapter, self._adapter = self._adapter, None
        if adapter is None:
            raise QgsProcessingException(tr("The provider connection was not prepared."))
        try:
            return work(adapter)
        except NadirError as exc:
            raise QgsProcessingException(exc.message) from None
        finally:
            close_adapter(adapter)


class ListOrdersAlgorithm(_OrdersAlgorithm):
    STATUS = "STATUS"
    RAW_STATUSES = "RAW_STATUSES"
    OUTPUT = "OUTPUT"
    COUNT = "COUNT"

    def name(self) -> str:
        return "list_orders"

    def displayName(self) -> str:
        return tr("List orders")

    def shortHelpString(self) -> str:
        return tr(
            "Lists every order of a provider connection, finished ones included, as polygons of their areas "
            "of interest (EPSG:4326) with provider, order id, kind, model, status and sub-status exactly as "
            "the provider sent them, lifecycle, start, end (empty for a recurring order), cancellation date, "
            "price and creation time. Orders without an area (some archive orders) have no geometry.\n\n"
            "Status: a group of lifecycles. Provider statuses: the provider's own status values, comma "
            "separated (for example Review,UpToDate), sent to the provider as its filter."
        )

    def createInstance(self) -> ListOrdersAlgorithm:
        return ListOrdersAlgorithm()

    def initAlgorithm(self, config: Optional[dict[str, Any]] = None) -> None:
        self.addParameter(self._provider_parameter())
        self.addParameter(
            QgsProcessingParameterEnum(self.STATUS, tr("Status"), options=_status_labels(), defaultValue=0)
        )
        self.addParameter(
            QgsProcessingParameterString(self.RAW_STATUSES, tr("Provider statuses (comma separated)"), optional=True)
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Orders"), QgsProcessing.SourceType.TypeVectorPolygon)
        )
        self.addOutput(QgsProcessingOutputNumber(self.COUNT, tr("Number of orders")))

    def processAlgorithm(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict[str, Any]:
        from ...core.models import OrderFilter
        from ...core.orders.filters import StatusGroup
        from ...toolbelt.compat import multi_polygon_wkb
        from ...toolbelt.orders.layer import order_feature, order_fields

        group = StatusGroup(STATUS_GROUPS[self.parameterAsEnum(parameters, self.STATUS, context)])
        raw = self.parameterAsString(parameters, self.RAW_STATUSES, context) or ""
        wanted = OrderFilter(statuses=tuple(s.strip() for s in raw.split(",") if s.strip()), include_expired=True)
        fields = order_fields()
        sink, dest_id = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, multi_polygon_wkb(), QgsCoordinateReferenceSystem("EPSG:4326")
        )
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))

        def work(adapter: Any) -> list[Any]:
            return [o for o in adapter.list_orders(wanted, feedback.isCanceled) if group.matches(o.status)]

        orders = self._run(work)
        for index, order in enumerate(orders):
            if feedback.isCanceled():
                break
            feature = order_feature(order, fields, keep_without_aoi=True)
            if feature is not None:
                sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert)
            feedback.setProgress(100.0 * (index + 1) / max(1, len(orders)))
        feedback.pushInfo(tr("{} orders").format(len(orders)))
        return {self.OUTPUT: dest_id, self.COUNT: len(orders)}


class CancelOrderAlgorithm(_OrdersAlgorithm):
    ORDER_ID = "ORDER_ID"
    CONFIRM = "CONFIRM"
    ALLOWED = "ALLOWED"
    EFFECT = "EFFECT"
    CANCELLED = "CANCELLED"
    STATUS = "STATUS"
    CANCELLATION_DATE = "CANCELLATION_DATE"

    def name(self) -> str:
        return "cancel_order"

    def displayName(self) -> str:
        return tr("Cancel order")

    def shortHelpString(self) -> str:
        return tr(
            "Cancels an order, following the provider's rules (ClearSKY: an order in review is cancelled "
            "completely; a recurring order completes its current month and does not renew; nothing else can "
            "be cancelled).\n\nWithout 'Confirm' nothing is cancelled: the algorithm only reports whether "
            "the order can be cancelled and what would happen. With 'Confirm' it cancels, or fails with the "
            "provider's reason."
        )

    def createInstance(self) -> CancelOrderAlgorithm:
        return CancelOrderAlgorithm()

    def initAlgorithm(self, config: Optional[dict[str, Any]] = None) -> None:
        self.addParameter(self._provider_parameter())
        self.addParameter(QgsProcessingParameterString(self.ORDER_ID, tr("Order id")))
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.CONFIRM, tr("Confirm: really cancel (otherwise only report what would happen)"), defaultValue=False
            )
        )
        self.addOutput(QgsProcessingOutputBoolean(self.ALLOWED, tr("Can be cancelled")))
        self.addOutput(QgsProcessingOutputString(self.EFFECT, tr("What cancelling does")))
        self.addOutput(QgsProcessingOutputBoolean(self.CANCELLED, tr("Cancelled")))
        self.addOutput(QgsProcessingOutputString(self.STATUS, tr("Status after")))
        self.addOutput(
            QgsProcessingOutputString(self.CANCELLATION_DATE, tr("Last day produced (a stopped recurring order)"))
        )

    def processAlgorithm(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict[str, Any]:
        order_id = (self.parameterAsString(parameters, self.ORDER_ID, context) or "").strip()
        confirm = self.parameterAsBoolean(parameters, self.CONFIRM, context)
        if not order_id:
            raise QgsProcessingException(tr("Give the id of the order to cancel."))

        def work(adapter: Any) -> dict[str, Any]:
            from ...core.orders.cancellation import NOTHING_TO_CANCEL, nothing_to_cancel  # pydantic: on use

            order = adapter.get_order(order_id)
            # the same rule as the Orders panel: a finished order has nothing to cancel, its
            # provider is not asked
            preview = nothing_to_cancel(order, tr_marked(NOTHING_TO_CANCEL)) or adapter.cancel_preview(order)
            result = {
                self.ALLOWED: preview.allowed,
                self.EFFECT: preview.effect,
                self.CANCELLED: False,
                self.STATUS: order.raw_status,
                self.CANCELLATION_DATE: _day(order.cancellation_date),
            }
            feedback.pushInfo(tr("Order {} is {}. {}").format(order_id, order.raw_status, preview.effect))
            if not confirm:
                feedback.pushInfo(tr("Nothing was cancelled: set Confirm to cancel."))
                return result
            if not preview.allowed:
                raise QgsProcessingException(preview.effect)
            after = adapter.cancel_order(order_id)
            feedback.pushInfo(tr("Cancelled: the order is now {}.").format(after.raw_status))
            return {
                **result,
                self.CANCELLED: True,
                self.STATUS: after.raw_status,
                self.CANCELLATION_DATE: _day(after.cancellation_date),
            }

        return dict(self._run(work))
