"""Table model of the AOI list: chosen for the order (check box), name (editable), area, status."""

from __future__ import annotations

from typing import Any, Optional

from qgis.PyQt.QtCore import QAbstractTableModel, QModelIndex, Qt, pyqtSignal
from qgis.PyQt.QtGui import QBrush, QColor

from ...core.aoi.model import Aoi, Severity
from ...toolbelt.core_text import tr_core
from ...toolbelt.i18n import area, tr

CHOSEN, NAME, AREA, STATUS = range(4)
ID_ROLE = Qt.ItemDataRole.UserRole + 1


def format_area(km2: float) -> str:
    return area(km2)  # one rule for every view (toolbelt.i18n.area)


class AoiTableModel(QAbstractTableModel):
    rename_requested = pyqtSignal(str, str)
    chosen_requested = pyqtSignal(list, bool)

    HEADERS = ("", "Name", "Area", "Status")

    def __init__(self, parent: Optional[Any] = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[Aoi, bool]] = []

    def set_rows(self, rows: list[tuple[Aoi, bool]]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def aoi_at(self, row: int) -> Aoi:
        return self.rows[row][0]

    def row_of(self, aoi_id: str) -> int:
        return next((i for i, (aoi, _) in enumerate(self.rows) if aoi.id == aoi_id), -1)

    # -- Qt model API ---------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ("", tr("Name"), tr("Area"), tr("Status"))[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole and section == CHOSEN:
            return tr("Use in the next order")
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == CHOSEN:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        elif index.column() == NAME:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        aoi, chosen = self.rows[index.row()]
        column = index.column()
        if role == ID_ROLE:
            return aoi.id
        if role == Qt.ItemDataRole.CheckStateRole and column == CHOSEN:
            return Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == NAME:
                return aoi.name
            if column == AREA:
                return format_area(aoi.area_km2)
            if column == STATUS:
                return tr_core(aoi.status_text())
        if role == Qt.ItemDataRole.TextAlignmentRole and column == AREA:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == STATUS:
            if not aoi.valid:
                return QBrush(QColor(180, 0, 0))
            if any(p.severity is Severity.WARNING for p in aoi.problems):
                return QBrush(QColor(170, 100, 0))
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [aoi.name, aoi.source, *[p.text() for p in aoi.problems[:5]]]
            return "\n".join(lines)
        return None

    def setData(self, index: QModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        aoi, _ = self.rows[index.row()]
        if index.column() == CHOSEN and role == Qt.ItemDataRole.CheckStateRole:
            checked = value == Qt.CheckState.Checked or value == 2  # Qt6 views pass the int
            self.chosen_requested.emit([aoi.id], bool(checked))
            return True
        if index.column() == NAME and role == Qt.ItemDataRole.EditRole:
            name = str(value).strip()
            if name and name != aoi.name:
                self.rename_requested.emit(aoi.id, name)
            return True
        return False
