"""A deterministic global archive of satellite captures, shared by every archive stand-in.

OneAtlas opensearch, UP42 catalog search and Geopera ``catalog.search`` all read this
catalog, so one capture has the same footprint, date and metadata wherever it is found.

Nothing is stored. Captures are a pure function of (constellation, 1-degree cell, UTC day,
index): a seeded hash gives each cell-day a count (Poisson, mean from the constellation's
revisit rate, the cell's area and how much of it is land in ``world_map.gpkg``) and each
capture its position, time, strip, cloud cover and angles. A capture id is a UUID v4 that
encodes those five numbers with a keyed check, so :func:`get` rebuilds any capture from its
id alone, and an id that was never issued decodes to nothing.

Realism, roughly: strips are rectangles along a sun-synchronous descending track (long axis
tilted from north by asin(cos(98.2°)/cos(lat)), about 12° at 47°N), acquired near 10:30 local
solar time, never with the sun below 10°, never before the platform's launch; VHR archives
are dense over land and sparse over sea. A capture whose strip would cross the antimeridian
is not generated (no footprint is ever a 359-degree-wide box).
"""

from __future__ import annotations

import functools
import math
import threading
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape

from . import raster

EPOCH = date(1990, 1, 1)  # day numbers in ids count from here
CELL_DEG = 1  # cells are 1 x 1 degree, indexed from (-180, -90)
MIN_SUN_ELEVATION = 10.0
INCLINATION_COS = math.cos(math.radians(98.2))  # sun-synchronous orbits (SPOT, Pleiades, Sentinel-2)


@dataclass(frozen=True)
class Platform:
    name: str
    launched: date
    retired: date | None = None


@dataclass(frozen=True)
class Constellation:
    """How a constellation's archive is generated. Figures are public nominal values."""

    name: str
    platforms: tuple[Platform, ...]
    gsd: float  # nadir ground sampling distance of the main product, metres
    swath_km: float
    length_km: tuple[float, float]  # strip length range along track
    revisit: float  # captures covering one land point per year, on average (archive density)
    max_incidence: float  # degrees
    local_time_h: float  # mean local solar time of acquisition (descending node)
    latitudes: tuple[float, float]  # where it acquires
    processing_levels: tuple[tuple[str, float], ...]  # (level, share)
    cloud_exponent: float  # cloud cover = 100 * u ** exponent: higher, clearer archive
    sea_share: float  # density over open sea relative to land

    @property
    def index(self) -> int:
        return list(CONSTELLATIONS).index(self.name)

    @property
    def mean_area_km2(self) -> float:
        return self.swath_km * (self.length_km[0] + self.length_km[1]) / 2.0

    @property
    def half_diagonal_km(self) -> float:
        width = self.swath_km / math.cos(math.radians(self.max_incidence))
        return math.hypot(width, self.length_km[1]) / 2.0


