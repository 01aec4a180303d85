"""Big texts are read in slices (core.aoi.bigtext) with the same result as the ordinary way."""

from __future__ import annotations

import json
import threading
import time

import numpy as np
import pytest
import shapely

from nadir.core.aoi import bigtext
from nadir.core.aoi.build import build_aois
from nadir.core.aoi.text import read_text
from nadir.core.errors import InputError
from support.aoi_data import big_polygon_geojson


@pytest.fixture(scope="module")
def million(tmp_path_factory):
    return big_polygon_geojson(tmp_path_factory.mktemp("big") / "million.geojson").read_text(encoding="utf-8")


def test_nested_arrays_are_rebuilt_exactly():
    ring = [[0.5, 1.25], [2, 3], [4e-3, -5.5], [0.5, 1.25]]
    hole = [[1, 1, 9], [1.5, 1, 9], [1, 1.5, 9], [1, 1, 9]]
    polygon = [ring, hole]
    assert [r.tolist() for r in bigtext.parse_coordinate_array(json.dumps(polygon))] == [ring, [p[:2] for p in hole]]
    multi = [polygon, [ring]]
    parsed = bigtext.parse_coordinate_array(json.dumps(multi))
    assert len(parsed) == 2 and len(parsed[0]) == 2 and len(parsed[1]) == 1
    assert parsed[1][0].tolist() == ring
    broken_arrays = (
        "[[[0, 0], [1, 1]]",
        "[[[0, 0], [1]]]]",
        "[[[0, 'x'], [1, 1]]]",
        "[[[0, 0], [1, 1, 2, 3, 4]]]",
        "[[[0, 0, 1], [1, 1]]]",
    )
    for broken in broken_arrays:
        assert bigtext.parse_coordinate_array(broken) is None


def test_million_vertex_geojson_reads_the_same_sliced_and_whole(million, monkeypatch):
    sliced = build_aois(read_text(million), "m", "m").aois[0]
    monkeypatch.setattr(bigtext, "split_geojson", lambda text: None)
    from nadir.core.aoi import text as aoi_text

    monkeypatch.setattr(aoi_text, "split_geojson", lambda text: None)
    whole = build_aois(read_text(million), "m", "m").aois[0]
    assert sliced.vertex_count == whole.vertex_count == 1_000_000
    assert shapely.equals_exact(sliced.geometry, whole.geometry, 0.0)
    assert sliced.name == whole.name == "million"


def test_million_vertex_wkt_reads_in_slices(million):
    aoi = build_aois(read_text(million), "m", "m").aois[0]
    wkt = shapely.to_wkt(aoi.geometry, rounding_precision=-1, output_dimension=2)
    again = build_aois(read_text(wkt), "m", "m").aois[0]
    assert shapely.equals_exact(again.geometry, aoi.geometry, 0.0)


def test_a_bad_position_in_a_big_text_is_still_named_exactly(million):
    start = million.index("[[[") + 3
    broken = million[:start] + '1.0, "x"], [' + million[start:]
    result = build_aois(read_text(broken), "m", "m")
    assert not result.aois and result.refused[0].where.vertex == 1
    truncated = million[: len(million) // 2]
    with pytest.raises(InputError, match="line 1, column"):
        read_text(truncated)


def test_other_threads_run_while_a_big_text_is_read(million):
    """The reader yields the interpreter lock between slices: a ticking thread keeps ticking."""
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.002)

    thread = threading.Thread(target=ticker)
    thread.start()
    try:
        started = time.perf_counter()
        read_text(million)
        elapsed = time.perf_counter() - started
    finally:
        stop.set()
        thread.join()
    gaps = np.diff([t for t in ticks if started <= t <= started + elapsed])
    assert gaps.size > 10
    assert gaps.max() < 0.6, f"longest pause {gaps.max():.2f} s in {elapsed:.2f} s"
