"""core.grid.cache: per-area cache hits and misses, minitiles per tile, bounded size."""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import mapping

from nadir.core.grid.cache import GridCache
from nadir.core.grid.fetch import fetch_minitiles, fetch_tiles
from nadir.core.grid.model import make_batch
from nadir.core.models import CellLevel
from support.fake_grid import FakeGrid


def load(cache, grid, view):
    """What the presenter does on a miss: fetch the request area and record it."""
    area = cache.request_area(view)
    fetched = fetch_tiles(grid, area)
    for piece, _ in fetched.areas:
        cache.add_area(piece, fetched.batch)
    return area


def test_first_view_misses_then_panning_back_is_a_hit_without_requests():
    grid, cache = FakeGrid(), GridCache(margin=0.5)
    view = shapely.box(3.0, 45.0, 4.0, 45.6)
    assert cache.missing(view) is not None and cache.misses == 1
    area = load(cache, grid, view)
    assert area.bounds == pytest.approx((2.5, 44.7, 4.5, 45.9))  # widened by half the view on each side
    assert grid.count("tiles") == 1
    in_view = cache.tiles_in(view.bounds)
    assert in_view and all(cache.store.cell(g).level is CellLevel.TILE for g in in_view)
    # a small pan stays inside the widened area: a hit
    assert cache.missing(shapely.box(3.3, 45.1, 4.3, 45.7)) is None
    # pan away: a miss; only the part not known yet is requested
    far = shapely.box(5.0, 45.0, 6.0, 45.6)
    assert cache.missing(far) is not None
    request = cache.request_area(far)
    assert request.intersection(cache.covered).area < 1e-12 and request.area > 0
    load(cache, grid, far)
    # back to the start: a hit, no new request, same cells
    calls = grid.count("tiles")
    assert cache.missing(view) is None
    assert cache.tiles_in(view.bounds) == in_view and grid.count("tiles") == calls
    assert cache.hits == 2 and cache.misses == 2


def test_tiles_met_by_two_fetched_areas_are_stored_once():
    grid, cache = FakeGrid(), GridCache(margin=0.0)
    load(cache, grid, shapely.box(3.0, 45.0, 3.5, 45.5))
    before = len(cache.store)
    load(cache, grid, shapely.box(3.4, 45.0, 3.9, 45.5))
    guids = list(cache.store)
    assert len(guids) == len(set(guids)) and len(cache.store) > before


def test_minitiles_are_cached_per_tile():
    grid, cache = FakeGrid(), GridCache()
    load(cache, grid, shapely.box(3.0, 45.0, 3.5, 45.5))
    tile = cache.tiles_in((3.1, 45.1, 3.2, 45.2))[0]
    assert cache.minitiles_of(tile) is None
    fetched = fetch_minitiles(grid, [tile])
    cache.add_minitiles(fetched.batch, fetched.lists)
    guids = cache.minitiles_of(tile)
    assert len(guids) == 16 and list(guids) == fetched.lists[tile]
    assert all(cache.store.cell(g).parent == tile for g in guids)
    assert {c.guid for c in cache.known_minitiles()[tile]} == set(guids)
    # re-adding the same minitiles (e.g. after a cover) keeps one copy
    cache.add_minitiles(make_batch(grid.minitiles(tile)), {tile: list(guids)})
    assert len([g for g in cache.store if cache.store.cell(g).level is CellLevel.MINITILE]) == 16


def test_trim_forgets_areas_away_from_the_view_but_keeps_pinned_cells():
    grid, cache = FakeGrid(), GridCache(margin=0.0, max_cells=10)
    here = shapely.box(3.0, 45.0, 3.5, 45.5)
    there = shapely.box(10.0, 50.0, 10.5, 50.5)
    load(cache, grid, there)
    pinned_tile = cache.tiles_in(there.bounds)[0]
    fetched = fetch_minitiles(grid, [pinned_tile])
    cache.add_minitiles(fetched.batch, fetched.lists)
    minis = fetched.lists[pinned_tile]
    load(cache, grid, here)
    kept_here = set(cache.tiles_in(here.bounds))
    removed = cache.trim(here, keep={pinned_tile, *minis})
    assert removed > 0
    assert pinned_tile in cache.store and all(m in cache.store for m in minis)
    assert set(cache.tiles_in(here.bounds)) == kept_here
    assert cache.missing(here) is None  # the area in view is still complete
    assert cache.missing(there) is not None  # the forgotten one must be fetched again
    # under the limit nothing happens
    cache.max_cells = 10_000
    assert cache.trim(here) == 0


def test_views_are_clamped_to_the_requestable_world():
    cache = GridCache(margin=1.0)
    area = cache.request_area(shapely.box(170, 80, 179, 84))
    assert area.bounds[2] <= 180 and area.bounds[3] <= 85
    assert cache.missing(shapely.box(-200, 86, -190, 89)) is None  # nothing requestable there


def test_clear_keeps_only_what_is_asked():
    grid, cache = FakeGrid(), GridCache()
    load(cache, grid, shapely.box(3.0, 45.0, 3.5, 45.5))
    keep = cache.tiles_in((3.1, 45.1, 3.2, 45.2))
    cache.clear(keep)
    assert set(cache.store) == set(keep) and cache.area_count == 0
    assert cache.missing(shapely.box(3.0, 45.0, 3.5, 45.5)) is not None