CONSTELLATIONS: dict[str, Constellation] = {
    c.name: c
    for c in (
        Constellation(
            "PHR",
            (Platform("PHR1A", date(2012, 1, 1)), Platform("PHR1B", date(2012, 12, 15))),
            gsd=0.5,
            swath_km=20.0,
            length_km=(20.0, 100.0),
            revisit=22.0,
            max_incidence=45.0,
            local_time_h=10.5,
            latitudes=(-80.0, 80.0),
            processing_levels=(("SENSOR", 0.85), ("ALBUM", 0.15)),
            cloud_exponent=2.5,
            sea_share=0.03,
        ),
        Constellation(
            "PNEO",
            (Platform("PNEO3", date(2021, 5, 15)), Platform("PNEO4", date(2021, 8, 20))),
            gsd=0.3,
            swath_km=14.0,
            length_km=(14.0, 60.0),
            revisit=12.0,
            max_incidence=45.0,
            local_time_h=10.5,
            latitudes=(-80.0, 80.0),
            processing_levels=(("SENSOR", 0.85), ("ALBUM", 0.15)),
            cloud_exponent=2.5,
            sea_share=0.03,
        ),
        Constellation(
            "SPOT",
            (Platform("SPOT6", date(2012, 10, 1)), Platform("SPOT7", date(2014, 7, 15), date(2023, 3, 17))),
            gsd=1.5,
            swath_km=60.0,
            length_km=(60.0, 240.0),
            revisit=25.0,
            max_incidence=30.0,
            local_time_h=10.0,
            latitudes=(-80.0, 80.0),
            processing_levels=(("SENSOR", 0.85), ("ALBUM", 0.15)),
            cloud_exponent=2.0,
            sea_share=0.03,
        ),
        Constellation(
            "SENTINEL-2",
            (Platform("S2A", date(2015, 7, 1)), Platform("S2B", date(2017, 3, 15))),
            gsd=10.0,
            swath_km=290.0,
            length_km=(290.0, 400.0),
            revisit=73.0,
            max_incidence=10.5,
            local_time_h=10.5,
            latitudes=(-56.0, 84.0),
            processing_levels=(("L2A", 0.8), ("L1C", 0.2)),
            cloud_exponent=1.0,
            sea_share=0.05,
        ),
        Constellation(
            "LANDSAT-8",
            (Platform("LANDSAT-8", date(2013, 4, 11)),),
            gsd=30.0,
            swath_km=185.0,
            length_km=(170.0, 185.0),
            revisit=22.8,
            max_incidence=7.5,
            local_time_h=10.0,
            latitudes=(-82.0, 82.0),
            processing_levels=(("L2SP", 0.7), ("L1TP", 0.3)),
            cloud_exponent=1.0,
            sea_share=0.05,
        ),
    )
}


@dataclass(frozen=True)
class Capture:
    id: str
    constellation: str
    platform: str
    footprint: dict[str, Any]  # GeoJSON Polygon, lon/lat
    datetime: datetime  # UTC, tz-aware
    cloud_cover: float  # percent
    incidence_angle: float  # degrees off nadir
    gsd: float  # metres, grows with incidence
    sun_elevation: float  # degrees
    processing_level: str
    sun_azimuth: float = 180.0  # degrees from north
    azimuth_angle: float = 180.0  # satellite azimuth seen from the ground, degrees from north

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        ring = self.footprint["coordinates"][0]
        lons, lats = [p[0] for p in ring], [p[1] for p in ring]
        return min(lons), min(lats), max(lons), max(lats)

    @property
    def centroid(self) -> tuple[float, float]:
        minx, miny, maxx, maxy = self.bbox
        return (minx + maxx) / 2.0, (miny + maxy) / 2.0

    @property
    def source_identifier(self) -> str:
        """Airbus-style dataset name, e.g. ``DS_PHR1A_202201231049180_FR1_PX_E001N43_0615_01724``."""
        lon, lat = self.centroid
        stamp = self.datetime.strftime("%Y%m%d%H%M%S") + f"{self.datetime.microsecond // 100_000}"
        east, north = "E" if lon >= 0 else "W", "N" if lat >= 0 else "S"
        tile = f"{east}{abs(math.floor(lon)):03d}{north}{abs(math.floor(lat)):02d}"
        digits = uuid.UUID(self.id).int
        return f"DS_{self.platform}_{stamp}_FR1_PX_{tile}_{digits % 10_000:04d}_{digits // 10_000 % 100_000:05d}"


# ---------------------------------------------------------------- public API


