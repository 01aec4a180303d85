"""What a result shows and what buying it means: key, enriched price, AOI ∩ footprint."""

from __future__ import annotations

import pytest

from nadir.core.models import Capture
from nadir.core.search.results import capture_key, price_text
from support.adapters import box


def capture(provider="geopera", id_="c1", footprint=None, **properties):
    return Capture(
        provider=provider,
        id=id_,
        footprint=footprint or box(10, 50, 10.2, 50.2),
        collection="phr",
        host="oneatlas",
        properties=properties,
    )


def test_key_and_enriched_price():
    assert capture_key(capture()) == "geopera:c1"
    assert (
        price_text(capture(**{"geopera:price": {"aud_per_km2": 3.5, "scene_credits": 1200}}))
        == "A$3.5/km² · scene 1200 credits"
    )
    assert price_text(capture()) == ""
    assert price_text(capture(**{"geopera:price": "nonsense"})) == ""


def test_footprints_as_multipolygon_wkb():
    import shapely

    from nadir.core.search.results import multipolygon_wkb

    square = box(10, 50, 10.2, 50.2)
    multi = {"type": "MultiPolygon", "coordinates": [square["coordinates"], box(11, 51, 12, 52)["coordinates"]]}
    for geojson, parts in ((square, 1), (multi, 2)):
        shape = shapely.from_wkb(multipolygon_wkb(geojson))
        assert shape.geom_type == "MultiPolygon" and len(shape.geoms) == parts
        assert shape.geoms[0].bounds == pytest.approx((10, 50, 10.2, 50.2))
    holed = {"type": "Polygon", "coordinates": [box(0, 0, 4, 4)["coordinates"][0], box(1, 1, 2, 2)["coordinates"][0]]}
    assert shapely.from_wkb(multipolygon_wkb(holed)).area == pytest.approx(15)
    assert multipolygon_wkb({"type": "Point", "coordinates": [1, 2]}) == b""
    assert multipolygon_wkb({"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]}) == b""


def test_one_ring_footprints_take_the_short_way_to_the_same_wkb():
    from nadir.core.search.results import _one_ring_wkb, multipolygon_wkb

    ring = [[10, 50], [10.2, 50.0], [10.2, 50.2], [10.0, 50.2], [10, 50]]
    quick = _one_ring_wkb({"type": "Polygon", "coordinates": [ring]})
    assert quick is not None
    # the general path writes the same polygon when given as a one-part MultiPolygon
    assert quick == multipolygon_wkb({"type": "MultiPolygon", "coordinates": [[ring]]})
    # anything else goes the general way: holes, 3-D positions, a position that is no pair
    holed = [ring, [[10.05, 50.05], [10.1, 50.05], [10.1, 50.1], [10.05, 50.05]]]
    assert _one_ring_wkb({"type": "Polygon", "coordinates": holed}) is None
    in_3d = [[*p, 35.0] for p in ring]
    assert _one_ring_wkb({"type": "Polygon", "coordinates": [in_3d]}) is None
    assert multipolygon_wkb({"type": "Polygon", "coordinates": [in_3d]}) == quick  # height dropped
    assert _one_ring_wkb({"type": "Polygon", "coordinates": [[[10, 50], [10.2], [10.2, 50.2, 1], [10, 50]]]}) is None
    assert _one_ring_wkb({"type": "Polygon", "coordinates": [[["a", "b"]] * 4]}) is None
