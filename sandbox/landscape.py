"""A synthetic landscape that reads as satellite imagery of the place (used by ``raster``).

Everything the ground shows is a function of the place, not of the request: value noise is
evaluated in world metres (a sinusoidal projection around the 6-degree zone's central
meridian), so a quicklook in EPSG:4326 and a delivery in UTM of the same capture show the same
fields, towns and coast. What a request adds is a per-pixel sensor noise keyed by ``seed``
and, for a cloudy capture, clouds keyed by the capture.

The scene, from the bottom up:

* water and land from the rasterised countries of ``world_map.gpkg``, with the coastline
  roughened by fractal noise (the file is generalised to straight segments of a few km), a
  beach, shallow turquoise water near the coast and deep blue offshore, a few inland lakes;
* towns: dense where a small province of ``world_map`` is a city (Berlin, Vienna, the London
  boroughs, the Paris departments...), villages scattered elsewhere; a street grid of blocks
  with grey or red roofs and small parks;
* forest in irregular natural patches, fields in straight-edged parcels (rectangular blocks
  split into strips, a grid orientation per 25 km "estate"), each parcel with its crop:
  green, ripening, bare soil, ploughed or meadow;
* a biome from the latitude and a few hand-drawn boxes: deserts (sand and rock), mountains
  (relief, forest below rock and snow), boreal (conifers and lakes), tropics (dense forest),
  polar ice;
* relief shading from a fractal height field, strong in mountains and faint on plains;
* clouds, soft and white with their shadows offset, covering about ``cloud_cover`` % of any
  area a few kilometres wide.

Reflectances are those of Sentinel-2 L2A products (blue, green, red, NIR, SWIR1, SWIR2), so a
per-band 2-98 % stretch (QGIS's cumulative cut) gives natural colours and NIR stays high on
vegetation, low on water.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

EARTH_M = 6_371_000.0
WORLD_KEY = 0x6E616469  # the landscape is the same for every request: one world

# Materials (rows) and their reflectance (0..1) in blue, green, red, NIR, SWIR1, SWIR2.
# A per-band 2-98 % stretch (QGIS's cumulative cut) spreads each band from the darkest cover
# (conifers) to the brightest (harvested fields, a few % of farmland): the visible bands of
# the other covers sit between those two where a natural colour puts them (dark green woods,
# green crops, tan soils, grey roofs), each within what Sentinel-2 L2A shows for that cover.
MATERIALS = {
    "deep_water": (0.030, 0.036, 0.015, 0.008, 0.004, 0.003),
    "shallow_water": (0.051, 0.061, 0.034, 0.018, 0.008, 0.005),
    "lake": (0.023, 0.038, 0.016, 0.014, 0.006, 0.004),
    "conifer": (0.017, 0.041, 0.022, 0.230, 0.105, 0.046),
    "broadleaf": (0.020, 0.052, 0.029, 0.360, 0.175, 0.076),
    "green_crop": (0.023, 0.068, 0.039, 0.440, 0.225, 0.100),
    "ripening_crop": (0.047, 0.097, 0.121, 0.330, 0.320, 0.220),
    "bare_soil": (0.043, 0.077, 0.100, 0.220, 0.300, 0.260),
    "ploughed": (0.033, 0.061, 0.070, 0.180, 0.230, 0.200),
    "stubble": (0.083, 0.117, 0.148, 0.280, 0.350, 0.300),
    "meadow": (0.027, 0.070, 0.048, 0.340, 0.225, 0.112),
    "roof_grey": (0.059, 0.088, 0.103, 0.150, 0.210, 0.200),
    "roof_red": (0.041, 0.070, 0.114, 0.160, 0.250, 0.230),
    "asphalt": (0.045, 0.066, 0.066, 0.090, 0.120, 0.110),
    "sand": (0.150, 0.195, 0.250, 0.290, 0.420, 0.360),
    "beach": (0.095, 0.125, 0.150, 0.220, 0.340, 0.300),
    "rock": (0.095, 0.112, 0.125, 0.150, 0.230, 0.210),
    "snow": (0.800, 0.800, 0.780, 0.700, 0.100, 0.080),
    "cloud": (0.520, 0.530, 0.540, 0.560, 0.450, 0.350),
}
NAMES = tuple(MATERIALS)
M = {name: index for index, name in enumerate(NAMES)}
TABLE = np.array([MATERIALS[name] for name in NAMES], dtype=np.float32)

# (west, south, east, north) boxes, softened at their edges
DESERTS = (
    (-17.0, 15.5, 32.0, 30.5),
    (34.5, 15.0, 58.0, 32.0),
    (52.0, 27.0, 66.0, 35.0),
    (68.5, 24.0, 75.0, 29.5),
    (76.0, 37.0, 110.0, 45.0),
    (117.0, -31.0, 144.0, -19.0),
    (12.5, -28.0, 24.0, -19.0),
    (-71.5, -27.0, -68.5, -17.0),
    (-117.0, 25.0, -104.0, 36.5),
)
MOUNTAINS = (
    (6.4, 44.0, 7.8, 45.9),
    (6.8, 45.8, 13.5, 47.3),
    (12.5, 46.3, 16.0, 47.7),
    (-1.8, 42.2, 3.0, 43.2),
    (70.0, 27.5, 100.0, 38.0),
    (-79.0, -45.0, -64.0, 8.0),
    (-124.0, 36.0, -105.0, 60.0),
    (38.0, 41.5, 49.0, 43.8),
    (18.0, 45.3, 26.5, 49.6),
    (-6.5, 36.8, -2.5, 37.3),
    (6.0, 60.0, 16.0, 69.0),
    (138.0, 35.0, 139.5, 36.7),
    (166.5, -46.0, 171.5, -42.0),
)


@dataclass(frozen=True)
class Biome:
    forest: float  # share of land under forest (0..1)
    conifer: float  # share of that forest in conifers
    relief_m: float  # height range of the terrain
    desert: float  # 0 green land .. 1 sand and rock
    ice: float  # 0 .. 1 snow cover
    lakes: float  # share of land in small lakes
    villages: float  # share of land in villages


def biome(lon: float, lat: float, span_m: float = 0.0) -> Biome:
    """The biome at a place, from its latitude and the boxes above (plausible, not exact). One
    biome serves a whole request: for one wider than a few hundred km the boxes fade out."""
    regional = min(1.0, max(0.0, (600_000.0 - span_m) / 300_000.0))
    desert = regional * max((_in_box(lon, lat, box, 2.0) for box in DESERTS), default=0.0)
    mountain = regional * max((_in_box(lon, lat, box, 0.8) for box in MOUNTAINS), default=0.0)
    alat = abs(lat)
    boreal = _ramp(alat, 54.0, 60.0) * (1.0 - _ramp(alat, 68.0, 72.0))
    tropical = 1.0 - _ramp(alat, 12.0, 20.0)
    polar = max(
        _ramp(alat, 68.0, 76.0), 1.0 if lat < -62.0 else 0.0, _in_box(lon, lat, (-52.0, 62.0, -22.0, 82.0), 3.0) * 0.95
    )
    forest = 0.3 + 0.35 * boreal + 0.35 * tropical + 0.25 * mountain
    forest *= (1.0 - desert) * (1.0 - polar)
    return Biome(
        forest=min(forest, 0.8),
        conifer=min(1.0, 0.35 + 0.6 * boreal + 0.4 * mountain) * (1.0 - tropical),
        relief_m=60.0 + 2600.0 * mountain + 300.0 * desert,
        desert=desert,
        ice=polar,
        lakes=0.008 + 0.05 * boreal,
        villages=0.05 * (1.0 - 0.8 * desert) * (1.0 - polar) * (1.0 - 0.5 * mountain),
    )


def _in_box(lon: float, lat: float, box: tuple[float, float, float, float], soft: float) -> float:
    west, south, east, north = box
    inside = min(lon - west, east - lon, lat - south, north - lat)
    return float(min(1.0, max(0.0, 0.5 + inside / soft)))


def _ramp(value: float, low: float, high: float) -> float:
    return float(min(1.0, max(0.0, (value - low) / (high - low))))


# ---------------------------------------------------------------- world coordinates


@dataclass(frozen=True)
class Frame:
    """Pixel (col, row) -> world metres, affine: X = x0 + col*ax + row*bx, Y = y0 + col*ay + row*by.

    (x0, y0) is the centre of pixel (0, 0). Built by the caller from the grid and a lon/lat
    transform (see ``raster``); affine is exact enough over the few hundred km a request spans.
    """

    width: int
    height: int
    x0: float
    y0: float
    ax: float
    ay: float
    bx: float
    by: float
    pixel_m: float
    lon: float  # centre of the grid
    lat: float

    def sub(self, col: int, row: int, width: int, height: int) -> Frame:
        """The frame of a window of this one, starting at pixel (col, row)."""
        return Frame(
            width=width,
            height=height,
            x0=self.x0 + col * self.ax + row * self.bx,
            y0=self.y0 + col * self.ay + row * self.by,
            ax=self.ax,
            ay=self.ay,
            bx=self.bx,
            by=self.by,
            pixel_m=self.pixel_m,
            lon=self.lon,
            lat=self.lat,
        )

    def axis(self, cx: float, cy: float, scale: float, step: int = 1) -> tuple[int, np.ndarray]:
        """(I, f) with I + f = (cx*X + cy*Y) / scale at the pixel centres (every ``step``th, at
        the centre of each step x step block); f is small float32, I carries the big part."""
        base = (cx * self.x0 + cy * self.y0) / scale
        whole = math.floor(base)
        offset = (step - 1) / 2.0
        cols = np.arange(-(-self.width // step), dtype=np.float64) * step + offset
        rows = np.arange(-(-self.height // step), dtype=np.float64) * step + offset
        along_col = (cx * self.ax + cy * self.ay) / scale
        along_row = (cx * self.bx + cy * self.by) / scale
        f = (base - whole) + cols[None, :] * along_col + rows[:, None] * along_row
        return whole, f.astype(np.float32)


def world_xy(lon: np.ndarray, lat: np.ndarray, lon0: float) -> tuple[np.ndarray, np.ndarray]:
    """Sinusoidal metres around the central meridian ``lon0`` (shear stays small within a zone)."""
    phi = np.radians(lat)
    return EARTH_M * np.cos(phi) * np.radians(lon - lon0), EARTH_M * phi


def zone_meridian(lon: float) -> tuple[float, int]:
    zone = min(59, max(0, math.floor((lon + 180.0) / 6.0)))
    return -177.0 + 6.0 * zone, zone


# ---------------------------------------------------------------- noise


def hash2(ix: np.ndarray, iy: np.ndarray, key: int) -> np.ndarray:
    """Deterministic hash of integer lattice coordinates to floats in [0, 1)."""
    with np.errstate(over="ignore"):
        h = (ix.astype(np.uint32) * np.uint32(0x27D4EB2D)) ^ (iy.astype(np.uint32) * np.uint32(0x165667B1))
        h = h ^ np.uint32(key & 0xFFFFFFFF)
        h ^= h >> np.uint32(15)
        h *= np.uint32(0x2C1B3C6D)
        h ^= h >> np.uint32(12)
        h *= np.uint32(0x297A2D39)
        h ^= h >> np.uint32(15)
    return (h >> np.uint32(8)).astype(np.float32) / np.float32(1 << 24)


def cells(frame: Frame, cx: float, cy: float, size: float, step: int = 1) -> np.ndarray:
    """Integer cell index along the direction (cx, cy) for cells of ``size`` metres (int64)."""
    whole, f = frame.axis(cx, cy, size, step)
    return np.floor(f).astype(np.int64) + whole


def value_noise(
    frame: Frame, cell: float, key: int, step: int = 1, shift: tuple[float, float] = (0.0, 0.0)
) -> np.ndarray:
    """Smooth value noise (0..1) on a lattice of ``cell`` metres, at every ``step``th pixel."""
    wx, fx = frame.axis(1.0, 0.0, cell, step)
    wy, fy = frame.axis(0.0, 1.0, cell, step)
    if shift != (0.0, 0.0):
        fx += np.float32(shift[0] / cell)
        fy += np.float32(shift[1] / cell)
    ix, iy = np.floor(fx), np.floor(fy)
    fx -= ix
    fy -= iy
    sx = fx * fx * (3.0 - 2.0 * fx)
    sy = fy * fy * (3.0 - 2.0 * fy)
    ix_i, iy_i = ix.astype(np.int32), iy.astype(np.int32)
    x_lo, y_lo = int(ix_i.min()), int(iy_i.min())
    nx = int(ix_i.max()) - x_lo + 2
    lattice = hash2(
        np.arange(x_lo, x_lo + nx, dtype=np.int64)[None, :] + wx,
        np.arange(y_lo, int(iy_i.max()) + 2, dtype=np.int64)[:, None] + wy,
        key,
    ).ravel()
    ix_i -= x_lo
    iy_i -= y_lo
    index = iy_i * nx + ix_i
    a = lattice.take(index)
    top = a + (lattice.take(index + 1) - a) * sx
    index += nx
    c = lattice.take(index)
    bottom = c + (lattice.take(index + 1) - c) * sx
    return top + (bottom - top) * sy


def fbm(
    frame: Frame,
    key: int,
    largest_m: float,
    smallest_m: float,
    persistence: float = 0.5,
    shift: tuple[float, float] = (0.0, 0.0),
) -> np.ndarray:
    """Fractal noise (about 0..1, mean 0.5) from octaves of ``largest_m`` down to ``smallest_m``
    (never finer than two pixels). Octaves 8 pixels or wider are evaluated on a 4x coarser
    grid, those of 4 to 8 pixels on a 2x coarser one, and upsampled: nearly the same values
    at a fraction of the cost."""
    smallest = max(smallest_m, 2.0 * frame.pixel_m)
    tiers: dict[int, np.ndarray] = {}
    # features smaller than two pixels would only alias: a coarse frame gets its finest octave
    weight_sum, weight, cell, octave = 0.0, 1.0, max(largest_m, smallest), 0
    small = min(frame.width, frame.height) < 16
    while octave < 12:
        step = 1 if small else 4 if cell >= 8.0 * frame.pixel_m else 2 if cell >= 4.0 * frame.pixel_m else 1
        layer = value_noise(frame, cell, key + 7919 * octave, step=step, shift=shift)
        layer *= np.float32(weight)
        if step in tiers:
            tiers[step] += layer
        else:
            tiers[step] = layer
        weight_sum += weight
        cell, weight, octave = cell / 2.0, weight * persistence, octave + 1
        if cell < smallest:
            break
    total: np.ndarray | None = None
    for step, layer in tiers.items():
        full = layer if step == 1 else resize(layer, frame.height, frame.width, step)
        total = full if total is None else total + full
    assert total is not None
    return total / np.float32(weight_sum)


def resize(small: np.ndarray, height: int, width: int, step: int) -> np.ndarray:
    """Bilinear upsampling of a grid sampled at the centres of ``step`` x ``step`` blocks
    (edges clamped). Every ``step``th output line has the same weights: strided slices only."""
    return _upsample(_upsample(small, step, axis=1)[:, :width], step, axis=0)[:height]


def _upsample(a: np.ndarray, step: int, axis: int) -> np.ndarray:
    n = a.shape[axis]
    pad = [(0, 0), (0, 0)]
    pad[axis] = (1, 1)
    padded = np.pad(a, pad, mode="edge")

    def cut(start: int) -> np.ndarray:
        return padded[start : start + n] if axis == 0 else padded[:, start : start + n]

    before, here, after = cut(0), cut(1), cut(2)
    shape = list(a.shape)
    shape[axis] = n * step
    out = np.empty(shape, dtype=np.float32)
    for r in range(step):
        t = (r + 0.5) / step - 0.5
        if t < 0:
            lines = here * np.float32(1.0 + t) - before * np.float32(t)
        else:
            lines = here * np.float32(1.0 - t) + after * np.float32(t)
        if axis == 0:
            out[r::step] = lines
        else:
            out[:, r::step] = lines
    return out


def blur(mask: np.ndarray, radius: int) -> np.ndarray:
    """Two box blurs of ``radius`` pixels each way (about a Gaussian), edges clamped. A wide
    blur runs on a grid 4x coarser (block means) and is upsampled."""
    out = mask.astype(np.float32)
    height, width = out.shape
    if radius >= 8 and min(height, width) >= 16:
        h4, w4 = -(-height // 4), -(-width // 4)
        padded = np.pad(out, ((0, h4 * 4 - height), (0, w4 * 4 - width)), mode="edge")
        small = padded.reshape(h4, 4, w4, 4).mean(axis=(1, 3))
        return resize(blur(small, max(1, round(radius / 4))), height, width, 4)
    for axis in (0, 1, 0, 1):
        out = _box(out, radius, axis)
    return out


def _box(a: np.ndarray, r: int, axis: int) -> np.ndarray:
    if r < 1:
        return a
    pad = [(0, 0), (0, 0)]
    pad[axis] = (r + 1, r)
    c = np.cumsum(np.pad(a, pad, mode="edge"), axis=axis, dtype=np.float64)
    n = a.shape[axis]
    hi = np.take(c, np.arange(2 * r + 1, 2 * r + 1 + n), axis=axis)
    lo = np.take(c, np.arange(0, n), axis=axis)
    return ((hi - lo) / (2 * r + 1)).astype(np.float32)


@functools.lru_cache(maxsize=1)
def _cloud_quantiles() -> np.ndarray:
    """Quantiles (0..100 %) of the cloud noise, sampled over a wide area once, so that a cloud
    cover maps to one threshold everywhere (a capture and its delivery share their clouds)."""
    frame = Frame(
        width=512, height=512, x0=0.0, y0=0.0, ax=100.0, ay=0.0, bx=0.0, by=-100.0, pixel_m=100.0, lon=0.0, lat=0.0
    )
    sample = _cloud_field(frame, 12345)
    return np.percentile(sample, np.arange(101)).astype(np.float32)


def _cloud_field(frame: Frame, key: int, shift: tuple[float, float] = (0.0, 0.0)) -> np.ndarray:
    # largest cells of 3 km: any area of 10 km or more holds many clouds, so its cloudy share
    # is close to the cover asked for; finer octaves give the cumulus edges
    return fbm(frame, key, 3_000.0, 40.0, persistence=0.55, shift=shift)


# ---------------------------------------------------------------- the scene


def _cut(largest_m: float, persistence: float, share: float) -> float:
    """The value of ``fbm(largest_m, persistence)`` exceeded by ``share`` of all places: a fixed
    threshold, so that a feature covers the same ground in every request."""
    percent = 100.0 * (1.0 - min(max(share, 0.0), 1.0))
    return float(np.interp(percent, np.arange(101), _quantiles(largest_m, persistence)))


@functools.lru_cache(maxsize=16)
def _quantiles(largest_m: float, persistence: float) -> np.ndarray:
    """Percentiles 0..100 of ``fbm(largest_m, persistence)`` over a wide sample, once."""
    pixel = largest_m / 24.0
    frame = Frame(
        width=384, height=384, x0=1.0e6, y0=2.0e6, ax=pixel, ay=0.0, bx=0.0, by=-pixel, pixel_m=pixel, lon=0.0, lat=0.0
    )
    return np.percentile(fbm(frame, 0xC0FFEE, largest_m, 2.0 * pixel, persistence=persistence), np.arange(101))


def reflectance(
    frame: Frame,
    land: np.ndarray,
    city: np.ndarray,
    columns: np.ndarray,
    *,
    seed_key: int,
    cloud_key: int,
    cloud_cover: float,
) -> np.ndarray:
    """Reflectance (height, width, bands) of the scene; ``columns`` (materials, bands) says how
    each band sees each material (see ``spectra``). ``land`` and ``city`` are rasterised masks
    (countries, and provinces small enough to be a city) on the frame's grid."""
    b = biome(frame.lon, frame.lat, max(frame.width, frame.height) * frame.pixel_m)
    k = WORLD_KEY
    shape = (frame.height, frame.width)
    fine = 4.0 * frame.pixel_m  # finer detail comes from the parcels, the blocks and the sensor noise
    mountains = b.relief_m > 800.0

    # terrain height (0..1) and its shading, the sun 45 degrees up in the north-west
    relief_cell = 12_000.0 if mountains else 40_000.0
    height = fbm(frame, k ^ 0x11, relief_cell, fine / 2.0 if mountains else 2.0 * fine, persistence=0.5)
    gy, gx = np.gradient(height * np.float32(b.relief_m * 2.5 / frame.pixel_m))  # rows run south
    lit = (0.5 * gx + 0.5 * gy + 0.7071) / np.sqrt(1.0 + gx * gx + gy * gy)
    shade = np.clip(lit / 0.7071, 0.3, 1.4).astype(np.float32)

    # coastline: the generalised country outline, blurred and roughened, thresholded again
    sea = ~land
    near_coast = np.zeros(shape, dtype=np.float32)
    if land.any() and sea.any():
        radius = max(1, min(64, round(450.0 / frame.pixel_m)))
        rough = fbm(frame, k ^ 0x22, 4_000.0, fine, persistence=0.6)
        field = blur(land, radius) + 1.3 * (rough - 0.5)
        land = field > 0.5
        sea = ~land
        near_coast = np.clip(1.0 - np.abs(field - 0.5) / 0.2, 0.0, 1.0).astype(np.float32)

    # fields in parcels
    estates = _estates(frame)
    material, other, mix, tone = _parcels(frame, estates)
    texture = fbm(frame, k ^ 0xAA, 1_500.0, fine, persistence=0.6)  # about 0.5 +- 0.1

    # forest in natural patches (on the valley sides in mountains), meadow along its edges
    wild = fbm(frame, k ^ 0x33, 12_000.0, fine, persistence=0.55)
    forest_cut = _cut(12_000.0, 0.55, b.forest)
    forest = wild > forest_cut
    if mountains:  # above the tree line high pastures, no fields and no forest
        alpine = height + 0.3 * (texture - 0.5) > _cut(relief_cell, 0.5, 0.45)
        material[alpine] = M["meadow"]
        forest &= ~alpine
        valley = height < _cut(relief_cell, 0.5, 0.8)
        forest |= ~alpine & ~valley & (wild > forest_cut - 0.1)
    conifer = fbm(frame, k ^ 0x44, 2_500.0, 2_500.0) + 0.8 * (texture - 0.5) < b.conifer
    material[forest] = np.where(conifer, np.int8(M["conifer"]), np.int8(M["broadleaf"]))[forest]
    other[forest] = M["meadow"]
    mix[forest] = np.clip(1.6 * (texture[forest] - 0.5), 0.0, 0.35)  # clearings and crowns
    glade = ~forest & (wild > forest_cut - 0.012)
    material[glade] = M["meadow"]

    # mountains: rock, then snow, above the tree line
    if mountains:
        rocky = height + 0.5 * (texture - 0.5)
        rock_line = _cut(relief_cell, 0.5, 0.2 + 0.2 * b.ice)
        material[rocky > rock_line] = M["rock"]
        material[rocky > rock_line + 0.06] = M["snow"]
        mix[rocky > rock_line] = 0.0

    # deserts: sand and rock, an odd irrigated field left
    if b.desert > 0.5:
        irrigated = (material == M["green_crop"]) & (fbm(frame, k ^ 0x67, 3_000.0, 3_000.0) > 0.82)
        barren = ~irrigated
        dune = wild[barren]
        material[barren] = np.where(dune > 0.56, np.int8(M["rock"]), np.int8(M["sand"]))
        other[barren] = M["rock"]
        mix[barren] = np.clip((dune - 0.4) * 1.5, 0.0, 0.5)

    # polar: snow with rock showing through
    if b.ice > 0.5:
        outcrop = wild > _cut(12_000.0, 0.55, 0.12)
        material = np.where(outcrop, np.int8(M["rock"]), np.int8(M["snow"]))
        mix[~outcrop] = 0.0

    # one smooth field for villages (where it peaks) and lakes (where it dips)
    blob = fbm(frame, k ^ 0xC1, 4_000.0, max(fine, 60.0), persistence=0.5)

    # towns: dense in a city province, villages scattered; parks where the forest would be
    density = np.zeros(shape, dtype=np.float32)
    if city.any():
        density = blur(city, max(1, min(64, round(800.0 / frame.pixel_m))))
    if b.villages > 0:
        cut = _cut(4_000.0, 0.5, b.villages)
        density = np.maximum(density, np.clip((blob - cut) / 0.02 + 0.5, 0.0, 1.0))
    urban = np.zeros(shape, dtype=bool)
    if density.any():
        urban = (density - 12.0 * np.maximum(wild - forest_cut + 0.02, 0.0) > 0.5) & land
        blocks, block_tone = _town(frame, estates, urban)
        town = blocks[urban]
        material[urban] = town
        other[urban] = M["broadleaf"]  # street trees and gardens, more of them away from the centre
        district = fbm(frame, k ^ 0xC3, 1_500.0, 1_500.0)[urban]
        gardens = 0.18 + 0.4 * (1.0 - np.clip(density[urban], 0.0, 1.0)) + 0.6 * (district - 0.5)
        mix[urban] = np.where(town == M["asphalt"], 0.05, np.clip(gardens, 0.05, 0.6))
        # red tiles in the suburbs and villages, grey roofs downtown
        red = (town == M["roof_grey"]) & (block_tone[urban] > 0.45 + 0.55 * np.clip(density[urban], 0.0, 1.0))
        tone[urban] = block_tone[urban]
        material[urban] = np.where(red, np.int8(M["roof_red"]), material[urban])

    # inland lakes where the field dips
    lakes = np.zeros(shape, dtype=bool)
    if b.lakes > 0 and b.desert < 0.5:
        lakes = (blob < _cut(4_000.0, 0.5, 1.0 - b.lakes)) & land
        material[lakes] = M["lake"]
        mix[lakes] = 0.0

    # beaches along part of the coast
    beach = land & (near_coast > 0.9) & (fbm(frame, k ^ 0x99, 4_000.0, 4_000.0) > 0.4) & ~urban
    material[beach] = M["beach"]
    mix[beach] = 0.0

    # the sea: turquoise near the coast, deep blue offshore
    material[sea] = M["deep_water"]
    other[sea] = M["shallow_water"]
    mix[sea] = near_coast[sea] ** 2 * 0.85

    out = columns[material.astype(np.intp)]
    out += (columns[other.astype(np.intp)] - out) * mix[:, :, None]

    # brightness: gentle variation, relief shading and parcel tone on land, sensor noise
    water = sea | lakes
    variation = 0.86 + 0.28 * texture
    tone[forest & ~urban] = 0.5
    factor = np.where(water, 0.97 + 0.06 * texture, variation * shade * (0.9 + 0.2 * tone))
    grain = hash2(
        np.arange(frame.width, dtype=np.int64)[None, :],
        np.arange(frame.height, dtype=np.int64)[:, None],
        seed_key ^ 0x1234567,
    )
    factor = factor * (0.985 + 0.03 * grain)  # +-1.5 %, different for each request
    out *= factor[:, :, None].astype(np.float32)

    if cloud_cover > 0:
        _clouds(frame, out, columns, cloud_key, cloud_cover)
    return out


