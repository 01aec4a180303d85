"""core.grid.cover / core.grid.fetch: cells covering an AOI, coverage ratio, zone rules."""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import mapping

from nadir.core.errors import InputError, OperationCancelled
from nadir.core.grid.cover import CoverResult, cover
from nadir.core.grid.fetch import cover_aoi, fetch_tiles, request_pieces
from nadir.core.grid.model import geodesic_area_km2, make_batch
from nadir.core.models import CellLevel
from support.fake_grid import FakeGrid


def tile_cover(grid, aoi, disabled=()):
    tiles = make_batch(grid.tiles(mapping(aoi.envelope.buffer(0.01))))
    return cover(
        aoi,
        CellLevel.TILE,
        [c.guid for c in tiles.cells],
        tiles.geoms,
        [c.epsg for c in tiles.cells],
        tiles.areas,
        disabled,
    ), tiles


def test_cover_inside_one_zone_is_complete_and_ratio_is_cell_over_aoi_area():
    grid = FakeGrid()
    aoi = shapely.box(2.9, 45.1, 3.6, 45.7)
    result, tiles = tile_cover(grid, aoi)
    chosen = {c.guid: c for c in tiles.cells if c.guid in result.guids}
    assert set(chosen) == {"t-32631-7-100", "t-32631-7-101", "t-32631-8-100", "t-32631-8-101"}
    cells = shapely.union_all([shapely.from_wkt(c.wkt) for c in chosen.values()])
    assert cells.covers(aoi)
    assert result.aoi_km2 == pytest.approx(geodesic_area_km2(aoi))
    assert result.cells_km2 == pytest.approx(geodesic_area_km2(cells))
    assert result.ratio == pytest.approx(result.cells_km2 / result.aoi_km2) and result.ratio > 1
    assert result.complete and result.covered_km2 == pytest.approx(result.aoi_km2)


def test_an_aoi_equal_to_a_tile_selects_only_that_tile():
    grid = FakeGrid()
    tiles = grid.tiles(mapping(shapely.box(3.0, 45.2, 3.1, 45.3)))
    footprint = shapely.from_wkt(tiles[0].wkt)
    result, _ = tile_cover(grid, footprint)
    assert result.guids == (tiles[0].guid,)
    assert result.ratio == pytest.approx(1.0)


def test_across_a_zone_boundary_each_band_takes_its_own_zone():
    grid = FakeGrid()
    aoi = shapely.box(5.5, 45.1, 6.5, 45.4)  # 6°E is the boundary between zones 31N and 32N
    result, tiles = tile_cover(grid, aoi)
    chosen = [c for c in tiles.cells if c.guid in result.guids]
    assert {c.epsg for c in chosen} == {32631, 32632}
    for c in chosen:  # no tile lying only in the other zone's band was billed
        west, _, east, _ = shapely.from_wkt(c.wkt).bounds
        assert (west < 6.0) if c.epsg == 32631 else (east > 6.0)
    # the overlap strip is covered once per band, not by every overlapping tile
    every = [c for c in tiles.cells if shapely.from_wkt(c.wkt).intersection(aoi).area > 0]
    assert len(chosen) < len(every)
    assert result.complete


def test_a_switched_off_zone_is_filled_from_its_neighbours_transition_and_the_rest_reported():
    grid = FakeGrid()
    aoi = shapely.box(5.5, 45.1, 6.5, 45.4)
    result, tiles = tile_cover(grid, aoi, disabled={32632})
    chosen = [c for c in tiles.cells if c.guid in result.guids]
    assert {c.epsg for c in chosen} == {32631}
    east = max(shapely.from_wkt(c.wkt).bounds[2] for c in chosen)
    assert east == pytest.approx(6.3)  # zone 31N reaches 0.3° into 32N's band
    missing = geodesic_area_km2(shapely.box(6.3, 45.1, 6.5, 45.4))
    assert result.uncovered_km2 == pytest.approx(missing, rel=1e-6) and not result.complete


