"""Geodesic area shared by grid cells and polygons, without building the intersections.

A cover measures how much of each cell on the AOI's boundary lies inside the AOI
(:meth:`core.grid.cover.Region.overlap_areas_km2`). Grid cells are small convex
quadrilaterals, so each (cell, AOI piece) pair is clipped here with Sutherland-Hodgman
against the cell, all pairs at once in numpy: a GEOS overlay per pair (noding, graph,
result polygon) costs about 40 µs, several times the whole vectorised pass.

Sutherland-Hodgman clips any ring, convex or not, against a convex window. For a
non-convex ring the output may run back and forth along the window's edges, but those
runs enclose nothing: the clipped ring's signed area is the integral of the ring's
winding number over the window, and the area of the polygon's part in the window is
the sum of its rings' clipped signed areas, each counted with the sign that makes the
exterior positive and holes negative. Areas are geodesic with edges straight in lon/lat
(:func:`core.geodesy.rings_signed_area_m2`, the measure of every other grid area), and
clipping happens in the same lon/lat plane, so a clipped edge is still straight there.

Cells that are not convex polygons without holes are measured by GEOS as before.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import shapely

from ..geodesy import rings_signed_area_m2

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
GeomArray = npt.NDArray[np.object_]


def _planar_signed_areas(x: FloatArray, y: FloatArray, row: IntArray, nxt: IntArray, rows: int) -> FloatArray:
    """Shoelace signed area of each row's ring (open rings, ``nxt`` the next vertex)."""
    cross = x * y[nxt] - x[nxt] * y
    result: FloatArray = np.bincount(row, weights=cross, minlength=rows) / 2.0
    return result


def _next_in_ring(counts: IntArray) -> tuple[IntArray, IntArray]:
    """Row of each vertex and the index of the next vertex of its (open) ring."""
    total = int(counts.sum())
    row = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    nxt = np.arange(1, total + 1, dtype=np.int64)
    ends = np.cumsum(counts)
    starts = ends - counts
    full = counts > 0
    nxt[ends[full] - 1] = starts[full]
    return row, nxt


def _open_rings(rings: GeomArray) -> tuple[FloatArray, FloatArray, IntArray]:
    """Coordinates of closed rings without their closing point, and each ring's count."""
    coords, owner = shapely.get_coordinates(rings, return_index=True)
    counts = np.bincount(owner, minlength=len(rings)).astype(np.int64)
    last = np.cumsum(counts) - 1
    keep = np.ones(len(coords), dtype=bool)
    keep[last[counts > 0]] = False  # the closing point repeats the first
    return coords[keep, 0], coords[keep, 1], np.maximum(counts - 1, 0)


def convex_cells(cells: GeomArray) -> tuple[BoolArray, FloatArray]:
    """Which cells are convex polygons without holes, and their exterior rings as
    counter-clockwise windows: an array ``(len(cells), k, 2)`` of vertices, rows of
    cells with fewer than ``k`` vertices padded with their last one (a zero-length
    edge clips nothing). Rows of other cells are undefined."""
    n = len(cells)
    simple = (shapely.get_type_id(cells) == 3) & (shapely.get_num_interior_rings(cells) == 0)
    windows = np.zeros((n, 0, 2), dtype=np.float64)
    if not simple.any():
        return simple, windows
    rows = np.flatnonzero(simple)
    x, y, counts = _open_rings(shapely.get_exterior_ring(cells[rows]))
    row, nxt = _next_in_ring(counts)
    area = _planar_signed_areas(x, y, row, nxt, len(rows))
    # convex: every turn has the ring's orientation (straight turns allowed)
    nxt2 = nxt[nxt]
    turn = (x[nxt] - x) * (y[nxt2] - y[nxt]) - (y[nxt] - y) * (x[nxt2] - x[nxt])
    sign = np.sign(area)[row]
    bad = np.bincount(row, weights=(turn * sign < 0).astype(np.float64), minlength=len(rows)) > 0
    convex = (counts >= 3) & (area != 0) & ~bad
    k = int(counts.max()) if len(counts) else 0
    windows = np.zeros((n, k, 2), dtype=np.float64)
    starts = np.cumsum(counts) - counts
    position = np.arange(len(x), dtype=np.int64) - starts[row]
    ccw = (area > 0)[row]
    position = np.where(ccw, position, counts[row] - 1 - position)  # reverse clockwise rings
    windows[rows[row], position, 0] = x
    windows[rows[row], position, 1] = y
    for j in range(1, k):  # pad short rings with their last vertex
        short = counts < j + 1
        windows[rows[short], j] = windows[rows[short], np.maximum(counts[short] - 1, 0)]
    result = np.zeros(n, dtype=bool)
    result[rows[convex]] = True
    return result, windows


