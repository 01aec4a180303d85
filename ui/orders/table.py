"""The orders table: a model over the order book and a proxy filtering by provider and status."""

from __future__ import annotations

from typing import Any

from qgis.PyQt.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from qgis.PyQt.QtGui import QFont

from ...core.models import Lifecycle, Order
from ...core.orders.book import BookEntry, OrderKey, order_name, provider_title, short_id, status_text
from ...core.orders.filters import StatusGroup, order_period
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
    """Rows computed once per refresh (display texts and sort keys), sorted in Python:
    with thousands of orders a sort through Qt's proxy would call back into Python tens of
    thousands of times on the GUI thread."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: list[BookEntry] = []
        self._display: list[tuple[str, ...]] = []
        self._keys: list[tuple[Any, ...]] = []
        self._headers = _headers()
        self._sort_column = COLUMNS.index("created")
        self._sort_order = Qt.SortOrder.DescendingOrder

    def set_entries(self, entries: list[BookEntry]) -> None:
        self.set_rows(prepare_rows(entries))

    def set_rows(self, rows: PreparedRows) -> None:
        """Show rows made by :func:`prepare_rows` (possibly in a task), in the current sort."""
        entries, display, keys = rows
        self.beginResetModel()
        order = self._order(keys)
        self._entries = [entries[i] for i in order]
        self._display = [display[i] for i in order]
        self._keys = [keys[i] for i in order]
        self.endResetModel()

    def _order(self, keys: list[tuple[Any, ...]]) -> list[int]:
        column = self._sort_column
        reverse = self._sort_order == Qt.SortOrder.DescendingOrder
        return sorted(range(len(keys)), key=lambda i: keys[i][column], reverse=reverse)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        rows_before = [index.row() for index in persistent]
        permutation = self._order(self._keys)
        self._entries = [self._entries[i] for i in permutation]
        self._display = [self._display[i] for i in permutation]
        self._keys = [self._keys[i] for i in permutation]
        new_row = {old: new for new, old in enumerate(permutation)}
        self.changePersistentIndexList(
            persistent, [self.index(new_row[row], index.column()) for row, index in zip(rows_before, persistent)]
        )
        self.layoutChanged.emit()

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
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display[row][column]
        if role == SORT_ROLE:
            return self._keys[row][column]
        entry = self._entries[row]
        name = COLUMNS[column]
        if role == KEY_ROLE:
            return entry.key
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(entry, name)
        if role == Qt.ItemDataRole.BackgroundRole and name == "status":
            return style.background(entry.order.status)
        if role == Qt.ItemDataRole.FontRole and name == "status" and entry.order.status is Lifecycle.UNKNOWN:
            font = QFont()
            font.setItalic(True)
            return font
        return None


PreparedRows = tuple[list[BookEntry], list[tuple[str, ...]], list[tuple[Any, ...]]]


def prepare_rows(entries: list[BookEntry]) -> PreparedRows:
    """Display texts and sort keys of every row: plain Python, safe to run in a task."""
    display = [tuple(_display(entry, c) for c in COLUMNS) for entry in entries]
    keys = [
        tuple(_sort_value(entry, c, shown) for c, shown in zip(COLUMNS, texts))
        for entry, texts in zip(entries, display)
    ]
    return list(entries), display, keys


def _display(entry: BookEntry, column: str) -> str:
    order = entry.order
    if column == "provider":
        return provider_title(order.provider)
    if column == "order":
        return order_name(order) if entry.label else short_id(order.id)
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


def _sort_value(entry: BookEntry, column: str, shown: str) -> Any:
    order = entry.order
    if column == "price":
        return (order.price.currency, float(order.price.amount)) if order.price is not None else ("", -1.0)
    if column == "created":
        return order.created_at.timestamp() if order.created_at else 0.0
    if column == "end":
        period = order_period(order)
        return "9999" if period is not None and period.end is None else shown
    return shown.lower()


def _tooltip(entry: BookEntry, column: str) -> str:
    order = entry.order
    if column == "order":
        lines = [order.id]
        if entry.label:
            lines.append(tr("Cart item: {}").format(entry.label))
        if entry.reference:
            lines.append(tr("Placed by Nadir (reference {})").format(entry.reference))
        return "\n".join(lines)
    if column == "price" and entry.estimated:
        return tr("Nadir's estimate at checkout; {} reports no price for this order.").format(
            provider_title(order.provider)
        )
    if column == "status":
        if order.status is Lifecycle.UNKNOWN:
            return tr("Nadir does not know this status; it is shown exactly as {} sent it.").format(
                provider_title(order.provider)
            )
        return style.label(order.status)
    return ""


class OrdersFilterProxy(QSortFilterProxyModel):
    """Filters rows by provider (empty = all) and :class:`StatusGroup`; sorts by SORT_ROLE."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.provider = ""
        self.status = StatusGroup.ALL

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The source model sorts itself; the proxy keeps its order and only filters."""
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)

    def set_provider(self, provider: str) -> None:
        self.provider = provider
        self.invalidateFilter()

    def set_status(self, status: StatusGroup) -> None:
        self.status = status
        self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        if not self.provider and self.status is StatusGroup.ALL:
            return True
        model = self.sourceModel()
        if not isinstance(model, OrdersTableModel):
            return True
        order = model.entry(source_row).order
        if self.provider and order.provider != self.provider:
            return False
        return self.status.matches(order.status)
