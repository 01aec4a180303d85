"""ClearSKY grid: UTM tiles of 51.2 km, 16 x 16 minitiles, overlaps, clipped edges, stable GUIDs."""

from __future__ import annotations

import uuid

import httpx
import pytest
import shapely
import shapely.geometry
import shapely.wkt
from osgeo import osr
from shapely.geometry import Point, box

from sandbox import clearsky_grid
from sandbox.clearsky_grid import Grid
from sandbox.store import Store

KEY = {"x-api-key": "clearsky-sandbox-key"}


@pytest.fixture(scope="module")
def grid(tmp_path_factory):
    return Grid(Store(tmp_path_factory.mktemp("grid") / "grid.db"))


def _full_tile(grid, lon=2.35, lat=47.0):
    tiles = grid.tiles_for(Point(lon, lat).buffer(0.001))
    return next(t for t in tiles if t.area_km2 == pytest.approx(2621.44))


def test_full_tiles_are_51_2_km_squares_with_256_minitiles(grid):
    tile = _full_tile(grid)
    minx, miny, maxx, maxy = tile.utm.bounds
    assert (maxx - minx, maxy - miny) == (51_200.0, 51_200.0)
    assert minx % 51_200 == 0 and miny % 51_200 == 0
    assert tile.epsg == 32631 and not tile.minitile
    minis = grid.minitiles_of(tile)
    assert len(minis) == 256 and all(m.minitile for m in minis)
    assert all(m.area_km2 == pytest.approx(10.24) for m in minis)
    assert shapely.union_all([m.utm for m in minis]).symmetric_difference(tile.utm).area < 1.0


def test_lon_lat_outline_matches_gdal(grid):
    tile = _full_tile(grid)
    wgs, utm = osr.SpatialReference(), osr.SpatialReference()
    wgs.ImportFromEPSG(4326)
    utm.ImportFromEPSG(tile.epsg)
    for srs in (wgs, utm):
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    x, y = tile.utm.bounds[0], tile.utm.bounds[1]
    lon, lat, _ = osr.CoordinateTransformation(utm, wgs).TransformPoint(x, y)
    nearest = min(tile.geog.exterior.coords, key=lambda c: (c[0] - lon) ** 2 + (c[1] - lat) ** 2)
    assert nearest == pytest.approx((lon, lat), abs=1e-6)


def test_guids_are_deterministic_uuid5(grid):
    tile = _full_tile(grid)
    expected = uuid.uuid5(clearsky_grid.NAMESPACE, f"{tile.epsg}:{tile.col}:{tile.row}")
    assert tile.guid == str(expected)
    mini = grid.minitiles_of(tile)[17]
    assert mini.guid == str(uuid.uuid5(clearsky_grid.NAMESPACE, f"{tile.guid}:{mini.i}:{mini.j}"))
    assert grid.tile(tile.guid).guid == tile.guid and grid.minitile(mini.guid).guid == mini.guid
    assert grid.tile(str(uuid.uuid4())) is None and grid.tile("nonsense") is None


def test_neighbouring_zones_overlap_in_the_transition_zone(grid):
    # 5.9°E is in zone 31 (0-6°E) but within 0.25° of zone 32: both grids cover it
    near_edge = {t.epsg for t in grid.tiles_for(Point(5.9, 46.0).buffer(0.001))}
    assert near_edge == {32631, 32632}
    inside = {t.epsg for t in grid.tiles_for(Point(3.0, 46.0).buffer(0.001))}
    assert inside == {32631}


def test_edge_tiles_are_clipped_to_the_band(grid):
    tiles = grid.tiles_for(box(5.0, 45.0, 6.5, 46.0))
    areas = [t.area_km2 for t in tiles]
    assert max(areas) == pytest.approx(2621.44)
    edge = [t for t in tiles if t.area_km2 < 2621.0]
    assert edge, "tiles crossing the widened band's edge are clipped"
    for tile in edge:
        assert tile.geog.bounds[2] <= (6.25 if tile.epsg == 32631 else 12.25) + 1e-6
        minis = grid.minitiles_of(tile)
        assert len(minis) < 256
    # south of the equator the row touching it is clipped (10,000 km is no multiple of 51.2 km)
    south = grid.tiles_for(box(10.0, -0.3, 10.2, -0.1))
    assert any(t.area_km2 < 2621.0 and t.epsg == 32732 for t in south)


def test_france_at_minitile_level_stays_within_limits(grid):
    france = box(-4.8, 42.4, 8.2, 51.1)
    tiles = grid.tiles_for(france)
    assert 250 < len(tiles) < clearsky_grid.MAX_TILES_PER_SEARCH
    with pytest.raises(clearsky_grid.LimitExceeded):
        grid.tiles_for(box(-170, -60, 170, 80))


def test_search_tiles_over_http(sandbox):
    api = httpx.Client(base_url=sandbox.provider_url("clearsky"), headers=KEY)
    wkt = "POLYGON((9.87 56.47, 10.19 56.47, 10.19 56.28, 9.87 56.28, 9.87 56.47))"  # docs example
    tiles = api.post("/api/tasking/search/tiles", json={"Wkt": wkt}).json()
    assert tiles["Succeeded"] is True and tiles["Error"] is None
    first = tiles["Data"]["Tiles"][0]
    assert set(first) == {"Guid", "MiniTile", "Epsg", "DataGeogWkt"} and first["MiniTile"] is False
    assert shapely.wkt.loads(first["DataGeogWkt"]).intersects(shapely.wkt.loads(wkt))
    geojson = api.post("/api/tasking/search/tiles", json={"geoJson": shapely.geometry.mapping(shapely.wkt.loads(wkt))})
    assert [t["Guid"] for t in geojson.json()["Data"]["Tiles"]] == [t["Guid"] for t in tiles["Data"]["Tiles"]]
    guids = [t["Guid"] for t in tiles["Data"]["Tiles"]]
    again = api.post("/api/tasking/search/tiles", json={"tileGuids": guids}).json()["Data"]["Tiles"]
    assert [t["Guid"] for t in again] == guids
    minis = api.post("/api/tasking/search/tiles", json={"TileGuidForMiniTiles": guids[0]}).json()["Data"]["Tiles"]
    assert minis and all(m["MiniTile"] for m in minis)
    some = [m["Guid"] for m in minis[:3]]
    by_guid = api.post("/api/tasking/search/tiles", json={"MiniTileGuids": some}).json()["Data"]["Tiles"]
    assert [m["Guid"] for m in by_guid] == some


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "Wkt"),
        ({"Wkt": "POLYGON((0 0,1 0,1 1,0 0))", "TileGuids": ["x"]}, "Wkt"),
        ({"Wkt": "POLYGON((0 0, 1 0"}, "Wkt"),
        ({"TileGuids": [str(uuid.uuid4())]}, "TileGuids"),
        ({"TileGuidForMiniTiles": str(uuid.uuid4())}, "TileGuidForMiniTiles"),
        ({"Wkt": "POLYGON((-170 -60, 170 -60, 170 80, -170 80, -170 -60))"}, "Wkt"),
    ],
)
def test_search_tiles_validation(sandbox, body, field):
    response = httpx.post(f"{sandbox.provider_url('clearsky')}/api/tasking/search/tiles", json=body, headers=KEY)
    assert response.status_code == 400
    payload = response.json()
    assert payload["Succeeded"] is False and payload["Error"]["Code"] == 992 and field in payload["Data"]
