"""The Tasking feature: the "Tasking" tab, for new acquisitions ordered from UP42.

The product list (with the account's access to each) loads when the tab is first shown;
choosing a granted product loads its order form schema into a :class:`SchemaForm`. The
geometry comes from an AOI of the ``AOIS`` service, fitted to UP42's rules (one
Polygon, at most 999 vertices) with the user's choice for several polygons and
simplification, and what was changed is said. "Add to cart" checks the form against the
schema first (messages under their fields) and adds one tasking item per polygon to
the ``CART`` service; the cart's estimate and checkout do the rest. A tasking item in
the cart opens here again for editing.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Callable, Optional

from ...core.errors import InputError
from ...core.models import AccessStatus, DataProduct, TaskingSpec
from ...core.tasking.products import tasking_specs
from ...toolbelt.i18n import tr
from ..feature import PluginContext
from ..services import AOIS, CART, ORDERS, ORDERS_PANEL
from .presenter import TaskingPresenter
from .section import TaskingSection, access_advice

if TYPE_CHECKING:
    from ..aoi.store import AoiStore
    from ..cart.presenter import CartPresenter
    from ..orders.panel import OrdersPanel
    from ..orders.presenter import OrdersPresenter

LOGGER = logging.getLogger(__name__)
SECTION = "tasking"


class TaskingFeature:
    provides = ()
    needs = (AOIS, CART, ORDERS, ORDERS_PANEL)

    def __init__(self, ctx: PluginContext, adapters: Optional[Callable[[str], Any]] = None) -> None:
        self.ctx = ctx
        self._adapters = adapters
        self.presenter: Optional[TaskingPresenter] = None
        self.section: Optional[TaskingSection] = None
        self.form: Any = None
        self._form_product: Optional[str] = None
        self._store: Optional[AoiStore] = None
        self._cart: Optional[CartPresenter] = None
        #: the cart item being edited (its id and spec), applied once its form is shown
        self.editing: Optional[str] = None
        self._pending_values: Optional[TaskingSpec] = None
        self.decisions: Any = None
        self.controls: Any = None
        self._panel: Any = None
        self._orders: Any = None

    def init_gui(self) -> None:
        from ...toolbelt.connections import adapter_for

        injected = self._adapters
        factory = adapter_for if injected is None else (lambda provider, _settings: injected(provider))
        self.presenter = TaskingPresenter(self.ctx.runner, self.ctx.settings, factory)
        self.section = TaskingSection()
        self.ctx.dock.add_section(SECTION, tr("Tasking"), self.section)
        section, presenter = self.section, self.presenter
        presenter.products_loaded.connect(self._products_loaded)
        presenter.schema_loaded.connect(self._schema_loaded)
        presenter.problem.connect(section.status.setText)
        section.product_chosen.connect(self._product_chosen)
        section.refresh_requested.connect(self.refresh)
        section.geometry_changed.connect(self._show_geometry)
        section.check_requested.connect(self.check)
        section.add_requested.connect(self.add_to_cart)
        self.ctx.dock.tabs.currentChanged.connect(self._tab_changed)
        self._store = self.ctx.services.get(AOIS)
        if self._store is not None:
            self._store.changed.connect(self._aois_changed)
        self._aois_changed()
        self._cart = self.ctx.services.get(CART)
        if self._cart is not None:
            self._cart.register_editor("tasking", self.open_editor)
        from .decisions import DecisionsPresenter

        self.decisions = DecisionsPresenter(self.ctx.runner, self.ctx.settings, factory, self.ctx.notifier)
        self.decisions.problem.connect(lambda message: self.ctx.notifier.warning(message))
        # at once if the orders panel was built before us
        self.ctx.services.when_available(ORDERS_PANEL, self._orders_panel_ready, owner=self)

    def unload(self) -> None:
        self.ctx.services.release(self)
        self._detach_orders()
        if self._cart is not None:
            self._cart.unregister_editor("tasking")
            self._cart = None
        try:
            self.ctx.dock.tabs.currentChanged.disconnect(self._tab_changed)
        except (TypeError, RuntimeError):
            pass
        if self._store is not None:
            try:
                self._store.changed.disconnect(self._aois_changed)
            except (TypeError, RuntimeError):
                pass
            self._store = None
        if self.presenter is not None:
            self.presenter.close()
            self.presenter = None
        self.ctx.dock.remove_section(SECTION)
        self.section = None
        self.form = None

    # ------------------------------------------------------------------ loading
    def _tab_changed(self, index: int) -> None:
        if (
            self.section is not None
            and self.ctx.dock.tabs.widget(index) is self.section
            and self.presenter is not None
            and not self.presenter.products
        ):
            self.presenter.load_products()

    def _products_loaded(self, products: list[DataProduct]) -> None:
        if self.section is None:
            return
        pending = self._pending_values
        self.section.set_products(products)
        if pending is not None:
            self.section.select_product(pending.data_product_id)

    def refresh(self) -> None:
        if self.presenter is not None:
            self.presenter.load_products()

    def _product(self) -> Optional[DataProduct]:
        if self.section is None or self.presenter is None:
            return None
        product_id = self.section.product_id()
        return self.presenter.product(product_id) if product_id else None

    def _product_chosen(self) -> None:
        if self.section is None or self.presenter is None:
            return
        product = self._product()
        advice = access_advice(product) if product is not None else ""
        self.section.access_label.setText(advice)
        self.section.access_label.setVisible(bool(advice))
        if product is None or product.access is not AccessStatus.GRANTED:
            self._set_form(None, {})
            return
        if self._form_product != product.id:
            # the other product's form goes at once: nothing typed into it while this one
            # loads could be kept, and it would be replaced under the user's hands
            self._set_form(None, {})
            self.section.status.setText(tr("Loading the order form of {}…").format(product.title or product.name))
            self.presenter.load_schema(product)

    def _schema_loaded(self, product_id: str, schema: dict[str, Any]) -> None:
        if self.section is None or self.section.product_id() != product_id:
            return
        self.section.status.clear()
        if self._form_product != product_id or self.form is None:
            # the same schema again (a late duplicate answer) keeps the form and what the user typed
            self._set_form(product_id, schema)
        pending, self._pending_values = self._pending_values, None
        if pending is not None and pending.data_product_id == product_id and self.form is not None:
            self.form.set_values(dict(pending.params))

    def _set_form(self, product_id: Optional[str], schema: dict[str, Any]) -> None:
        assert self.section is not None
        if self.form is not None:
            self.section.form_holder.removeWidget(self.form)
            self.form.deleteLater()
            self.form = None
        self._form_product = product_id
        if product_id is not None:
            from .schema_form import SchemaForm

            self.form = SchemaForm(schema)
            self.form.setObjectName("NadirTaskingForm")
            self.section.form_holder.addWidget(self.form)
        for button in (self.section.check_button, self.section.add_button):
            button.setEnabled(self.form is not None)

    # ------------------------------------------------------------------ geometry
    def _aois_changed(self) -> None:
        if self.section is not None:
            aois = self._store.aois() if self._store is not None else []
            self.section.set_aoi_choices([(a.id, a.name) for a in aois])

    def _aoi(self) -> Any:
        if self.section is None or self._store is None:
            return None
        aoi_id = self.section.aoi_id()
        return self._store.get(aoi_id) if aoi_id else None

    def specs(self) -> tuple[list[TaskingSpec], str]:
        """The specs the form and the AOI make now, and what was changed (raises InputError)."""
        assert self.section is not None
        product, aoi = self._product(), self._aoi()
        if product is None or self.form is None:
            raise InputError(tr("Choose a tasking product you have access to."))
        if aoi is None:
            raise InputError(tr("Choose the area of interest to task, or draw or import one first."))
        values = self.form.values()
        name = str(values.get("displayName") or "").strip() or aoi.name  # the schema's own name field, if any
        specs, geometry = tasking_specs(
            product, values, aoi.geometry, self.section.multipart(), self.section.simplify_box.isChecked(), name
        )
        notes = " ".join(geometry.notes)
        return specs, notes

    def _show_geometry(self) -> None:
        if self.section is None:
            return
        aoi = self._aoi()
        if aoi is None:
            self.section.geometry_label.setText("")
            return
        from ...core.tasking.geometry import tasking_geometry

        try:
            geometry = tasking_geometry(
                aoi.geometry, self.section.multipart(), simplify=self.section.simplify_box.isChecked()
            )
        except InputError as exc:
            self.section.geometry_label.setText(exc.message)
            return
        count = len(geometry.polygons)
        text = tr("{} polygon(s), {:,.1f} km² to task.").format(count, geometry.area_after_km2)
        self.section.geometry_label.setText(" ".join([text, *geometry.notes]))

    # ------------------------------------------------------------------ check and add
    def check(self) -> bool:
        """Validate the form against the schema and the AOI against UP42's rules."""
        if self.section is None or self.form is None:
            return False
        problems = self.form.validate()
        try:
            specs, notes = self.specs()
        except InputError as exc:
            self.section.status.setText(exc.message)
            return False
        if problems:
            self.section.status.setText(
                tr("{} value(s) need attention: see the messages under the fields.").format(len(problems))
            )
            return False
        self.section.status.setText(tr("Ready: {} tasking order(s). {}").format(len(specs), notes).strip())
        return True

    def add_to_cart(self) -> list[Any]:
        if self.section is None or not self.check():
            return []
        cart = self.ctx.services.get(CART)
        if cart is None:
            self.section.status.setText(tr("The cart is not available yet. Open the Cart tab once and try again."))
            return []
        from shapely.geometry import shape

        from ...core.geodesy import geodesic_area_km2

        specs, _ = self.specs()
        product = self._product()
        assert product is not None
        added = []
        for spec in specs:
            area = geodesic_area_km2(shape(spec.geometry))
            title = spec.display_name or product.title
            params = dict(spec.params)
            window = ""
            if params.get("acquisitionStart") and params.get("acquisitionEnd"):
                window = tr(", {} to {}").format(
                    str(params["acquisitionStart"])[:10], str(params["acquisitionEnd"])[:10]
                )
            summary = tr("{}: {}, {:,.1f} km²{}").format(
                product.collection_title or product.collection, product.title or product.name, area, window
            )
            if self.editing is not None and len(specs) == 1:
                cart.edit(self.editing, spec, title=title, summary=summary)
                added.append(cart.item(self.editing))
            else:
                added.append(cart.add(spec, title=title, summary=summary, area_km2=area))
        if self.editing is not None:
            self.editing = None
            self.section.add_button.setText(tr("Add to cart"))
        self.section.status.setText(
            tr("{} tasking item(s) in the cart. The cart asks UP42 for the price.").format(len(added))
        )
        self.ctx.notifier.success(tr("{} tasking item(s) added to the cart.").format(len(added)))
        return added

    # ------------------------------------------------------------------ editing from the cart
    def open_editor(self, item_id: str) -> Any:
        """Show a tasking item of the cart here with its values; Add then saves the item."""
        cart = self.ctx.services.get(CART)
        item = cart.item(item_id) if cart is not None else None
        if item is None or not isinstance(item.spec, TaskingSpec) or self.section is None:
            return None
        self.editing = item_id
        self.section.add_button.setText(tr("Save to the cart item"))
        self.ctx.dock.show_section(SECTION)
        self._pending_values = item.spec
        if self.form is not None and self._form_product == item.spec.data_product_id:
            self.form.set_values(dict(item.spec.params))
            self._pending_values = None
        elif not self.section.select_product(item.spec.data_product_id) and self.presenter is not None:
            self.presenter.load_products()
        return self.section

    # ------------------------------------------------------------------ decisions in the orders panel
    def _orders_panel_ready(self, panel: OrdersPanel) -> None:
        orders = self.ctx.services.get(ORDERS)  # provided before the panel
        if orders is not None:
            self.attach_orders(panel, orders)

    def attach_orders(self, panel: OrdersPanel, orders: OrdersPresenter) -> None:
        """Add "Decide…" to the orders panel; announce orders that start awaiting a decision."""
        from .decisions import DecisionControls

        self._detach_orders()
        self._panel, self._orders = panel, orders
        self.controls = DecisionControls()
        panel.add_extension(self.controls)
        panel.selection_changed.connect(self._order_selected)
        orders.orders_changed.connect(self._orders_changed)
        self.controls.decide_requested.connect(self.decide_selected)
        self.decisions.decided.connect(self._decided)
        self._order_selected()
        self._orders_changed()

    def _detach_orders(self) -> None:
        if self._panel is None:
            return
        for signal, slot in (
            (self._panel.selection_changed, self._order_selected),
            (self._orders.orders_changed, self._orders_changed),
            (self.decisions.decided, self._decided),
        ):
            try:
                signal.disconnect(slot)
            except (TypeError, RuntimeError):
                pass  # the panel went first (orders unloaded)
        if self.controls is not None:
            self.controls.setParent(None)
            self.controls.deleteLater()
        self.controls = self._panel = self._orders = None

    def selected_order(self) -> Any:
        if self._panel is None:
            return None
        key = self._panel.selected_key()
        entry = self._orders.book.get(tuple(key)) if key is not None else None
        return entry.order if entry is not None else None

    def _order_selected(self, *_args: object) -> None:
        if self.controls is not None:
            self.controls.show_for(self.selected_order())

    def _orders_changed(self) -> None:
        if self._orders is None:
            return
        self.decisions.announce(list(self._orders.book.orders()))
        self._order_selected()

    def decide_selected(self) -> Any:
        order = self.selected_order()
        if order is None:
            return None
        return self.decisions.open_for(order, self.ctx.iface.mainWindow())

    def _decided(self, _order_id: str) -> None:
        if self._orders is not None:
            self._orders.refresh()
