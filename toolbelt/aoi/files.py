"""Reading AOI sources: files (text through core, everything else through OGR) and layers.

:func:`inspect_file` looks at a file quickly (GUI thread) and says how it will be read:
text formats (WKT, TXT, JSON, GeoJSON) go to :func:`core.aoi.text.read_text`, which
names unclosed rings and bad positions; everything else goes to OGR through
``QgsVectorLayer`` (zipped shapefiles through ``/vsizip/``, GeoPackage and KML layers
listed for a chooser). Unreadable input (empty file, 0-byte zip, garbage, raster, a
file with no polygon layer) raises :class:`InputError` with what to do.

:func:`read_file` and :func:`read_features` do the reading and run in a task: they
touch no project layer (a project layer is read through a ``QgsVectorLayerFeatureSource``
made on the GUI thread) and check for cancellation as they go.
"""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional, Protocol

import shapely
from qgis.core import (
    QgsAbstractFeatureSource,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransformContext,
    QgsFeatureRequest,
    QgsFields,
    QgsProviderRegistry,
    QgsProviderSublayerDetails,
    QgsVectorLayer,
    QgsWkbTypes,
)

from ...core.aoi.build import ImportResult, RawFeature, build_aois, dissolve, raw_from_geometry
from ...core.aoi.model import Code, Problem, Severity, Where
from ...core.aoi.text import NAME_KEYS, read_text
from ...core.errors import InputError
from .. import geometry as geo
from ..compat import LINE_GEOMETRY, POINT_GEOMETRY, POLYGON_GEOMETRY, VECTOR_LAYER, WkbType, sublayer_query_flags

LOGGER = logging.getLogger(__name__)

TEXT_SUFFIXES = frozenset({".wkt", ".txt", ".json", ".geojson"})
#: Formats OGR reads that arrive as zip archives themselves: never unpacked by Nadir.
OGR_ZIP_SUFFIXES = frozenset({".kmz", ".ods", ".xlsx", ".gpkg.zip", ".shp.zip"})
_OGR_IN_ZIP = (".shp", ".gpkg", ".kml", ".gml", ".fgb", ".tab", ".mif", ".sqlite", ".geojson", ".json", ".csv")


class Progress(Protocol):
    """What long reading needs from its runner (``tasks.base.TaskContext`` fits)."""

    def check(self) -> None: ...

    def progress(self, percent: float) -> None: ...


class _NoProgress:
    def check(self) -> None:
        return None

    def progress(self, percent: float) -> None:
        return None


@dataclass(frozen=True)
class Sublayer:
    """One layer a file holds."""

    uri: str
    name: str
    kind: str  # "polygon", "point", "line", "none" or "unknown"
    features: int = -1  # -1: not counted

    @property
    def usable(self) -> bool:
        return self.kind in ("polygon", "unknown")

    def label(self) -> str:
        count = f", {self.features:,} feature{'s' if self.features != 1 else ''}" if self.features >= 0 else ""
        return f"{self.name} ({self.kind}{count})"


@dataclass(frozen=True)
class FileContents:
    path: Path
    text: bool
    sublayers: tuple[Sublayer, ...] = ()

    @property
    def polygon_layers(self) -> tuple[Sublayer, ...]:
        return tuple(s for s in self.sublayers if s.usable)

    @property
    def needs_choice(self) -> bool:
        return len(self.polygon_layers) > 1


def _kind(wkb_type: object) -> str:
    if wkb_type == WkbType.Unknown:
        return "unknown"
    if wkb_type == WkbType.NoGeometry:
        return "none"
    geometry_type = QgsWkbTypes.geometryType(wkb_type)
    return {POLYGON_GEOMETRY: "polygon", POINT_GEOMETRY: "point", LINE_GEOMETRY: "line"}.get(geometry_type, "unknown")


def _is_binary(head: bytes) -> bool:
    return b"\x00" in head


