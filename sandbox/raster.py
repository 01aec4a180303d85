"""Imagery-like rasters for deliveries and quicklooks (real GeoTIFF/COG/JPEG 2000), made with GDAL.

The content is synthetic but reads as a satellite image of the place (``landscape``):

* land and sea from the countries of QGIS's own ``resources/data/world_map.gpkg``
  (rasterised for the requested grid, the generalised coastline roughened), cities where a
  province of its ``states_provinces`` layer is a city (see ``CITY_KM2``);
* fields, forest, towns, lakes, relief and a biome are functions of the place alone, so a
  capture's quicklook and any delivery of the same ground show the same landscape;
* ``seed`` adds a per-pixel sensor noise (two requests with the same seed give the same
  bytes); ``cloud_cover`` and ``cloud_seed`` (the capture) add that capture's clouds.

Band order is blue, green, red, near infrared (then SWIR-like bands if more are asked);
one band is a panchromatic mix. ``uint16`` and ``int16`` values are reflectance x 10000,
``uint8`` is a display stretch. Pixels outside the AOI polygon (inside its bounding box)
are nodata: 0 for unsigned types, -32768 for ``int16`` (ClearSKY's documented INT16 nodata,
in the ``DataType`` enum of its API reference).

Grid: EPSG:4326 by default, or any EPSG code given as ``epsg`` (the AOI's UTM zone, see
:func:`utm_epsg`); pixels are square on the ground, at most ``max_pixels`` on the long side.
An AOI crossing the antimeridian is not split: its bounds are taken as given.
"""

from __future__ import annotations

import atexit
import hashlib
import math
import os
import threading
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from osgeo import gdal, ogr, osr

from . import landscape

WORLD_MAP = Path(os.environ.get("NADIR_WORLD_MAP", "/usr/share/qgis/resources/data/world_map.gpkg"))

FORMATS = ("COG", "GTiff", "JP2")
DTYPES = {"uint8": gdal.GDT_Byte, "uint16": gdal.GDT_UInt16, "int16": gdal.GDT_Int16}
NODATA = {"uint8": 0, "uint16": 0, "int16": -32768}

BAND_NAMES = ("blue", "green", "red", "nir", "swir1", "swir2")
SPECTRAL = (*BAND_NAMES, "pan")  # names accepted by ``spectra``
# A province is taken for a city when it is this small, and much smaller than its country's usual
# province: Berlin in Germany, Wien in Austria, the London boroughs, the Paris departments,
# Kampala, Phnom Penh; not the municipalities of Slovenia nor the districts of Latvia.
CITY_KM2 = 1_500.0
CITY_SHARE_OF_MEDIAN = 0.25

_WORLD_LOCK = threading.Lock()
_world: Any = None  # the opened world_map.gpkg (OGR data sources are not thread-safe)
_median_km2: dict[str, float] | None = None  # each country's median province area


