"""The one bridge between shapely and QGIS geometries, and every reprojection.

Core works in shapely, EPSG:4326 lon/lat. Here, and only here, geometries cross to and
from ``QgsGeometry`` (through WKB, one C++ call each way) and are reprojected with
``QgsCoordinateTransform`` built from the project's transform context (datum
transformations the user chose apply). Curved geometries are segmentised and z/m values
dropped on the way in.

Drawn shapes are densified in the canvas CRS before reprojection
(:func:`drawn_to_wgs84`): a straight edge drawn on a projected map is a curve in
lon/lat, and an edge drawn across the antimeridian on a Pacific-centred map must arrive
as small steps that :mod:`core.aoi.antimeridian` can unwrap.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Optional

import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsCsException,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsWkbTypes,
)
from shapely.geometry.base import BaseGeometry

from ..core.errors import InputError

LOGGER = logging.getLogger(__name__)

WGS84_AUTHID = "EPSG:4326"

#: Drawn edges are cut into at most this many steps for reprojection.
DENSIFY_STEPS = 64


def wgs84() -> QgsCoordinateReferenceSystem:
    return QgsCoordinateReferenceSystem(WGS84_AUTHID)


def transform_context(project: Optional[QgsProject] = None) -> QgsCoordinateTransformContext:
    """A copy of the project's transform context (safe to hand to a task)."""
    return QgsCoordinateTransformContext((project or QgsProject.instance()).transformContext())


def is_wgs84(crs: QgsCoordinateReferenceSystem) -> bool:
    return crs.isValid() and crs.authid() == WGS84_AUTHID


def to_shapely(geometry: Optional[QgsGeometry]) -> Optional[BaseGeometry]:
    """A shapely copy of a QgsGeometry (curves segmentised, z/m dropped); None if null."""
    if geometry is None or geometry.isNull():
        return None
    abstract = geometry.constGet()
    if abstract is None:
        return None
    if QgsWkbTypes.isCurvedType(geometry.wkbType()):
        geometry = QgsGeometry(abstract.segmentize())
    if QgsWkbTypes.hasZ(geometry.wkbType()) or QgsWkbTypes.hasM(geometry.wkbType()):
        geometry = QgsGeometry(geometry.constGet().clone())
        geometry.get().dropZValue()
        geometry.get().dropMValue()
    return shapely.from_wkb(bytes(geometry.asWkb()))


def many_to_shapely(geometries: Iterable[Optional[QgsGeometry]]) -> list[Optional[BaseGeometry]]:
    return [to_shapely(g) for g in geometries]


def to_qgs(geometry: BaseGeometry) -> QgsGeometry:
    result = QgsGeometry()
    result.fromWkb(shapely.to_wkb(geometry, output_dimension=2))
    return result


def transformer(
    source: QgsCoordinateReferenceSystem,
    context: QgsCoordinateTransformContext,
    destination: Optional[QgsCoordinateReferenceSystem] = None,
) -> QgsCoordinateTransform:
    return QgsCoordinateTransform(source, destination or wgs84(), context)


def reproject(geometry: QgsGeometry, transform: QgsCoordinateTransform) -> QgsGeometry:
    """A reprojected copy; :class:`InputError` if a vertex cannot be transformed."""
    copy = QgsGeometry(geometry)
    if transform.isShortCircuited():
        return copy
    try:
        copy.transform(transform)
    except QgsCsException as exc:
        raise InputError(
            f"The shape cannot be converted from {transform.sourceCrs().authid() or 'its CRS'} to "
            f"longitude/latitude: {exc}. Check the layer's coordinate reference system.",
        ) from None
    return copy


def qgs_to_wgs84(
    geometry: QgsGeometry,
    crs: QgsCoordinateReferenceSystem,
    context: Optional[QgsCoordinateTransformContext] = None,
) -> Optional[BaseGeometry]:
    """A QgsGeometry in ``crs`` as shapely in EPSG:4326."""
    if is_wgs84(crs) or not crs.isValid():
        return to_shapely(geometry)
    return to_shapely(reproject(geometry, transformer(crs, context or transform_context())))