def search(
    constellations: Sequence[str],
    geometry: dict[str, Any] | None,
    start: datetime,
    end: datetime,
    *,
    max_cloud: float | None = None,
    max_incidence: float | None = None,
    ids: Sequence[str] | None = None,
    now: datetime | None = None,
) -> Iterator[Capture]:
    """Captures of ``constellations`` intersecting ``geometry`` with datetime in [start, end].

    Newest first, ties by id, so offset and token paging are stable. Lazy: captures are made
    a few weeks at a time, so reading the first page of a long range costs little.
    ``geometry`` (GeoJSON, EPSG:4326) is required unless ``ids`` is given (then the ids are
    decoded directly). ``now``: captures after it are not acquired yet (pass the sandbox
    clock); without it the archive extends into the future.
    """
    chosen = _constellations(constellations)
    start, end = _utc(start), _utc(end)
    if now is not None:
        end = min(end, _utc(now))
    if ids is not None:
        yield from _search_ids(chosen, geometry, start, end, ids, max_cloud, max_incidence)
        return
    if geometry is None:
        raise ValueError("a search needs a geometry: the whole globe is not searchable")
    area = _geometry(geometry)
    if end < start:
        return
    pending: list[Capture] = []
    for first_day, chunk in _chunks(chosen, area, start, end):
        pending.extend(
            c
            for c in chunk
            if start <= c.datetime <= end
            and (max_cloud is None or c.cloud_cover <= max_cloud)
            and (max_incidence is None or c.incidence_angle <= max_incidence)
        )
        pending.sort(key=_newest_first)
        # older chunks only hold captures before this chunk's first day (see _chunks)
        boundary = datetime.combine(first_day, datetime.min.time(), tzinfo=timezone.utc)
        ready = [c for c in pending if c.datetime >= boundary]
        pending = [c for c in pending if c.datetime < boundary]
        yield from ready
    pending.sort(key=_newest_first)
    yield from pending


def get(capture_id: str) -> Capture | None:
    """The capture with this id, rebuilt from the id alone; None if no such capture exists."""
    key = _decode_id(capture_id)
    if key is None:
        return None
    c_index, ix, iy, day, index = key
    if c_index >= len(CONSTELLATIONS):
        return None
    constellation = list(CONSTELLATIONS.values())[c_index]
    counts = _counts(constellation, np.array([ix]), np.array([iy]), np.array([day]))
    if index >= counts[0]:
        return None
    made = _make(constellation, np.array([ix]), np.array([iy]), np.array([day]), np.array([index]))
    return made[0] if made and made[0].id == str(uuid.UUID(capture_id)) else None


def delivery_clouds(capture_id: str | None) -> dict[str, Any]:
    """``make_delivery``'s cloud arguments for a delivery of this capture: its clouds, where
    its quicklook shows them (none for an unknown id, a tasking or a composite order)."""
    capture = get(capture_id) if capture_id else None
    return {} if capture is None else {"cloud_cover": capture.cloud_cover, "cloud_seed": capture.id}


def quicklook_png(capture_id: str, size: int = 256) -> bytes:
    """The capture's quicklook: its footprint's area with its cloud cover painted in."""
    return _quicklook(str(capture_id).lower(), size)


@functools.lru_cache(maxsize=256)
def _quicklook(capture_id: str, size: int) -> bytes:
    capture = get(capture_id)
    if capture is None:
        raise KeyError(f"no capture {capture_id}")
    return raster.make_quicklook_png(capture.footprint, seed=capture.id, size=size, cloud_cover=capture.cloud_cover)


# ---------------------------------------------------------------- generation