def test_minitiles_of_many_tiles_are_parsed_in_pieces_into_the_same_batch(monkeypatch):
    import threading

    import numpy as np

    from nadir.core.grid import fetch as grid_fetch
    from nadir.core.grid.fetch import Timer
    from nadir.core.grid.model import cell_columns, join_columns

    monkeypatch.setattr(grid_fetch, "PARSE_CHUNK", 40)  # 16 minitiles per tile: a piece every 3 tiles
    grid = FakeGrid()
    tiles = [c.guid for c in grid.tiles(mapping(shapely.box(2.0, 44.0, 5.0, 46.0)))][:20]
    threads = set()
    real = grid_fetch.cell_columns

    def spy(cells):
        threads.add(threading.current_thread().name)
        return real(cells)

    monkeypatch.setattr(grid_fetch, "cell_columns", spy)
    timer = Timer()
    fetched = fetch_minitiles(grid, tiles, timer=timer)
    assert any(name.startswith("nadir-grid-parse") for name in threads)  # pieces parsed beside the calls
    assert threading.current_thread().name in threads  # the last piece by the caller
    expected = make_batch([c for t in tiles for c in grid.minitiles(t)])
    batch = fetched.batch
    assert batch.guids == expected.guids == [g for t in tiles for g in fetched.lists[t]]
    assert batch.parents == expected.parents and batch.wkts == expected.wkts
    assert np.array_equal(batch.areas, expected.areas) and np.array_equal(batch.epsgs, expected.epsgs)
    assert np.array_equal(batch.levels, expected.levels) and all(shapely.equals(batch.geoms, expected.geoms))
    assert batch.bounds == expected.bounds and len(batch.tree) == len(expected)
    assert timer.calls == 20 and timer.client_cpu_s > 0
    # joining pieces keeps order; no pieces is an empty batch
    cells = expected.cells
    joined = join_columns([cell_columns(cells[:5]), cell_columns([]), cell_columns(cells[5:])])
    assert joined.guids == expected.guids and joined.bounds == expected.bounds
    assert len(join_columns([])) == 0


def test_a_broken_footprint_in_a_piece_parsed_beside_the_calls_is_reported(monkeypatch):
    from nadir.core.errors import InvalidResponse
    from nadir.core.grid import fetch as grid_fetch

    monkeypatch.setattr(grid_fetch, "PARSE_CHUNK", 16)
    grid = FakeGrid()
    tiles = [c.guid for c in grid.tiles(mapping(shapely.box(3.0, 45.0, 4.0, 46.0)))][:4]
    real = grid.minitiles

    def broken(tile):
        cells = real(tile)
        return [cells[0].model_copy(update={"wkt": "POLYGON EMPTY"}), *cells[1:]] if tile == tiles[0] else cells

    grid.minitiles = broken
    with pytest.raises(InvalidResponse, match="without a polygon"):
        fetch_minitiles(grid, tiles)


def test_a_cover_reuses_cached_minitiles_without_parsing_or_fetching_them_again(monkeypatch):
    import numpy as np

    from nadir.core.grid import fetch as grid_fetch
    from nadir.core.grid.fetch import CachedColumns, cover_aoi

    grid, cache = FakeGrid(), GridCache()
    aoi = shapely.Polygon([(2.9, 45.1), (3.7, 45.15), (3.3, 45.8)])
    first = cover_aoi(grid, aoi, CellLevel.MINITILE)
    tiles = list(first.minitiles.lists)
    # cache all but one tile's minitiles; one of them with parents missing (as a bare answer)
    cached = tiles[1:]
    lists = {t: first.minitiles.lists[t] for t in cached}
    batch = first.minitiles.batch
    rows = [batch.rows[g] for t in cached for g in lists[t]]
    part = batch.subset(rows)
    part.parents = [None if p == cached[0] else p for p in part.parents]
    cache.add_minitiles(part, lists)
    known = cache.known_minitiles()
    assert isinstance(known, CachedColumns) and known.columns("nope") is None
    assert known.columns(cached[1]).guids == first.minitiles.lists[cached[1]]
    parsed = []
    real = grid_fetch.cell_columns
    monkeypatch.setattr(grid_fetch, "cell_columns", lambda cells: (parsed.append(len(cells)), real(cells))[1])
    before = grid.count("minitiles")
    again = cover_aoi(grid, aoi, CellLevel.MINITILE, known_minitiles=known)
    assert grid.count("minitiles") == before + 1  # only the tile not cached
    assert sum(parsed) == len(first.minitiles.lists[tiles[0]])  # only its cells were parsed
    # the same cells; areas are sums in another order, so equal to rounding (1e-12 relative)
    assert (again.result.level, again.result.guids) == (first.result.level, first.result.guids)
    for name in ("aoi_km2", "cells_km2", "covered_km2"):
        assert getattr(again.result, name) == pytest.approx(getattr(first.result, name), rel=1e-12)
    assert again.minitiles.lists == first.minitiles.lists
    b1, b2 = first.minitiles.batch, again.minitiles.batch
    assert b2.guids == b1.guids and b2.parents == b1.parents  # the missing parents filled in
    assert np.array_equal(b2.areas, b1.areas) and all(shapely.equals(b2.geoms, b1.geoms))
    # a tile whose minitiles were evicted since is fetched again
    cache.store.remove([lists[cached[2]][0]])
    assert known.columns(cached[2]) is None
    cover_aoi(grid, aoi, CellLevel.MINITILE, known_minitiles=known)
    assert grid.count("minitiles") == before + 3
