"""The search results as a table: one row per capture, sortable and filterable.

:class:`ResultsModel` holds the captures in arrival order (rows are appended per batch
with one ``beginInsertRows``); :class:`ResultsFilter` sorts by the raw values (dates as
dates, numbers as numbers) and keeps the rows whose text contains the filter words.
Column 0 shows the quicklook thumbnail once a loader provides it
(:meth:`ResultsModel.set_thumbnail_source`, :meth:`ResultsModel.thumbnail_ready`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Callable, Optional

from qgis.PyQt.QtCore import QAbstractTableModel, QModelIndex, QObject, QSortFilterProxyModel, Qt
from qgis.PyQt.QtGui import QPixmap

from ...core.models import Capture
from ...core.provider_info import PROVIDERS
from ...core.search.results import capture_key, price_text
from ...toolbelt.i18n import tr

#: the value a column sorts by: raw numbers and datetimes, not their text
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2

COLUMNS = ("quicklook", "provider", "collection", "acquired", "cloud", "incidence", "gsd", "aoi_pct", "price")


def _number(value: Optional[float], unit: str, digits: int = 1) -> str:
    return "" if value is None else f"{value:.{digits}f}{unit}"


class ResultsModel(QAbstractTableModel):
    def __init__(self, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[Capture, Optional[float]]] = []
        self._row_of: dict[str, int] = {}
        self._thumbnail: Callable[[str], Optional[QPixmap]] = lambda key: None

    # ------------------------------------------------------------------ content
    def clear(self) -> None:
        self.beginResetModel()
        self._rows.clear()
        self._row_of.clear()
        self.endResetModel()

    def append(self, captures: Sequence[Capture], coverage: Sequence[Optional[float]]) -> int:
        fresh = [(c, s) for c, s in zip(captures, coverage) if capture_key(c) not in self._row_of]
        if not fresh:
            return 0
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        for capture, share in fresh:
            self._row_of[capture_key(capture)] = len(self._rows)
            self._rows.append((capture, share))
        self.endInsertRows()
        return len(fresh)

    def capture(self, row: int) -> Capture:
        return self._rows[row][0]

    def captures(self, keys: Sequence[str]) -> list[Capture]:
        return [self._rows[self._row_of[k]][0] for k in keys if k in self._row_of]

    def row_of(self, key: str) -> Optional[int]:
        return self._row_of.get(key)

    # ------------------------------------------------------------------ thumbnails
    def set_thumbnail_source(self, source: Callable[[str], Optional[QPixmap]]) -> None:
        self._thumbnail = source

    def thumbnail_ready(self, key: str) -> None:
        row = self._row_of.get(key)
        if row is not None:
            index = self.index(row, 0)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

    # ------------------------------------------------------------------ Qt model
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            "quicklook": "", "provider": tr("Provider"), "collection": tr("Collection"), "acquired": tr("Acquired"),
            "cloud": tr("Cloud"), "incidence": tr("Incidence"), "gsd": tr("GSD"), "aoi_pct": tr("% of AOI"),
            "price": tr("Price"),
        }[COLUMNS[section]]

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        capture, share = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == KEY_ROLE:
            return capture_key(capture)
        if role == Qt.ItemDataRole.DecorationRole and column == "quicklook":
            return self._thumbnail(capture_key(capture))
        if role == SORT_ROLE:
            return self._sort_value(capture, share, column)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(capture, share, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{capture.id}\n{capture.host or ''}".strip()
        return None

    @staticmethod
    def _text(capture: Capture, share: Optional[float], column: str) -> str:
        info = PROVIDERS.get(capture.provider)
        return {
            "quicklook": "",
            "provider": info.title if info else capture.provider,
            "collection": capture.collection or capture.constellation,
            "acquired": capture.acquired.strftime("%Y-%m-%d %H:%M") if capture.acquired else "",
            "cloud": _number(capture.cloud_cover, " %"),
            "incidence": _number(capture.incidence_angle, "°"),
            "gsd": _number(capture.gsd, " m", 2),
            "aoi_pct": _number(share, " %"),
            "price": price_text(capture),
        }[column]

    @staticmethod
    def _sort_value(capture: Capture, share: Optional[float], column: str) -> Any:
        numbers = {"cloud": capture.cloud_cover, "incidence": capture.incidence_angle, "gsd": capture.gsd,
                   "aoi_pct": share}
        if column in numbers:
            value = numbers[column]
            return float("inf") if value is None else float(value)  # unknown values sort last
        if column == "acquired":
            return capture.acquired.timestamp() if capture.acquired else float("-inf")
        return ResultsModel._text(capture, share, column).lower()


class ResultsFilter(QSortFilterProxyModel):
    """Sort by raw values; keep rows whose text (every column, the capture id and host)
    contains every word of the filter."""

    def __init__(self, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._words: list[str] = []

    def set_words(self, text: str) -> None:
        self._words = [w for w in text.lower().split() if w]
        self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        if not self._words:
            return True
        model = self.sourceModel()
        if not isinstance(model, ResultsModel):
            return True
        capture = model.capture(source_row)
        texts = [str(model.data(model.index(source_row, c)) or "") for c in range(1, len(COLUMNS))]
        haystack = " ".join([*texts, capture.id, capture.host or "", capture.constellation]).lower()
        return all(word in haystack for word in self._words)

    def lessThan(self, left: QModelIndex, right: QModelIndex) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)
