"""The Orders feature: dock section, polling presenter, existing-orders overlay.

``init_gui`` only adds a placeholder tab, so QGIS start-up does not pay for pydantic,
httpx and the order book; the real panel is built and polling starts a moment later
(or at once if the user opens the tab first). Provides the presenter as ``ORDERS``, then
the panel as ``ORDERS_PANEL`` (:mod:`ui.services`; the features waiting for it add their
controls then), and follows ``OUTBOX``'s ``placed`` signal when the ordering flow provides it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Optional

from qgis.core import QgsProject
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QLabel, QVBoxLayout, QWidget

from ...toolbelt.i18n import tr
from ..feature import PluginContext
from ..services import ORDERS, ORDERS_PANEL, OUTBOX

LOGGER = logging.getLogger(__name__)
SECTION = "orders"
START_DELAY_MS = 2000
STATE_FILE = "orders.json"  # in toolbelt.paths.data_dir(), beside the cart and the outbox


def outbox_reader(service: Any) -> Callable[[], list[Any]]:
    """Reads the placed outbox entries, in the polling task.

    The live outbox service's :class:`core.ordering.outbox.Outbox` when the ordering flow is loaded
    (each call opens its own short-lived SQLite connection, so a task may use it);
    otherwise the profile's outbox file, opened once on first use.
    """
    live = getattr(service, "outbox", None)
    if live is not None:
        return lambda: list(live.placed())
    from ...toolbelt.paths import outbox_path

    path = outbox_path()
    opened: list[Any] = []

    def read() -> list[Any]:
        if not path.exists():
            return []
        if not opened:
            from ...core.ordering.outbox import Outbox

            opened.append(Outbox(path))
        return list(opened[0].placed())

    return read


class OrdersFeature:
    provides = (ORDERS, ORDERS_PANEL)
    needs = (OUTBOX,)

    def __init__(self, ctx: PluginContext) -> None:
        self.ctx = ctx
        self.container: Optional[QWidget] = None
        self.panel: Any = None
        self.presenter: Any = None
        self.overlay: Any = None
        self._timer: Optional[QTimer] = None
        self._outbox: Any = None
        self._rendering: Any = None
        self._render_again = False
        self.rendered = 0

    def init_gui(self) -> None:
        self.container = QWidget()
        self.container.setObjectName("NadirOrdersSection")
        layout = QVBoxLayout(self.container)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(tr("Loading orders…")))
        self.ctx.dock.add_section(SECTION, tr("Orders"), self.container)
        self.ctx.dock.tabs.currentChanged.connect(self._tab_changed)
        self._timer = QTimer()
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.start)
        self._timer.start(START_DELAY_MS)

    def unload(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.ctx.dock.tabs.currentChanged.disconnect(self._tab_changed)
        if self._outbox is not None:
            try:
                self._outbox.placed.disconnect(self.presenter.placed)
            except (TypeError, RuntimeError):
                pass
            self._outbox = None
        if self._rendering is not None:
            self._rendering.silenced = True
            self._rendering.cancel()
            self._rendering = None
        if self.presenter is not None:
            self.presenter.stop()
            self.presenter = None
        if self.overlay is not None:
            self.overlay.unload()
            self.overlay = None
        self.ctx.services.withdraw(ORDERS)
        self.ctx.services.withdraw(ORDERS_PANEL)
        self.ctx.dock.remove_section(SECTION)
        self.container = None
        self.panel = None

    def _tab_changed(self, index: int) -> None:
        if self.container is not None and self.ctx.dock.tabs.widget(index) is self.container:
            self.start()

    # ------------------------------------------------------------------ start
    def start(self) -> None:
        """Build the panel, load the known orders and start polling. Idempotent."""
        if self.presenter is not None or self.container is None:
            return
        from ...core.orders.book import OrderBook
        from ...toolbelt.connections import adapter_for
        from ...toolbelt.paths import data_dir
        from .dialogs import MessageBoxCancelDialogs
        from .overlay import ExistingOrdersOverlay
        from .panel import OrdersPanel
        from .presenter import OrdersPresenter

        book = OrderBook.load(data_dir() / STATE_FILE)
        self.panel = OrdersPanel()
        layout = self.container.layout()
        while layout.count():
            item = layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        layout.addWidget(self.panel)
        self.overlay = ExistingOrdersOverlay(QgsProject.instance())
        self.presenter = OrdersPresenter(
            book,
            self.ctx.runner,
            self.ctx.settings,
            self.ctx.notifier,
            MessageBoxCancelDialogs(self.ctx.iface.mainWindow()),
            adapter_for,
            outbox_reader=outbox_reader(self.ctx.services.get(OUTBOX)),
        )
        self._wire()
        self.ctx.services.provide(ORDERS, self.presenter)
        # the features waiting for the panel add their controls now (deliveries, tasking);
        # a bug of theirs is logged by the registry and does not stop orders
        self.ctx.services.provide(ORDERS_PANEL, self.panel)
        self._orders_changed()
        self.presenter.start(0)

    def _wire(self) -> None:
        from ...toolbelt.orders.view_state import load_overlay_filter, save_overlay_filter

        panel, presenter, overlay = self.panel, self.presenter, self.overlay
        controls = panel.overlay_controls
        presenter.orders_changed.connect(self._orders_changed)
        presenter.status_changed.connect(panel.set_status)
        presenter.busy_changed.connect(panel.set_busy)
        presenter.cancel_state.connect(panel.set_cancel_state)
        panel.refresh_requested.connect(presenter.refresh)
        panel.selection_changed.connect(presenter.preview_cancel)
        panel.cancel_requested.connect(presenter.cancel)
        panel.zoom_requested.connect(self.zoom_to)
        controls.visible_toggled.connect(overlay.set_visible)
        controls.filter_changed.connect(overlay.set_filter)
        controls.set_spec(load_overlay_filter())  # the filters as left last time
        controls.filter_changed.connect(save_overlay_filter)
        overlay.visibility_changed.connect(controls.set_visible_checked)
        overlay.rebuilt.connect(lambda count: controls.set_count(count, len(presenter.book)))
        outbox = self.ctx.services.get(OUTBOX)
        if outbox is not None and hasattr(getattr(outbox, "placed", None), "connect"):
            outbox.placed.connect(presenter.placed)
            self._outbox = outbox

    def _orders_changed(self) -> None:
        """Rebuild the table rows and overlay features in a task, then show them.

        One render at a time; a change during a render starts one more after it, with the
        book as it is then, so the newest state always ends up on screen.
        """
        if self._rendering is not None:
            self._render_again = True
            return
        from .overlay import prepare_features
        from .table import prepare_rows

        entries = self.presenter.book.entries()
        orders = [entry.order for entry in entries]
        models = self.presenter.book.models()
        fields = self.overlay.fields

        def work(task: Any) -> Any:
            return prepare_rows(entries), prepare_features(orders, fields)

        def done(result: Any) -> None:
            self._rendering = None
            if self.panel is None or self.overlay is None:
                return
            rows, features = result
            self.panel.set_rows(rows)
            self.panel.overlay_controls.set_models(models)
            self.overlay.set_prepared(orders, features)
            self.panel.overlay_controls.set_visible_checked(self.overlay.is_visible())
            self.rendered += 1
            if self._render_again:
                self._render_again = False
                self._orders_changed()

        def failed(error: BaseException) -> None:
            self._rendering = None
            self.ctx.notifier.exception(error, tr("Showing orders"))

        self._rendering = self.ctx.runner.run(tr("Nadir: preparing the orders list"), work, done, failed)

    def zoom_to(self, key: Any) -> None:
        from ...toolbelt.orders.layer import geometry_from_geojson
        from .geometry import zoom_to

        entry = self.presenter.book.get(tuple(key))
        if entry is None:
            return
        if not zoom_to(self.ctx.iface.mapCanvas(), geometry_from_geojson(entry.order.aoi)):
            self.ctx.notifier.info(tr("This order has no area of interest to zoom to."))
