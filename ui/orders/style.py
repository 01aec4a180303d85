"""How each lifecycle looks in the orders table (the same colours as the overlay)."""

from __future__ import annotations

from qgis.PyQt.QtGui import QColor

from ...core.models import Lifecycle
from ...toolbelt.orders.layer import COLORS, lifecycle_label

label = lifecycle_label


def background(status: Lifecycle) -> QColor | None:
    """A light tint of the lifecycle colour for table cells; None for unknown statuses."""
    color = COLORS.get(status)
    if color is None:
        return None
    tint = QColor(color)
    tint.setAlpha(70)
    return tint