def drawn_to_wgs84(
    geometry: QgsGeometry,
    crs: QgsCoordinateReferenceSystem,
    context: Optional[QgsCoordinateTransformContext] = None,
) -> Optional[BaseGeometry]:
    """A shape drawn on a map in ``crs``, densified there, as shapely in EPSG:4326.

    Vertices the densification added where the drawn edge is straight in lon/lat anyway
    (meridians and parallels on a Mercator or lon/lat map) are dropped again: they would
    only count against a provider's vertex limit.
    """
    if is_wgs84(crs) or not crs.isValid():
        return qgs_to_wgs84(geometry, crs, context)
    shape = qgs_to_wgs84(_densified(geometry), crs, context)
    if shape is None or shape.is_empty:
        return shape
    minx, miny, maxx, maxy = shape.bounds
    extent = max(maxx - minx, maxy - miny)
    if extent > 180.0:  # jumps across the antimeridian: core unwraps them first
        return shape
    return shapely.simplify(shape, extent * 1e-6, preserve_topology=True)


def _densified(geometry: QgsGeometry) -> QgsGeometry:
    """Each edge cut into steps of at most 1/DENSIFY_STEPS of the shape's larger side."""
    box = geometry.boundingBox()
    step = max(box.width(), box.height()) / DENSIFY_STEPS
    if step <= 0:
        return geometry
    return geometry.densifyByDistance(step)


def wgs84_to_crs(
    geometry: BaseGeometry,
    crs: QgsCoordinateReferenceSystem,
    context: Optional[QgsCoordinateTransformContext] = None,
) -> QgsGeometry:
    """Shapely in EPSG:4326 as a QgsGeometry in ``crs`` (for showing it on a map)."""
    result = to_qgs(geometry)
    if is_wgs84(crs) or not crs.isValid():
        return result
    return reproject(result, transformer(wgs84(), context or transform_context(), crs))


# -- canvas and bulk helpers (tile grid) -------------------------------------------------
def extent_to_wgs84(
    extent: QgsRectangle,
    crs: QgsCoordinateReferenceSystem,
    context: Optional[QgsCoordinateTransformContext] = None,
) -> BaseGeometry:
    """A map extent as a lon/lat box (the bounding box of the reprojected extent, edges
    densified), clipped to the world; the whole world if the extent cannot be converted."""
    world = shapely.box(-180.0, -90.0, 180.0, 90.0)
    if is_wgs84(crs) or not crs.isValid():
        box = QgsRectangle(extent)
    else:
        try:
            box = transformer(crs, context or transform_context()).transformBoundingBox(extent)
        except QgsCsException:
            return world
    if box.isEmpty() or not box.isFinite():
        return world
    result = shapely.clip_by_rect(
        shapely.box(box.xMinimum(), box.yMinimum(), box.xMaximum(), box.yMaximum()), -180.0, -90.0, 180.0, 90.0
    )
    return result if not result.is_empty else world


def point_to_wgs84(
    point: QgsPointXY,
    crs: QgsCoordinateReferenceSystem,
    context: Optional[QgsCoordinateTransformContext] = None,
) -> Optional[tuple[float, float]]:
    """A map point as (lon, lat); None if it cannot be converted."""
    if is_wgs84(crs) or not crs.isValid():
        return (point.x(), point.y())
    try:
        result = transformer(crs, context or transform_context()).transform(point)
    except QgsCsException:
        return None
    return (result.x(), result.y())


def many_to_qgs(geometries: Iterable[BaseGeometry]) -> list[QgsGeometry]:
    """Shapely geometries as QgsGeometries: one vectorised WKB export, then C++ reads."""
    result = []
    for wkb in shapely.to_wkb(list(geometries)):
        geometry = QgsGeometry()
        geometry.fromWkb(wkb)
        result.append(geometry)
    return result
