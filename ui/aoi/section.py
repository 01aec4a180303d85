"""The "Areas of interest" dock section: tools, the AOI list, details with fixes, totals.

A passive view (widgets never call providers or start tasks; presenters do): it emits what
the analyst asks for and shows what it is given. The feature wires it to the store and the
presenter.
"""

from __future__ import annotations

import html
from typing import Optional

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QModelIndex, Qt, pyqtSignal
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QAction,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ...core.aoi import rules as aoi_rules
from ...core.aoi.model import Aoi, Code, Fix, Problem, Severity
from ...toolbelt.i18n import number, tr, trn
from .model import AREA, CHOSEN, NAME, STATUS, AoiTableModel, format_area

_COLOURS = {Severity.ERROR: "#b00000", Severity.WARNING: "#a06000", Severity.INFO: "#505050"}


def _icon(name: str) -> QIcon:
    return QgsApplication.getThemeIcon(name)


class AoiSection(QWidget):
    import_file = pyqtSignal()
    paste_text = pyqtSignal()
    from_layer = pyqtSignal()
    zoom_requested = pyqtSignal(list)
    delete_requested = pyqtSignal(list)
    repair_requested = pyqtSignal(str)
    simplify_requested = pyqtSignal(str, int)
    split_requested = pyqtSignal(str)
    accept_preview = pyqtSignal()
    discard_preview = pyqtSignal()
    selection_changed = pyqtSignal(list)
    configure_order = pyqtSignal()  # the chosen AOIs -> the CONFIGURE service

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("NadirAoiSection")
        self.max_areas: dict[str, float] = {}  # account limits learned at run time (set by the feature)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)

        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("NadirAoiToolbar")
        self.rectangle_action = self._action(
            "NadirAoiDrawRectangle",
            "/mActionSelectRectangle.svg",
            tr("Draw a rectangle"),
            tr("Drag a rectangle on the map. Esc cancels."),
            checkable=True,
        )
        self.polygon_action = self._action(
            "NadirAoiDrawPolygon",
            "/mActionCapturePolygon.svg",
            tr("Draw a polygon"),
            tr(
                "Click the corners; right-click or double-click finishes, Backspace "
                "removes the last corner, Esc cancels."
            ),
            checkable=True,
        )
        self.toolbar.addSeparator()
        self.layer_action = self._action(
            "NadirAoiFromLayer",
            "/mIconPolygonLayer.svg",
            tr("From a layer…"),
            tr("Selected or all features of a polygon layer, in any CRS"),
        )
        self.file_action = self._action(
            "NadirAoiImportFile",
            "/mActionFileOpen.svg",
            tr("Import a file…"),
            tr("GeoJSON, JSON, WKT, TXT, KML, zipped shapefile, GeoPackage… You can also drop files on this panel."),
        )
        self.paste_action = self._action(
            "NadirAoiPaste", "/mActionEditPaste.svg", tr("Paste text…"), tr("WKT, GeoJSON or JSON text")
        )
        self.layer_action.triggered.connect(self.from_layer)
        self.file_action.triggered.connect(self.import_file)
        self.paste_action.triggered.connect(self.paste_text)
        layout.addWidget(self.toolbar)

        self.model = AoiTableModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("NadirAoiTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(CHOSEN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(AREA, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(STATUS, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        buttons = QHBoxLayout()
        self.zoom_button = self._button(
            "NadirAoiZoom",
            "/mActionZoomToSelected.svg",
            tr("Zoom to"),
            lambda: self.zoom_requested.emit(self.selected_ids()),
        )
        self.delete_button = self._button(
            "NadirAoiDelete",
            "/mActionDeleteSelected.svg",
            tr("Delete"),
            lambda: self.delete_requested.emit(self.selected_ids()),
        )
        buttons.addWidget(self.zoom_button)
        buttons.addWidget(self.delete_button)
        self.order_button = QPushButton(tr("Configure order…"), self)
        self.order_button.setObjectName("NadirAoiConfigureOrder")
        self.order_button.setToolTip(
            tr("Configure a ClearSKY composite order for the chosen AOIs and add it to the cart.")
        )
        self.order_button.clicked.connect(self.configure_order)
        buttons.addWidget(self.order_button)
        buttons.addStretch(1)
        # on a line of its own, wrapped: a long total never widens the dock
        self.total = QLabel(self)
        self.total.setObjectName("NadirAoiTotal")
        self.total.setWordWrap(True)

        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.table)
        top_layout.addLayout(buttons)
        top_layout.addWidget(self.total)

        bottom = QWidget(self)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        self.details = QTextBrowser(self)
        self.details.setObjectName("NadirAoiDetails")
        self.details.setOpenLinks(False)
        bottom_layout.addWidget(self.details)
        fixes = QHBoxLayout()
        self.repair_button = self._button(
            "NadirAoiRepair", "/mActionCheckGeometry.svg", tr("Repair…"), self._repair_clicked
        )
        self.simplify_button = self._button(
            "NadirAoiSimplify", "/mActionSimplify.svg", tr("Simplify…"), self._simplify_clicked
        )
        self.split_button = self._button("NadirAoiSplit", "/mActionSplitFeatures.svg", tr("Split"), self._split_clicked)
        self.split_button.setToolTip(tr("One AOI per polygon"))
        for button in (self.repair_button, self.simplify_button, self.split_button):
            fixes.addWidget(button)
        fixes.addStretch(1)
        bottom_layout.addLayout(fixes)

        self.preview_bar = QFrame(self)
        self.preview_bar.setObjectName("NadirAoiPreview")
        self.preview_bar.setFrameShape(QFrame.Shape.StyledPanel)
        preview_layout = QVBoxLayout(self.preview_bar)
        self.preview_text = QLabel(self.preview_bar)
        self.preview_text.setWordWrap(True)
        preview_layout.addWidget(self.preview_text)
        preview_buttons = QHBoxLayout()
        self.accept_button = QPushButton(tr("Accept"), self.preview_bar)
        self.accept_button.setObjectName("NadirAoiPreviewAccept")
        self.discard_button = QPushButton(tr("Discard"), self.preview_bar)
        self.discard_button.setObjectName("NadirAoiPreviewDiscard")
        self.accept_button.clicked.connect(self.accept_preview)
        self.discard_button.clicked.connect(self.discard_preview)
        preview_buttons.addStretch(1)
        preview_buttons.addWidget(self.accept_button)
        preview_buttons.addWidget(self.discard_button)
        preview_layout.addLayout(preview_buttons)
        self.preview_bar.hide()
        bottom_layout.addWidget(self.preview_bar)

        self.busy = QProgressBar(self)
        self.busy.setObjectName("NadirAoiBusy")
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(True)
        self.busy.hide()

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setObjectName("NadirAoiSplitter")
        splitter.setChildrenCollapsible(False)  # a pane dragged to 0 px is lost to the user
        table_rows = self.table.verticalHeader().defaultSectionSize()
        self.table.setMinimumHeight(self.table.horizontalHeader().sizeHint().height() + 2 * table_rows)
        self.details.setMinimumHeight(3 * self.details.fontMetrics().lineSpacing())
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter)
        layout.addWidget(self.busy)
        self._budget = 0
        self.set_aois([])

    def _action(self, name: str, icon: str, text: str, tip: str, checkable: bool = False) -> QAction:
        action = QAction(_icon(icon), text, self)
        action.setObjectName(name)
        action.setToolTip(f"{text}\n{tip}")
        action.setCheckable(checkable)
        self.toolbar.addAction(action)
        return action

    def _button(self, name: str, icon: str, text: str, slot: object) -> QPushButton:
        button = QPushButton(_icon(icon), text, self)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    # -- showing --------------------------------------------------------------------
    def set_aois(self, rows: list[tuple[Aoi, bool]]) -> None:
        keep = self.selected_ids()
        self.model.set_rows(rows)
        self.select(keep)
        total = sum(a.area_km2 for a, _ in rows)
        chosen = [a for a, use in rows if use and a.valid]
        self.total.setText(
            tr("{aois}, {area} · for order: {c}, {carea}").format(
                aois=trn("%n AOI(s)", len(rows)),
                area=format_area(total),
                c=number(len(chosen)),
                carea=format_area(sum(a.area_km2 for a in chosen)),
            )
        )
        self._selection_changed()

    def selected_ids(self) -> list[str]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.aoi_at(row).id for row in rows if row < len(self.model.rows)]

    def select(self, aoi_ids: list[str]) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        for aoi_id in aoi_ids:
            row = self.model.row_of(aoi_id)
            if row >= 0:
                selection.select(
                    self.model.index(row, 0),
                    selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
                )

    def set_busy(self, text: str) -> None:
        self.busy.setFormat(text)
        self.busy.setVisible(bool(text))

    def show_preview(self, text: str) -> None:
        self.preview_text.setText(text)
        self.preview_bar.show()
        for button in (self.repair_button, self.simplify_button, self.split_button):
            button.setEnabled(False)

    def hide_preview(self) -> None:
        self.preview_bar.hide()
        self._selection_changed()

    # -- reacting -------------------------------------------------------------------
    def _double_clicked(self, index: QModelIndex) -> None:
        if index.column() in (AREA, STATUS):  # the name column edits on double-click
            self.zoom_requested.emit(self.selected_ids())

    def _selected_aoi(self) -> Optional[Aoi]:
        ids = self.selected_ids()
        if len(ids) != 1:
            return None
        row = self.model.row_of(ids[0])
        return self.model.aoi_at(row) if row >= 0 else None

    def _selection_changed(self, *args: object) -> None:
        ids = self.selected_ids()
        self.zoom_button.setEnabled(bool(ids))
        self.delete_button.setEnabled(bool(ids))
        aoi = self._selected_aoi()
        previewing = self.preview_bar.isVisible()
        if aoi is None:
            self.details.setHtml(
                tr("<p>Select an AOI to see its checks.</p>")
                if self.model.rows
                else tr(
                    "<p><b>No areas of interest yet.</b></p><p>Draw a rectangle or polygon on the map, take features "
                    "of a polygon layer, import a file or paste WKT/GeoJSON with the buttons above. Files can also "
                    "be dropped on this panel.</p>"
                )
            )
            for button in (self.repair_button, self.simplify_button, self.split_button):
                button.setEnabled(False)
        else:
            checks = aoi_rules.check_all(aoi, self.max_areas)
            self.details.setHtml(details_html(aoi, checks))
            budgets = [
                aoi_rules.RULES[p].max_vertices
                for p, problems in checks.items()
                if any(x.code == Code.TOO_MANY_VERTICES for x in problems)
            ]
            self._budget = min(b for b in budgets if b) if budgets else 0
            self.repair_button.setEnabled(not previewing and Fix.REPAIR in aoi.fixes)
            self.simplify_button.setEnabled(not previewing and self._budget > 0 and aoi.valid)
            if self._budget:
                budget = trn("%n (vertex|vertices)", self._budget)
                self.simplify_button.setToolTip(tr("Simplify to at most {}").format(budget))
            self.split_button.setEnabled(not previewing and aoi.polygon_count > 1)
        self.selection_changed.emit(ids)

    def _repair_clicked(self) -> None:
        aoi = self._selected_aoi()
        if aoi is not None:
            self.repair_requested.emit(aoi.id)

    def _simplify_clicked(self) -> None:
        aoi = self._selected_aoi()
        if aoi is not None and self._budget:
            self.simplify_requested.emit(aoi.id, self._budget)

    def _split_clicked(self) -> None:
        aoi = self._selected_aoi()
        if aoi is not None:
            self.split_requested.emit(aoi.id)


