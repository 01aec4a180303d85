"""The Search tab: what to search for, and the results as a table beside the map layer.

The section is a view: it reads the form into a :class:`SearchRequest` and shows what
the presenter says (status, a problem next to its field, running or not); the
presenter runs the search and fills the layer and the table.
"""

from __future__ import annotations

from datetime import datetime, time, timezone
from typing import Optional

from qgis.PyQt.QtCore import QDate, QItemSelection, QItemSelectionModel, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core.models import GeoJSON, SearchSource
from ...core.provider_info import PROVIDERS
from ...toolbelt.i18n import tr
from .presenter import ARCHIVE_PROVIDERS, SearchRequest
from .table import COLUMNS, KEY_ROLE, ResultsFilter, ResultsModel

#: AOI choices that are not a stored AOI
VIEW_EXTENT = "@view"
SELECTED_FEATURES = "@selection"
NO_LIMIT = 100_000


class SearchSection(QWidget):
    search_requested = pyqtSignal()
    stop_requested = pyqtSignal()
    add_to_cart = pyqtSignal()
    zoom_requested = pyqtSignal()
    drape_requested = pyqtSignal()
    #: the rows shown in the table changed (scrolled, filtered, sorted, new rows)
    rows_shown = pyqtSignal()
    #: keys of the rows the user selected in the table
    rows_selected = pyqtSignal(list)

    def __init__(self, model: ResultsModel, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("NadirSearchSection")
        self._syncing = False
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)

        row = QHBoxLayout()
        self.provider_boxes: dict[str, QCheckBox] = {}
        for provider in ARCHIVE_PROVIDERS:
            box = QCheckBox(PROVIDERS[provider].title)
            box.setObjectName(f"NadirSearchProvider_{provider}")
            box.setChecked(True)
            self.provider_boxes[provider] = box
            row.addWidget(box)
        row.addStretch(1)
        form.addRow(tr("Providers"), row)
        self.providers_problem = self._problem_label(form)

        self.aoi_combo = QComboBox()
        self.aoi_combo.setObjectName("NadirSearchAoi")
        form.addRow(tr("Where"), self.aoi_combo)
        self.aoi_problem = self._problem_label(form)

        dates = QHBoxLayout()
        today = QDate.currentDate()
        self.start_edit = QDateEdit(today.addYears(-2))
        self.end_edit = QDateEdit(today)
        for edit in (self.start_edit, self.end_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            dates.addWidget(edit)
        self.start_edit.setObjectName("NadirSearchStart")
        self.end_edit.setObjectName("NadirSearchEnd")
        form.addRow(tr("Acquired from / to"), dates)
        self.dates_problem = self._problem_label(form)

        self.cloud_spin = QSpinBox()
        self.cloud_spin.setRange(0, 100)
        self.cloud_spin.setValue(30)
        self.cloud_spin.setSuffix(" %")
        self.cloud_spin.setObjectName("NadirSearchCloud")
        form.addRow(tr("Max cloud cover"), self.cloud_spin)
        self.cloud_problem = self._problem_label(form)
        self.incidence_spin = QSpinBox()
        self.incidence_spin.setRange(0, 90)
        self.incidence_spin.setValue(40)
        self.incidence_spin.setSuffix("°")
        self.incidence_spin.setObjectName("NadirSearchIncidence")
        form.addRow(tr("Max incidence angle"), self.incidence_spin)
        self.incidence_problem = self._problem_label(form)

        self.collection_combo = QComboBox()
        self.collection_combo.setObjectName("NadirSearchUp42Collection")
        self.collection_combo.setToolTip(tr("UP42 searches one collection on one host; the list comes from UP42."))
        self.collection_combo.addItem(tr("Loading UP42 collections…"), None)
        for combo in (self.aoi_combo, self.collection_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
        form.addRow(tr("UP42 collection"), self.collection_combo)
        self.collections_problem = self._problem_label(form)
        self.host_problem = self.collections_problem

        self.limit_spin = QSpinBox()
        self.limit_spin.setRange(1, NO_LIMIT)
        self.limit_spin.setValue(500)
        self.limit_spin.setObjectName("NadirSearchLimit")
        self.limit_spin.setToolTip(tr("The most captures to read from each provider."))
        form.addRow(tr("At most, per provider"), self.limit_spin)
        self.limit_problem = self._problem_label(form)

        buttons = QHBoxLayout()
        self.search_button = QPushButton(tr("Search"))
        self.search_button.setObjectName("NadirSearchButton")
        self.stop_button = QPushButton(tr("Stop"))
        self.stop_button.setObjectName("NadirSearchStop")
        self.stop_button.setEnabled(False)
        buttons.addWidget(self.search_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.status = QLabel()
        self.status.setObjectName("NadirSearchStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("NadirSearchFilter")
        self.filter_edit.setPlaceholderText(tr("Filter results (provider, collection, date, id…)"))
        self.filter_edit.setClearButtonEnabled(True)
        layout.addWidget(self.filter_edit)
        self.proxy = ResultsFilter(self)
        self.proxy.setSourceModel(model)
        self.table = QTableView()
        self.table.setObjectName("NadirSearchResults")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        # newest first, whichever provider they come from (the header would otherwise point
        # at the quicklook column and leave the rows in arrival order)
        self.table.sortByColumn(COLUMNS.index("acquired"), Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 40)
        self.table.setMinimumHeight(160)
        layout.addWidget(self.table, 1)
        actions = QHBoxLayout()
        self.zoom_button = QPushButton(tr("Zoom to selection"))
        self.zoom_button.setObjectName("NadirSearchZoom")
        self.drape_button = QPushButton(tr("Quicklook on map"))
        self.drape_button.setObjectName("NadirSearchDrape")
        self.drape_button.setToolTip(tr("Show the quicklook of each selected capture on its footprint (at most 20)"))
        self.cart_button = QPushButton(tr("Add to cart…"))
        self.cart_button.setObjectName("NadirSearchAddToCart")
        self.selected_label = QLabel()
        for widget in (self.zoom_button, self.drape_button, self.cart_button):
            widget.setEnabled(False)
            actions.addWidget(widget)
        actions.addWidget(self.selected_label, 1)
        layout.addLayout(actions)

        self.search_button.clicked.connect(self.search_requested)
        self.stop_button.clicked.connect(self.stop_requested)
        self.cart_button.clicked.connect(self.add_to_cart)
        self.zoom_button.clicked.connect(self.zoom_requested)
        self.drape_button.clicked.connect(self.drape_requested)
        self.table.verticalScrollBar().valueChanged.connect(lambda _v: self.rows_shown.emit())
        for signal in (self.proxy.rowsInserted, self.proxy.layoutChanged, self.proxy.modelReset):
            signal.connect(lambda *_a: self.rows_shown.emit())
        self.table.verticalHeader().setDefaultSectionSize(34)  # room for a 32 px quicklook
        self.filter_edit.textChanged.connect(self.proxy.set_words)
        self.table.selectionModel().selectionChanged.connect(self._table_selected)
        self.cart_enabled = True

    @staticmethod
    def _problem_label(form: QFormLayout) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setStyleSheet("color: #b91c1c")
        label.hide()
        form.addRow("", label)
        return label

    # ------------------------------------------------------------------ the form
    def set_aoi_choices(self, aois: list[tuple[str, str]]) -> None:
        """(id, name) of the stored AOIs; the view extent and the selection come first."""
        current = self.aoi_combo.currentData()
        self.aoi_combo.blockSignals(True)
        self.aoi_combo.clear()
        for aoi_id, name in aois:
            self.aoi_combo.addItem(tr("AOI: {}").format(name), aoi_id)
        self.aoi_combo.addItem(tr("Selected features of the active layer"), SELECTED_FEATURES)
        self.aoi_combo.addItem(tr("Map view extent"), VIEW_EXTENT)
        index = self.aoi_combo.findData(current)
        self.aoi_combo.setCurrentIndex(index if index >= 0 else 0)
        self.aoi_combo.blockSignals(False)

    def set_sources(self, sources: list[SearchSource]) -> None:
        self.collection_combo.clear()
        for source in sources:
            self.collection_combo.addItem(f"{source.title} ({source.host})", source)
        if not sources:
            self.collection_combo.addItem(tr("UP42 offers no archive collection"), None)

    def set_enabled_providers(self, enabled: dict[str, str]) -> None:
        """provider -> "" when it can be searched, else why not (shown as its tooltip)."""
        for provider, box in self.provider_boxes.items():
            reason = enabled.get(provider, "")
            box.setEnabled(not reason)
            box.setToolTip(reason)
            if reason:
                box.setChecked(False)

    def aoi_choice(self) -> Optional[str]:
        return self.aoi_combo.currentData()

    def request(self, aoi: Optional[GeoJSON], label: str = "") -> SearchRequest:
        providers = tuple(p for p, box in self.provider_boxes.items() if box.isChecked() and box.isEnabled())
        start, end = self.start_edit.date().toPyDate(), self.end_edit.date().toPyDate()
        source = self.collection_combo.currentData()
        return SearchRequest(
            providers=providers,
            aoi=aoi,
            start=datetime.combine(start, time.min, tzinfo=timezone.utc),
            end=datetime.combine(end, time.max, tzinfo=timezone.utc),
            max_cloud=float(self.cloud_spin.value()),
            max_incidence=float(self.incidence_spin.value()),
            limit=int(self.limit_spin.value()),
            up42_source=source if isinstance(source, SearchSource) else None,
            aoi_label=label,
        )

    # ------------------------------------------------------------------ what the presenter says
    def show_status(self, text: str) -> None:
        self.status.setText(text)

    def show_problem(self, field: str, message: str) -> None:
        """A message next to the field it is about; ("", "") clears every field."""
        labels = {
            "providers": self.providers_problem,
            "aoi": self.aoi_problem,
            "dates": self.dates_problem,
            "cloud": self.cloud_problem,
            "incidence": self.incidence_problem,
            "collections": self.collections_problem,
            "host": self.host_problem,
            "limit": self.limit_problem,
        }
        if not field:
            for label in labels.values():
                label.clear()
                label.hide()
            return
        label = labels.get(field)
        if label is not None:
            label.setText(message)
            label.show()

    def set_running(self, running: bool) -> None:
        self.search_button.setEnabled(not running)
        self.stop_button.setEnabled(running)

    def shown_keys(self) -> list[str]:
        """Keys of the rows visible in the table now (their quicklooks load first)."""
        first = self.table.rowAt(0)
        if first < 0:
            return []
        last = self.table.rowAt(self.table.viewport().height() - 1)
        last = self.proxy.rowCount() - 1 if last < 0 else last
        return [str(self.proxy.data(self.proxy.index(row, 0), KEY_ROLE)) for row in range(first, last + 1)]

    # ------------------------------------------------------------------ selection
    def selected_keys(self) -> list[str]:
        rows = self.table.selectionModel().selectedRows()
        return [str(self.proxy.data(index, KEY_ROLE)) for index in rows]

    def select_keys(self, keys: list[str]) -> None:
        """Select these rows (from the map) without echoing back."""
        model = self.proxy.sourceModel()
        if not isinstance(model, ResultsModel):
            return
        selection = QItemSelection()
        for key in keys:
            row = model.row_of(key)
            if row is None:
                continue
            index = self.proxy.mapFromSource(model.index(row, 0))
            if index.isValid():
                selection.select(index, index)
        self._syncing = True
        try:
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            self.table.selectionModel().select(selection, flags)
            if keys and not selection.isEmpty():
                self.table.scrollTo(selection.indexes()[0])
        finally:
            self._syncing = False
        self._selection_shown()

    def _table_selected(self, *_args: object) -> None:
        self._selection_shown()
        if not self._syncing:
            self.rows_selected.emit(self.selected_keys())

    def _selection_shown(self) -> None:
        count = len(self.table.selectionModel().selectedRows())
        self.zoom_button.setEnabled(count > 0)
        self.drape_button.setEnabled(count > 0)
        self.cart_button.setEnabled(count > 0 and self.cart_enabled)
        self.selected_label.setText(tr("{} selected").format(count) if count else "")