def inspect_file(path: Path) -> FileContents:
    """How ``path`` will be read; :class:`InputError` if it cannot be."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"The file {path} does not exist (moved or deleted?).")
    if path.is_dir():
        return _ogr_contents(path, str(path))
    size = path.stat().st_size
    suffix = path.suffix.lower()
    if size == 0:
        if suffix == ".zip":
            raise InputError(
                f"The zip file {path.name} is empty (0 bytes): it holds no shapefile. Zip the .shp "
                "together with its .shx, .dbf and .prj files and import that zip."
            )
        raise InputError(f"The file {path.name} is empty (0 bytes): there is nothing to import.")
    if suffix in TEXT_SUFFIXES:
        with path.open("rb") as handle:
            head = handle.read(4096)
        if _is_binary(head):
            raise InputError(
                f"The file {path.name} is not text although its name ends in {suffix}: it holds binary "
                "data. It may be damaged or of another format; open it in QGIS to check."
            )
        return FileContents(path, text=True)
    if suffix == ".zip" and not any(path.name.lower().endswith(s) for s in OGR_ZIP_SUFFIXES):
        return _zip_contents(path)
    return _ogr_contents(path, str(path))


def _zip_contents(path: Path) -> FileContents:
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if not n.endswith("/")]
    except zipfile.BadZipFile:
        raise InputError(
            f"The file {path.name} is not a valid zip archive (it is damaged or not a zip). "
            "Zip the shapefile again and import the new zip."
        ) from None
    candidates = [n for n in names if n.lower().endswith(_OGR_IN_ZIP) and "__MACOSX" not in n]
    if not candidates:
        found = ", ".join(names[:5]) + (", …" if len(names) > 5 else "") if names else "nothing"
        raise InputError(
            f"The zip file {path.name} holds no shapefile or other vector file (it holds {found}). "
            "Zip the .shp together with its .shx, .dbf and .prj files."
        )
    sublayers: list[Sublayer] = []
    for name in candidates:
        if name.lower().endswith(".shp"):
            stem = name[:-4]
            missing = [ext for ext in (".shx", ".dbf") if not any(n.lower() == (stem + ext).lower() for n in names)]
            if missing:
                raise InputError(
                    f"The shapefile {name} in {path.name} lacks its {' and '.join(missing)} file. "
                    "A shapefile is several files: zip the .shp, .shx, .dbf and .prj together."
                )
        sublayers.extend(_ogr_contents(path, f"/vsizip/{path}/{name}").sublayers)
    return FileContents(path, text=False, sublayers=tuple(sublayers))


def _query_sublayers(uri: str) -> list[QgsProviderSublayerDetails]:
    return list(QgsProviderRegistry.instance().querySublayers(uri, sublayer_query_flags()))


def _ogr_contents(path: Path, uri: str) -> FileContents:
    details = _query_sublayers(uri)
    vectors = [d for d in details if d.type() == VECTOR_LAYER]
    if not vectors:
        if details:
            raise InputError(
                f"{path.name} holds raster data (an image), not shapes. Import a vector file "
                "(GeoJSON, shapefile, GeoPackage, KML…) or draw the area on the map."
            )
        raise InputError(
            f"{path.name} cannot be read as vector data: GDAL/OGR does not recognise its format, or "
            "the file is damaged. Supported are GeoJSON, JSON, WKT, TXT, KML, zipped shapefiles, "
            "GeoPackage and the other formats QGIS opens."
        )
    sublayers = tuple(
        Sublayer(d.uri(), d.name() or path.stem, _kind(d.wkbType()), int(d.featureCount())) for d in vectors
    )
    if not any(s.usable for s in sublayers):
        kinds = ", ".join(f"{s.name} ({s.kind})" for s in sublayers)
        raise InputError(
            f"{path.name} holds no polygons: its layers are {kinds}. An AOI must be an area; turn "
            "points or lines into polygons first (Vector > Geoprocessing Tools > Buffer)."
        )
    return FileContents(path, text=False, sublayers=sublayers)


# --- reading (in a task) ------------------------------------------------------------------
def read_text_file(path: Path) -> list[RawFeature]:
    data = Path(path).read_bytes()
    for encoding in ("utf-8-sig", "latin-1"):
        try:
            return read_text(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise InputError(f"{Path(path).name} is not readable text.")  # pragma: no cover - latin-1 decodes anything


def name_field(fields: QgsFields) -> Optional[str]:
    """The attribute that names features: name, title, label… (any case)."""
    by_lower = {f.name().lower(): f.name() for f in fields}
    for key in NAME_KEYS:
        if key in by_lower:
            return by_lower[key]
    return None


def read_features(
    source: QgsAbstractFeatureSource,
    crs: QgsCoordinateReferenceSystem,
    fields: QgsFields,
    context: QgsCoordinateTransformContext,
    request: Optional[QgsFeatureRequest] = None,
    progress: Optional[Progress] = None,
    total: int = -1,
    name_attribute: Optional[str] = None,
) -> list[RawFeature]:
    """RawFeatures in EPSG:4326 from any feature source (a file's layer or a project layer).

    Names come from ``name_attribute``, else from a name/title/label attribute if any.
    """
    progress = progress or _NoProgress()
    label = name_attribute if name_attribute and fields.indexFromName(name_attribute) >= 0 else name_field(fields)
    request = QgsFeatureRequest(request) if request is not None else QgsFeatureRequest()
    if label is not None:
        request.setSubsetOfAttributes([label], fields)
    else:
        request.setSubsetOfAttributes([])
    transform = None if geo.is_wgs84(crs) or not crs.isValid() else geo.transformer(crs, context)
    raws: list[RawFeature] = []
    for number, feature in enumerate(source.getFeatures(request), start=1):
        if number % 200 == 0:
            progress.check()
            if total > 0:
                progress.progress(min(90.0, 90.0 * number / total))
        name = feature[label] if label is not None else None
        name = str(name).strip() if name not in (None, "") and str(name) != "NULL" else None
        geometry = feature.geometry()
        try:
            if transform is not None and not geometry.isNull():
                geometry = geo.reproject(geometry, transform)
            shape = geo.to_shapely(geometry)
        except InputError as exc:
            raws.append(RawFeature(number, kind="", name=name, problems=(_transform_problem(number, exc),)))
            continue
        raws.append(raw_from_geometry(shape, number, name))
    progress.check()
    return raws


def _transform_problem(number: int, exc: InputError) -> Problem:
    return Problem(Code.UNREADABLE, Severity.ERROR, exc.message, "", Where(feature=number))


def read_ogr_layer(
    uri: str,
    context: QgsCoordinateTransformContext,
    progress: Optional[Progress] = None,
) -> list[RawFeature]:
    """Features of one OGR layer (task thread: the layer is private to this call)."""
    layer = QgsVectorLayer(uri, "nadir-import", "ogr")
    if not layer.isValid():
        reason = layer.error().summary() or "GDAL/OGR could not open it"
        raise InputError(f"The layer {uri.split('|')[0]} cannot be opened: {reason}.")
    return read_features(
        layer.dataProvider(), layer.crs(), layer.fields(), context, progress=progress, total=layer.featureCount()
    )


def read_file(
    path: Path,
    context: QgsCoordinateTransformContext,
    sublayer_uri: Optional[str] = None,
    progress: Optional[Progress] = None,
    contents: Optional[FileContents] = None,
) -> list[RawFeature]:
    """RawFeatures of a file (or of its chosen layer), in EPSG:4326."""
    contents = contents or inspect_file(path)
    if contents.text:
        raws = read_text_file(contents.path)
        return [reproject_declared(raw, context) for raw in raws]
    layers = contents.polygon_layers
    if sublayer_uri is not None:
        layers = tuple(s for s in contents.sublayers if s.uri == sublayer_uri)
        if not layers:
            raise InputError(f"{Path(path).name} has no layer {sublayer_uri!r}.")
    raws = []
    for sublayer in layers:
        for raw in read_ogr_layer(sublayer.uri, context, progress):
            raws.append(replace(raw, number=len(raws) + 1))
    return raws


def reproject_declared(raw: RawFeature, context: QgsCoordinateTransformContext) -> RawFeature:
    """A text feature that declares its CRS (GeoJSON 2008 ``crs``), reprojected to EPSG:4326."""
    if not raw.crs or raw.geometry is None:
        return raw
    crs = QgsCoordinateReferenceSystem(raw.crs)
    if not crs.isValid():
        return raw  # core refuses it, naming the CRS
    shape = geo.qgs_to_wgs84(geo.to_qgs(raw.geometry), crs, context)
    return replace(
        raw, geometry=shapely.MultiPolygon(shapely.get_parts(shape)) if shape is not None else None, crs=None
    )


def source_label(path: Path, sublayer: Optional[Sublayer] = None, contents: Optional[FileContents] = None) -> str:
    if sublayer is not None and contents is not None and len(contents.sublayers) > 1:
        return f"{Path(path).name} | {sublayer.name}"
    return Path(path).name


def import_file(
    path: Path,
    context: QgsCoordinateTransformContext,
    sublayer_uri: Optional[str] = None,
    dissolve_name: Optional[str] = None,
    progress: Optional[Progress] = None,
) -> ImportResult:
    """Read and build AOIs from a file: the whole import, for a task or Processing."""
    contents = inspect_file(path)
    raws = read_file(path, context, sublayer_uri, progress, contents)
    sublayer = next((s for s in contents.sublayers if s.uri == sublayer_uri), None)
    label = source_label(path, sublayer, contents)
    default_name = sublayer.name if sublayer is not None and len(contents.sublayers) > 1 else Path(path).stem
    return finish_import(raws, label, default_name, dissolve_name)


def finish_import(
    raws: Sequence[RawFeature], source: str, default_name: str, dissolve_name: Optional[str] = None
) -> ImportResult:
    if not raws:
        raise InputError(f"{source} holds no features: there is nothing to import.")
    result = build_aois(raws, source, default_name)
    if dissolve_name is not None and len(result.aois) > 1:
        merged = dissolve(result.aois, dissolve_name, f"{source} (dissolved)")
        return ImportResult((merged,), result.refused)
    return result
