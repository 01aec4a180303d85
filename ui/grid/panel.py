"""The "Tile grid" dock section: grid on/off, zoom hint, zone switches, selection summary,
"select cells covering an AOI" with the coverage ratio, clear, and the selection tool.

A passive view: it emits what the analyst asks for and shows what it is given.
"""

from __future__ import annotations

from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core.grid.zones import zone_label
from ...toolbelt.i18n import tr


class GridPanel(QWidget):
    grid_toggled = pyqtSignal(bool)
    tool_toggled = pyqtSignal(bool)
    zone_toggled = pyqtSignal(int, bool)  # EPSG, enabled
    clear_requested = pyqtSignal()
    cover_requested = pyqtSignal(str, str)  # AOI source key, level ("tile" or "minitile")
    configure_order = pyqtSignal()  # the selected cells -> the CONFIGURE service

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NadirGridPanel")
        layout = QVBoxLayout(self)

        intro = QLabel(
            tr(
                "Pick ClearSKY tiles and minitiles on your own maps. Click a tile to select it, "
                "right-click it to split it into minitiles."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        row = QHBoxLayout()
        self.show_grid = QCheckBox(tr("Show the tile grid"))
        self.show_grid.setObjectName("NadirGridShow")
        self.show_grid.toggled.connect(self.grid_toggled)
        self.tool_button = QPushButton(tr("Select cells on the map"))
        self.tool_button.setObjectName("NadirGridTool")
        self.tool_button.setCheckable(True)
        self.tool_button.setToolTip(
            tr(
                "Click: select or unselect. Right-click a tile: split it into minitiles. "
                "Right-click a minitile: merge it back."
            )
        )
        self.tool_button.toggled.connect(self.tool_toggled)
        row.addWidget(self.show_grid)
        row.addWidget(self.tool_button)
        layout.addLayout(row)

        self.hint = QLabel()
        self.hint.setObjectName("NadirGridHint")
        self.hint.setWordWrap(True)
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        # two lines kept for it, shown or not: the boxes below stay put while zooming
        self.hint.setMinimumHeight(2 * self.hint.fontMetrics().lineSpacing() + 2)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.hint)

        zones_box = QGroupBox(tr("UTM zones in view"))
        zones_box.setToolTip(
            tr(
                "Switch a zone off to tell its tiles from the overlapping tiles of the next zone. "
                "Cells of a switched-off zone cannot be selected and are not ordered."
            )
        )
        self.zones_layout = QHBoxLayout(zones_box)
        self.zones_layout.setObjectName("NadirGridZones")
        self.no_zones = QLabel(tr("none"))
        self.zones_layout.addWidget(self.no_zones)
        self.zones_layout.addStretch(1)
        self.zone_buttons: dict[int, QToolButton] = {}
        layout.addWidget(zones_box)

        selection_box = QGroupBox(tr("Selection"))
        selection_layout = QHBoxLayout(selection_box)
        self.summary = QLabel()
        self.summary.setObjectName("NadirGridSummary")
        self.summary.setWordWrap(True)
        self.clear_button = QPushButton(tr("Clear"))
        self.clear_button.setObjectName("NadirGridClear")
        self.clear_button.clicked.connect(self.clear_requested)
        self.order_button = QPushButton(tr("Configure order…"))
        self.order_button.setObjectName("NadirGridConfigureOrder")
        self.order_button.setToolTip(
            tr("Configure a ClearSKY tile order for the selected cells and add it to the cart.")
        )
        self.order_button.clicked.connect(self.configure_order)
        selection_layout.addWidget(self.summary, 1)
        selection_layout.addWidget(self.order_button)
        selection_layout.addWidget(self.clear_button)
        layout.addWidget(selection_box)

        cover_box = QGroupBox(tr("Select cells covering an AOI"))
        grid = QGridLayout(cover_box)
        self.aoi_source = QComboBox()
        self.aoi_source.setObjectName("NadirGridAoiSource")
        # long AOI names are elided, never widen the dock
        self.aoi_source.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.aoi_source.setMinimumContentsLength(12)
        self.level = QComboBox()
        self.level.setObjectName("NadirGridLevel")
        self.level.addItem(tr("Tiles"), "tile")
        self.level.addItem(tr("Minitiles"), "minitile")
        self.cover_button = QPushButton(tr("Select covering cells"))
        self.cover_button.setObjectName("NadirGridCover")
        self.cover_button.clicked.connect(self._cover_clicked)
        self.ratio = QLabel()
        self.ratio.setObjectName("NadirGridRatio")
        self.ratio.setWordWrap(True)
        self.ratio.setToolTip(
            tr(
                "Tile orders bill the selected cells, not the AOI: the ratio is the cells' "
                "area divided by the AOI's area."
            )
        )
        grid.addWidget(QLabel(tr("AOI")), 0, 0)
        grid.addWidget(self.aoi_source, 0, 1)
        grid.addWidget(QLabel(tr("Level")), 1, 0)
        grid.addWidget(self.level, 1, 1)
        grid.addWidget(self.cover_button, 2, 0, 1, 2)
        grid.addWidget(self.ratio, 3, 0, 1, 2)
        layout.addWidget(cover_box)
        layout.addStretch(1)
        self.set_zones([])

    # -- setters ------------------------------------------------------------------------
    def set_grid_shown(self, shown: bool) -> None:
        self.show_grid.blockSignals(True)
        self.show_grid.setChecked(shown)
        self.show_grid.blockSignals(False)

    def set_tool_active(self, active: bool) -> None:
        self.tool_button.blockSignals(True)
        self.tool_button.setChecked(active)
        self.tool_button.blockSignals(False)

    def set_hint(self, text: str) -> None:
        self.hint.setText(text)

    def set_zones(self, zones: list[tuple[int, bool]]) -> None:
        """One checkable button per zone in view (EPSG, enabled)."""
        wanted = dict(zones)
        for epsg in [e for e in self.zone_buttons if e not in wanted]:
            button = self.zone_buttons.pop(epsg)
            self.zones_layout.removeWidget(button)
            button.deleteLater()
        for index, (epsg, enabled) in enumerate(zones):
            button = self.zone_buttons.get(epsg)
            if button is None:
                button = QToolButton()
                button.setObjectName(f"NadirGridZone_{epsg}")
                button.setText(zone_label(epsg))
                button.setCheckable(True)
                button.toggled.connect(lambda on, e=epsg: self.zone_toggled.emit(e, on))
                button.toggled.connect(lambda on, b=button, e=epsg: self._zone_tip(b, e, on))
                self.zone_buttons[epsg] = button
                self.zones_layout.insertWidget(index + 1, button)
            button.blockSignals(True)
            button.setChecked(enabled)
            button.blockSignals(False)
            self._zone_tip(button, epsg, enabled)
        self.no_zones.setVisible(not zones)

    @staticmethod
    def _zone_tip(button: QToolButton, epsg: int, enabled: bool) -> None:
        """What the zone button is and what a click does, for the state it is in."""
        zone = tr("UTM zone {} (EPSG:{})").format(zone_label(epsg), epsg)
        if enabled:
            button.setToolTip(
                tr(
                    "{}: on. Its cells are drawn and can be selected.\nClick to switch it off, "
                    "to tell its tiles from the overlapping tiles of the next zone."
                ).format(zone)
            )
        else:
            button.setToolTip(
                tr("{}: off. Its cells cannot be selected and are not ordered.\nClick to switch it on.").format(zone)
            )

    def set_summary(self, text: str) -> None:
        self.summary.setText(text)

    def set_ratio(self, text: str) -> None:
        self.ratio.setText(text)

    def set_aoi_sources(self, sources: list[tuple[str, str]]) -> None:
        current = self.aoi_source.currentData()
        self.aoi_source.clear()
        for key, label in sources:
            self.aoi_source.addItem(label, key)
        index = self.aoi_source.findData(current)
        self.aoi_source.setCurrentIndex(max(0, index))

    def set_busy(self, busy: bool) -> None:
        self.cover_button.setEnabled(not busy)

    def _cover_clicked(self) -> None:
        self.cover_requested.emit(str(self.aoi_source.currentData() or ""), str(self.level.currentData()))