def _chunks(
    chosen: list[Constellation], area: Any, start: datetime, end: datetime
) -> Iterator[tuple[date, list[Capture]]]:
    """(first day, captures intersecting ``area``) for day chunks from ``end`` back to ``start``.

    A capture generated for day D is acquired between D - 2.25 h and D + 23 h (local solar
    time 09:45-11:00 shifted by up to 12 h of longitude), so every capture of the older
    chunks is acquired before this chunk's first day - 1 h: whatever is newer than this
    chunk's first day can be yielded.
    """
    cells = {c.name: _candidate_cells(c, area) for c in chosen}
    shapely.prepare(area)
    first = (start - timedelta(days=1)).date()
    last = (end + timedelta(days=1)).date()
    per_day = sum(float(_rates(c, cells[c.name][0], cells[c.name][1]).sum()) for c in chosen if cells[c.name][0].size)
    span = max(1, min(366, int(2_000 / max(per_day, 1e-6))))
    day_hi = last
    while day_hi >= first:
        day_lo = max(first, day_hi - timedelta(days=span - 1))
        captures: list[Capture] = []
        for constellation in chosen:
            ix, iy = cells[constellation.name]
            if ix.size == 0:
                continue
            captures.extend(_generate(constellation, ix, iy, day_lo, day_hi, area))
        yield day_lo, captures
        day_hi = day_lo - timedelta(days=1)


def _generate(
    constellation: Constellation, ix: np.ndarray, iy: np.ndarray, day_lo: date, day_hi: date, area: Any
) -> list[Capture]:
    days = np.arange((day_lo - EPOCH).days, (day_hi - EPOCH).days + 1, dtype=np.int64)
    days = days[_platform_alive(constellation, days).any(axis=0)]
    if days.size == 0:
        return []
    grid_cells = np.repeat(np.arange(ix.size), days.size)
    grid_days = np.tile(days, ix.size)
    cx, cy = ix[grid_cells], iy[grid_cells]
    counts = _counts(constellation, cx, cy, grid_days)
    keep = counts > 0
    cx, cy, grid_days, counts = cx[keep], cy[keep], grid_days[keep], counts[keep]
    total = int(counts.sum())
    if total == 0:
        return []
    repeat = np.repeat(np.arange(counts.size), counts)
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    return _make(constellation, cx[repeat], cy[repeat], grid_days[repeat], offsets, area)


def _make(
    constellation: Constellation,
    ix: np.ndarray,
    iy: np.ndarray,
    day: np.ndarray,
    index: np.ndarray,
    area: Any = None,
) -> list[Capture]:
    """Captures for these keys, optionally only those whose strip intersects ``area``."""
    key = _key(constellation.index, ix, iy, day, index)
    u = [_uniform(key, salt) for salt in range(10)]
    lat = -90.0 + iy + u[1]
    lon = -180.0 + ix + u[0]
    incidence = constellation.max_incidence * u[3] ** 1.4
    width = constellation.swath_km / np.cos(np.radians(incidence))
    lo, hi = constellation.length_km
    length = lo + (hi - lo) * u[4]
    # long axis tilted from north like a descending sun-synchronous track
    tilt = np.degrees(np.arcsin(np.clip(-INCLINATION_COS / np.cos(np.radians(lat)), -1.0, 1.0)))
    theta = np.radians(tilt)
    along = np.stack([np.sin(theta), np.cos(theta)], axis=-1)  # unit vector (east, north) along track
    across = np.stack([np.cos(theta), -np.sin(theta)], axis=-1)
    corners_km = np.stack(
        [
            (sa * length / 2.0)[:, None] * along + (sc * width / 2.0)[:, None] * across
            for sa, sc in ((1, -1), (1, 1), (-1, 1), (-1, -1), (1, -1))
        ],
        axis=1,
    )  # (n, 5, 2)
    km_per_deg_lon = 111.320 * np.cos(np.radians(lat))
    ring = np.empty_like(corners_km)
    ring[:, :, 0] = lon[:, None] + corners_km[:, :, 0] / km_per_deg_lon[:, None]
    ring[:, :, 1] = lat[:, None] + corners_km[:, :, 1] / 110.574
    ring = np.round(ring, 7)

    local_h = constellation.local_time_h + (u[2] - 0.5) * 0.5 + incidence / 45.0 * 0.25
    seconds = (local_h - lon / 15.0) * 3600.0
    sun_elevation, sun_azimuth = _sun(day, lat, local_h)

    ok = (
        (ring[:, :, 0].min(axis=1) > -180.0)
        & (ring[:, :, 0].max(axis=1) < 180.0)
        & (lat >= constellation.latitudes[0])
        & (lat <= constellation.latitudes[1])
        & (sun_elevation >= MIN_SUN_ELEVATION)
    )
    alive = _platform_alive(constellation, day)  # (platforms, n)
    platform_pick = _pick_alive(alive, u[5])
    ok &= platform_pick >= 0
    if area is not None and ok.any():
        polygons = shapely.polygons(ring[ok])
        hit = np.zeros(ok.shape, dtype=bool)
        hit[np.flatnonzero(ok)] = shapely.intersects(area, polygons)
        ok &= hit

    cloud = np.round(100.0 * u[6] ** constellation.cloud_exponent, 2)
    gsd = np.round(constellation.gsd / np.cos(np.radians(incidence)) ** 1.5, 2)
    level_pick = _pick(constellation.processing_levels, u[7])
    azimuth = np.where(u[8] < 0.5, (tilt + 90.0) % 360.0, (tilt + 270.0) % 360.0)  # looking east or west
    captures = []
    for i in np.flatnonzero(ok):
        moment = datetime.combine(EPOCH, datetime.min.time(), tzinfo=timezone.utc) + timedelta(
            days=int(day[i]), milliseconds=round(seconds[i] * 1000.0)
        )
        captures.append(
            Capture(
                id=_encode_id(int(key[i])),
                constellation=constellation.name,
                platform=constellation.platforms[platform_pick[i]].name,
                footprint={"type": "Polygon", "coordinates": [ring[i].tolist()]},
                datetime=moment,
                cloud_cover=float(cloud[i]),
                incidence_angle=round(float(incidence[i]), 3),
                gsd=float(gsd[i]),
                sun_elevation=round(float(sun_elevation[i]), 3),
                processing_level=constellation.processing_levels[level_pick[i]][0],
                sun_azimuth=round(float(sun_azimuth[i]), 3),
                azimuth_angle=round(float(azimuth[i]), 3),
            )
        )
    return captures


