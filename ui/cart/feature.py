"""The ordering money path in the plugin: configure, cart, checkout, outbox.

Provides (see :mod:`ui.services`):

- ``CART``: the :class:`CartPresenter` (``changed`` signal, ``items``,
  ``add/edit/duplicate/remove``, ``register_editor(spec_type, open_editor)`` for other
  features' kinds of items);
- ``OUTBOX``: the :class:`OutboxService` (``outbox`` is the
  :class:`core.ordering.outbox.Outbox`; signals ``placed(entry)``, ``entry_changed(entry)``);
- ``ARCHIVE_ORDER``: the :class:`ArchiveOrderPresenter`
  (``open_for(captures, aoi)``: archive captures with their product options into the cart);
- ``CONFIGURE``: the :class:`ConfigurePresenter`; the AOI and tile grid
  sections' "Configure order…" buttons call ``open_for_chosen_aois()`` and
  ``open_for_selected_cells()`` (any feature may call ``open_for(OrderTarget)``).

Adds the "Cart" dock section; saves a copy of the cart into each project written and
merges the copy of each project read (see :mod:`.presenter`); reconciles placements a
crash left unfinished, in a task, right after start-up.
"""

from __future__ import annotations

import logging
from typing import Any, Optional

from qgis.core import QgsProject
from qgis.PyQt.QtCore import QTimer

from ...core.errors import NadirError
from ...core.ordering.cart_store import CartStore
from ...core.ordering.outbox import PLACED, Outbox, OutboxEntry
from ...toolbelt.connections import adapter_for
from ...toolbelt.i18n import tr
from ...toolbelt.paths import cart_path, outbox_path
from ..feature import PluginContext
from ..services import AOIS, ARCHIVE_ORDER, CART, CONFIGURE, GRID, OUTBOX
from .archive import ArchiveOrderPresenter
from .checkout import CheckoutPresenter
from .configure import ConfigurePresenter
from .detail_dialog import CartItemDialog
from .outbox_service import OutboxService
from .presenter import AdapterSource, CartPresenter
from .section import CartSection

LOGGER = logging.getLogger(__name__)
PROJECT_SCOPE, PROJECT_KEY = "Nadir", "cart"


def _disconnect(signal: Any, slot: Any) -> None:
    try:
        signal.disconnect(slot)
    except TypeError:  # never connected: init_gui stopped before it
        LOGGER.debug("%s was not connected", getattr(slot, "__name__", slot))


