"""Delivered rasters as QGIS layers: a layer-tree group per order, a
sensible default rendering, provenance in the layer metadata, the attribution the
sources require. GUI thread only. Loading the same delivery twice adds nothing.

- Group: "<provider> <order id short>" at the top of the layer tree, found again by its
  custom property ``nadir/order`` (renaming it does not make a second one).
- Rendering: multiband colour on the true-colour bands (:func:`core.deliveries.true_colour_bands`
  from GDAL's band colour interpretation and names), else single-band grey; both stretched
  to min/max with QGIS's cumulative cut (2-98 % by default), computed on a sample.
- Metadata: identifier ``nadir:<provider>:<order>:<asset>``, title, abstract with the
  provenance, keywords (provider, order id, product, capture date), temporal extent at the
  capture date, rights and attribution, the source URL without query, a history line.
- Idempotent: each layer carries ``nadir/delivery`` (asset key plus file); a layer with the
  same value in the project is reused.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from osgeo import gdal
from qgis.core import (
    QgsContrastEnhancement,
    QgsDateTimeRange,
    QgsLayerMetadata,
    QgsLayerTreeGroup,
    QgsMultiBandColorRenderer,
    QgsProject,
    QgsRasterLayer,
    QgsRasterMinMaxOrigin,
    QgsRectangle,
    QgsSingleBandGrayRenderer,
)
from qgis.PyQt.QtCore import QDateTime, Qt

from ...core.deliveries.files import DeliveryResult, StreamRaster
from ...core.deliveries.plan import Provenance, group_name, true_colour_bands
from ...core.errors import NadirError
from .. import compat
from ..layer_tree import nadir_group
from .streaming import guard_project

LOGGER = logging.getLogger(__name__)
ORDER_PROPERTY = "nadir/order"
DELIVERY_PROPERTY = "nadir/delivery"
PROVENANCE_PROPERTY = "nadir/provenance"
SAMPLE_SIZE = 250_000

#: source_for(stream) -> the layer source of a streamed asset (toolbelt.deliveries.streaming)
SourceFor = Callable[[StreamRaster], str]


@dataclass
class LoadReport:
    added: list[QgsRasterLayer] = field(default_factory=list)
    existing: list[QgsRasterLayer] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def layers(self) -> list[QgsRasterLayer]:
        return self.added + self.existing


# ------------------------------------------------------------------------ groups
def order_key(provider: str, order_id: str) -> str:
    return f"{provider}:{order_id}"


def find_order_group(project: QgsProject, provider: str, order_id: str) -> Optional[QgsLayerTreeGroup]:
    key = order_key(provider, order_id)
    for group in project.layerTreeRoot().findGroups(True):
        if group.customProperty(ORDER_PROPERTY) == key:
            return group
    return None


def order_group(project: QgsProject, provider: str, order_id: str, title: str = "") -> QgsLayerTreeGroup:
    """The order's group, created at the top of the layer tree when missing."""
    group = find_order_group(project, provider, order_id)
    if group is None:
        group = nadir_group(project).insertGroup(0, group_name(provider, order_id, title))
        group.setCustomProperty(ORDER_PROPERTY, order_key(provider, order_id))
    return group


def find_delivery_layer(project: QgsProject, key: str) -> Optional[QgsRasterLayer]:
    for layer in project.mapLayers().values():
        if isinstance(layer, QgsRasterLayer) and layer.customProperty(DELIVERY_PROPERTY) == key:
            return layer
    return None


# ------------------------------------------------------------------------ rendering
def band_info(source: str) -> tuple[list[str], list[str]]:
    """(descriptions, colour interpretation names) of each band, read with GDAL."""
    dataset = gdal.OpenEx(source, gdal.OF_RASTER | gdal.OF_READONLY)
    if dataset is None:
        return [], []
    try:
        bands = [dataset.GetRasterBand(i + 1) for i in range(dataset.RasterCount)]
        descriptions = [band.GetDescription() or "" for band in bands]
        colours = [gdal.GetColorInterpretationName(band.GetColorInterpretation()) or "" for band in bands]
        return descriptions, colours
    finally:
        dataset = None


def apply_default_renderer(
    layer: QgsRasterLayer, descriptions: Sequence[str] = (), colours: Sequence[str] = ()
) -> Optional[tuple[int, int, int]]:
    """True colour where bands allow, else grey; stretched with a cumulative cut."""
    provider = layer.dataProvider()
    count = layer.bandCount()
    bands = true_colour_bands(list(descriptions)[:count] or [""] * count, list(colours)[:count])
    if bands is not None and max(bands) <= count:
        layer.setRenderer(QgsMultiBandColorRenderer(provider, *bands))
    else:
        bands = None
        layer.setRenderer(QgsSingleBandGrayRenderer(provider, 1))
    layer.setContrastEnhancement(
        QgsContrastEnhancement.ContrastEnhancementAlgorithm.StretchToMinimumMaximum,
        QgsRasterMinMaxOrigin.Limits.CumulativeCut,
        QgsRectangle(),
        SAMPLE_SIZE,
    )
    return bands


