"""Archive captures into the cart with their provider's product options.

The ``ARCHIVE_ORDER`` service (provided by the cart feature) is an
:class:`ArchiveOrderPresenter`: ``open_for(captures, aoi)`` opens the options dialog for the
providers involved and adds one cart item per provider (title, "3 captures, 12.4 km²",
area); archive items in the cart reopen the same dialog when edited.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Callable, Optional

from qgis.PyQt.QtWidgets import QWidget

from ...core.errors import NadirError
from ...core.models import ArchiveSpec, Capture, DataProduct, GeoJSON
from ...core.ordering import archive_options as ao
from ...core.ordering.cart import CartItem
from ...core.provider_info import PROVIDERS
from ...tasks.base import TaskContext, TaskRunner
from ...toolbelt.i18n import tr
from .presenter import AdapterSource, CartPresenter

LOGGER = logging.getLogger(__name__)


def run_data_products(adapter: Any, ctx: TaskContext) -> list[DataProduct]:
    """UP42's glossary of data products (the dialog keeps the ARCHIVE ones of the captures)."""
    try:
        ctx.check()
        return list(adapter.data_products())
    finally:
        adapter.close()


def item_title(spec: ArchiveSpec) -> str:
    info = PROVIDERS.get(spec.provider)
    name = info.title if info is not None else spec.provider
    count = len(spec.captures)
    if count == 1:
        return tr("{} archive: 1 capture").format(name)
    return tr("{} archive: {} captures").format(name, count)


def item_summary(count: int, area_km2: float) -> str:
    if count == 1:
        return tr("1 capture, {:.1f} km²").format(area_km2)
    return tr("{} captures, {:.1f} km²").format(count, area_km2)


class ArchiveOrderPresenter:
    """Opens the archive options dialog and turns what it says into cart items."""

    def __init__(
        self,
        cart: CartPresenter,
        parent: Optional[QWidget] = None,
        tell: Optional[Callable[[str], Any]] = None,
        warn: Optional[Callable[[str], Any]] = None,
        runner: Optional[TaskRunner] = None,
        adapters: Optional[AdapterSource] = None,
    ) -> None:
        self._cart = cart
        self._parent = parent
        self._tell = tell
        self._warn = warn
        self._runner = runner
        self._adapters = adapters
        self._products: Optional[list[DataProduct]] = None
        self.loading: Optional[Any] = None
        self.dialog: Optional[Any] = None
        self.editing: Optional[str] = None
        self.added: list[CartItem] = []
        self._areas: dict[str, float] = {}

    def open_for(self, captures: Sequence[Capture], aoi: Optional[GeoJSON]) -> Any:
        """The options dialog for ``captures`` clipped to ``aoi`` (whole footprints without one);
        None, with the reason told, when no capture meets the AOI."""
        plan = ao.plan_archive(captures, aoi)
        if not plan.specs:
            message = tr(
                "Nothing was added to the cart: no selected capture overlaps the area of interest. "
                "Select captures whose footprint meets the AOI."
            )
            if self._warn is not None:
                self._warn(message)
            return None
        return self._open(plan, editing=None)

    def open_edit(self, item_id: str) -> Any:
        """The options dialog for the archive item ``item_id``; Save replaces its options."""
        item = self._cart.item(item_id)
        if item is None or not isinstance(item.spec, ArchiveSpec):
            raise NadirError(tr("Only archive items are edited in this dialog."))
        area = item.area_km2 if item.area_km2 is not None else ao.spec_area_km2(item.spec)
        return self._open(ao.ArchivePlan(specs=[ao.PlannedSpec(item.spec, area)]), editing=item_id)

    def _open(self, plan: ao.ArchivePlan, editing: Optional[str]) -> Any:
        from .archive_dialog import ArchiveOrderDialog  # deferred: built on first use

        self.close()
        self.editing = editing
        self._areas = {p.spec.provider: p.area_km2 for p in plan.specs}
        dialog = ArchiveOrderDialog(plan, self._parent, editing=editing is not None)
        dialog.submitted.connect(self.submit)
        self.dialog = dialog
        if "up42" in dialog.boxes:
            self._load_up42_products()
        dialog.show()
        return dialog

    def _load_up42_products(self) -> None:
        """UP42's archive data products into the dialog's combo, fetched once in a task."""
        if self._products is not None:
            self._products_loaded(self._products)
            return
        if self._runner is None or self._adapters is None or self.loading is not None:
            return
        try:
            adapter = self._adapters("up42")
        except NadirError as exc:
            self._products_failed(exc)
            return
        self.loading = self._runner.run(
            tr("Nadir: UP42 data products"),
            lambda ctx: run_data_products(adapter, ctx),
            on_done=self._products_loaded,
            on_error=self._products_failed,
        )

    def _products_loaded(self, products: list[DataProduct]) -> None:
        self.loading = None
        self._products = list(products)
        box = self.dialog.boxes.get("up42") if self.dialog is not None else None
        if box is not None:
            box.set_up42_products(self._products)

    def _products_failed(self, error: BaseException) -> None:
        self.loading = None
        message = error.message if isinstance(error, NadirError) else str(error)
        LOGGER.info("UP42 data products could not be loaded: %s", message)
        box = self.dialog.boxes.get("up42") if self.dialog is not None else None
        if box is not None:
            box.set_note(
                tr(
                    "UP42's data products could not be loaded ({}); the order uses each collection's archive product."
                ).format(message)
            )

    def submit(self) -> list[CartItem]:
        """Add the dialog's specs to the cart (or save the edited item)."""
        dialog = self.dialog
        if dialog is None or dialog.problems():
            return []
        done: list[CartItem] = []
        for spec in dialog.specs():
            area = self._areas.get(spec.provider, ao.spec_area_km2(spec))
            summary = item_summary(len(spec.captures), area)
            if self.editing is not None:
                done.append(self._cart.edit(self.editing, spec, summary=summary, area_km2=area))
            else:
                done.append(self._cart.add(spec, title=item_title(spec), summary=summary, area_km2=area))
        self.added = done
        if self._tell is not None and self.editing is None and done:
            self._tell(
                tr("{} archive items added to the cart.").format(len(done))
                if len(done) != 1
                else tr("1 archive item added to the cart.")
            )
        return done

    def close(self) -> None:
        if self.dialog is not None:
            try:
                self.dialog.submitted.disconnect(self.submit)
            except (TypeError, RuntimeError):
                pass
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
