"""The import dialog: a file (with a layer chooser) or pasted text, previewed before import.

Static parts are in ``import_dialog.ui`` next to this file. The dialog only collects an
:class:`ImportRequest` and shows what the file or text holds; the presenter does the
import (in a task).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from qgis.gui import QgsFileWidget
from qgis.PyQt import uic
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QWidget,
)

from ...core.aoi.build import build_aois
from ...core.aoi.text import read_text
from ...core.errors import NadirError
from ...toolbelt.aoi.files import FileContents, inspect_file
from ...toolbelt.i18n import tr, trn
from ..wheel import guard_wheel

#: Pasted text longer than this is checked in a task when imported, not while typing.
LIVE_PREVIEW_CHARS = 200_000

FILE_PATTERNS = "*.geojson *.json *.wkt *.txt *.kml *.kmz *.zip *.gpkg *.shp *.fgb *.gml *.csv *.sqlite"


@dataclass(frozen=True)
class ImportRequest:
    path: Optional[Path] = None
    sublayer_uri: Optional[str] = None
    text: Optional[str] = None
    name: str = ""
    dissolve: bool = False


def _html_error(message: str) -> str:
    return f"<span style='color:#b00000'>{message}</span>"


class ImportDialog(QDialog):
    tabs: QTabWidget
    fileWidget: QgsFileWidget  # noqa: N815 - names come from the .ui file
    layerCombo: QComboBox  # noqa: N815
    fileInfo: QLabel  # noqa: N815
    pasteEdit: QPlainTextEdit  # noqa: N815
    pasteInfo: QLabel  # noqa: N815
    nameEdit: QLineEdit  # noqa: N815
    dissolveCheck: QCheckBox  # noqa: N815
    buttons: QDialogButtonBox

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        guard_wheel(self)  # combos and spin boxes: wheel only when focused
        uic.loadUi(str(Path(__file__).with_name("import_dialog.ui")), self)
        self.setObjectName("NadirAoiImportDialog")
        self.fileWidget.setFilter(tr("Vector data ({});;All files (*)").format(FILE_PATTERNS))
        self.fileWidget.setDialogTitle(tr("Choose a file with areas of interest"))
        self.contents: Optional[FileContents] = None
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(300)
        self._preview_timer.timeout.connect(self._preview_text)
        self.fileWidget.fileChanged.connect(self._file_changed)
        self.pasteEdit.textChanged.connect(self._preview_timer.start)
        self.tabs.currentChanged.connect(self._update_ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._update_ok()

    # -- filling in -----------------------------------------------------------------
    def show_file(self, path: Path) -> None:
        self.tabs.setCurrentWidget(self.tabs.widget(0))
        self.fileWidget.setFilePath(str(path))
        self._file_changed(str(path))

    def show_paste(self, text: str = "") -> None:
        self.tabs.setCurrentWidget(self.tabs.widget(1))
        if text:
            self.pasteEdit.setPlainText(text)
            self._preview_text()
        self.pasteEdit.setFocus()

    # -- reading back ---------------------------------------------------------------
    @property
    def on_paste_tab(self) -> bool:
        return self.tabs.currentIndex() == 1

    def request(self) -> ImportRequest:
        name = self.nameEdit.text().strip()
        dissolve = self.dissolveCheck.isChecked()
        if self.on_paste_tab:
            return ImportRequest(text=self.pasteEdit.toPlainText(), name=name, dissolve=dissolve)
        uri = self.layerCombo.currentData() if self.layerCombo.isEnabled() else None
        path = Path(self.fileWidget.filePath()) if self.fileWidget.filePath() else None
        return ImportRequest(path=path, sublayer_uri=uri, name=name, dissolve=dissolve)

    # -- previews -------------------------------------------------------------------
    def _file_changed(self, path_text: str) -> None:
        self.contents = None
        self.layerCombo.clear()
        self.layerCombo.setEnabled(False)
        if not path_text:
            self.fileInfo.clear()
            self._update_ok()
            return
        try:
            self.contents = inspect_file(Path(path_text))
        except NadirError as exc:
            self.fileInfo.setText(_html_error(exc.message))
            self._update_ok()
            return
        if self.contents.text:
            size = Path(path_text).stat().st_size
            self.fileInfo.setText(tr("Text file ({}): read as WKT, GeoJSON or JSON.").format(trn("%n byte(s)", size)))
        else:
            usable = self.contents.polygon_layers
            for sublayer in self.contents.sublayers:
                self.layerCombo.addItem(sublayer.label(), sublayer.uri)
                if not sublayer.usable:
                    item = self.layerCombo.model().item(self.layerCombo.count() - 1)
                    item.setEnabled(False)
                    item.setToolTip(tr("Not polygons: cannot be an AOI"))
            self.layerCombo.setEnabled(len(self.contents.sublayers) > 1)
            first = next(i for i, s in enumerate(self.contents.sublayers) if s.usable)
            self.layerCombo.setCurrentIndex(first)
            if len(usable) > 1:
                self.fileInfo.setText(tr("{} with polygons: choose one.").format(trn("%n layer(s)", len(usable))))
            else:
                self.fileInfo.setText(tr("Layer: {}").format(usable[0].label()))
        self._update_ok()

    def _preview_text(self) -> None:
        text = self.pasteEdit.toPlainText()
        if not text.strip():
            self.pasteInfo.clear()
        elif len(text) > LIVE_PREVIEW_CHARS:
            self.pasteInfo.setText(tr("{}: checked when imported.").format(trn("%n character(s)", len(text))))
        else:
            try:
                result = build_aois(read_text(text), tr("pasted"), tr("Pasted AOI"))
            except NadirError as exc:
                self.pasteInfo.setText(_html_error(exc.message))
            else:
                lines = [tr("Found: {}").format(result.summary())]
                lines += [_html_error(p.text()) for p in result.refused[:3]]
                for aoi in result.aois:
                    lines += [_html_error(p.text()) for p in aoi.errors[:2]]
                self.pasteInfo.setText("<br/>".join(lines))
        self._update_ok()

    def _update_ok(self, *args: object) -> None:
        if self.on_paste_tab:
            ready = bool(self.pasteEdit.toPlainText().strip())
        else:
            ready = self.contents is not None
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ready)
