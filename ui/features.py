"""The features the plugin wires, in start-up order (see :mod:`ui.feature`)."""

from __future__ import annotations

from .feature import Feature


def feature_classes() -> list[type[Feature]]:
    from .aoi.feature import AoiFeature
    from .cart.feature import CartFeature
    from .deliveries.feature import DeliveriesFeature
    from .grid.feature import GridFeature
    from .orders.feature import OrdersFeature

    return [AoiFeature, GridFeature, CartFeature, OrdersFeature, DeliveriesFeature]