def _counts(constellation: Constellation, ix: np.ndarray, iy: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Captures per cell-day: Poisson with the cell's rate, drawn from a seeded uniform."""
    rate = _rates(constellation, ix, iy)
    u = _uniform(_key(constellation.index, ix, iy, day, np.full(ix.shape, 255)), 99)
    alive = _platform_alive(constellation, day).sum(axis=0) / len(constellation.platforms)
    rate = rate * alive
    count = np.zeros(ix.shape, dtype=np.int64)
    term = np.exp(-rate)
    cdf = term.copy()
    for k in range(1, 64):
        more = u > cdf
        if not more.any():
            break
        count += more
        term = term * rate / k
        cdf = cdf + term
    return np.minimum(count, 254)


def _rates(constellation: Constellation, ix: np.ndarray, iy: np.ndarray) -> np.ndarray:
    """Expected captures per day centred in each cell."""
    lat = -90.0 + iy + 0.5
    cell_km2 = 111.320 * np.cos(np.radians(lat)) * 110.574
    land = _land_fraction()[iy, ix]
    weight = np.minimum(1.0, constellation.sea_share + 2.0 * land)
    inside = (lat >= constellation.latitudes[0]) & (lat <= constellation.latitudes[1])
    return constellation.revisit / 365.25 / constellation.mean_area_km2 * cell_km2 * weight * inside


def _candidate_cells(constellation: Constellation, area: Any) -> tuple[np.ndarray, np.ndarray]:
    """Cells whose captures could reach ``area``: its bounds plus half a strip diagonal."""
    minx, miny, maxx, maxy = area.bounds
    margin_lat = constellation.half_diagonal_km / 110.574
    lat_lo, lat_hi = max(-89.9, miny - margin_lat), min(89.9, maxy + margin_lat)
    widest = max(abs(lat_lo), abs(lat_hi))
    margin_lon = constellation.half_diagonal_km / (111.320 * max(math.cos(math.radians(widest)), 0.05))
    x0 = max(0, math.floor(minx - margin_lon + 180.0))
    x1 = min(359, math.floor(maxx + margin_lon + 180.0))
    y0 = max(0, math.floor(lat_lo + 90.0))
    y1 = min(179, math.floor(lat_hi + 90.0))
    xs, ys = np.meshgrid(np.arange(x0, x1 + 1), np.arange(y0, y1 + 1))
    return xs.ravel().astype(np.int64), ys.ravel().astype(np.int64)


def _platform_alive(constellation: Constellation, day: np.ndarray) -> np.ndarray:
    rows = []
    for platform in constellation.platforms:
        start = (platform.launched - EPOCH).days
        stop = (platform.retired - EPOCH).days if platform.retired else 1 << 30
        rows.append((day >= start) & (day <= stop))
    return np.array(rows, dtype=bool).reshape(len(constellation.platforms), -1)


def _pick_alive(alive: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Index of one of the platforms flying that day, -1 if none."""
    n_alive = alive.sum(axis=0)
    which = np.floor(u * np.maximum(n_alive, 1)).astype(np.int64)
    order = np.cumsum(alive, axis=0) - 1  # rank of each alive platform
    pick = np.full(u.shape, -1, dtype=np.int64)
    for p in range(alive.shape[0]):
        pick = np.where(alive[p] & (order[p] == which), p, pick)
    return np.where(n_alive > 0, pick, -1)


def _pick(choices: tuple[tuple[str, float], ...], u: np.ndarray) -> np.ndarray:
    edges = np.cumsum([share for _, share in choices])
    return np.minimum(np.searchsorted(edges / edges[-1], u, side="right"), len(choices) - 1)


def _sun(day: np.ndarray, lat: np.ndarray, local_h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sun elevation and azimuth (degrees) from day of year, latitude and local solar time."""
    doy = (day + EPOCH.toordinal() - date(2000, 1, 1).toordinal()) % 365.25
    declination = np.radians(23.44) * np.sin(2 * np.pi * (doy - 80.0) / 365.25)
    hour_angle = np.radians(15.0 * (local_h - 12.0))
    phi = np.radians(lat)
    sin_el = np.sin(phi) * np.sin(declination) + np.cos(phi) * np.cos(declination) * np.cos(hour_angle)
    elevation = np.degrees(np.arcsin(np.clip(sin_el, -1.0, 1.0)))
    azimuth = (
        np.degrees(
            np.arctan2(
                -np.sin(hour_angle),
                np.tan(declination) * np.cos(phi) - np.sin(phi) * np.cos(hour_angle),
            )
        )
        % 360.0
    )
    return elevation, azimuth


_LAND_LOCK = threading.Lock()
_land: np.ndarray | None = None


def _land_fraction() -> np.ndarray:
    """Share of land per 1-degree cell (180 x 360, row 0 at -90), from world_map.gpkg."""
    global _land
    if _land is None:
        with _LAND_LOCK:
            if _land is None:
                _land = raster.land_fraction_grid(cells_per_degree=10)
    return _land


# ---------------------------------------------------------------- ids


_ID_SALT = 0x6E616469725F6361  # "nadir_ca"
_MASK46 = (1 << 46) - 1


def _key(c_index: int, ix: np.ndarray, iy: np.ndarray, day: np.ndarray, index: np.ndarray) -> np.ndarray:
    """46-bit capture key: constellation (5 bits), cell x (9), cell y (8), day (16), index (8)."""
    key = np.uint64(c_index)
    key = (key << np.uint64(9)) | ix.astype(np.uint64)
    key = (key << np.uint64(8)) | iy.astype(np.uint64)
    key = (key << np.uint64(16)) | day.astype(np.uint64)
    return (key << np.uint64(8)) | index.astype(np.uint64)


def _split_key(key: int) -> tuple[int, int, int, int, int]:
    return key >> 41, (key >> 32) & 0x1FF, (key >> 24) & 0xFF, (key >> 8) & 0xFFFF, key & 0xFF


def _mix(value: int) -> int:
    """splitmix64 finaliser on a Python int."""
    value = (value + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return value ^ (value >> 31)


def _encode_id(key: int) -> str:
    check = _mix(key ^ _ID_SALT)
    masked = key ^ (_mix(check) & _MASK46)
    extra = _mix(check ^ _ID_SALT) & 0xFFF
    bits = (check << 58) | (masked << 12) | extra  # 122 bits
    # place them around the UUID v4 version nibble and RFC 4122 variant
    value = ((bits >> 74) << 80) | (4 << 76) | (((bits >> 62) & 0xFFF) << 64) | (0b10 << 62) | (bits & ((1 << 62) - 1))
    return str(uuid.UUID(int=value))


def _decode_id(capture_id: str) -> tuple[int, int, int, int, int] | None:
    try:
        value = uuid.UUID(str(capture_id)).int
    except (ValueError, AttributeError, TypeError):
        return None
    if (value >> 76) & 0xF != 4 or (value >> 62) & 0b11 != 0b10:
        return None
    bits = ((value >> 80) << 74) | (((value >> 64) & 0xFFF) << 62) | (value & ((1 << 62) - 1))
    check, masked, extra = bits >> 58, (bits >> 12) & _MASK46, bits & 0xFFF
    key = masked ^ (_mix(check) & _MASK46)
    if _mix(key ^ _ID_SALT) != check or _mix(check ^ _ID_SALT) & 0xFFF != extra:
        return None
    return _split_key(key)


def _uniform(key: np.ndarray, salt: int) -> np.ndarray:
    """Uniform floats in [0, 1) from 64-bit keys (vectorised splitmix64)."""
    with np.errstate(over="ignore"):
        z = key.astype(np.uint64) ^ np.uint64(_mix(salt + 1) & 0xFFFFFFFFFFFFFFFF)
        z = z + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) / float(1 << 53)


# ---------------------------------------------------------------- helpers


def _search_ids(
    chosen: list[Constellation],
    geometry: dict[str, Any] | None,
    start: datetime,
    end: datetime,
    ids: Sequence[str],
    max_cloud: float | None,
    max_incidence: float | None,
) -> Iterator[Capture]:
    area = _geometry(geometry) if geometry is not None else None
    names = {c.name for c in chosen}
    found = []
    for capture_id in dict.fromkeys(ids):
        capture = get(capture_id)
        if capture is None or capture.constellation not in names or not start <= capture.datetime <= end:
            continue
        if max_cloud is not None and capture.cloud_cover > max_cloud:
            continue
        if max_incidence is not None and capture.incidence_angle > max_incidence:
            continue
        if area is not None and not shapely.intersects(area, shape(capture.footprint)):
            continue
        found.append(capture)
    yield from sorted(found, key=_newest_first)


def _constellations(names: Sequence[str]) -> list[Constellation]:
    if isinstance(names, str):
        names = [names]
    unknown = [n for n in names if n not in CONSTELLATIONS]
    if unknown:
        raise ValueError(f"unknown constellation(s) {', '.join(unknown)}; known: {', '.join(CONSTELLATIONS)}")
    return [CONSTELLATIONS[n] for n in dict.fromkeys(names)]


def _geometry(geometry: dict[str, Any]) -> Any:
    try:
        area = shape(geometry)
    except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.ShapelyError) as exc:
        raise ValueError(f"not a GeoJSON geometry: {exc}") from exc
    if area.is_empty:
        raise ValueError("the search geometry is empty")
    if not area.is_valid:
        area = shapely.make_valid(area)
    return area


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _newest_first(capture: Capture) -> tuple[float, str]:
    return -capture.datetime.timestamp(), capture.id
