"""The "Orders" dock section: the table of all orders, actions, details, overlay controls.

A view only (it never calls providers or starts tasks): it emits what the user wants
(``refresh_requested``, ``zoom_requested``, ``cancel_requested``, ``selection_changed``) and
the presenter and the feature push state back through the setters.
"""

from __future__ import annotations

import html
import json
from typing import Any, Optional

from qgis.PyQt.QtCore import QItemSelection, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ...core.models import CancelPreview, Order
from ...core.orders.book import BookEntry, OrderKey, provider_title
from ...core.orders.filters import StatusGroup
from ...core.provider_info import PROVIDERS
from ...toolbelt.i18n import tr
from . import style
from .overlay_controls import OverlayControls
from .table import KEY_ROLE, OrdersFilterProxy, OrdersTableModel, PreparedRows, prepare_rows


def details_html(entry: BookEntry) -> str:
    """Every field of the order, the provider's own extra fields included, escaped."""
    order = entry.order
    rows: list[tuple[str, Any]] = [
        (tr("Provider"), provider_title(order.provider)),
        (tr("Order id"), order.id),
        (tr("Kind"), order.kind.value),
        (tr("Status (as sent)"), order.raw_status),
        (tr("Sub-status"), order.sub_status),
        (tr("Lifecycle"), style.label(order.status)),
        (tr("Title"), order.title),
        (tr("Cart item"), entry.label),
        (tr("Nadir reference"), entry.reference),
        (tr("Client reference"), order.client_reference),
        (tr("Created"), order.created_at),
        (tr("Updated"), order.updated_at),
        (tr("Start"), order.start),
        (tr("End"), order.end if order.end or not order.recurring else tr("none: recurring")),
        (tr("Cancellation date"), order.cancellation_date),
        (tr("Model"), order.model),
        (tr("Constellations"), ", ".join(order.constellations)),
        (tr("Product"), order.product),
        (tr("Price"), order.price),
    ]
    rows += [(f"{order.provider}: {key}", value) for key, value in sorted(order.extra.items())]
    cells = []
    for name, value in rows:
        if value is None or value == "":
            continue
        text = (
            value
            if isinstance(value, str)
            else json.dumps(value, default=str)
            if isinstance(value, (dict, list, tuple))
            else str(value)
        )
        cells.append(f"<tr><th align='left' valign='top'>{html.escape(name)}</th><td>{html.escape(text)}</td></tr>")
    return f"<table cellspacing='2'>{''.join(cells)}</table>"