class _GdalExceptions:
    """Turn on GDAL/OGR/OSR exceptions while any thread renders, restore the caller's mode after.

    Reference-counted rather than toggled per call, so that concurrent requests in the
    sandbox's thread pool never switch exceptions off under each other, and a QGIS process
    that imports this module (the qgis test tier) keeps its own setting afterwards.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._previous: tuple[int, int, int] = (0, 0, 0)

    def __enter__(self) -> None:
        with self._lock:
            if self._depth == 0:
                self._previous = (gdal.GetUseExceptions(), ogr.GetUseExceptions(), osr.GetUseExceptions())
                for module in (gdal, ogr, osr):
                    module.UseExceptions()
            self._depth += 1

    def __exit__(self, *_exc: object) -> None:
        with self._lock:
            self._depth -= 1
            if self._depth == 0:
                # GDAL stacks its error handlers: undo in the reverse order of UseExceptions()
                for module, was_on in reversed(list(zip((gdal, ogr, osr), self._previous))):
                    if not was_on:
                        module.DontUseExceptions()


_exceptions = _GdalExceptions()


# ---------------------------------------------------------------- public API


def make_delivery(
    aoi: dict[str, Any],
    out_path: Path,
    *,
    fmt: str = "COG",
    bands: int = 4,
    seed: str = "",
    max_pixels: int = 1024,
    dtype: str = "uint16",
    epsg: int = 4326,
    clip: bool = True,
    spectra: Sequence[str] | None = None,
    band_names: Sequence[str] | None = None,
    cloud_cover: float = 0.0,
    cloud_seed: str | None = None,
) -> Path:
    """Write a georeferenced multi-band raster covering ``aoi`` (GeoJSON, EPSG:4326).

    ``fmt``: ``COG`` (tiled, DEFLATE, internal overviews), ``GTiff`` (tiled, internal
    overviews) or ``JP2`` (JPEG 2000 via JP2OpenJPEG, lossless, nodata and band names in a
    ``.aux.xml`` sidecar beside it, with resolution levels that
    GDAL reports as overviews). ``epsg``: output CRS (4326 or a projected code such as the
    AOI's UTM zone). ``clip``: pixels outside the AOI polygon become nodata. ``spectra``:
    the response of each band, from ``SPECTRAL``, instead of the default order (then ``bands``
    is its length); ``band_names`` replaces the band descriptions. ``cloud_cover`` (0..100)
    and ``cloud_seed`` (the capture's id, as given to :func:`make_quicklook_png`) put the
    capture's clouds into the delivery, where its quicklook shows them. The file is
    written to a temporary name in the same folder and renamed, so a reader never sees a
    half-written delivery.
    """
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if dtype not in DTYPES:
        raise ValueError(f"dtype must be one of {', '.join(DTYPES)}, not {dtype!r}")
    if spectra is not None:
        unknown = [name for name in spectra if name not in SPECTRAL]
        if unknown or not spectra:
            raise ValueError(f"spectra must be names from {', '.join(SPECTRAL)}")
        bands = len(spectra)
    if not 1 <= bands <= 16:
        raise ValueError("bands must be between 1 and 16")
    if band_names is not None and len(band_names) != bands:
        raise ValueError("band_names needs one name per band")
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(f".{out_path.name}.{uuid.uuid4().hex}.part")
    with _exceptions:
        mem = _render(
            aoi,
            bands=bands,
            seed=seed,
            max_pixels=max(8, max_pixels),
            dtype=dtype,
            epsg=epsg,
            clip=clip,
            spectra=spectra,
            cloud_cover=cloud_cover,
            cloud_seed=seed if cloud_seed is None else cloud_seed,
        )
        for index, name in enumerate(band_names or ()):
            mem.GetRasterBand(index + 1).SetDescription(str(name))
        tmp_aux = tmp.with_name(tmp.name + ".aux.xml")
        out_aux = out_path.with_name(out_path.name + ".aux.xml")
        try:
            _write(mem, tmp, fmt)
            del mem
            # JPEG 2000 has no place for nodata and band names: GDAL keeps them in a PAM
            # sidecar (<file>.aux.xml), moved into place first so the raster never appears
            # without it. GeoTIFFs carry everything inside and get no sidecar.
            if tmp_aux.exists():
                os.replace(tmp_aux, out_aux)
            elif out_aux.exists():
                out_aux.unlink()
            os.replace(tmp, out_path)
        finally:
            for leftover in (tmp, tmp_aux):
                if leftover.exists():
                    leftover.unlink()
    return out_path


def make_quicklook_png(
    footprint: dict[str, Any], *, seed: str = "", size: int = 256, cloud_cover: float = 0.0
) -> bytes:
    """A small RGB PNG of the footprint's area (black outside the footprint polygon).

    ``cloud_cover`` (0..100) covers about that share of the footprint with clouds, so a
    capture's quicklook shows what its metadata says; ``seed`` (the capture's id) places them.
    """
    with _exceptions:
        mem = _render(
            footprint,
            bands=3,
            seed=seed,
            max_pixels=max(8, size),
            dtype="uint8",
            epsg=4326,
            clip=True,
            spectra=("red", "green", "blue"),
            cloud_cover=cloud_cover,
            cloud_seed=seed,
        )
        rgb = np.stack([mem.GetRasterBand(b).ReadAsArray() for b in (1, 2, 3)])
        out = gdal.GetDriverByName("MEM").Create("", mem.RasterXSize, mem.RasterYSize, 3, gdal.GDT_Byte)
        for index in range(3):
            out.GetRasterBand(index + 1).WriteArray(rgb[index])
        name = f"/vsimem/nadir-quicklook-{uuid.uuid4().hex}.png"
        try:
            gdal.GetDriverByName("PNG").CreateCopy(name, out, options=["WORLDFILE=NO"])
            return _read_vsimem(name)
        finally:
            gdal.Unlink(name)
            if gdal.VSIStatL(name + ".aux.xml") is not None:
                gdal.Unlink(name + ".aux.xml")


def png_to_jpeg(png: bytes, quality: int = 85) -> bytes:
    """Re-encode a PNG (as made by :func:`make_quicklook_png`) as JPEG, in memory."""
    source, target = f"/vsimem/nadir-{uuid.uuid4().hex}.png", f"/vsimem/nadir-{uuid.uuid4().hex}.jpg"
    with _exceptions:
        gdal.FileFromMemBuffer(source, png)
        try:
            gdal.Translate(target, source, format="JPEG", creationOptions=[f"QUALITY={quality}", "WORLDFILE=NO"])
            return _read_vsimem(target)
        finally:
            for name in (source, target, target + ".aux.xml"):
                if gdal.VSIStatL(name) is not None:
                    gdal.Unlink(name)


def land_fraction_grid(cells_per_degree: int = 10) -> np.ndarray:
    """Share of land (0..1) per 1-degree cell from world_map.gpkg: shape (180, 360), row 0 at
    latitude -90, column 0 at longitude -180. All ones if the world map is missing."""
    n = cells_per_degree
    with _exceptions:
        mem = gdal.GetDriverByName("MEM").Create("", 360 * n, 180 * n, 1, gdal.GDT_Byte)
        mem.SetGeoTransform((-180.0, 1.0 / n, 0.0, 90.0, 0.0, -1.0 / n))
        mem.SetProjection(_srs(4326).ExportToWkt())
        with _WORLD_LOCK:
            layer = _world_layer()
            if layer is None:
                return np.ones((180, 360), dtype=np.float64)
            layer.SetSpatialFilter(None)
            gdal.RasterizeLayer(mem, [1], layer, burn_values=[1])
        fine = mem.GetRasterBand(1).ReadAsArray().astype(np.float64)
    coarse = fine.reshape(180, n, 360, n).mean(axis=(1, 3))
    return coarse[::-1].copy()


def utm_epsg(lon: float, lat: float) -> int:
    """EPSG code of the WGS 84 UTM zone containing (lon, lat): 326zz north, 327zz south."""
    zone = min(60, max(1, math.floor((lon + 180.0) / 6.0) + 1))
    return (32600 if lat >= 0 else 32700) + zone


# ---------------------------------------------------------------- rendering


class _Grid:
    """Output grid: size, geotransform, CRS, and pixel size on the ground in metres."""

    def __init__(self, bounds: tuple[float, float, float, float], epsg: int, max_pixels: int) -> None:
        minx, miny, maxx, maxy = bounds
        self.srs = _srs(epsg)
        geographic = bool(self.srs.IsGeographic())
        if geographic:
            lat0 = math.radians((miny + maxy) / 2.0)
            self.mx = 111_320.0 * max(math.cos(lat0), 0.01)  # metres per degree of longitude
            self.my = 110_574.0
        else:
            self.mx = self.my = 1.0
        width_m = max((maxx - minx) * self.mx, 1e-3)
        height_m = max((maxy - miny) * self.my, 1e-3)
        pixel_m = max(width_m, height_m) / max_pixels
        self.width = max(2, math.ceil(width_m / pixel_m - 1e-9))
        self.height = max(2, math.ceil(height_m / pixel_m - 1e-9))
        self.pixel_m = pixel_m
        self.dx = pixel_m / self.mx
        self.dy = pixel_m / self.my
        self.geotransform = (minx, self.dx, 0.0, maxy, 0.0, -self.dy)

    def mem(self, bands: int, gdal_type: int) -> Any:
        ds = gdal.GetDriverByName("MEM").Create("", self.width, self.height, bands, gdal_type)
        ds.SetGeoTransform(self.geotransform)
        ds.SetProjection(self.srs.ExportToWkt())
        return ds


def _render(
    aoi: dict[str, Any],
    *,
    bands: int,
    seed: str,
    max_pixels: int,
    dtype: str,
    epsg: int,
    clip: bool,
    spectra: Sequence[str] | None = None,
    cloud_cover: float = 0.0,
    cloud_seed: str = "",
) -> Any:
    geometry = _ogr_geometry(aoi)
    target = _srs(epsg)
    if epsg != 4326:
        geometry.Transform(osr.CoordinateTransformation(_srs(4326), target))
    minx, maxx, miny, maxy = geometry.GetEnvelope()
    grid = _Grid((minx, miny, maxx, maxy), epsg, max_pixels)

    reflectance = landscape.reflectance(
        _frame(grid),
        _land_mask(grid),
        _city_mask(grid),
        landscape.spectra(bands, spectra),
        seed_key=_seed_int(seed),
        cloud_key=_seed_int("clouds:" + cloud_seed),
        cloud_cover=cloud_cover,
    )

    out = grid.mem(bands, DTYPES[dtype])
    nodata = NODATA[dtype]
    inside = _polygon_mask(grid, geometry) if clip else np.ones((grid.height, grid.width), dtype=bool)
    for band in range(bands):
        values = _scale(reflectance[:, :, band], dtype)
        values[~inside] = nodata
        rb = out.GetRasterBand(band + 1)
        rb.WriteArray(values)
        rb.SetNoDataValue(nodata)
        rb.SetDescription(spectra[band] if spectra else _band_name(band, bands))
        rb.SetColorInterpretation(_color_interp(band, bands) if not spectra else _color_of(spectra[band]))
    return out


def _frame(grid: _Grid) -> landscape.Frame:
    """The grid's pixels in the landscape's world metres: three pixel centres taken to lon/lat,
    the affine map between them (pixel -> world) fitted around the centre of the grid."""
    minx, dx, _, maxy, _, dy = grid.geotransform
    cc, rc = (grid.width - 1) / 2.0, (grid.height - 1) / 2.0
    half_c, half_r = max(grid.width / 4.0, 1.0), max(grid.height / 4.0, 1.0)
    points = [(cc, rc), (cc + half_c, rc), (cc, rc + half_r)]
    xy = [(minx + (c + 0.5) * dx, maxy + (r + 0.5) * dy) for c, r in points]
    if grid.srs.IsGeographic():
        lonlat = xy
    else:
        to_wgs = osr.CoordinateTransformation(grid.srs, _srs(4326))
        lonlat = [tuple(to_wgs.TransformPoint(x, y)[:2]) for x, y in xy]
    lon = np.array([p[0] for p in lonlat])
    lat = np.array([p[1] for p in lonlat])
    meridian, zone = landscape.zone_meridian(float(lon[0]))
    wx, wy = landscape.world_xy(lon, lat, meridian)
    wx = wx + zone * 40_000_000.0  # each zone its own stretch of the noise
    ax, ay = (wx[1] - wx[0]) / half_c, (wy[1] - wy[0]) / half_c
    bx, by = (wx[2] - wx[0]) / half_r, (wy[2] - wy[0]) / half_r
    return landscape.Frame(
        width=grid.width,
        height=grid.height,
        x0=float(wx[0] - cc * ax - rc * bx),
        y0=float(wy[0] - cc * ay - rc * by),
        ax=float(ax),
        ay=float(ay),
        bx=float(bx),
        by=float(by),
        pixel_m=grid.pixel_m,
        lon=float(lon[0]),
        lat=float(lat[0]),
    )


def _band_name(band: int, bands: int) -> str:
    if bands == 1:
        return "panchromatic"
    name = BAND_NAMES[band % len(BAND_NAMES)]
    return name if band < len(BAND_NAMES) else f"{name}_{band // len(BAND_NAMES) + 1}"


def _color_of(name: str) -> int:
    return int(
        {
            "blue": gdal.GCI_BlueBand,
            "green": gdal.GCI_GreenBand,
            "red": gdal.GCI_RedBand,
            "pan": gdal.GCI_GrayIndex,
        }.get(name, gdal.GCI_Undefined)
    )


def _color_interp(band: int, bands: int) -> int:
    if bands == 1:
        return int(gdal.GCI_GrayIndex)
    return int((gdal.GCI_BlueBand, gdal.GCI_GreenBand, gdal.GCI_RedBand)[band]) if band < 3 else int(gdal.GCI_Undefined)


def _scale(reflectance: np.ndarray, dtype: str) -> np.ndarray:
    if dtype == "uint8":  # display product: gamma stretch, 1..255 (0 is nodata)
        display = np.power(np.clip(reflectance / 0.35, 0.0, 1.0), 0.7) * 254.0 + 1.0
        return display.astype(np.uint8)
    scaled = np.rint(reflectance * 10_000.0)
    if dtype == "uint16":
        return np.clip(scaled, 1, 65_535).astype(np.uint16)
    return np.clip(scaled, -32_767, 32_767).astype(np.int16)


def _land_mask(grid: _Grid) -> np.ndarray:
    """1 where a country of world_map.gpkg covers the pixel centre."""
    mem = grid.mem(1, gdal.GDT_Byte)
    with _WORLD_LOCK:
        layer = _world_layer()
        if layer is None:  # no world map: all land, still textured
            return np.ones((grid.height, grid.width), dtype=bool)
        bounds = _grid_bounds_4326(grid)
        layer.SetSpatialFilterRect(*bounds)
        try:
            gdal.RasterizeLayer(mem, [1], layer, burn_values=[1])
        finally:
            layer.SetSpatialFilter(None)
    return np.asarray(mem.GetRasterBand(1).ReadAsArray(), dtype=bool)


def _city_mask(grid: _Grid) -> np.ndarray:
    """1 where a province of world_map.gpkg that is a city (see ``CITY_KM2``) covers the pixel
    centre. world_map has no towns, but some provinces are cities."""
    none = np.zeros((grid.height, grid.width), dtype=bool)
    with _WORLD_LOCK:
        if _world_layer() is None:
            return none
        layer = _world.GetLayerByName("states_provinces")
        if layer is None:
            return none
        medians = _province_medians(layer)
        cities = ogr.GetDriverByName("Memory").CreateDataSource("cities")
        out = cities.CreateLayer("cities", _srs(4326), ogr.wkbUnknown)
        layer.SetSpatialFilterRect(*_grid_bounds_4326(grid))
        try:
            for feature in layer:
                shape = feature.GetGeometryRef()
                if shape is None:
                    continue
                km2 = _km2(shape)
                median = medians.get(str(feature.GetField("admin")), 0.0)
                if km2 < CITY_KM2 and km2 < CITY_SHARE_OF_MEDIAN * median:
                    copy = ogr.Feature(out.GetLayerDefn())
                    copy.SetGeometry(shape.Clone())
                    out.CreateFeature(copy)
        finally:
            layer.SetSpatialFilter(None)
    if out.GetFeatureCount() == 0:
        return none
    mem = grid.mem(1, gdal.GDT_Byte)
    gdal.RasterizeLayer(mem, [1], out, burn_values=[1])
    return np.asarray(mem.GetRasterBand(1).ReadAsArray(), dtype=bool)


def _km2(shape: Any) -> float:
    _, _, lat0, lat1 = shape.GetEnvelope()
    return float(shape.GetArea() * 111.32 * 110.57 * math.cos(math.radians((lat0 + lat1) / 2.0)))


def _province_medians(layer: Any) -> dict[str, float]:
    """Median province area (km2) per country, read once (under ``_WORLD_LOCK``)."""
    global _median_km2
    if _median_km2 is None:
        areas: dict[str, list[float]] = {}
        layer.SetSpatialFilter(None)
        for feature in layer:
            shape = feature.GetGeometryRef()
            if shape is not None:
                areas.setdefault(str(feature.GetField("admin")), []).append(_km2(shape))
        _median_km2 = {admin: float(np.median(values)) for admin, values in areas.items()}
    return _median_km2


def close() -> None:
    """Release the cached world map. Call before GDAL shuts down in a host that tears GDAL
    down itself (QGIS's exitQgis): a data source destroyed after that crashes the process."""
    global _world
    with _WORLD_LOCK:
        _world = None


atexit.register(close)


def _world_layer() -> Any:
    global _world
    if _world is None:
        if not WORLD_MAP.exists():
            return None
        _world = ogr.Open(str(WORLD_MAP))
    return _world.GetLayerByName("countries")


def _grid_bounds_4326(grid: _Grid) -> tuple[float, float, float, float]:
    minx, dx, _, maxy, _, dy = grid.geotransform
    maxx, miny = minx + dx * grid.width, maxy + dy * grid.height
    if grid.srs.IsGeographic():
        return minx, miny, maxx, maxy
    to_wgs = osr.CoordinateTransformation(grid.srs, _srs(4326))
    ring = ogr.Geometry(ogr.wkbLinearRing)
    steps = 8
    for i in range(steps + 1):
        t = i / steps
        for x, y in (
            (minx + t * (maxx - minx), miny),
            (maxx, miny + t * (maxy - miny)),
            (maxx - t * (maxx - minx), maxy),
            (minx, maxy - t * (maxy - miny)),
        ):
            ring.AddPoint_2D(x, y)
    ring.Transform(to_wgs)
    lon0, lon1, lat0, lat1 = ring.GetEnvelope()
    return lon0, lat0, lon1, lat1


def _polygon_mask(grid: _Grid, geometry: Any) -> np.ndarray:
    mem = grid.mem(1, gdal.GDT_Byte)
    vector = ogr.GetDriverByName("Memory").CreateDataSource("aoi")
    layer = vector.CreateLayer("aoi", grid.srs, ogr.wkbUnknown)
    feature = ogr.Feature(layer.GetLayerDefn())
    feature.SetGeometry(geometry)
    layer.CreateFeature(feature)
    # ALL_TOUCHED so thin AOIs (a few pixels wide) still get pixels
    gdal.RasterizeLayer(mem, [1], layer, burn_values=[1], options=["ALL_TOUCHED=TRUE"])
    return np.asarray(mem.GetRasterBand(1).ReadAsArray(), dtype=bool)


# ---------------------------------------------------------------- writing


def _write(mem: Any, path: Path, fmt: str) -> None:
    long_side = max(mem.RasterXSize, mem.RasterYSize)
    levels = _overview_factors(long_side)
    if fmt == "COG":
        options = [
            "COMPRESS=DEFLATE",
            "PREDICTOR=YES",
            "LEVEL=1",
            "BLOCKSIZE=256",
            "NUM_THREADS=ALL_CPUS",
            "OVERVIEW_RESAMPLING=AVERAGE",
            f"OVERVIEW_COUNT={len(levels)}",
        ]
        gdal.GetDriverByName("COG").CreateCopy(str(path), mem, options=options)
    elif fmt == "GTiff":
        mem.BuildOverviews("AVERAGE", levels)
        options = [
            "TILED=YES",
            "COMPRESS=DEFLATE",
            "PREDICTOR=2",
            "ZLEVEL=1",
            "COPY_SRC_OVERVIEWS=YES",
            "INTERLEAVE=PIXEL",
        ]
        gdal.GetDriverByName("GTiff").CreateCopy(str(path), mem, options=options)
    else:
        # JP2 channel definitions know only R, G, B (and alpha): leave the bands undefined
        # rather than have the writer try to map blue/green/red/NIR onto them
        for index in range(mem.RasterCount):
            mem.GetRasterBand(index + 1).SetColorInterpretation(gdal.GCI_Undefined)
        # Lossless, one resolution level per overview GDAL should report. GDAL exposes the
        # levels as overviews only if the tiles have even sizes: a tile larger than the image
        # is clamped to it (an odd height loses them), so use a power of two that fits.
        # Below 128 px on a side GDAL reports no JP2 overviews anyway: driver defaults there.
        options = ["CODEC=JP2", "REVERSIBLE=YES", "QUALITY=100", "YCC=NO"]
        short_side = min(mem.RasterXSize, mem.RasterYSize)
        if short_side >= 128:
            block = 1 << min(9, int(math.log2(short_side)))
            options += [f"RESOLUTIONS={len(levels) + 1}", f"BLOCKXSIZE={block}", f"BLOCKYSIZE={block}"]
        gdal.GetDriverByName("JP2OpenJPEG").CreateCopy(str(path), mem, options=options)


def _overview_factors(long_side: int) -> list[int]:
    """2, 4, 8... down to about 64 px on the long side; at least one level."""
    factors = [2]
    while long_side / (factors[-1] * 2) >= 64:
        factors.append(factors[-1] * 2)
    return factors


# ---------------------------------------------------------------- helpers


def _ogr_geometry(aoi: dict[str, Any]) -> Any:
    import json

    if not isinstance(aoi, dict) or "type" not in aoi:
        raise ValueError("aoi must be a GeoJSON geometry")
    geometry = ogr.CreateGeometryFromJson(json.dumps(aoi))
    if geometry is None or geometry.IsEmpty():
        raise ValueError("aoi is empty")
    minx, maxx, miny, maxy = geometry.GetEnvelope()
    if not (-180.0 <= minx <= maxx <= 180.0 and -90.0 <= miny <= maxy <= 90.0):
        raise ValueError("aoi must be in EPSG:4326 lon/lat")
    return geometry


def _srs(epsg: int) -> Any:
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(int(epsg))
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def _seed_int(seed: str) -> int:
    return int.from_bytes(hashlib.sha256(seed.encode()).digest()[:4], "little")


def _read_vsimem(name: str) -> bytes:
    handle = gdal.VSIFOpenL(name, "rb")
    try:
        gdal.VSIFSeekL(handle, 0, 2)
        size = gdal.VSIFTellL(handle)
        gdal.VSIFSeekL(handle, 0, 0)
        return bytes(gdal.VSIFReadL(1, size, handle))
    finally:
        gdal.VSIFCloseL(handle)
