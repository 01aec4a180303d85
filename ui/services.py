"""Typed services between features: how one feature finds another's objects.

A feature provides a service under a typed key in ``init_gui()`` and withdraws it in
``unload()``; others get it by the same key, typed for mypy::

    ctx.services.provide(AOIS, store)          # the AOI feature
    store = ctx.services.get(AOIS)             # Optional[AoiStore], anywhere else
    ctx.services.when_available(ORDERS_PANEL, self._panel_ready, owner=self)
    ctx.services.release(self)                 # in unload(): drops self's callbacks

Features start in an order (and some on first use), so a feature that wants to act when
another's service appears asks :meth:`Services.when_available`: called at once if the
service is there, else when it is provided (again each time it is provided anew), until
the owner releases it. Every feature declares the keys it ``provides`` and ``needs`` (class
attributes, see :class:`ui.feature.Feature`); a test checks that each needed key is
provided by a feature of ``ui/features.py``.

Keys are compared by identity, never by name: the name is for logs and messages only.
The classes behind the keys are imported for mypy only (this module is imported by the
features that start with QGIS, which must not load the others' modules); where a class
would import this module back, the key is typed by a protocol of what the others use.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Callable, Generic, Optional, Protocol, TypeVar, cast

if TYPE_CHECKING:
    from pathlib import Path

    from qgis.core import QgsMapLayer

    from ..core.models import Capture, GeoJSON
    from ..core.ordering.clearsky_configure import OrderTarget
    from .aoi.store import AoiStore
    from .cart.archive import ArchiveOrderPresenter
    from .cart.outbox_service import OutboxService
    from .cart.presenter import CartPresenter
    from .deliveries.presenter import DeliveriesPresenter
    from .grid.service import GridService
    from .orders.panel import OrdersPanel
    from .orders.presenter import OrdersPresenter

LOGGER = logging.getLogger(__name__)
T = TypeVar("T")


class ServiceKey(Generic[T]):
    """Names one service and the type it has: ``AOIS: ServiceKey[AoiStore]``."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"ServiceKey({self.name!r})"


class Services:
    """The services the features provide, and the callbacks waiting for them. GUI thread only."""

    def __init__(self) -> None:
        self._provided: dict[ServiceKey[Any], object] = {}
        self._waiting: list[tuple[ServiceKey[Any], Callable[[Any], None], object]] = []

    def provide(self, key: ServiceKey[T], service: T) -> None:
        """Make ``service`` available under ``key`` and call whoever waits for it.

        A waiting callback that raises is logged and the others still run: another
        feature's bug must not stop the one providing the service.
        """
        self._provided[key] = service
        for entry in list(self._waiting):
            if entry[0] is key and entry in self._waiting:  # not released by an earlier callback
                try:
                    entry[1](service)
                except Exception:
                    LOGGER.exception("A feature waiting for the %s service failed", key.name)

    def get(self, key: ServiceKey[T]) -> Optional[T]:
        """The service, or None while no feature provides it."""
        return cast(Optional[T], self._provided.get(key))

    def withdraw(self, key: ServiceKey[Any]) -> None:
        """The service goes (its feature unloads); callbacks keep waiting for a new one."""
        self._provided.pop(key, None)

    def when_available(self, key: ServiceKey[T], callback: Callable[[T], None], owner: object) -> None:
        """Call ``callback(service)`` now if ``key`` is provided, and each time it is provided.

        Until ``release(owner)``; ``owner`` is the feature asking, which releases in its
        ``unload()``. An exception of the call made at once reaches the caller.
        """
        self._waiting.append((key, callback, owner))
        service = self.get(key)
        if service is not None:
            callback(service)

    def release(self, owner: object) -> None:
        """Drop every callback ``owner`` registered with :meth:`when_available`."""
        self._waiting = [entry for entry in self._waiting if entry[2] is not owner]

    def waiting(self, owner: object) -> list[ServiceKey[Any]]:
        """The keys ``owner`` waits for (tests, diagnostics)."""
        return [entry[0] for entry in self._waiting if entry[2] is owner]

    def __contains__(self, key: object) -> bool:
        return key in self._provided


# -- protocols for the services whose class would import this module ---------------------
class AoiImporter(Protocol):
    """The AOI feature, for QGIS's own menus and drops on the map."""

    def import_layer(self, layer: QgsMapLayer) -> None: ...

    def import_paths(self, paths: list[Path]) -> None: ...


class OrderConfigurator(Protocol):
    """Opens the ClearSKY order dialog (the cart feature's ``ConfigurePresenter``)."""

    def open_for_chosen_aois(self) -> Optional[Any]: ...

    def open_for_selected_cells(self) -> Optional[Any]: ...

    def open_for(self, target: OrderTarget, title: str = "") -> Any: ...


class SearchService(Protocol):
    """The search feature: the captures selected in the results and the area searched."""

    def selected_captures(self) -> list[Capture]: ...

    def aoi_geometry(self) -> Optional[GeoJSON]: ...


# -- the keys, by the feature that provides them -------------------------------------------
#: the AOI feature: the AOIs, chosen ones, checks (``changed`` signal)
AOIS: ServiceKey[AoiStore] = ServiceKey("aois")
#: the AOI feature: a layer or files to import as AOIs
AOI_IMPORT: ServiceKey[AoiImporter] = ServiceKey("aoi_import")
#: the tile grid feature: the selected tiles and minitiles (``selection_changed`` signal)
GRID: ServiceKey[GridService] = ServiceKey("grid")
#: the cart feature: the live cart (``changed`` signal, ``add``, ``register_editor``)
CART: ServiceKey[CartPresenter] = ServiceKey("cart")
#: the cart feature: the outbox (``outbox``, ``placed(entry)`` signal)
OUTBOX: ServiceKey[OutboxService] = ServiceKey("outbox")
#: the cart feature: the order dialog for chosen AOIs, selected cells or any target
CONFIGURE: ServiceKey[OrderConfigurator] = ServiceKey("configure")
#: the cart feature: archive captures with their product options into the cart
ARCHIVE_ORDER: ServiceKey[ArchiveOrderPresenter] = ServiceKey("archive_order")
#: the search feature
SEARCH: ServiceKey[SearchService] = ServiceKey("search")
#: the orders feature: the order book and polling (``orders_changed`` signal), provided
#: once the panel is built, just before ``ORDERS_PANEL``
ORDERS: ServiceKey[OrdersPresenter] = ServiceKey("orders")
#: the orders feature: its panel, where other features add their controls
#: (``when_available``); ``ORDERS`` is there when it is
ORDERS_PANEL: ServiceKey[OrdersPanel] = ServiceKey("orders_panel")
#: the deliveries feature: downloads, loading and streaming of delivered orders
DELIVERIES: ServiceKey[DeliveriesPresenter] = ServiceKey("deliveries")