def clipped_areas_m2(windows: FloatArray, x: FloatArray, y: FloatArray, counts: IntArray) -> FloatArray:
    """Geodesic signed area (m²) of each ring clipped to its convex window.

    ``windows`` as :func:`convex_cells` gives them, one per ring; ``x``, ``y`` the rings'
    vertices one ring after the other (open: no closing point), ``counts`` each ring's
    number of vertices."""
    rings = len(counts)
    row = np.repeat(np.arange(rings, dtype=np.int64), counts)
    for j in range(windows.shape[1]):
        if len(x) == 0:
            break
        a = windows[:, j]
        b = windows[:, (j + 1) % windows.shape[1]]
        ax, ay = a[row, 0], a[row, 1]
        ex, ey = b[row, 0] - ax, b[row, 1] - ay
        _, nxt = _next_in_ring(counts)
        side = ex * (y - ay) - ey * (x - ax)  # >= 0: on the inner side of the edge
        inside = side >= 0
        side_n, inside_n = side[nxt], inside[nxt]
        crossing = inside != inside_n
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.where(crossing, side / (side - side_n), 0.0)
        px = x + t * (x[nxt] - x)
        py = y + t * (y[nxt] - y)
        # per vertex i: the crossing point of edge i -> i+1 if any, then vertex i+1 if inside
        keep = np.stack([crossing, inside_n], axis=1).ravel()
        x = np.stack([px, x[nxt]], axis=1).ravel()[keep]
        y = np.stack([py, y[nxt]], axis=1).ravel()[keep]
        row = np.repeat(row, 2)[keep]
        counts = np.bincount(row, minlength=rings).astype(np.int64)
    result = np.zeros(rings, dtype=np.float64)
    if len(x) == 0:
        return result
    # close each ring for the geodesic measure
    _, nxt = _next_in_ring(counts)
    ends = np.cumsum(counts) - 1
    full = counts > 0
    firsts = nxt[ends[full]]
    xs = np.insert(x, ends[full] + 1, x[firsts])
    ys = np.insert(y, ends[full] + 1, y[firsts])
    owner = np.insert(row, ends[full] + 1, np.flatnonzero(full))
    return rings_signed_area_m2(np.column_stack([xs, ys]), owner, rings)


def overlap_areas_km2(cells: GeomArray, pieces: GeomArray, cell_index: IntArray, piece_index: IntArray) -> FloatArray:
    """Geodesic area (km²) each pair ``(cells[cell_index[i]], pieces[piece_index[i]])``
    shares: clipped here where the cell is convex, by GEOS otherwise."""
    result = np.zeros(len(cell_index), dtype=np.float64)
    if len(cell_index) == 0:
        return result
    convex, windows = convex_cells(cells)
    fast = convex[cell_index]
    if fast.any():
        pairs = np.flatnonzero(fast)
        parts, part_pair = shapely.get_parts(pieces[piece_index[pairs]], return_index=True)  # multipolygons
        polygon = shapely.get_type_id(parts) == 3
        parts, part_pair = parts[polygon], part_pair[polygon]
        rings, ring_part = shapely.get_rings(parts, return_index=True)
        ring_pair = part_pair[ring_part]
        x, y, counts = _open_rings(rings)
        ring_row, nxt = _next_in_ring(counts)
        planar = _planar_signed_areas(x, y, ring_row, nxt, len(rings))
        exterior = np.r_[True, ring_part[1:] != ring_part[:-1]]
        # exterior counted positive, holes negative, whatever the rings' orientation
        factor = np.where(exterior, 1.0, -1.0) * np.sign(planar)
        clipped = clipped_areas_m2(windows[cell_index[pairs[ring_pair]]], x, y, counts)
        shared = np.bincount(ring_pair, weights=factor * clipped, minlength=len(pairs))
        result[pairs] = np.clip(shared, 0.0, None) / 1e6
    slow = np.flatnonzero(~fast)
    if slow.size:
        from .model import geodesic_areas_km2  # core.grid imports nothing from here

        result[slow] = geodesic_areas_km2(shapely.intersection(cells[cell_index[slow]], pieces[piece_index[slow]]))
    return result