CROPS = np.array(
    [
        M["green_crop"],
        M["green_crop"],
        M["ripening_crop"],
        M["bare_soil"],
        M["meadow"],
        M["ploughed"],
        M["green_crop"],
        M["meadow"],
        M["stubble"],
    ],
    dtype=np.int8,
)
ESTATE_M = 25_000.0


def _estates(frame: Frame) -> list[tuple[slice, slice, np.ndarray, Frame, float, float]] | None:
    """The 25 km estates the frame covers: (rows, cols, mask within that window, the window's
    frame, cos and sin of the estate's grid angle); None where parcels are below a pixel."""
    ex, ey = cells(frame, 1.0, 0.0, ESTATE_M), cells(frame, 0.0, 1.0, ESTATE_M)
    keys = [(x, y) for x in range(int(ex.min()), int(ex.max()) + 1) for y in range(int(ey.min()), int(ey.max()) + 1)]
    if frame.pixel_m > 120.0 or len(keys) > 16:
        return None
    found = []
    for ix, iy in keys:
        here = (ex == ix) & (ey == iy)
        rows, cols = np.flatnonzero(here.any(axis=1)), np.flatnonzero(here.any(axis=0))
        if not rows.size:
            continue
        r0, r1, c0, c1 = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
        pick = float(hash2(np.array([ix]), np.array([iy]), WORLD_KEY ^ 0xE1)[0])
        angle = math.radians(-40.0 + 80.0 * pick)
        found.append(
            (
                slice(r0, r1),
                slice(c0, c1),
                here[r0:r1, c0:c1],
                frame.sub(c0, r0, c1 - c0, r1 - r0),
                math.cos(angle),
                math.sin(angle),
            )
        )
    return found