def test_minitile_cover_bills_less_than_tile_cover_and_matches_tile_cover_ground():
    grid = FakeGrid()
    aoi = shapely.Polygon([(2.9, 45.1), (3.7, 45.15), (3.3, 45.8)])
    tiles = cover_aoi(grid, aoi, CellLevel.TILE)
    minis = cover_aoi(grid, aoi, CellLevel.MINITILE)
    assert minis.result.level is CellLevel.MINITILE
    assert 1.0 < minis.result.ratio < tiles.result.ratio
    assert minis.result.complete and tiles.result.complete
    # only the minitiles of the tiles chosen at tile level were fetched
    assert set(minis.minitiles.lists) == set(tiles.result.guids)
    assert grid.count("minitiles") == len(tiles.result.guids)
    parents = {c.parent for c in minis.minitiles.batch.cells if c.guid in minis.result.guids}
    assert parents <= set(tiles.result.guids)
    assert minis.timer.calls == 1 + len(tiles.result.guids)
    assert minis.timer.provider_s >= 0 and minis.timer.client_s > 0


def test_minitile_cover_uses_cached_minitiles_instead_of_asking_again():
    grid = FakeGrid()
    aoi = shapely.box(3.0, 45.1, 3.2, 45.3)
    first = cover_aoi(grid, aoi, CellLevel.MINITILE)
    cells = {c.guid: c for c in first.minitiles.batch.cells}
    known = {t: [cells[g] for g in guids] for t, guids in first.minitiles.lists.items()}
    calls = grid.count("minitiles")
    again = cover_aoi(grid, aoi, CellLevel.MINITILE, known_minitiles=known)
    assert grid.count("minitiles") == calls
    assert again.result.guids == first.result.guids


def test_cover_cancellation_and_bad_aois():
    grid = FakeGrid()
    with pytest.raises(OperationCancelled):
        cover_aoi(grid, shapely.box(3, 45, 4, 46), CellLevel.MINITILE, cancelled=lambda: True)
    with pytest.raises(InputError, match="no area"):
        cover_aoi(grid, shapely.LineString([(3, 45), (4, 46)]), CellLevel.TILE)
    bowtie = shapely.Polygon([(3.0, 45.0), (3.4, 45.4), (3.4, 45.0), (3.0, 45.4)])  # self-intersecting
    result = cover_aoi(grid, bowtie, CellLevel.TILE).result
    assert result.aoi_km2 > 0 and result.complete


def test_large_areas_are_requested_in_pieces():
    pieces = request_pieces(shapely.box(-5, 40, 35, 50), size=20)
    assert len(pieces) == 3 and shapely.union_all(pieces).equals(shapely.box(-5, 40, 35, 50))
    grid = FakeGrid(tile_deg=2.0, minis=2)
    fetched = fetch_tiles(grid, shapely.box(-5, 40, 35, 50))
    assert grid.count("tiles") == 3 and len(fetched.areas) == 3
    assert len({c.guid for c in fetched.batch.cells}) == len(fetched.batch.cells)


def test_ratio_of_an_empty_result():
    assert CoverResult(CellLevel.TILE, (), 0.0, 0.0, 0.0).ratio == float("inf")


def test_minitiles_of_tiles_inside_the_aoi_are_taken_without_testing_and_the_result_is_the_same():
    grid = FakeGrid()
    aoi = shapely.Polygon([(2.2, 44.9), (4.1, 45.0), (3.9, 46.4), (2.5, 46.2)])  # several whole tiles inside
    outcome = cover_aoi(grid, aoi, CellLevel.MINITILE)
    assert outcome.minitiles.tiles_inside  # the shortcut was used
    batch = outcome.minitiles.batch
    plain = cover(aoi, CellLevel.MINITILE, [c.guid for c in batch.cells], batch.geoms, [c.epsg for c in batch.cells])
    assert set(plain.guids) == set(outcome.result.guids)
    assert plain.covered_km2 == pytest.approx(outcome.result.covered_km2, rel=1e-9)
