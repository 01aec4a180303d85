"""The AOI layer: where AOIs live in a project, its fields and its style.

Storage: a GeoPackage *attached to the project* (``QgsProject.createAttachedFile``,
QGIS >= 3.22), layer ``aois``, EPSG:4326.

* It survives saving and reopening: QGIS puts attached files inside the ``.qgz`` (or in
  ``<name>_attachments.zip`` next to a ``.qgs``) and the layer source is written as
  ``attachment:…``, so the AOIs travel with the project file, whatever it is renamed to.
* It works for a project saved for the first time after AOIs were drawn: attached files
  live in the project's own temporary folder from the start and are packed at the first
  save. (A GeoPackage next to the project file would need moving and re-pointing at the
  first save; AOIs serialised into the project XML would bloat it with big geometries and
  vanish for anyone opening the project without Nadir. Here, without Nadir, the AOIs are
  still an ordinary layer.)
* Nothing is lost: every change is one SQLite transaction (atomic by SQLite), and
  :meth:`AoiLayer.checkpoint` runs before every project write. That matters: QGIS opens
  GeoPackages in WAL mode for writing, and it packs only the ``.gpkg`` file, not its
  ``-wal`` journal; without the checkpoint, changes made since the layer was opened
  are missing from the saved project (tested in ``tests/qgis/aoi/test_aoi_layer.py``).
  Changing AOIs marks the project dirty, so QGIS asks to save before closing.

GUI thread only (it touches the project and its layers).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

import shapely
from qgis.core import (
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsFeatureRequest,
    QgsField,
    QgsFields,
    QgsFillSymbol,
    QgsPalLayerSettings,
    QgsProject,
    QgsRuleBasedRenderer,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorFileWriter,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QColor

from ...core.aoi.build import build_aoi, raw_from_geometry
from ...core.aoi.model import Aoi, problems_from_json, problems_to_json
from ...core.errors import InputError, StorageError
from .. import geometry as geo
from ..compat import FIELD_DOUBLE, FIELD_INT, FIELD_STRING, multi_polygon_wkb
from ..i18n import tr
from ..layer_tree import add_to_nadir_group
from ..styles import AOI as AOI_STYLE
from ..styles import load_style

LOGGER = logging.getLogger(__name__)

LAYER_PROPERTY = "nadir/aoi-layer"
TABLE = "aois"
FILE_TEMPLATE = "nadir_aois.gpkg"

#: (name, type, length) of the AOI attributes, shared with the Processing output.
FIELD_SPEC: tuple[tuple[str, object, int], ...] = (
    ("aoi_id", FIELD_STRING, 32),
    ("name", FIELD_STRING, 255),
    ("source", FIELD_STRING, 255),
    ("area_km2", FIELD_DOUBLE, 0),
    ("valid", FIELD_INT, 0),
    ("status", FIELD_STRING, 255),
    ("problems", FIELD_STRING, 0),
    ("use", FIELD_INT, 0),
    ("created", FIELD_STRING, 32),
)


def aoi_fields() -> QgsFields:
    fields = QgsFields()
    for name, kind, length in FIELD_SPEC:
        fields.append(QgsField(name, kind, len=length))
    return fields


def problem_summary(aoi: Aoi) -> str:
    return " | ".join(p.text() for p in aoi.problems)


def aoi_feature(aoi: Aoi, fields: QgsFields, use: bool = True, created: str = "") -> QgsFeature:
    feature = QgsFeature(fields)
    feature.setGeometry(geo.to_qgs(aoi.geometry))
    values = {
        "aoi_id": aoi.id,
        "name": aoi.name,
        "source": aoi.source[:255],
        "area_km2": round(aoi.area_km2, 6),
        "valid": int(aoi.valid),
        "status": aoi.status_text()[:255],
        "problems": problems_to_json(aoi.problems),
        "use": int(use),
        "created": created or datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    for name, value in values.items():
        index = fields.indexFromName(name)
        if index >= 0:
            feature.setAttribute(index, value)
    return feature


@dataclass(frozen=True)
class StoredAoi:
    aoi: Aoi
    use: bool
    fid: int


def aoi_from_feature(feature: QgsFeature, trust_attributes: bool = True) -> Optional[StoredAoi]:
    """The AOI a feature of the AOI layer holds.

    Its stored area and problems are used as they are, unless ``trust_attributes`` is
    False or they are missing (a feature drawn or reshaped with QGIS's own tools): then
    the AOI is built and checked again from the geometry, keeping id, name and source.
    """
    shape = geo.to_shapely(feature.geometry())
    if shape is None:
        return None
    names = feature.fields().names()

    def value(name: str) -> object:
        if name not in names:
            return None
        found = feature[name]
        return None if found is None or str(found) == "NULL" else found

    aoi_id = str(value("aoi_id") or "") or None
    name = str(value("name") or tr("AOI {}").format(feature.id()))
    source = str(value("source") or tr("edited in QGIS"))
    use = bool(value("use")) if value("use") is not None else True
    area = value("area_km2")
    if trust_attributes and aoi_id and area is not None and isinstance(shape, shapely.MultiPolygon):
        aoi = Aoi(aoi_id, name, source, shape, float(str(area)), problems_from_json(str(value("problems") or "[]")))
        return StoredAoi(aoi, use, feature.id())
    try:
        aoi = build_aoi(raw_from_geometry(shape), name, source, aoi_id)
    except InputError as exc:
        LOGGER.warning("Feature %s of the AOI layer is not an AOI: %s", feature.id(), exc)
        return None
    return StoredAoi(aoi, use, feature.id())


class AoiLayer:
    """The project's AOI layer. Created on first use; found again by a layer property."""

    def __init__(self, project: Optional[QgsProject] = None) -> None:
        self.project = project or QgsProject.instance()

    # -- finding and creating -------------------------------------------------------
    def find(self) -> Optional[QgsVectorLayer]:
        for layer in self.project.mapLayers().values():
            if isinstance(layer, QgsVectorLayer) and layer.customProperty(LAYER_PROPERTY) == "1":
                return layer
        return None

    def ensure(self) -> QgsVectorLayer:
        layer = self.find()
        if layer is not None:
            if not layer.isValid():
                raise StorageError(
                    tr(
                        "The AOI layer '{}' cannot be opened (its GeoPackage is missing). Remove the layer "
                        "to start a new one."
                    ).format(layer.name())
                )
            return layer
        return self.create()

    def create(self) -> QgsVectorLayer:
        path = self.project.createAttachedFile(FILE_TEMPLATE)
        options = QgsVectorFileWriter.SaveVectorOptions()
        options.driverName = "GPKG"
        options.layerName = TABLE
        writer = QgsVectorFileWriter.create(
            path, aoi_fields(), multi_polygon_wkb(), geo.wgs84(), QgsCoordinateTransformContext(), options
        )
        if writer is None or writer.hasError():
            message = writer.errorMessage() if writer is not None else ""
            raise StorageError(tr("Could not create the AOI GeoPackage {}: {}").format(path, message))
        del writer  # closes and flushes the file
        layer = QgsVectorLayer(f"{path}|layername={TABLE}", tr("Areas of interest"), "ogr")
        if not layer.isValid():
            raise StorageError(tr("Could not open the AOI GeoPackage {}.").format(path))
        layer.setCustomProperty(LAYER_PROPERTY, "1")
        load_style(layer, AOI_STYLE, apply_style)  # resources/styles/aoi.qml, or the user's own
        # collapsed: a new layer's legend would push the user's layers down; a saved
        # project keeps whatever the user set
        add_to_nadir_group(self.project, layer).setExpanded(False)
        LOGGER.info("Created the AOI layer in %s", path)
        return layer

    # -- reading --------------------------------------------------------------------
    def read(self) -> list[StoredAoi]:
        layer = self.find()
        if layer is None or not layer.isValid():
            return []
        stored = []
        for feature in layer.getFeatures(QgsFeatureRequest()):
            item = aoi_from_feature(feature)
            if item is not None:
                stored.append(item)
        return stored

    # -- writing (one provider call, one SQLite transaction each) --------------------
    def _writable(self) -> QgsVectorLayer:
        layer = self.ensure()
        if layer.isEditable():
            raise StorageError(
                tr(
                    "The AOI layer is in editing mode. Save or discard its edits (toolbar: Toggle "
                    "Editing), then try again."
                )
            )
        return layer

    def _done(self, layer: QgsVectorLayer) -> None:
        layer.triggerRepaint()
        self.project.setDirty(True)

    def add(self, aois: Sequence[Aoi], use: bool = True) -> dict[str, int]:
        """Store AOIs; returns their feature ids by AOI id."""
        layer = self._writable()
        features = [aoi_feature(a, layer.fields(), use) for a in aois]
        ok, added = layer.dataProvider().addFeatures(features)
        if not ok:
            raise StorageError(
                tr("Could not add AOIs to the AOI layer: {}").format("; ".join(layer.dataProvider().errors()[-3:]))
            )
        layer.updateExtents()
        self._done(layer)
        return {a.id: f.id() for a, f in zip(aois, added)}

    def replace(self, fid: int, aoi: Aoi) -> None:
        """New geometry and attributes for an existing AOI (repair, simplify, rename)."""
        layer = self._writable()
        provider = layer.dataProvider()
        fields = layer.fields()
        values = {
            fields.indexFromName("aoi_id"): aoi.id,
            fields.indexFromName("name"): aoi.name,
            fields.indexFromName("source"): aoi.source[:255],
            fields.indexFromName("area_km2"): round(aoi.area_km2, 6),
            fields.indexFromName("valid"): int(aoi.valid),
            fields.indexFromName("status"): aoi.status_text()[:255],
            fields.indexFromName("problems"): problems_to_json(aoi.problems),
        }
        if not provider.changeAttributeValues({fid: values}):
            raise StorageError(tr("Could not update AOI '{}'.").format(aoi.name))
        if not provider.changeGeometryValues({fid: geo.to_qgs(aoi.geometry)}):
            raise StorageError(tr("Could not update the shape of AOI '{}'.").format(aoi.name))
        layer.updateExtents()
        self._done(layer)

    def set_attribute(self, fids: Iterable[int], name: str, value: object) -> None:
        layer = self._writable()
        index = layer.fields().indexFromName(name)
        changes = {fid: {index: value} for fid in fids}
        if changes and not layer.dataProvider().changeAttributeValues(changes):
            raise StorageError(tr("Could not update the AOI layer."))
        self._done(layer)

    def delete(self, fids: Iterable[int]) -> None:
        layer = self._writable()
        fids = list(fids)
        if fids and not layer.dataProvider().deleteFeatures(fids):
            raise StorageError(tr("Could not delete AOIs from the AOI layer."))
        layer.updateExtents()
        self._done(layer)

    # -- project writes -------------------------------------------------------------
    def checkpoint(self) -> None:
        """Copy the GeoPackage's WAL journal into the file before QGIS packs it."""
        layer = self.find()
        if layer is None:
            return
        path = Path(layer.source().split("|")[0])
        if not path.exists():
            return
        try:
            with sqlite3.connect(str(path), timeout=5) as connection:
                busy, _, _ = connection.execute("PRAGMA wal_checkpoint(FULL)").fetchone()
            if busy:
                LOGGER.warning("The AOI GeoPackage was busy during the checkpoint before saving")
        except sqlite3.Error as exc:
            LOGGER.error("Could not checkpoint the AOI GeoPackage %s before saving: %s", path, exc)


def apply_style(layer: QgsVectorLayer) -> None:
    """Chosen AOIs orange, others grey and dashed, invalid ones red and hatched; labelled."""
    root = QgsRuleBasedRenderer.Rule(None)
    rules = (
        (
            tr("Invalid"),
            '"valid" = 0',
            {"color": "220,30,30,50", "style": "b_diagonal", "outline_color": "220,30,30,255", "outline_width": "0.6"},
        ),
        (
            tr("Chosen for the order"),
            '"use" = 1',
            {"color": "255,140,0,45", "outline_color": "230,100,0,255", "outline_width": "0.6"},
        ),
        (
            tr("Not chosen"),
            "ELSE",
            {
                "color": "120,120,120,25",
                "outline_color": "100,100,100,255",
                "outline_width": "0.4",
                "outline_style": "dash",
            },
        ),
    )
    for label, expression, properties in rules:
        symbol = QgsFillSymbol.createSimple(properties)
        rule = QgsRuleBasedRenderer.Rule(symbol, 0, 0, "" if expression == "ELSE" else expression, label)
        if expression == "ELSE":
            rule.setIsElse(True)
        root.appendChild(rule)
    layer.setRenderer(QgsRuleBasedRenderer(root))

    settings = QgsPalLayerSettings()
    settings.fieldName = "\"name\" || '\\n' || format_number(\"area_km2\", 2) || ' km²'"
    settings.isExpression = True
    text = QgsTextFormat()
    text.setColor(QColor(60, 30, 0))
    text.setSize(9)
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setColor(QColor(255, 255, 255, 220))
    buffer.setSize(0.8)
    text.setBuffer(buffer)
    settings.setFormat(text)
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)
    layer.triggerRepaint()
