"""The checkout review: every item, the totals per currency, an explicit
confirmation, then per-item progress and results with Retry. A view: the
:class:`CheckoutPresenter` fills it and reacts to its intent signals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Optional

from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtGui import QBrush, QColor
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...toolbelt.i18n import tr
from ..wheel import guard_wheel

STATUS_COLOURS = {"placed": "#1b7a1b", "failed": "#b00020", "unknown": "#a15c00"}


@dataclass(frozen=True)
class ReviewRow:
    item_id: str
    title: str
    provider: str
    kind: str
    model: str
    schedule: str
    price: str
    included: bool
    status: str  # "", "queued", "sending", "placed", "failed", "unknown", "waiting"
    message: str
    can_retry: bool
    locked: bool  # placed or being placed: inclusion can no longer change


class CheckoutDialog(QDialog):
    include_toggled = pyqtSignal(str, bool)
    confirm_toggled = pyqtSignal(bool)
    place_clicked = pyqtSignal()
    retry_clicked = pyqtSignal(str)

    COLUMNS = ("Order", "Item", "Provider", "Type", "Model & satellites", "Estimate", "Status", "")
    STATUS = 6

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        guard_wheel(self)  # combos and spin boxes: wheel only when focused
        self.setObjectName("NadirCheckoutDialog")
        self.setWindowTitle(tr("Checkout: review and confirm"))
        self.setMinimumSize(1100, 440)
        self._filling = False
        layout = QVBoxLayout(self)
        intro = QLabel(
            tr(
                "Check every item and the totals. Prices are the providers' own estimates; each "
                "provider bills its orders in its own currency."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setObjectName("NadirCheckoutTable")
        self.table.setHorizontalHeaderLabels(
            [
                tr("Order"),
                tr("Item"),
                tr("Provider"),
                tr("Type"),
                tr("Model & satellites"),
                tr("Estimate"),
                tr("Status"),
                "",
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.STATUS, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 300), (4, 190)):  # item (with its schedule), model: wrapped
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, width)
        self.table.itemChanged.connect(self._item_changed)
        layout.addWidget(self.table, 1)

        self.totals_label = QLabel(self)
        self.totals_label.setObjectName("NadirCheckoutTotals")
        self.totals_label.setWordWrap(True)
        layout.addWidget(self.totals_label)
        self.notes_label = QLabel(self)
        self.notes_label.setObjectName("NadirCheckoutNotes")
        self.notes_label.setWordWrap(True)
        layout.addWidget(self.notes_label)
        self.confirm_box = QCheckBox(self)
        self.confirm_box.setObjectName("NadirCheckoutConfirm")
        self.confirm_box.toggled.connect(self._confirm_toggled)
        layout.addWidget(self.confirm_box)
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("NadirCheckoutSummary")
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.place_button = QPushButton(tr("Place orders"), self)
        self.place_button.setObjectName("NadirCheckoutPlace")
        self.place_button.clicked.connect(self.place_clicked)
        self.close_button = QPushButton(tr("Close"), self)
        self.close_button.setObjectName("NadirCheckoutClose")
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.place_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

    # ------------------------------------------------------------------ showing
    def show_rows(self, rows: Sequence[ReviewRow]) -> None:
        self._filling = True
        try:
            self.table.setRowCount(len(rows))
            for index, row in enumerate(rows):
                check = QTableWidgetItem()
                check.setData(Qt.ItemDataRole.UserRole, row.item_id)
                flags = Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
                check.setFlags(flags if not row.locked else Qt.ItemFlag.ItemIsUserCheckable)
                check.setCheckState(Qt.CheckState.Checked if row.included else Qt.CheckState.Unchecked)
                self.table.setItem(index, 0, check)
                status = row.message or row.status
                title = f"{row.title}\n{row.schedule}" if row.schedule and row.schedule != "—" else row.title
                for column, value in enumerate((title, row.provider, row.kind, row.model, row.price, status), start=1):
                    cell = QTableWidgetItem(value)
                    cell.setToolTip(value)
                    if column == self.STATUS:
                        cell.setData(Qt.ItemDataRole.UserRole, row.status)
                        if row.status in STATUS_COLOURS:
                            cell.setForeground(QBrush(QColor(STATUS_COLOURS[row.status])))
                    self.table.setItem(index, column, cell)
                if row.can_retry:
                    button = QPushButton(tr("Retry"), self.table)
                    button.setObjectName(f"NadirCheckoutRetry_{row.item_id}")
                    button.clicked.connect(lambda _=False, item_id=row.item_id: self.retry_clicked.emit(item_id))
                    self.table.setCellWidget(index, self.STATUS + 1, button)
                else:
                    self.table.removeCellWidget(index, self.STATUS + 1)
            self.table.resizeRowsToContents()
        finally:
            self._filling = False

    def show_totals(
        self, totals: str, notes: str, confirm_text: str, confirmed: bool, can_place: bool, place_text: str
    ) -> None:
        """``confirm_text`` empty: nothing is left to confirm (the box is hidden)."""
        self._filling = True
        try:
            self.totals_label.setText(totals)
            self.notes_label.setText(notes)
            self.notes_label.setVisible(bool(notes))
            self.confirm_box.setText(confirm_text)
            self.confirm_box.setChecked(confirmed)
            self.confirm_box.setVisible(bool(confirm_text))
        finally:
            self._filling = False
        self.place_button.setText(place_text)
        self.place_button.setEnabled(can_place)

    def show_summary(self, text: str) -> None:
        self.summary_label.setText(text)

    def row_status(self, item_id: str) -> tuple[str, str]:
        """(status, text) shown for an item, for scripts and tests."""
        for index in range(self.table.rowCount()):
            check = self.table.item(index, 0)
            if check is not None and check.data(Qt.ItemDataRole.UserRole) == item_id:
                cell = self.table.item(index, self.STATUS)
                return str(cell.data(Qt.ItemDataRole.UserRole)), cell.text()
        return "", ""

    def retry_button(self, item_id: str) -> Optional[QPushButton]:
        return self.findChild(QPushButton, f"NadirCheckoutRetry_{item_id}")

    # ------------------------------------------------------------------ intent
    def _item_changed(self, cell: QTableWidgetItem) -> None:
        if self._filling or cell.column() != 0:
            return
        self.include_toggled.emit(str(cell.data(Qt.ItemDataRole.UserRole)), cell.checkState() == Qt.CheckState.Checked)

    def _confirm_toggled(self, checked: bool) -> None:
        if not self._filling:
            self.confirm_toggled.emit(checked)
