"""The orders table: a model over the order book and a proxy filtering by provider and status."""

from __future__ import annotations

from typing import Any

from qgis.PyQt.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from qgis.PyQt.QtGui import QFont

from ...core.models import Lifecycle, Order
from ...core.order_filters import StatusGroup, order_period
from ...core.orders import BookEntry, OrderKey, provider_title, short_id, status_text
from ...toolbelt.i18n import tr
from . import style

COLUMNS = ("provider", "order", "kind", "status", "model", "start", "end", "price", "created")
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


def _headers() -> dict[str, str]:
    return {
        "provider": tr("Provider"),
        "order": tr("Order"),
        "kind": tr("Kind"),
        "status": tr("Status"),
        "model": tr("Model / product"),
        "start": tr("Start"),
        "end": tr("End"),
        "price": tr("Price"),
        "created": tr("Created"),
    }


def _end_text(order: Order) -> str:
    if order.end is not None:
        return order.end.isoformat()
    if order.recurring:
        if order.cancellation_date is not None:
            return tr("{} (stopped)").format(order.cancellation_date.isoformat())
        return tr("recurring")
    return ""


class OrdersTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: list[BookEntry] = []
        self._headers = _headers()

    def set_entries(self, entries: list[BookEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entry(self, row: int) -> BookEntry:
        return self._entries[row]

    def row_of(self, key: OrderKey) -> int:
        for row, entry in enumerate(self._entries):
            if entry.key == key:
                return row
        return -1

    # -- Qt model -------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[COLUMNS[section]]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self._entries[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(entry, column)
        if role == SORT_ROLE:
            return self._sort_value(entry, column)
        if role == KEY_ROLE:
            return entry.key
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(entry, column)
        if role == Qt.ItemDataRole.BackgroundRole and column == "status":
            return style.background(entry.order.status)
        if role == Qt.ItemDataRole.FontRole and column == "status" and entry.order.status is Lifecycle.UNKNOWN:
            font = QFont()
            font.setItalic(True)
            return font
        return None

    @staticmethod
    def _display(entry: BookEntry, column: str) -> str:
        order = entry.order
        if column == "provider":
            return provider_title(order.provider)
        if column == "order":
            return short_id(order.id)
        if column == "kind":
            return order.kind.value
        if column == "status":
            return status_text(order)
        if column == "model":
            return order.model or order.product or ""
        if column == "start":
            return order.start.isoformat() if order.start else ""
        if column == "end":
            return _end_text(order)
        if column == "price":
            return str(order.price) if order.price is not None else ""
        if column == "created":
            return order.created_at.strftime("%Y-%m-%d %H:%M") if order.created_at else ""
        return ""

    def _sort_value(self, entry: BookEntry, column: str) -> Any:
        order = entry.order
        if column == "price":
            return float(order.price.amount) if order.price is not None else -1.0
        if column == "created":
            return order.created_at.isoformat() if order.created_at else ""
        if column == "end":
            period = order_period(order)
            return "9999" if period is not None and period.end is None else self._display(entry, column)
        return self._display(entry, column).lower()

    @staticmethod
    def _tooltip(entry: BookEntry, column: str) -> str:
        order = entry.order
        if column == "order":
            lines = [order.id]
            if entry.label:
                lines.append(tr("Cart item: {}").format(entry.label))
            if entry.reference:
                lines.append(tr("Placed by Nadir (reference {})").format(entry.reference))
            return "\n".join(lines)
        if column == "status":
            if order.status is Lifecycle.UNKNOWN:
                return tr("Nadir does not know this status; it is shown exactly as {} sent it.").format(
                    provider_title(order.provider))
            return style.label(order.status)
        return ""


class OrdersFilterProxy(QSortFilterProxyModel):
    """Filters rows by provider (empty = all) and :class:`StatusGroup`; sorts by SORT_ROLE."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.provider = ""
        self.status = StatusGroup.ALL
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def set_provider(self, provider: str) -> None:
        self.provider = provider
        self.invalidateFilter()

    def set_status(self, status: StatusGroup) -> None:
        self.status = status
        self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        model = self.sourceModel()
        if not isinstance(model, OrdersTableModel):
            return True
        order = model.entry(source_row).order
        if self.provider and order.provider != self.provider:
            return False
        return self.status.matches(order.status)