# ------------------------------------------------------------------------ metadata
def _qdatetime(value: datetime) -> QDateTime:
    utc = value.astimezone(timezone.utc) if value.tzinfo else value.replace(tzinfo=timezone.utc)
    result = QDateTime.fromString(utc.strftime("%Y-%m-%dT%H:%M:%S"), Qt.DateFormat.ISODate)
    result.setTimeSpec(Qt.TimeSpec.UTC)
    return result


def set_provenance(layer: QgsRasterLayer, provenance: Provenance, title: str) -> None:
    metadata: QgsLayerMetadata = layer.metadata()
    metadata.setIdentifier(provenance.identifier)
    metadata.setParentIdentifier(f"nadir:{order_key(provenance.provider, provenance.order_id)}")
    metadata.setTitle(title)
    metadata.setType("dataset")
    metadata.setAbstract(provenance.abstract())
    metadata.addKeywords("provider", [provenance.provider_title, provenance.provider])
    metadata.addKeywords("order id", [provenance.order_id])
    if provenance.product:
        metadata.addKeywords("product", [provenance.product])
    if provenance.acquired:
        metadata.addKeywords("capture date", [provenance.acquired.date().isoformat()])
        extent = metadata.extent()
        moment = _qdatetime(provenance.acquired)
        extent.setTemporalExtents([QgsDateTimeRange(moment, moment)])
        metadata.setExtent(extent)
        compat.set_metadata_date(metadata, moment)
    if provenance.attribution:
        metadata.setRights([provenance.attribution])
        compat.set_layer_attribution(layer, provenance.attribution)
    if provenance.source:
        link = QgsLayerMetadata.Link(provenance.source_label(), "WWW:LINK", provenance.source)
        metadata.addLink(link)
    metadata.setCrs(layer.crs())
    metadata.addHistoryItem(
        f"{datetime.now(timezone.utc).isoformat(timespec='seconds')}: delivered by Nadir "
        f"from {provenance.provider_title} order {provenance.order_id}"
    )
    layer.setMetadata(metadata)
    layer.setCustomProperty(PROVENANCE_PROPERTY, json.dumps(provenance.model_dump(mode="json"), default=str))


# ------------------------------------------------------------------------ layers
def add_raster(
    project: QgsProject,
    source: str,
    provenance: Provenance,
    key: str,
    *,
    name: str,
    band_source: Optional[str] = None,
    order_title: str = "",
) -> tuple[QgsRasterLayer, bool]:
    """(layer, added): the delivery's layer, reused when ``key`` is already loaded; a new
    one goes into its order's group (named with ``order_title`` when the group is new)."""
    existing = find_delivery_layer(project, key)
    if existing is not None:
        return existing, False
    guard_project(project)  # a pre-signed source must not be saved with its signature
    layer = QgsRasterLayer(source, name, "gdal")
    if not layer.isValid():
        error = layer.error().summary() if layer.error() else ""
        raise NadirError(f"QGIS cannot open {name} as a raster layer.", details=error)
    descriptions, colours = band_info(band_source or source)
    apply_default_renderer(layer, descriptions, colours)
    set_provenance(layer, provenance, name)
    layer.setCustomProperty(DELIVERY_PROPERTY, key)
    group = order_group(project, provenance.provider, provenance.order_id, order_title)
    project.addMapLayer(layer, False)
    group.addLayer(layer)
    return layer, True


def load_result(
    result: DeliveryResult, project: QgsProject, source_for: Optional[SourceFor] = None, order_title: str = ""
) -> LoadReport:
    """Add the delivery's files and streams as layers in the order's group (named with
    the order's title, see :func:`core.deliveries.group_name`)."""
    report = LoadReport()
    for raster in result.rasters:
        path = Path(raster.path)
        key = f"{raster.provenance.key}:{path.name}"
        name = raster.provenance.layer_name(path.stem)
        _add(report, project, str(path), raster.provenance, key, name, order_title)
    for stream in result.streams:
        if source_for is None:
            report.problems.append(f"{stream.provenance.title or stream.provenance.asset_id}: streaming is off")
            continue
        key = f"{stream.provenance.key}:stream"
        name = stream.provenance.layer_name() + " (streamed)"
        try:
            source = source_for(stream)
        except NadirError as exc:
            report.problems.append(f"{stream.provenance.title or stream.provenance.asset_id}: {exc.message}")
            continue
        _add(report, project, source, stream.provenance, key, name, order_title)
    return report


def _add(
    report: LoadReport,
    project: QgsProject,
    source: str,
    provenance: Provenance,
    key: str,
    name: str,
    order_title: str = "",
) -> None:
    try:
        layer, added = add_raster(project, source, provenance, key, name=name, order_title=order_title)
    except NadirError as exc:
        LOGGER.warning("%s %s", exc.message, exc.details)
        report.problems.append(exc.message)
        return
    (report.added if added else report.existing).append(layer)