class CartFeature:
    provides = (CART, OUTBOX, CONFIGURE, ARCHIVE_ORDER)
    needs = (AOIS, GRID)  # GRID: the order dialog for the selected cells (.selection)

    def __init__(self, ctx: PluginContext, adapters: Optional[AdapterSource] = None) -> None:
        self.ctx = ctx
        self.adapters: AdapterSource = adapters or (lambda provider: adapter_for(provider, ctx.settings.current))
        self.outbox: Optional[OutboxService] = None
        self.cart: Optional[CartPresenter] = None
        self.configure: Optional[ConfigurePresenter] = None
        self.archive: Optional[ArchiveOrderPresenter] = None
        self.checkout: Optional[CheckoutPresenter] = None
        self.section: Optional[CartSection] = None
        self.detail: Optional[CartItemDialog] = None

    # ------------------------------------------------------------------ wiring
    def init_gui(self) -> None:
        ctx = self.ctx
        parent = ctx.iface.mainWindow()
        self.outbox = OutboxService(Outbox(outbox_path()), ctx.runner, self.adapters)
        self.cart = CartPresenter(CartStore(cart_path()), ctx.runner, self.adapters)
        self.configure = ConfigurePresenter(
            self.cart,
            ctx.runner,
            self.adapters,
            parent,
            services=ctx.services,
            tell=ctx.notifier.warning,
            confirm=ctx.notifier.success,
        )
        configure = self.configure
        self.checkout = CheckoutPresenter(
            self.cart,
            self.outbox,
            parent,
            max_area=lambda provider: configure.max_area_km2 if provider == "clearsky" else None,
        )
        self.configure.limits_changed.connect(self.checkout.refresh)
        self.configure.limits_changed.connect(self._limits_changed)
        self.cart.register_editor("clearsky", self.configure.open_edit)
        self.archive = ArchiveOrderPresenter(
            self.cart,
            parent,
            tell=ctx.notifier.success,
            warn=ctx.notifier.warning,
            runner=ctx.runner,
            adapters=self.adapters,
        )
        self.cart.register_editor("archive", self.archive.open_edit)

        self.section = CartSection()
        ctx.dock.add_section("cart", tr("Cart"), self.section)
        self.section.configure_aois.connect(self.configure.open_for_chosen_aois)
        self.section.configure_cells.connect(self.configure.open_for_selected_cells)
        self.section.edit_requested.connect(self.edit)
        self.section.duplicate_requested.connect(self.cart.duplicate)
        self.section.remove_requested.connect(self.cart.remove)
        self.section.details_requested.connect(self.details)
        self.section.refresh_requested.connect(self.cart.refresh_all)
        self.section.checkout_requested.connect(self.open_checkout)
        self.cart.changed.connect(self._show)
        self.cart.recovered.connect(ctx.notifier.warning)
        self.cart.storage_failed.connect(ctx.notifier.error)
        self.outbox.placed.connect(self.cart.mark_placed)
        self.outbox.outcome.connect(self._outcome)
        self.outbox.reconciled.connect(self._reconciled)
        ctx.dock.tabs.currentChanged.connect(self._tab_changed)
        ctx.dock.visibilityChanged.connect(self._tab_changed)

        project = QgsProject.instance()
        project.writeProject.connect(self._write_project)
        project.readProject.connect(self._read_project)

        ctx.services.provide(CART, self.cart)
        ctx.services.provide(OUTBOX, self.outbox)
        ctx.services.provide(CONFIGURE, self.configure)
        ctx.services.provide(ARCHIVE_ORDER, self.archive)

        if self.outbox.outbox.recovery is not None:
            ctx.notifier.warning(self.outbox.outbox.recovery.message, duration=0)
        for entry in self.outbox.outbox.placed():  # placed while Nadir was not listening
            self.cart.mark_placed(entry)
        if self.outbox.outbox.problems:  # a forged copy set aside, rows that cannot be read (kept)
            ctx.notifier.warning(" ".join(self.outbox.outbox.problems), duration=0)
        self.cart.start()
        self._read_project(None)  # a project read before the feature started (Nadir wakes on first use)
        self._show()
        QTimer.singleShot(0, self._reconcile)

    def unload(self) -> None:
        ctx = self.ctx
        for key in (ARCHIVE_ORDER, CONFIGURE, OUTBOX, CART):
            ctx.services.withdraw(key)
        project = QgsProject.instance()
        # init_gui may have stopped half-way (a part that could not start): undo what it did
        for signal, slot in (
            (project.readProject, self._read_project),
            (project.writeProject, self._write_project),
            (ctx.dock.visibilityChanged, self._tab_changed),
            (ctx.dock.tabs.currentChanged, self._tab_changed),
        ):
            _disconnect(signal, slot)
        if self.detail is not None:
            self.detail.close()
            self.detail.deleteLater()
            self.detail = None
        if self.checkout is not None:
            self.checkout.close()
            self.checkout = None
        if self.archive is not None:
            self.archive.close()
            self.archive = None
        if self.configure is not None:
            self.configure.close()
            self.configure = None
        if self.cart is not None:
            self.cart.stop()
            _disconnect(self.cart.changed, self._show)
            self.cart = None
        self.outbox = None
        ctx.dock.remove_section("cart")
        self.section = None

    # ------------------------------------------------------------------ user actions
    def edit(self, item_id: str) -> Optional[Any]:
        item = self.cart.item(item_id) if self.cart else None
        if item is None:
            return None
        editor = self.cart.editor(item) if self.cart else None
        if editor is None:
            self.ctx.notifier.info(tr("This kind of item cannot be edited here; duplicate or remove it."))
            return None
        try:
            return editor(item_id)
        except NadirError as exc:
            self.ctx.notifier.exception(exc)
            return None

    def details(self, item_id: str) -> Optional[CartItemDialog]:
        if self.cart is None or self.cart.item(item_id) is None:
            return None
        if self.detail is None:
            self.detail = CartItemDialog(self.ctx.iface.mainWindow())
            self.detail.refresh_requested.connect(lambda i: self.cart and self.cart.request_estimate(i, force=True))
            self.detail.edit_requested.connect(self.edit)
        self._show_detail(item_id)
        self.detail.show()
        self.detail.raise_()
        return self.detail

    def open_checkout(self) -> Optional[Any]:
        if self.checkout is None or self.cart is None or not self.cart.items:
            return None
        if self.configure is not None and any(item.provider == "clearsky" for item in self.cart.items):
            self.configure.load_models()  # the account's limits, if not known yet (in a task)
        return self.checkout.open()

    # ------------------------------------------------------------------ views
    def _show(self) -> None:
        if self.cart is None or self.section is None:
            return
        self.section.show_cart(self.cart.cart, self.cart.now(), self.cart.editable)
        count = len(self.cart.items)
        self.ctx.dock.set_section_title("cart", tr("Cart ({})").format(count) if count else tr("Cart"))
        if self.detail is not None and self.detail.isVisible():
            self._show_detail(self.detail.item_id)

    def _show_detail(self, item_id: str) -> None:
        item = self.cart.item(item_id) if self.cart else None
        if item is not None and self.detail is not None and self.cart is not None:
            self.detail.show_item(item, self.cart.now(), self.cart.editable(item))

    def _tab_changed(self, *_: object) -> None:
        """Prices are kept fresh only while the cart is in view (no network, no master
        password prompt at QGIS start-up for a cart nobody looks at)."""
        if self.cart is None or self.section is None:
            return
        visible = self.ctx.dock.isVisible() and self.ctx.dock.tabs.currentWidget() is self.section
        self.cart.set_active(visible)

    def _outcome(self, outcome: Any) -> None:
        entry: OutboxEntry = outcome.entry
        if entry.state == PLACED:
            self.ctx.notifier.success(tr("{} placed: order {}.").format(entry.title, ", ".join(entry.order_ids)))
        elif entry.failure == "auth":  # even with the review open: the fix is in the options, not in the row
            self.ctx.notifier.error(f"{entry.title}: {entry.message}", fix_credentials=True)
        elif entry.state in ("failed", "unknown") and (self.checkout is None or self.checkout.dialog is None):
            self.ctx.notifier.warning(f"{entry.title}: {entry.message}")

    def _reconciled(self, entries: list[OutboxEntry]) -> None:
        placed = [e for e in entries if e.state == PLACED]
        others = [e for e in entries if e.state != PLACED]
        if placed:
            self.ctx.notifier.info(
                tr("{} order(s) interrupted last time were found at the provider and are recorded as placed.").format(
                    len(placed)
                )
            )
        for entry in others:
            self.ctx.notifier.warning(f"{entry.title}: {entry.message}")

    def _limits_changed(self) -> None:
        """The account's largest composite is known: the AOI checks show it too."""
        aois = self.ctx.services.get(AOIS)
        if self.configure is not None and aois is not None and hasattr(aois, "set_max_area"):
            aois.set_max_area("clearsky", self.configure.max_area_km2)

    def _reconcile(self) -> None:
        if self.outbox is not None:
            self.outbox.reconcile()

    # ------------------------------------------------------------------ project
    def _write_project(self, _document: Any) -> None:
        if self.cart is not None:
            QgsProject.instance().writeEntry(PROJECT_SCOPE, PROJECT_KEY, self.cart.project_document())

    def _read_project(self, _document: Any) -> None:
        if self.cart is None or self.outbox is None:
            return
        text, found = QgsProject.instance().readEntry(PROJECT_SCOPE, PROJECT_KEY, "")
        if not found or not text:
            return
        placed = {e.cart_item_id for e in self.outbox.outbox.entries() if e.cart_item_id and e.state != "failed"}
        count, message = self.cart.merge_project_document(text, placed)
        if message:
            (self.ctx.notifier.info if count else self.ctx.notifier.warning)(message)
