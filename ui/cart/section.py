"""The "Cart" tab of the Nadir dock: a view that shows the cart and emits intent.

One row per item with provider, order type, model and satellites, storage months, API
requests, deduplication, image dates and the estimate with its state; totals per
currency underneath; buttons for configure, edit, duplicate, remove, details, refresh
and checkout. The feature connects the intent signals to the presenters.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Optional

from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtGui import QBrush, QColor
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core.ordering.cart import Cart, CartItem, EstimateState
from ...toolbelt.i18n import tr
from . import text

STATE_COLOURS = {
    EstimateState.STALE: "#a15c00",
    EstimateState.FAILED: "#b00020",
    EstimateState.PENDING: "#606060",
    EstimateState.NONE: "#606060",
}


class CartSection(QWidget):
    configure_aois = pyqtSignal()
    configure_cells = pyqtSignal()
    edit_requested = pyqtSignal(str)
    duplicate_requested = pyqtSignal(str)
    remove_requested = pyqtSignal(str)
    details_requested = pyqtSignal(str)
    refresh_requested = pyqtSignal()
    checkout_requested = pyqtSignal()

    COLUMNS = (
        "Item",
        "Estimate",
        "Image dates",
        "Provider",
        "Type",
        "Model & satellites",
        "Storage",
        "API requests",
        "Deduplication",
    )
    ESTIMATE = 1

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("NadirCartSection")
        self._editable_ids: set[str] = set()
        layout = QVBoxLayout(self)

        top = QHBoxLayout()
        self.configure_button = QToolButton(self)
        self.configure_button.setObjectName("NadirCartConfigure")
        self.configure_button.setText(tr("Configure order…"))
        self.configure_button.setToolTip(tr("Configure a ClearSKY order for the chosen AOIs or the selected tiles."))
        self.configure_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.configure_button)
        self.configure_aois_action = menu.addAction(tr("Composite for the chosen AOIs…"))
        self.configure_aois_action.setObjectName("NadirCartConfigureAois")
        self.configure_cells_action = menu.addAction(tr("Tile order for the selected grid cells…"))
        self.configure_cells_action.setObjectName("NadirCartConfigureCells")
        self.configure_aois_action.triggered.connect(self.configure_aois)
        self.configure_cells_action.triggered.connect(self.configure_cells)
        self.configure_button.setMenu(menu)
        top.addWidget(self.configure_button)
        top.addStretch(1)
        self.refresh_button = self._button(
            "NadirCartRefresh", tr("Refresh prices"), tr("Ask every provider again for the price of each item.")
        )
        self.refresh_button.clicked.connect(self.refresh_requested)
        top.addWidget(self.refresh_button)
        layout.addLayout(top)

        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setObjectName("NadirCartTable")
        self.table.setHorizontalHeaderLabels(
            [
                tr("Item"),
                tr("Estimate"),
                tr("Image dates"),
                tr("Provider"),
                tr("Type"),
                tr("Model & satellites"),
                tr("Storage"),
                tr("API requests"),
                tr("Deduplication"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(True)
        dates = self.COLUMNS.index("Image dates")
        self.table.horizontalHeader().setSectionResizeMode(dates, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(dates, 230)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.cellDoubleClicked.connect(lambda row, _col: self._emit_for_row(row, self.details_requested))
        layout.addWidget(self.table, 1)

        self.empty_label = QLabel(
            tr("The cart is empty. Choose AOIs or select tiles on the grid, then <b>Configure order…</b>"), self
        )
        self.empty_label.setObjectName("NadirCartEmpty")
        self.empty_label.setWordWrap(True)
        layout.addWidget(self.empty_label)

        self.totals_label = QLabel(self)
        self.totals_label.setObjectName("NadirCartTotals")
        self.totals_label.setWordWrap(True)
        layout.addWidget(self.totals_label)

        buttons = QHBoxLayout()
        self.edit_button = self._button("NadirCartEdit", tr("Edit…"), tr("Change the selected item's settings."))
        self.duplicate_button = self._button(
            "NadirCartDuplicate", tr("Duplicate"), tr("Add a copy of the selected item, to change it.")
        )
        self.remove_button = self._button("NadirCartRemove", tr("Remove"), tr("Take the selected item out."))
        self.details_button = self._button(
            "NadirCartDetails", tr("Details…"), tr("Everything about the selected item, all image dates included.")
        )
        self.checkout_button = self._button(
            "NadirCartCheckout", tr("Checkout…"), tr("Review every item and the totals, then confirm the orders.")
        )
        self.edit_button.clicked.connect(lambda: self._emit_selected(self.edit_requested))
        self.duplicate_button.clicked.connect(lambda: self._emit_selected(self.duplicate_requested))
        self.remove_button.clicked.connect(lambda: self._emit_selected(self.remove_requested))
        self.details_button.clicked.connect(lambda: self._emit_selected(self.details_requested))
        self.checkout_button.clicked.connect(self.checkout_requested)
        for button in (self.edit_button, self.duplicate_button, self.remove_button, self.details_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.checkout_button)
        layout.addLayout(buttons)
        self._update_buttons()

    def _button(self, name: str, label: str, tip: str) -> QPushButton:
        button = QPushButton(label, self)
        button.setObjectName(name)
        button.setToolTip(tip)
        return button

    # ------------------------------------------------------------------ showing
    def show_cart(self, cart: Cart, now: datetime, editable: Callable[[CartItem], bool]) -> None:
        self._editable_ids = {item.id for item in cart.items if editable(item)}
        selected = self.selected_id()
        self.table.setRowCount(len(cart.items))
        for row, item in enumerate(cart.items):
            state = item.state(now)
            values = (
                text.title_of(item) + (f"\n{item.summary}" if item.summary else ""),
                text.estimate_text(item, now),
                text.dates_text(item),
                text.provider_title(item.provider),
                text.kind_text(item.spec),
                text.model_text(item.spec),
                text.storage_text(item.spec),
                text.api_text(item.spec),
                text.dedup_text(item.spec),
            )
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setToolTip(value)
                if column == 0:
                    cell.setData(Qt.ItemDataRole.UserRole, item.id)
                if column == self.ESTIMATE:
                    cell.setData(Qt.ItemDataRole.UserRole, state.value)
                    cell.setToolTip(value + "\n" + tr("Price state: {}").format(text.state_text(state)))
                    if state in STATE_COLOURS:
                        cell.setForeground(QBrush(QColor(STATE_COLOURS[state])))
                self.table.setItem(row, column, cell)
        self.table.resizeRowsToContents()
        totals = cart.totals(now)
        self.totals_label.setText(text.totals_text(totals.totals, totals.unpriced, totals.stale, totals.pending))
        self.empty_label.setVisible(not cart.items)
        self.totals_label.setVisible(bool(cart.items))
        if selected is not None:
            self.select(selected)
        self._update_buttons()
        self.checkout_button.setEnabled(bool(cart.items))
        self.refresh_button.setEnabled(bool(cart.items))

    def row_of(self, item_id: str) -> int:
        for row in range(self.table.rowCount()):
            cell = self.table.item(row, 0)
            if cell is not None and cell.data(Qt.ItemDataRole.UserRole) == item_id:
                return row
        return -1

    def select(self, item_id: str) -> None:
        row = self.row_of(item_id)
        if row >= 0:
            self.table.selectRow(row)

    def selected_id(self) -> Optional[str]:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        cell = self.table.item(rows[0].row(), 0)
        return str(cell.data(Qt.ItemDataRole.UserRole)) if cell is not None else None

    def cell_text(self, item_id: str, column: str) -> str:
        row = self.row_of(item_id)
        cell = self.table.item(row, self.COLUMNS.index(column)) if row >= 0 else None
        return cell.text() if cell is not None else ""

    # ------------------------------------------------------------------ intent
    def _emit_selected(self, signal: pyqtSignal) -> None:
        item_id = self.selected_id()
        if item_id is not None:
            signal.emit(item_id)

    def _emit_for_row(self, row: int, signal: pyqtSignal) -> None:
        cell = self.table.item(row, 0)
        if cell is not None:
            signal.emit(str(cell.data(Qt.ItemDataRole.UserRole)))

    def _update_buttons(self) -> None:
        selected = self.selected_id() is not None
        for button in (self.duplicate_button, self.remove_button, self.details_button):
            button.setEnabled(selected)
        self.edit_button.setEnabled(selected and self.selected_id() in self._editable_ids)