def _problem_html(problem: Problem) -> str:
    colour = _COLOURS[problem.severity]
    return f"<li style='color:{colour}'>{html.escape(problem.text())}</li>"


def details_html(aoi: Aoi, checks: dict[str, list[Problem]]) -> str:
    """The checks of one AOI: its own problems, then each provider's verdict."""
    parts = [
        f"<p><b>{html.escape(aoi.name)}</b><br/><small>{html.escape(aoi.source)}</small><br/>",
        tr("{area} (geodesic, WGS84) · {p} · {v}").format(
            area=format_area(aoi.area_km2),
            p=trn("%n polygon(s)", aoi.polygon_count),
            v=trn("%n (vertex|vertices)", aoi.vertex_count),
        ),
        "</p>",
    ]
    if aoi.problems:
        parts.append("<ul>" + "".join(_problem_html(p) for p in aoi.problems) + "</ul>")
    else:
        valid = html.escape(tr("Valid."))
        parts.append(f"<p style='color:#206020'>{valid}</p>")
    rows = []
    for provider, problems in checks.items():
        title = html.escape(aoi_rules.RULES[provider].title)
        if not aoi.valid:
            repair = html.escape(tr("repair it first"))
            verdict = f"<span style='color:#b00000'>{repair}</span>"
        elif not problems:
            accepted = html.escape(tr("accepted"))
            verdict = f"<span style='color:#206020'>{accepted}</span>"
        else:
            verdict = "<ul>" + "".join(_problem_html(p) for p in problems) + "</ul>"
        rows.append(f"<tr><td valign='top'><b>{title}</b></td><td>{verdict}</td></tr>")
    parts.append("<table cellspacing='4'>" + "".join(rows) + "</table>")
    return "".join(parts)
