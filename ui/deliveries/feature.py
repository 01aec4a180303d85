"""The Deliveries feature: the delivery row in the orders panel, "Load when delivered",
and authentication of streamed layers (also those of projects opened later).

``init_gui`` installs only the streamed-layer preprocessor (cheap: it must be in place
before a project opens) and waits for the orders panel (``ORDERS_PANEL``, see
:mod:`ui.services`); everything else is built once it is there. Provides the presenter
as ``DELIVERIES``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Optional

from ...toolbelt.deliveries.streaming import StreamAuth
from ..feature import PluginContext
from ..services import DELIVERIES, ORDERS, ORDERS_PANEL

if TYPE_CHECKING:
    from ..orders.panel import OrdersPanel
    from ..orders.presenter import OrdersPresenter

LOGGER = logging.getLogger(__name__)


class DeliveriesFeature:
    provides = (DELIVERIES,)
    needs = (ORDERS, ORDERS_PANEL)

    def __init__(self, ctx: PluginContext) -> None:
        self.ctx = ctx
        self.stream_auth: Optional[StreamAuth] = None
        self.presenter: Any = None
        self.actions: Any = None
        self._panel: Any = None
        self._orders: Any = None

    def init_gui(self) -> None:
        self.stream_auth = StreamAuth(self.ctx.settings)
        self.stream_auth.install()
        # at once if the orders panel was built before us
        self.ctx.services.when_available(ORDERS_PANEL, self._orders_panel_ready, owner=self)

    def unload(self) -> None:
        self.ctx.services.release(self)
        self._detach()
        if self.presenter is not None:
            self.presenter.stop()
            self.presenter = None
        self.ctx.services.withdraw(DELIVERIES)
        if self.stream_auth is not None:
            self.stream_auth.uninstall()
            self.stream_auth = None

    # ------------------------------------------------------------------ wiring
    def _orders_panel_ready(self, panel: OrdersPanel) -> None:
        orders = self.ctx.services.get(ORDERS)  # provided before the panel
        if orders is not None:
            self.attach(panel, orders)

    def attach(self, panel: OrdersPanel, orders: OrdersPresenter) -> None:
        """Add the delivery row to the orders panel and follow its selection and orders."""
        from ...toolbelt.connections import adapter_for
        from ...toolbelt.deliveries.prefs import AutoLoad
        from .actions import DeliveryActions
        from .presenter import DeliveriesPresenter

        self._detach()
        if self.presenter is None:
            self.presenter = DeliveriesPresenter(
                self.ctx.runner, self.ctx.settings, self.ctx.notifier, adapter_for, AutoLoad(), self.stream_auth
            )
            self.ctx.services.provide(DELIVERIES, self.presenter)
        self._panel, self._orders = panel, orders
        self.actions = DeliveryActions()
        panel.add_extension(self.actions)
        panel.selection_changed.connect(self._refresh)
        orders.orders_changed.connect(self._orders_changed)
        self.presenter.changed.connect(self._changed)
        self.actions.load_requested.connect(lambda: self._deliver("load"))
        self.actions.download_requested.connect(lambda: self._deliver("download"))
        self.actions.stream_requested.connect(lambda: self._deliver("stream"))
        self.actions.stop_requested.connect(self._stop)
        self.actions.auto_toggled.connect(self._auto_toggled)
        self._refresh()
        self._orders_changed()

    def _detach(self) -> None:
        if self._panel is None:
            return
        for signal, slot in (
            (self._panel.selection_changed, self._refresh),
            (self._orders.orders_changed, self._orders_changed),
            (self.presenter.changed, self._changed),
        ):
            try:
                signal.disconnect(slot)
            except (TypeError, RuntimeError):
                pass  # the panel went first (orders unloaded)
        if self.actions is not None:
            self.actions.setParent(None)
            self.actions.deleteLater()
        self.actions = self._panel = self._orders = None

    # ------------------------------------------------------------------ slots
    def _selected_entry(self) -> Any:
        if self._panel is None:
            return None
        key = self._panel.selected_key()
        return self._orders.book.get(tuple(key)) if key is not None else None

    def _selected(self) -> Any:
        entry = self._selected_entry()
        return entry.order if entry is not None else None

    def _refresh(self, *_args: object) -> None:
        from .presenter import deliverable, no_stream_reason

        if self.actions is None:
            return
        order = self._selected()
        if order is None:
            self.actions.set_state(None)
            return
        key = (order.provider, order.id)
        available, reason = deliverable(order)
        self.actions.set_state(
            available,
            reason,
            self.presenter.running(key),
            self.presenter.auto.enabled(key),
            no_stream=no_stream_reason(order.provider),
        )

    def _changed(self, key: Any) -> None:
        order = self._selected()
        if order is not None and (order.provider, order.id) == tuple(key):
            self._refresh()

    def _orders_changed(self) -> None:
        if self._orders is not None and self.presenter is not None:
            self.presenter.auto_deliver(self._orders.book.entries())
        self._refresh()

    def _deliver(self, action: str) -> None:
        from ...core.deliveries.plan import Mode

        entry = self._selected_entry()
        if entry is None:
            return
        mode = Mode.STREAM if action == "stream" else Mode.DOWNLOAD
        self.presenter.deliver(entry.order, mode, load=action != "download", name=entry.label)

    def _stop(self) -> None:
        order = self._selected()
        if order is not None:
            self.presenter.cancel((order.provider, order.id))

    def _auto_toggled(self, on: bool) -> None:
        order = self._selected()
        if order is None:
            return
        self.presenter.set_auto((order.provider, order.id), on)
        if on:
            self._orders_changed()  # an order completed already loads at once
