"""How each lifecycle looks, shared by the orders table and the overlay layer."""

from __future__ import annotations

from qgis.PyQt.QtGui import QColor

from ...core.models import Lifecycle
from ...toolbelt.i18n import tr

#: fill colours (the table uses them as cell backgrounds, the overlay as polygon fills)
COLORS: dict[Lifecycle, str] = {
    Lifecycle.PENDING: "#f2b134",
    Lifecycle.AWAITING_DECISION: "#ef7d22",
    Lifecycle.IN_PROGRESS: "#3a86d4",
    Lifecycle.LIVE: "#2ca25f",
    Lifecycle.COMPLETED: "#5e6b78",
    Lifecycle.FAILED: "#d7301f",
    Lifecycle.CANCELLED: "#a0a0a0",
}
NEUTRAL = "#ffffff"  # unknown statuses: no colour that would claim a meaning


def label(status: Lifecycle) -> str:
    return {
        Lifecycle.PENDING: tr("Pending (in review)"),
        Lifecycle.AWAITING_DECISION: tr("Awaiting your decision"),
        Lifecycle.IN_PROGRESS: tr("In progress"),
        Lifecycle.LIVE: tr("Live (recurring)"),
        Lifecycle.COMPLETED: tr("Completed"),
        Lifecycle.FAILED: tr("Failed"),
        Lifecycle.CANCELLED: tr("Cancelled"),
        Lifecycle.UNKNOWN: tr("Unknown status"),
    }[status]


def background(status: Lifecycle) -> QColor | None:
    """A light tint of the lifecycle colour for table cells; None for unknown statuses."""
    color = COLORS.get(status)
    if color is None:
        return None
    tint = QColor(color)
    tint.setAlpha(70)
    return tint