def _parcels(
    frame: Frame,
    estates: list[tuple[slice, slice, np.ndarray, Frame, float, float]] | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(crop, second material, its share, parcel tone 0..1) per pixel. Fields are rectangular
    blocks split into 1 to 4 strips, tracks between them, the grid turned per estate."""
    shape = (frame.height, frame.width)
    if estates is None:  # parcels below a pixel: a mottled mix of crops
        grain = value_noise(frame, max(2.0 * frame.pixel_m, 300.0), WORLD_KEY ^ 0xB1)
        material = CROPS[np.minimum((grain * len(CROPS)).astype(np.intp), len(CROPS) - 1)]
        other = np.full(shape, M["bare_soil"], dtype=np.int8)
        mix = 0.25 * fbm(frame, WORLD_KEY ^ 0xB2, 1_000.0, 1_000.0)
        return material, other, mix, np.full(shape, 0.5, dtype=np.float32)
    material = np.empty(shape, dtype=np.int8)
    other = np.empty(shape, dtype=np.int8)
    mix = np.empty(shape, dtype=np.float32)
    tone = np.empty(shape, dtype=np.float32)
    for rows, cols, window, sub, cos_a, sin_a in estates:
        parts = _fields(sub, cos_a, sin_a)
        for target, part in zip((material, other, mix, tone), parts):
            target[rows, cols][window] = part[window]
    return material, other, mix, tone


def _fields(frame: Frame, cos_a: float, sin_a: float) -> tuple[np.ndarray, ...]:
    k = WORLD_KEY
    scale = float(hash2(np.array([round(cos_a * 1e6)]), np.array([round(sin_a * 1e6)]), k ^ 0xE2)[0])
    long_m = 450.0 + 550.0 * scale
    short_m = long_m * (0.45 + 0.3 * (1.0 - scale))
    wu, fu = frame.axis(cos_a, sin_a, long_m)
    wv, fv = frame.axis(-sin_a, cos_a, short_m)
    bu, bv = np.floor(fu), np.floor(fv)
    fu -= bu
    fv -= bv
    bu_i, bv_i = bu.astype(np.int64) + wu, bv.astype(np.int64) + wv
    strips = 1 + (hash2(bu_i, bv_i, k ^ 0xE5) * 4.0).astype(np.int64)
    parcel_u = bu_i * 5 + np.minimum((fu * strips).astype(np.int64), strips - 1)
    parcel = hash2(parcel_u, bv_i, k ^ 0xE6)
    material = CROPS[np.minimum((parcel * len(CROPS)).astype(np.intp), len(CROPS) - 1)]
    other = np.where(material == M["bare_soil"], np.int8(M["ploughed"]), np.int8(M["bare_soil"]))
    tone = hash2(parcel_u, bv_i, k ^ 0xE7)
    mix = tone * np.float32(0.3)
    if frame.pixel_m <= 15.0:  # tracks and hedges between the parcels
        edge = np.minimum(np.minimum(fu, 1.0 - fu) * long_m, np.minimum(fv, 1.0 - fv) * short_m)
        hedge = edge < 0.6 * frame.pixel_m
        material[hedge] = M["meadow"]
        mix[hedge] = 0.0
    return material, other, mix, tone


def _town(
    frame: Frame, estates: list[tuple[slice, slice, np.ndarray, Frame, float, float]] | None, urban: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(roof or street material, block tone 0..1) per pixel: blocks of 110 x 80 m along the
    estate's grid, streets between them where a pixel shows them, and main roads."""
    shape = (frame.height, frame.width)
    blocks = np.full(shape, M["roof_grey"], dtype=np.int8)
    tone = np.full(shape, 0.5, dtype=np.float32)
    k = WORLD_KEY
    if estates is None:  # blocks below a pixel: a mottle of roofs, yards and trees
        return blocks, value_noise(frame, 2.5 * frame.pixel_m, k ^ 0xED)
    for rows, cols, window, sub, cos_a, sin_a in estates:
        if not urban[rows, cols][window].any():
            continue
        tu, su = sub.axis(cos_a, sin_a, 110.0)
        tv, sv = sub.axis(-sin_a, cos_a, 80.0)
        cu, cv = np.floor(su), np.floor(sv)
        su -= cu
        sv -= cv
        cu_i, cv_i = cu.astype(np.int64) + tu, cv.astype(np.int64) + tv
        part_tone = hash2(cu_i, cv_i, k ^ 0xEA)
        part = np.full(su.shape, M["roof_grey"], dtype=np.int8)
        if sub.pixel_m <= 12.0:  # streets of about 12 m
            street = np.minimum(np.minimum(su, 1.0 - su) * 110.0, np.minimum(sv, 1.0 - sv) * 80.0)
            part[street < 6.0] = M["asphalt"]
        if sub.pixel_m <= 30.0:  # main roads along some of the block lines
            ru = hash2(cu_i, np.zeros(1, dtype=np.int64), k ^ 0xEB) < 0.12
            rv = hash2(np.zeros(1, dtype=np.int64), cv_i, k ^ 0xEC) < 0.12
            part[(ru & (su < 0.22)) | (rv & (sv < 0.3))] = M["asphalt"]
        blocks[rows, cols][window] = part[window]
        tone[rows, cols][window] = part_tone[window]
    return blocks, tone


def _clouds(frame: Frame, out: np.ndarray, columns: np.ndarray, key: int, cloud_cover: float) -> None:
    """Soft white clouds over ``cloud_cover`` % of the area, their shadows offset to the north-west
    (a morning pass of a sun-synchronous orbit has the sun in the south-east)."""
    cover = min(max(cloud_cover, 0.0), 100.0)
    quantiles = _cloud_quantiles()
    threshold = float(np.interp(100.0 - cover, np.arange(101), quantiles))
    spread = 0.07
    field = _cloud_field(frame, key)
    alpha = np.clip((field - threshold) / spread + 0.8, 0.0, 1.0)  # white over the cover, haze around
    # the shadow falls where the cloud 1.2 km to the south-east is: sample the field shifted
    offset = (1_200.0 / math.sqrt(2.0), -1_200.0 / math.sqrt(2.0))
    shadow = np.clip((_cloud_field(frame, key, shift=offset) - threshold) / spread + 0.8, 0.0, 1.0)
    shadow = shadow * (1.0 - alpha)
    thickness = np.clip((field - threshold) / 0.15, 0.0, 1.0)
    cloud = columns[M["cloud"]][None, None, :] * (0.6 + 0.5 * thickness)[:, :, None]
    out *= (1.0 - 0.55 * shadow)[:, :, None]
    out += (cloud - out) * alpha[:, :, None]


def spectra(bands: int, names: Sequence[str] | None = None) -> np.ndarray:
    """(materials, bands): how each output band sees each material."""
    base = ("blue", "green", "red", "nir", "swir1", "swir2")
    pan = TABLE[:, :4] @ np.array([0.25, 0.3, 0.3, 0.15], dtype=np.float32)
    if names:
        cols = [pan if n == "pan" else TABLE[:, base.index(n)] for n in names]
        return np.stack(cols, axis=1).astype(np.float32)
    if bands == 1:
        return pan[:, None].astype(np.float32)
    cols = [TABLE[:, i % 6] * (1.0 + 0.04 * (i // 6)) for i in range(bands)]
    return np.stack(cols, axis=1).astype(np.float32)
