"""core.grid.selection: the tile/minitile state machine (seed 000 tip), zones, persistence."""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import mapping

from nadir.core.errors import InputError, StorageError
from nadir.core.grid.cover import CoverResult
from nadir.core.grid.model import CellStore, make_batch
from nadir.core.grid.selection import CellState, GridSelection, decode
from nadir.core.models import CellLevel
from support.fake_grid import FakeGrid


@pytest.fixture
def grid():
    return FakeGrid()


@pytest.fixture
def world(grid):
    """A store with the tiles around 6°E 45°N (zones 31N and 32N overlap there)."""
    store = CellStore()
    tiles = grid.tiles(mapping(shapely.box(5.0, 45.0, 7.0, 46.0)))
    store.add(make_batch(tiles))
    return store, GridSelection(store), {t.guid: t for t in tiles}


def split(store, selection, grid, tile):
    minis = grid.minitiles(tile)
    store.add(make_batch(minis))
    return selection.split(tile, [m.guid for m in minis]), [m.guid for m in minis]


def test_click_toggles_a_tile(world):
    store, sel, tiles = world
    tile = next(iter(tiles))
    assert sel.state(tile) is CellState.UNSELECTED
    assert sel.toggle(tile) is True and sel.state(tile) is CellState.SELECTED
    assert sel.selected_cells() == [store.cell(tile)]
    assert sel.toggle(tile) is False and sel.selected_cells() == []


def test_split_of_a_selected_tile_gives_all_selected_minitiles(world, grid):
    store, sel, tiles = world
    tile = next(iter(tiles))
    sel.toggle(tile)
    changed, minis = split(store, sel, grid, tile)
    assert changed == {tile, *minis} and len(minis) == 16
    assert sel.state(tile) is CellState.SPLIT and not sel.is_selected(tile)
    assert all(sel.state(m) is CellState.SELECTED for m in minis)
    summary = sel.summary()
    assert (summary.tiles, summary.minitiles) == (0, 16)
    assert summary.area_km2 == pytest.approx(store.area_km2(tile), rel=1e-9)  # same ground


def test_split_of_an_unselected_tile_gives_all_unselected_minitiles(world, grid):
    store, sel, tiles = world
    tile = next(iter(tiles))
    _, minis = split(store, sel, grid, tile)
    assert all(sel.state(m) is CellState.UNSELECTED for m in minis) and len(sel) == 0


def test_minitile_toggle_and_mixing_with_tiles(world, grid):
    store, sel, tiles = world
    first, second = list(tiles)[:2]
    _, minis = split(store, sel, grid, first)
    sel.toggle(minis[0])
    sel.toggle(minis[5])
    sel.toggle(second)
    cells = sel.selected_cells()
    assert [c.guid for c in cells] == [second, minis[0], minis[5]]  # tiles first, then minitiles
    assert {c.level for c in cells} == {CellLevel.TILE, CellLevel.MINITILE}
    assert cells[1].parent == first
    summary = sel.summary()
    assert (summary.tiles, summary.minitiles) == (1, 2)
    assert summary.area_km2 == pytest.approx(store.total_area_km2([second, minis[0], minis[5]]))
    sel.toggle(minis[0])
    assert sel.summary().minitiles == 1


def test_a_split_tile_or_a_minitile_of_an_unsplit_tile_cannot_be_toggled(world, grid):
    store, sel, tiles = world
    first, second = list(tiles)[:2]
    split(store, sel, grid, first)
    with pytest.raises(InputError, match="split into minitiles"):
        sel.toggle(first)
    minis = grid.minitiles(second)
    store.add(make_batch(minis))
    with pytest.raises(InputError, match="split the tile first"):
        sel.toggle(minis[0].guid)


@pytest.mark.parametrize("picked,expected", [("all", True), ("none", False), ("some", True)])
def test_merge_selects_the_tile_iff_any_minitile_was_selected(world, grid, picked, expected):
    store, sel, tiles = world
    tile = next(iter(tiles))
    if picked == "all":
        sel.toggle(tile)
    _, minis = split(store, sel, grid, tile)
    if picked == "some":
        sel.toggle(minis[3])
    changed = sel.merge(tile)
    assert changed == {tile, *minis}
    assert sel.is_selected(tile) is expected and not sel.is_split(tile)
    assert not any(sel.is_selected(m) for m in minis)
    assert sel.merge(tile) == set()  # not split any more: nothing to do


def test_split_then_merge_round_trips_both_starting_states(world, grid):
    store, sel, tiles = world
    a, b = list(tiles)[:2]
    sel.toggle(a)
    before = (sel.is_selected(a), sel.is_selected(b))
    for tile in (a, b):
        split(store, sel, grid, tile)
        sel.merge(tile)
    assert (sel.is_selected(a), sel.is_selected(b)) == before


