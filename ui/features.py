"""The features the plugin wires, in start-up order (see :mod:`ui.feature`).

Eager features start with the plugin: they must be in place before the first project
layer loads (streamed deliveries need their authentication hook). The others start on
first use (see ``ui/wakeup.py``); their modules are imported only then.
"""

from __future__ import annotations

import importlib

from .feature import Feature

# (module, class, eager), in start-up order within each group
FEATURES = (
    (".aoi.feature", "AoiFeature", False),
    (".grid.feature", "GridFeature", False),
    (".cart.feature", "CartFeature", False),
    (".search.feature", "SearchFeature", False),
    (".tasking.feature", "TaskingFeature", False),
    (".orders.feature", "OrdersFeature", False),
    (".deliveries.feature", "DeliveriesFeature", True),
    (".integration.feature", "IntegrationFeature", True),
    (".start_feature", "StartFeature", False),  # last: it reads the others' services
)


def feature_classes(eager: bool | None = None) -> list[type[Feature]]:
    """Every feature class, or only the eager (True) or the on-first-use (False) ones."""
    return [
        getattr(importlib.import_module(module, __package__), name)
        for module, name, is_eager in FEATURES
        if eager is None or is_eager == eager
    ]
