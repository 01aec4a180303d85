"""Keeps the Start tab's first steps (:mod:`ui.start`) up to date."""

from __future__ import annotations

from typing import Any

from ..toolbelt.settings import Settings
from .feature import PluginContext
from .services import AOIS, CART, GRID, ORDERS
from .start import Progress, first_steps, has_credentials


class StartFeature:
    """Keeps the Start tab's first steps up to date (registered last in ``features.py``)."""

    provides = ()
    needs = (AOIS, CART, GRID, ORDERS)

    def __init__(self, ctx: PluginContext) -> None:
        self.ctx = ctx
        self._connected: list[Any] = []

    def init_gui(self) -> None:
        self.ctx.settings.on_change(self._settings_changed)
        self.ctx.dock.tabs.currentChanged.connect(self.refresh)
        self.ctx.dock.visibilityChanged.connect(self.refresh)
        services = self.ctx.services
        for service, signal in (
            (services.get(AOIS), "changed"),
            (services.get(CART), "changed"),
            (services.get(GRID), "selection_changed"),
        ):
            if service is not None:
                getattr(service, signal).connect(self.refresh)
                self._connected.append(getattr(service, signal))
        self.refresh()

    def unload(self) -> None:
        for signal in self._connected:
            try:
                signal.disconnect(self.refresh)
            except (TypeError, RuntimeError):  # the service went first
                pass
        self._connected = []
        self.ctx.dock.visibilityChanged.disconnect(self.refresh)
        self.ctx.dock.tabs.currentChanged.disconnect(self.refresh)
        self.ctx.settings.remove_listener(self._settings_changed)

    def _settings_changed(self, _settings: Settings) -> None:
        self.refresh()

    def progress(self) -> Progress:
        services = self.ctx.services
        aois = services.get(AOIS)
        grid = services.get(GRID)
        cart = services.get(CART)
        orders = services.get(ORDERS)
        return Progress(
            credentials=has_credentials(self.ctx.settings.current),
            aois=len(aois.aois()) if aois is not None else None,
            cells=len(grid.selected_cells()) if grid is not None else None,
            cart_items=len(cart.items) if cart is not None else None,
            orders=len(orders.book.entries()) if orders is not None else None,
        )

    def refresh(self, *_args: object) -> None:
        self.ctx.dock.start_page.show_steps(first_steps(self.progress()))