def test_switched_off_zones_cannot_be_selected_and_keep_their_selection(world, grid):
    store, sel, tiles = world
    by_zone = {}
    for guid, cell in tiles.items():
        by_zone.setdefault(cell.epsg, []).append(guid)
    assert set(by_zone) == {32631, 32632}  # the view straddles the 6°E zone boundary
    t31, t32 = by_zone[32631][0], by_zone[32632][0]
    sel.toggle(t31)
    sel.toggle(t32)
    assert sel.set_zone_enabled(32632, False) is True
    assert sel.set_zone_enabled(32632, False) is False
    assert sel.state(t32) is CellState.DISABLED
    assert [c.guid for c in sel.selected_cells()] == [t31] and sel.summary().tiles == 1
    with pytest.raises(InputError, match="zone 32N is switched off"):
        sel.toggle(by_zone[32632][1])
    with pytest.raises(InputError, match="32N"):
        split(store, sel, grid, t32)
    assert sel.selected_guids(include_disabled=True) == [t31, t32]
    sel.set_zone_enabled(32632, True)
    assert [c.guid for c in sel.selected_cells()] == [t31, t32]


def test_apply_cover_splits_tiles_for_minitiles_and_keeps_their_state(world, grid):
    store, sel, tiles = world
    a, b, c = list(tiles)[:3]
    sel.toggle(a)
    lists = {}
    for tile in (a, b):
        minis = grid.minitiles(tile)
        store.add(make_batch(minis))
        lists[tile] = [m.guid for m in minis]
    picked = (lists[a][0], lists[b][1])
    sel.apply_cover(CoverResult(CellLevel.MINITILE, picked, 1.0, 1.0, 1.0), lists)
    assert sel.is_split(a) and sel.is_split(b)
    assert all(sel.is_selected(m) for m in lists[a])  # a was selected before the split
    assert [m for m in lists[b] if sel.is_selected(m)] == [lists[b][1]]
    # tile level: a split tile gets all its minitiles selected, an unsplit one is selected
    sel.apply_cover(CoverResult(CellLevel.TILE, (b, c), 1.0, 1.0, 1.0), lists)
    assert all(sel.is_selected(m) for m in lists[b]) and sel.is_selected(c)


def test_clear_keeps_zone_switches(world, grid):
    store, sel, tiles = world
    a = next(iter(tiles))
    sel.toggle(a)
    split(store, sel, grid, a)
    sel.set_zone_enabled(32632, False)
    changed = sel.clear()
    assert a in changed and len(sel) == 0 and not sel.split_tiles
    assert not sel.zone_enabled(32632)


def test_selection_survives_serialisation_without_the_provider(world, grid):
    store, sel, tiles = world
    a, b, c = list(tiles)[:3]
    sel.toggle(a)
    split(store, sel, grid, a)
    sel.toggle(b)
    _, minis_c = split(store, sel, grid, c)
    sel.toggle(minis_c[2])
    sel.set_zone_enabled(32632, False)
    text = sel.dumps()
    assert text.startswith("nadir-grid:z1:") and "\n" not in text
    before_cells = sel.selected_guids(include_disabled=True)

    fresh_store = CellStore()  # a new session: nothing fetched yet
    restored = GridSelection(fresh_store)
    assert restored.loads(text) == len(before_cells)
    assert restored.selected_guids(include_disabled=True) == before_cells
    assert restored.is_split(a) and restored.is_split(c) and not restored.is_split(b)
    assert restored.minitiles_of(c) == tuple(minis_c)
    assert restored.disabled_zones == frozenset({32632})
    assert fresh_store.cell(minis_c[2]).parent == c
    assert fresh_store.geometry(b).equals(store.geometry(b))
    assert restored.summary() == sel.summary()
    # only what the selection needs was stored, not the whole cache
    assert set(fresh_store) == sel.pinned()


def test_unreadable_saved_selections_raise_storage_errors_and_bad_entries_are_skipped(world):
    _, sel, tiles = world
    with pytest.raises(StorageError):
        decode("nadir-grid:z1:not base64!")
    with pytest.raises(StorageError):
        decode("[1, 2")
    with pytest.raises(StorageError, match="unknown format"):
        sel.load_payload({"version": 99})
    a = next(iter(tiles))
    sel.toggle(a)
    payload = sel.to_payload()
    payload["cells"].append(["broken"])
    payload["selected"].append("never-seen")
    fresh = GridSelection(CellStore())
    assert fresh.load_payload(payload) == 1 and fresh.selected_guids() == [a]
