"""core.grid: zones, footprint parsing, geodesic areas, the cell store's spatial queries."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from nadir.core.errors import InvalidResponse
from nadir.core.grid.model import CellStore, Zone, geodesic_area_km2, geodesic_areas_km2, in_own_band, make_batch
from nadir.core.models import CellLevel, GridCell


def cell(guid: str, geom, level=CellLevel.TILE, epsg=32631, parent=None) -> GridCell:
    return GridCell(guid=guid, level=level, epsg=epsg, wkt=geom.wkt, parent=parent)


def test_zone_labels_and_bands():
    assert Zone(32631).label == "31N" and Zone(32631).band() == (0.0, 0.0, 6.0, 90.0)
    assert Zone(32719).label == "19S" and Zone(32719).band() == (-72.0, -90.0, -66.0, 0.0)
    assert Zone(32601).band()[0] == -180.0 and Zone(32660).band()[2] == 180.0
    assert Zone(3857).label == "EPSG:3857" and Zone(3857).band() is None and not Zone(3857).is_utm
    assert in_own_band(32631, 5.9, 45) and not in_own_band(32631, 6.1, 45)
    assert in_own_band(3857, 100, 45)


def test_geodesic_area_of_known_shapes():
    # 1°x1° at the equator on WGS84 (straight lon/lat edges): 12,308.46 km² (analytic
    # ellipsoid zone area); QGIS's geodesic-edge measure gives 12,308.78 (2.6e-5 apart).
    assert geodesic_area_km2(shapely.box(0, 0, 1, 1)) == pytest.approx(12308.46, rel=1e-5)
    # the whole northern hemisphere band 0..90 over 360° is half the ellipsoid (510,065,622 km²)
    assert geodesic_area_km2(shapely.box(-180, 0, 180, 90)) == pytest.approx(510065621.7 / 2, rel=1e-7)
    holed = shapely.Polygon(
        [(0, 0), (1, 0), (1, 1), (0, 1)], [[(0.25, 0.25), (0.25, 0.75), (0.75, 0.75), (0.75, 0.25)]]
    )
    inner = geodesic_area_km2(shapely.box(0.25, 0.25, 0.75, 0.75))
    assert geodesic_area_km2(holed) == pytest.approx(12308.46 - inner, rel=1e-5)
    multi = shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(0, -1, 1, 0)])
    assert geodesic_area_km2(multi) == pytest.approx(2 * 12308.46, rel=1e-5)
    # orientation does not matter; lines and points have no area
    cw = shapely.Polygon([(0, 0), (0, 1), (1, 1), (1, 0)])
    areas = geodesic_areas_km2(np.array([cw, shapely.LineString([(0, 0), (1, 1)]), shapely.Point(0, 0)], dtype=object))
    assert areas[0] == pytest.approx(12308.46, rel=1e-5) and areas[1] == 0 and areas[2] == 0


def test_area_of_a_utm_tile_sized_cell_is_plausible():
    # a 51.2 km square near 45°N spans about 0.651° of longitude and 0.461° of latitude
    area = geodesic_area_km2(shapely.box(3.0, 45.0, 3.0 + 51.2 / 78.71, 45.0 + 51.2 / 111.13))
    assert area == pytest.approx(2621.44, rel=0.01)


def test_unreadable_footprints_are_the_providers_error():
    with pytest.raises(InvalidResponse, match="cannot be read"):
        make_batch([GridCell(guid="a", level=CellLevel.TILE, epsg=32631, wkt="POLYGON((0 0, 1")])
    with pytest.raises(InvalidResponse, match="without a polygon footprint"):
        make_batch([GridCell(guid="b", level=CellLevel.TILE, epsg=32631, wkt="POINT (1 2)")])
    with pytest.raises(InvalidResponse, match="without a polygon footprint"):
        make_batch([GridCell(guid="c", level=CellLevel.TILE, epsg=32631, wkt="POLYGON EMPTY")])


def test_store_queries_by_view_level_and_point_and_skips_known_cells():
    store = CellStore()
    tiles = [cell(f"t{i}", shapely.box(i, 0, i + 1, 1)) for i in range(5)]
    assert store.add(make_batch(tiles)) == [f"t{i}" for i in range(5)]
    minis = [
        cell(f"m{j}", shapely.box(2 + j / 4, 0, 2.25 + j / 4, 0.25), CellLevel.MINITILE, parent="t2") for j in range(4)
    ]
    assert len(store.add(make_batch(minis))) == 4
    # re-adding known cells (an overlapping fetch) adds nothing and keeps the first batch
    assert store.add(make_batch([*tiles[3:], cell("t9", shapely.box(9, 0, 10, 1))])) == ["t9"]
    assert len(store) == 10 and store.batch_count == 3
    assert store.query((1.5, 0.1, 2.5, 0.2), CellLevel.TILE) == ["t1", "t2"]
    assert store.query((1.5, 0.1, 2.4, 0.2), CellLevel.MINITILE) == ["m0", "m1"]
    assert set(store.query((8.5, 0, 9.5, 1))) == {"t9"}
    assert set(store.at(2.1, 0.1)) == {"t2", "m0"}
    assert store.area_km2("t0") == pytest.approx(12308.46, rel=1e-5)
    assert store.total_area_km2(["t0", "t1"]) == pytest.approx(2 * 12308.46, rel=1e-5)
    geoms, areas = store.arrays(["m3", "t0"])
    assert geoms[0].equals(shapely.box(2.75, 0, 3, 0.25)) and areas[1] > areas[0]
    assert store.remove(["t1", "t1", "nope"]) == 1
    assert "t1" not in store and store.query((1.2, 0.1, 1.8, 0.2)) == []
    store.remove([f"m{j}" for j in range(4)])
    assert store.batch_count == 2  # the empty minitile batch is gone


def test_fast_footprint_reading_matches_the_wkt_parser_and_falls_back_for_anything_else():
    from nadir.core.grid.model import _simple_polygons, parse_footprints

    cells = [shapely.box(i * 0.01, 45, i * 0.01 + 0.01, 45.01).wkt for i in range(50)]
    cells.append("POLYGON ((2.1 44.8, 2.1001 44.85, 2.05 44.85, 2.05 44.8, 2.1 44.8))")
    cells.append("POLYGON((1e-3 0,1 0,1 1,0 1,1e-3 0))")  # no spaces, exponent
    assert _simple_polygons(cells) is not None
    geoms, areas = parse_footprints(cells)
    expected = shapely.from_wkt(cells)
    assert shapely.equals_exact(geoms, expected).all()
    assert np.allclose(areas, geodesic_areas_km2(expected), rtol=1e-12)
    for other in (
        "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)))",
        "POLYGON Z ((0 0 1, 1 0 1, 1 1 1, 0 0 1))",
        "POLYGON EMPTY",
        "POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0), (1 1, 2 1, 2 2, 1 1))",
    ):
        assert _simple_polygons([*cells[:3], other]) is None
        geoms, _ = parse_footprints([*cells[:3], other])
        assert geoms[3].equals(shapely.from_wkt(other)) or geoms[3].is_empty
    with pytest.raises(InvalidResponse):  # too few positions for a ring
        make_batch([GridCell(guid="d", level=CellLevel.TILE, epsg=32631, wkt="POLYGON ((0 0, 1 1))")])


def test_store_finds_every_cell_by_guid_after_partial_adds_and_removals():
    store = CellStore()
    first = make_batch([cell(f"a{i}", shapely.box(i, 0, i + 1, 1)) for i in range(6)])
    assert first.rows == {f"a{i}": i for i in range(6)}
    store.add(first)
    # a batch overlapping the first: only its new cells are kept, at their own rows
    mixed = make_batch(
        [
            cell("a4", shapely.box(4, 0, 5, 1)),
            cell("b0", shapely.box(0, 5, 1, 6), epsg=32632),
            cell("a5", shapely.box(4, 0, 5, 1)),
            cell("b1", shapely.box(1, 5, 2, 6), CellLevel.MINITILE, parent="a1"),
        ]
    )
    assert store.add(mixed) == ["b0", "b1"] and store.batch_count == 2
    assert store.add(make_batch([])) == [] and store.add(mixed) == [] and store.batch_count == 2
    assert store.epsg("b0") == 32632 and store.parent("b1") == "a1" and store.is_minitile("b1")
    assert store.geometry("a5").equals(shapely.box(5, 0, 6, 1))  # the first batch's footprint
    assert store.cell("b1").guid == "b1" and store.locate("b1")[0].guids[store.locate("b1")[1]] == "b1"
    assert store.locate("nope") is None and store.get("nope") is None
    geoms, areas = store.arrays(["b1", "a0"])
    assert geoms[0].equals(shapely.box(1, 5, 2, 6)) and areas[1] == pytest.approx(store.area_km2("a0"))
    assert store.levels_and_areas(["a0", "b1"])[0].tolist() == [False, True]
    assert store.remove(["a2", "b0"]) == 2
    assert set(store.query((0, 0, 10, 10))) == {"a0", "a1", "a3", "a4", "a5", "b1"}
    assert store.remove(["b1"]) == 1 and store.batch_count == 1  # the second batch is gone
    assert store.add(make_batch([cell("a2", shapely.box(2, 0, 3, 1))])) == ["a2"]
    assert store.at(2.5, 0.5) == ["a2"] and len(store) == 6


def test_a_batch_joined_from_parts_is_indexed_per_part_with_the_same_answers():
    from nadir.core.grid.model import PartsTree, cell_columns, join_columns

    cells = [cell(f"c{i}-{j}", shapely.box(i, j, i + 1, j + 1)) for i in range(8) for j in range(5)]
    whole = make_batch(cells)
    parts = [cell_columns(cells[:7]), cell_columns([]), cell_columns(cells[7:30]), whole.columns(range(30, 40))]
    joined = join_columns(parts)
    assert isinstance(joined.tree, PartsTree) and len(joined.tree) == 40
    assert isinstance(whole.tree, shapely.STRtree)  # one part: a plain tree, as before
    for target, predicate in (
        (shapely.box(2.5, 1.5, 5.2, 3.5), "intersects"),
        (shapely.Point(3.5, 2.5), None),
        (shapely.box(3, 2, 4, 3), "covers"),
        (shapely.box(50, 50, 51, 51), None),
    ):
        assert sorted(joined.tree.query(target, predicate=predicate).tolist()) == sorted(
            whole.tree.query(target, predicate=predicate).tolist()
        )
    store = CellStore()
    store.add(joined)
    assert store.query((2.5, 1.5, 3.5, 2.5)) == ["c2-1", "c2-2", "c3-1", "c3-2"]
    assert set(store.at(6.5, 4.5)) == {"c6-4"}
