"""core.grid.clip: areas shared by cells and polygons, clipped in numpy, equal GEOS's."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from nadir.core.grid.clip import convex_cells, overlap_areas_km2
from nadir.core.grid.model import geodesic_areas_km2


def geos_areas(cells, pieces, ci, pi):
    return geodesic_areas_km2(shapely.intersection(cells[ci], pieces[pi]))


def random_polygons(rng, count):
    found = []
    for _ in range(count):
        centre = rng.uniform(-5, 5, 2)
        outline = shapely.Polygon(centre + rng.normal(0, 1, (12, 2))).buffer(0.3)  # concave, self-touching fixed
        with_hole = shapely.make_valid(outline).difference(shapely.Point(*centre).buffer(0.2))
        found += [p for p in shapely.get_parts(with_hole) if p.geom_type == "Polygon"]
    return np.array(found, dtype=object)


def random_convex(rng, count):
    cells = []
    for _ in range(count):
        centre, turn, radius = rng.uniform(-5, 5, 2), rng.uniform(0, np.pi), rng.uniform(0.1, 1.5)
        angles = turn + np.linspace(0, 2 * np.pi, int(rng.integers(3, 8)), endpoint=False)
        points = centre + radius * np.c_[np.cos(angles), np.sin(angles)]
        cells.append(shapely.Polygon(points if rng.random() < 0.5 else points[::-1]))  # both orientations
    return cells


def test_clipped_areas_equal_geos_intersections_for_concave_pieces_with_holes():
    rng = np.random.default_rng(7)
    pieces = random_polygons(rng, 120)
    assert any(shapely.get_num_interior_rings(pieces))
    cells = np.array(random_convex(rng, 400), dtype=object)
    ci, pi = shapely.STRtree(pieces).query(cells, predicate="intersects")
    assert len(ci) > 1000
    expected = geos_areas(cells, pieces, ci, pi)
    got = overlap_areas_km2(cells, pieces, ci, pi)
    assert got == pytest.approx(expected, rel=1e-9, abs=1e-9)
    assert (expected > 0).sum() > 500  # real overlaps, not only touching pairs


def test_cells_that_are_not_convex_simple_polygons_are_measured_by_geos():
    cells = np.array(
        [
            shapely.Polygon([(0, 0), (2, 0), (1, 0.5), (2, 2), (0, 2)]),  # concave
            shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(2, 2, 3, 3)]),
            shapely.box(0, 0, 3, 3).difference(shapely.box(1, 1, 2, 2)),  # a hole
            shapely.box(0.5, 0.5, 1.5, 1.5),
        ],
        dtype=object,
    )
    convex, _ = convex_cells(cells)
    assert convex.tolist() == [False, False, False, True]
    pieces = np.array([shapely.box(0.8, 0.2, 2.5, 2.5)], dtype=object)
    ci, pi = np.arange(4), np.zeros(4, dtype=np.int64)
    got = overlap_areas_km2(cells, pieces, ci, pi)
    assert got == pytest.approx(geos_areas(cells, pieces, ci, pi), rel=1e-9)
    assert (got > 0).all()


def test_grid_like_cells_on_a_coastline_and_degenerate_pairs():
    # minitile-like quads (slightly skewed) against a detailed concave shape
    coast = shapely.Point(3.0, 46.0).buffer(0.4, quad_segs=32).union(shapely.box(2.5, 45.9, 3.9, 46.02))
    pieces = np.array([coast], dtype=object)
    xs, ys = np.meshgrid(np.arange(2.4, 3.6, 0.05), np.arange(45.5, 46.5, 0.03))
    cells = np.array(
        [
            shapely.Polygon([(x, y), (x + 0.05, y + 0.001), (x + 0.049, y + 0.03), (x - 0.001, y + 0.029)])
            for x, y in zip(xs.ravel(), ys.ravel())
        ],
        dtype=object,
    )
    ci, pi = shapely.STRtree(pieces).query(cells, predicate="intersects")
    got = overlap_areas_km2(cells, pieces, ci, pi)
    assert got == pytest.approx(geos_areas(cells, pieces, ci, pi), rel=1e-9, abs=1e-12)
    # a cell touching a piece along an edge only shares nothing; an empty pair list is fine
    edge = np.array([shapely.box(0, 0, 1, 1)], dtype=object)
    beside = np.array([shapely.box(1, 0, 2, 1)], dtype=object)
    assert overlap_areas_km2(edge, beside, np.array([0]), np.array([0])).tolist() == [0.0]
    assert overlap_areas_km2(edge, beside, np.zeros(0, np.int64), np.zeros(0, np.int64)).size == 0


def test_multipolygon_pieces_count_every_part():
    bowtie = shapely.MultiPolygon(
        [
            shapely.Polygon([(3.2, 45.2), (3.0, 45.0), (3.0, 45.4)]),
            shapely.Polygon([(3.2, 45.2), (3.4, 45.4), (3.4, 45.0)]),
        ]
    )
    pieces = np.array(
        [
            bowtie,
            shapely.GeometryCollection([shapely.box(3.1, 45.1, 3.2, 45.2), shapely.LineString([(3, 45), (4, 46)])]),
        ],
        dtype=object,
    )
    cells = np.array([shapely.box(3.1, 44.9, 3.3, 45.5), shapely.box(2.9, 45.1, 3.15, 45.3)], dtype=object)
    ci, pi = np.array([0, 1, 0, 1]), np.array([0, 0, 1, 1])
    got = overlap_areas_km2(cells, pieces, ci, pi)
    assert got == pytest.approx(geos_areas(cells, pieces, ci, pi), rel=1e-9)
    assert (got > 0).all()