class OrdersPanel(QWidget):
    refresh_requested = pyqtSignal()
    zoom_requested = pyqtSignal(object)  # OrderKey
    cancel_requested = pyqtSignal(object)  # OrderKey
    selection_changed = pyqtSignal(object)  # OrderKey or None

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("NadirOrdersPanel")
        layout = QVBoxLayout(self)

        bar = QHBoxLayout()
        self.provider_combo = QComboBox()
        self.provider_combo.setObjectName("NadirOrdersProvider")
        self.provider_combo.addItem(tr("All providers"), "")
        for provider_id, info in PROVIDERS.items():
            self.provider_combo.addItem(info.title, provider_id)
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("NadirOrdersStatus")
        for text, group in (
            (tr("All statuses"), StatusGroup.ALL),
            (tr("Live"), StatusGroup.LIVE),
            (tr("Awaiting your decision"), StatusGroup.AWAITING),
            (tr("Completed"), StatusGroup.COMPLETED),
            (tr("Failed or cancelled"), StatusGroup.ENDED),
            (tr("Unknown status"), StatusGroup.UNKNOWN),
        ):
            self.status_combo.addItem(text, group.value)
        self.refresh_button = QPushButton(tr("Refresh"))
        self.refresh_button.setObjectName("NadirOrdersRefresh")
        self.refresh_button.setToolTip(tr("Check every provider's orders now"))
        bar.addWidget(self.provider_combo)
        bar.addWidget(self.status_combo)
        bar.addStretch(1)
        bar.addWidget(self.refresh_button)
        layout.addLayout(bar)

        self.model = OrdersTableModel(self)
        self.proxy = OrdersFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("NadirOrdersTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(8, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setResizeContentsPrecision(50)  # sizes from 50 rows, not all
        self.table.horizontalHeader().setStretchLastSection(True)

        self.details = QTextBrowser()
        self.details.setObjectName("NadirOrderDetails")
        self.details.setPlaceholderText(tr("Select an order to see everything the provider reported."))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("NadirOrdersSplitter")
        splitter.setChildrenCollapsible(False)  # a pane dragged to 0 px is lost to the user
        rows = self.table.verticalHeader().defaultSectionSize()
        self.table.setMinimumHeight(self.table.horizontalHeader().sizeHint().height() + 2 * rows)
        self.details.setMinimumHeight(3 * self.details.fontMetrics().lineSpacing())
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)

        actions = QHBoxLayout()
        self.zoom_button = QPushButton(tr("Zoom to AOI"))
        self.zoom_button.setObjectName("NadirOrdersZoom")
        self.cancel_button = QPushButton(tr("Cancel order…"))
        self.cancel_button.setObjectName("NadirOrdersCancel")
        self.cancel_reason = QLabel()
        self.cancel_reason.setObjectName("NadirOrdersCancelReason")
        self.cancel_reason.setWordWrap(True)
        actions.addWidget(self.zoom_button)
        actions.addWidget(self.cancel_button)
        actions.addStretch(1)
        # The action rows sit above the table, where nothing changes height with the
        # selection: the explanations below them have room for two lines reserved.
        layout.addLayout(actions)
        self._extensions = QVBoxLayout()  # rows other features add (deliveries' Load/Download/Stream)
        self._extensions.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._extensions)
        self.cancel_reason.setMinimumHeight(2 * self.cancel_reason.fontMetrics().lineSpacing() + 2)
        self.cancel_reason.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.cancel_reason)
        layout.addWidget(splitter, 1)

        self.overlay_controls = OverlayControls(self)
        layout.addWidget(self.overlay_controls)

        self.status_label = QLabel(tr("Orders are checked in the background."))
        self.status_label.setObjectName("NadirOrdersState")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status_label)

        self.provider_combo.currentIndexChanged.connect(self._filters_changed)
        self.status_combo.currentIndexChanged.connect(self._filters_changed)
        self.refresh_button.clicked.connect(self.refresh_requested)
        self.zoom_button.clicked.connect(self._zoom)
        self.cancel_button.clicked.connect(self._cancel)
        self.table.doubleClicked.connect(lambda _index: self._zoom())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self._selected: Optional[OrderKey] = None
        self._update_actions()

    # ------------------------------------------------------------------ setters
    def set_entries(self, entries: list[BookEntry]) -> None:
        self.set_rows(prepare_rows(entries))

    def set_rows(self, rows: PreparedRows) -> None:
        """Show rows made by :func:`.table.prepare_rows`; the selection is kept."""
        selected = self._selected
        self.table.selectionModel().blockSignals(True)
        self.model.set_rows(rows)
        self.table.selectionModel().blockSignals(False)
        self._selected = None
        if selected is not None and self.select(selected):
            entry = self.model.entry(self.model.row_of(selected))
            self.details.setHtml(details_html(entry))
        else:
            self.details.clear()
            self._update_actions()
            if selected is not None:
                self.selection_changed.emit(None)

    def set_status(self, text: str) -> None:
        self.status_label.setText(text)

    def add_extension(self, widget: QWidget) -> None:
        """A row of another feature's controls below the order actions; it follows
        :attr:`selection_changed` and :meth:`selected_key` itself."""
        self._extensions.addWidget(widget)

    def set_busy(self, busy: bool) -> None:
        self.refresh_button.setEnabled(not busy)
        self.refresh_button.setText(tr("Checking…") if busy else tr("Refresh"))

    def set_cancel_state(self, key: Optional[OrderKey], preview: Optional[CancelPreview], reason: str) -> None:
        if key != self._selected:
            return
        if preview is None:
            self.cancel_button.setEnabled(False)
            self.cancel_reason.setText(
                tr("Cannot tell whether this order can be cancelled: {}").format(reason) if reason else ""
            )
            return
        self.cancel_button.setEnabled(preview.allowed)
        self.cancel_button.setToolTip(preview.effect)
        self.cancel_reason.setText(
            preview.effect if not preview.allowed else tr("If cancelled: {}").format(preview.effect)
        )

    # ------------------------------------------------------------------ selection
    def selected_key(self) -> Optional[OrderKey]:
        return self._selected

    def select(self, key: OrderKey) -> bool:
        """Select the row of ``key`` (clearing the filters if they hide it)."""
        row = self.model.row_of(key)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            self.provider_combo.setCurrentIndex(0)
            self.status_combo.setCurrentIndex(0)
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        key = rows[0].data(KEY_ROLE) if rows else None
        self._selected = tuple(key) if key is not None else None  # type: ignore[assignment]
        if self._selected is not None:
            entry = self.model.entry(self.model.row_of(self._selected))
            self.details.setHtml(details_html(entry))
        else:
            self.details.clear()
        self._update_actions()
        self.selection_changed.emit(self._selected)

    def _update_actions(self) -> None:
        selected = self._selected is not None
        order: Optional[Order] = (
            self.model.entry(self.model.row_of(self._selected)).order if self._selected is not None else None
        )
        self.zoom_button.setEnabled(bool(order is not None and order.aoi))
        self.cancel_button.setEnabled(False)  # until the provider's rule is known
        self.cancel_button.setToolTip(tr("Asking the provider's cancellation rule…") if selected else "")
        self.cancel_reason.clear()

    def _filters_changed(self, *_args: object) -> None:
        self.proxy.set_provider(self.provider_combo.currentData() or "")
        self.proxy.set_status(StatusGroup(self.status_combo.currentData()))

    def _zoom(self) -> None:
        if self._selected is not None:
            self.zoom_requested.emit(self._selected)

    def _cancel(self) -> None:
        if self._selected is not None:
            self.cancel_requested.emit(self._selected)
