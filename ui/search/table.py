"""The search results as a table: one row per capture, sortable and filterable.

:class:`ResultsModel` holds the captures in arrival order (rows are appended per batch
with one ``beginInsertRows``); :class:`ResultsFilter` sorts by the raw values (dates as
dates, numbers as numbers) and keeps the rows whose text contains the filter words.
Column 0 shows the quicklook thumbnail once a loader provides it
(:meth:`ResultsModel.set_thumbnail_source`, :meth:`ResultsModel.thumbnail_ready`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Callable, Optional

from qgis.PyQt.QtCore import QAbstractTableModel, QModelIndex, QObject, QRegularExpression, QSortFilterProxyModel, Qt
from qgis.PyQt.QtGui import QPixmap

from ...core.models import Capture
from ...core.provider_info import PROVIDERS
from ...core.search.results import capture_key, price_text
from ...toolbelt.i18n import tr

#: the value a column sorts by: raw numbers and datetimes, not their text
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2
#: all of a row's text in lower case, what the filter box matches
FILTER_ROLE = Qt.ItemDataRole.UserRole + 3

COLUMNS = ("quicklook", "provider", "collection", "acquired", "cloud", "incidence", "gsd", "aoi_pct", "price")


def _number(value: Optional[float], unit: str, digits: int = 1) -> str:
    return "" if value is None else f"{value:.{digits}f}{unit}"


class ResultsModel(QAbstractTableModel):
    def __init__(self, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[Capture, Optional[float]]] = []
        self._keys: list[str] = []
        self._row_of: dict[str, int] = {}
        #: each row's value in the sorted column (empty while unsorted): computed once per row
        self._order: list[tuple[int, Any]] = []
        self._thumbnail: Callable[[str], Optional[QPixmap]] = lambda key: None
        self._sorted: Optional[tuple[int, Qt.SortOrder]] = None

    # ------------------------------------------------------------------ content
    def clear(self) -> None:
        self.beginResetModel()
        self._rows.clear()
        self._keys.clear()
        self._row_of.clear()
        self._order.clear()
        self.endResetModel()

    def append(self, captures: Sequence[Capture], coverage: Sequence[Optional[float]]) -> int:
        """Add a batch; while the table is sorted the new rows take their place at once
        (appended, then one layout change that moves them), so results stream in sorted."""
        fresh: list[tuple[str, Capture, Optional[float]]] = []
        seen: set[str] = set()
        for capture, share in zip(captures, coverage):
            key = capture_key(capture)
            if key not in self._row_of and key not in seen:
                seen.add(key)
                fresh.append((key, capture, share))
        if not fresh:
            return 0
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        for key, capture, share in fresh:
            self._row_of[key] = len(self._rows)
            self._rows.append((capture, share))
            self._keys.append(key)
        column = self._sort_column()
        if column is not None:
            self._order.extend(_sort_key(capture, share, column) for _, capture, share in fresh)
        self.endInsertRows()
        if column is not None:
            self._reorder()
        return len(fresh)

    # ------------------------------------------------------------------ sorting
    def _sort_column(self) -> Optional[str]:
        if self._sorted is None or not 0 <= self._sorted[0] < len(COLUMNS):
            return None
        return COLUMNS[self._sorted[0]]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows in Python (one key per row, kept for the rows that arrive later:
        10,000 rows in milliseconds, where a proxy comparing through ``data()`` takes a
        second); selections follow their rows."""
        same_column = self._sorted is not None and self._sorted[0] == column
        self._sorted = (column, order)
        name = self._sort_column()
        if name is None:
            self._order = []
            return
        if not same_column or len(self._order) != len(self._rows):
            self._order = [_sort_key(capture, share, name) for capture, share in self._rows]
        self._reorder()

    def _reorder(self) -> None:
        """Put the rows in the order of their sort values (stable: equal values keep their
        arrival order); one layout change, none when nothing moves."""
        assert self._sorted is not None
        count = len(self._rows)
        keyed = sorted(
            range(count), key=self._order.__getitem__, reverse=self._sorted[1] == Qt.SortOrder.DescendingOrder
        )
        if all(new == old for new, old in enumerate(keyed)):
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        new_row = [0] * count
        for new, old_row in enumerate(keyed):
            new_row[old_row] = new
        self._rows = [self._rows[r] for r in keyed]
        self._keys = [self._keys[r] for r in keyed]
        self._order = [self._order[r] for r in keyed]
        self._row_of = dict(zip(self._keys, range(count)))
        self.changePersistentIndexList(old, [self.index(new_row[i.row()], i.column()) for i in old])
        self.layoutChanged.emit()

    def sort_again(self) -> None:
        """Re-apply the last sort (a no-op when every row is in place already)."""
        if self._sorted is not None:
            self.sort(*self._sorted)

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
            "quicklook": "",
            "provider": tr("Provider"),
            "collection": tr("Collection"),
            "acquired": tr("Acquired"),
            "cloud": tr("Cloud"),
            "incidence": tr("Incidence"),
            "gsd": tr("GSD"),
            "aoi_pct": tr("% of AOI"),
            "price": tr("Price"),
        }[COLUMNS[section]]

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        capture, share = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == KEY_ROLE:
            return self._keys[index.row()]
        if role == FILTER_ROLE:
            texts = [self._text(capture, share, c) for c in COLUMNS[1:]]
            return " ".join([*texts, capture.id, capture.host or "", capture.constellation]).lower()
        if role == Qt.ItemDataRole.DecorationRole and column == "quicklook":
            return self._thumbnail(self._keys[index.row()])
        if role == SORT_ROLE:
            missing, value = _sort_key(capture, share, column)
            return None if missing else value
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(capture, share, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{capture.id}\n{capture.host or ''}".strip()
        return None

    @staticmethod
    def _text(capture: Capture, share: Optional[float], column: str) -> str:
        """One cell's text (only that one: the table asks for thousands while it paints)."""
        if column == "provider":
            info = PROVIDERS.get(capture.provider)
            return info.title if info else capture.provider
        if column == "collection":
            return capture.collection or capture.constellation
        if column == "acquired":
            when = capture.acquired
            # formatted by hand: strftime imports ``time`` on every call (slow inside QGIS)
            return f"{when.year:04d}-{when.month:02d}-{when.day:02d} {when.hour:02d}:{when.minute:02d}" if when else ""
        if column in _NUMBERS:
            value = share if column == "aoi_pct" else getattr(capture, _NUMBERS[column])
            return _number(value, *_UNITS[column])
        if column == "price":
            return price_text(capture)
        return ""


#: numeric columns and the capture attribute each shows
_NUMBERS = {"cloud": "cloud_cover", "incidence": "incidence_angle", "gsd": "gsd", "aoi_pct": ""}
#: their unit and digits as shown
_UNITS: dict[str, tuple[str, int]] = {"cloud": (" %", 1), "incidence": ("°", 1), "gsd": (" m", 2), "aoi_pct": (" %", 1)}


def _sort_key(capture: Capture, share: Optional[float], column: str) -> tuple[int, Any]:
    """(missing, value): unknown values group together after the known ones (ascending)."""
    if column in _NUMBERS:
        value = share if column == "aoi_pct" else getattr(capture, _NUMBERS[column])
        return (1, 0.0) if value is None else (0, float(value))
    if column == "acquired":
        return (0, capture.acquired.timestamp()) if capture.acquired else (1, 0.0)
    return (0, ResultsModel._text(capture, share, column).lower())


class ResultsFilter(QSortFilterProxyModel):
    """Keep rows whose text (every column, the capture id and host) contains every word of
    the filter; sorting is the source model's (:meth:`ResultsModel.sort`).

    The words become one regular expression matched by Qt against :data:`FILTER_ROLE`, so
    without a filter no row costs a Python call (10,000 rows arrive without a stall)."""

    def __init__(self, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(False)
        self.setFilterRole(FILTER_ROLE)
        self.setFilterKeyColumn(0)
        self._words: list[str] = []

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        if isinstance(model, ResultsModel):
            model.sort(column, order)
        else:
            super().sort(column, order)

    def set_words(self, text: str) -> None:
        self._words = [w for w in text.lower().split() if w]
        pattern = "".join(f"(?=.*{re.escape(word)})" for word in self._words)
        self.setFilterRegularExpression(
            QRegularExpression(
                f"^{pattern}" if pattern else "", QRegularExpression.PatternOption.DotMatchesEverythingOption
            )
        )
