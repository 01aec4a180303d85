"""AOIs from the features of a polygon layer (any CRS): selected or all, one per feature
or dissolved. Static parts in ``layer_dialog.ui``; the presenter reads the features in a
task through a feature source."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from qgis.core import QgsMapLayer, QgsVectorLayer
from qgis.gui import QgsFieldComboBox, QgsMapLayerComboBox
from qgis.PyQt import uic
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QWidget,
)

from ...toolbelt.aoi.files import name_field
from ...toolbelt.compat import POLYGON_LAYER_FILTER
from ...toolbelt.i18n import number, tr, trn
from ..wheel import guard_wheel


def default_layer(layers: list[QgsVectorLayer], active: Optional[QgsMapLayer]) -> Optional[QgsVectorLayer]:
    """The layer the dialog starts on: the active one if it has polygons, else one with a
    selection, else the smallest, never one of Nadir's own layers unless nothing else is
    there. (It used to start on the first in the list: world_map's 4,556 provinces.)"""
    own = [layer for layer in layers if any(str(k).startswith("nadir/") for k in layer.customPropertyKeys())]
    if isinstance(active, QgsVectorLayer) and active in layers and active not in own:
        return active
    others = [layer for layer in layers if layer not in own] or own
    selected = [layer for layer in others if layer.selectedFeatureCount() > 0]
    if selected:
        return selected[0]
    return min(others, key=lambda layer: layer.featureCount(), default=None)


@dataclass(frozen=True)
class LayerRequest:
    layer_id: str
    selected_only: bool
    name_field: Optional[str]
    dissolve: bool
    name: str


class LayerDialog(QDialog):
    layerCombo: QgsMapLayerComboBox  # noqa: N815 - names come from the .ui file
    selectedOnly: QCheckBox  # noqa: N815
    nameField: QgsFieldComboBox  # noqa: N815
    perFeature: QRadioButton  # noqa: N815
    dissolve: QRadioButton
    nameEdit: QLineEdit  # noqa: N815
    info: QLabel
    buttons: QDialogButtonBox

    def __init__(self, parent: Optional[QWidget] = None, layer: Optional[QgsMapLayer] = None) -> None:
        super().__init__(parent)
        guard_wheel(self)  # combos and spin boxes: wheel only when focused
        uic.loadUi(str(Path(__file__).with_name("layer_dialog.ui")), self)
        self.setObjectName("NadirAoiLayerDialog")
        self.layerCombo.setFilters(POLYGON_LAYER_FILTER)
        self.nameField.setAllowEmptyFieldName(True)
        self.layerCombo.layerChanged.connect(self._layer_changed)
        self.selectedOnly.toggled.connect(self._update)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        candidates = [self.layerCombo.layer(i) for i in range(self.layerCombo.count())]
        choice = default_layer([c for c in candidates if isinstance(c, QgsVectorLayer)], layer)
        if choice is not None:
            self.layerCombo.setLayer(choice)
        self._layer_changed(self.layerCombo.currentLayer())

    def _layer_changed(self, layer: Optional[QgsMapLayer]) -> None:
        vector = layer if isinstance(layer, QgsVectorLayer) else None
        self.nameField.setLayer(vector)
        # the attribute that names features (name, title, label…) is shown as chosen;
        # without one the AOIs are named after the layer, numbered
        field = name_field(vector.fields()) if vector is not None else None
        self.nameField.setField(field or "")
        self.nameEdit.setPlaceholderText(vector.name() if vector is not None else "")
        selected = vector.selectedFeatureCount() if vector is not None else 0
        self.selectedOnly.setEnabled(selected > 0)
        self.selectedOnly.setChecked(selected > 0)
        self._update()

    def _update(self, *args: object) -> None:
        layer = self.layerCombo.currentLayer()
        ok = isinstance(layer, QgsVectorLayer)
        if ok:
            total = layer.featureCount()
            selected = layer.selectedFeatureCount()
            count = selected if self.selectedOnly.isChecked() else total
            self.selectedOnly.setText(tr("Selected features only ({} selected)").format(number(selected)))
            self.info.setText(
                tr("{} will be imported, CRS {}.").format(trn("%n feature(s)", count), layer.crs().authid())
            )
            ok = count > 0
        else:
            self.info.setText(tr("There is no polygon layer in the project."))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def request(self) -> Optional[LayerRequest]:
        layer = self.layerCombo.currentLayer()
        if not isinstance(layer, QgsVectorLayer):
            return None
        return LayerRequest(
            layer_id=layer.id(),
            selected_only=self.selectedOnly.isChecked() and self.selectedOnly.isEnabled(),
            name_field=self.nameField.currentField() or None,
            dissolve=self.dissolve.isChecked(),
            name=self.nameEdit.text().strip() or layer.name(),
        )
