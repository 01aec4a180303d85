"""The footprints layer as a search fills it: each capture's attributes (time in UTC,
shared values, no geometry without a polygon), batches added with the ids the provider
gave them (also after a new search emptied the layer), duplicates skipped, and the
batches a worker built freed on the worker once the layer has them."""

from __future__ import annotations

import gc
import weakref
from datetime import datetime, timedelta, timezone

from qgis.core import NULL, QgsProject
from qgis.PyQt.QtCore import Qt

from nadir.core.models import Capture
from nadir.core.search.engine import Found, footprint_wkbs
from nadir.toolbelt.features import added_ids
from nadir.toolbelt.search.layer import CaptureFeatures, capture_fields
from nadir.ui.search.layer import BatchRelease, ResultsLayer, prepare_batch

BASE = datetime(2021, 6, 1, 10, 30, 15, 250000, tzinfo=timezone.utc)


def square(x: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[x, 50], [x + 0.1, 50], [x + 0.1, 50.1], [x, 50.1], [x, 50]]]}


def capture(index: int, **changes) -> Capture:
    values = {
        "provider": "geopera",
        "id": f"c{index}",
        "collection": "phr",
        "constellation": "PHR",
        "acquired": BASE + timedelta(hours=index),
        "footprint": square(index * 0.2),
        "cloud_cover": float(index % 3),
        "incidence_angle": 12.5,
        "gsd": 0.5,
        "host": "oneatlas",
    }
    values.update(changes)
    return Capture(**values)


def found(captures) -> Found:
    batch = tuple(captures)
    wkbs = footprint_wkbs(c.footprint for c in batch)
    return Found("geopera", batch, tuple(50.0 for _ in batch), wkbs)


def test_a_capture_becomes_a_feature_with_its_time_in_utc(qgis_app):
    factory = CaptureFeatures(capture_fields())
    feature = factory(capture(1), 42.5)
    assert feature["key"] == "geopera:c1" and feature["capture_id"] == "c1" and feature["host"] == "oneatlas"
    acquired = feature["acquired"]
    assert acquired.timeSpec() == Qt.TimeSpec.UTC
    assert acquired.toMSecsSinceEpoch() == int((BASE + timedelta(hours=1)).timestamp() * 1000)
    assert (feature["cloud"], feature["incidence"], feature["gsd"], feature["aoi_pct"]) == (1.0, 12.5, 0.5, 42.5)
    assert feature.geometry().boundingBox().toString(1) == "0.2,50.0 : 0.3,50.1"
    # a time without zone is read as UTC; no time and no polygon stay empty
    naive = factory(capture(2, acquired=datetime(2021, 6, 1, 12, 0)), None)
    assert naive["acquired"].timeSpec() == Qt.TimeSpec.UTC and naive["acquired"].toString(Qt.DateFormat.ISODate) == (
        "2021-06-01T12:00:00Z"
    )
    empty = factory(capture(3, acquired=None, footprint={"type": "Point", "coordinates": [1, 2]}), None)
    assert not empty.hasGeometry()
    assert empty["acquired"] == NULL and empty["aoi_pct"] == NULL and empty["capture_id"] == "c3"


def test_values_past_the_shared_ones_are_the_same_values(qgis_app, monkeypatch):
    monkeypatch.setattr(CaptureFeatures, "SHARED_VALUES", 3)
    few = CaptureFeatures(capture_fields())
    many = [capture(i, collection=f"collection {i}", cloud_cover=float(i)) for i in range(6)]
    limited = few.many(many, (1.0,) * 6, [f"k{i}" for i in range(6)], (None,) * 6)
    monkeypatch.setattr(CaptureFeatures, "SHARED_VALUES", 4096)
    unlimited = CaptureFeatures(capture_fields()).many(many, (1.0,) * 6, [f"k{i}" for i in range(6)], (None,) * 6)
    assert [f.attributes() for f in limited] == [f.attributes() for f in unlimited]
    assert [f["collection"] for f in limited] == [f"collection {i}" for i in range(6)]
    assert [f.geometry().asWkb() for f in limited] == [f.geometry().asWkb() for f in unlimited]


def test_batches_keep_their_ids_after_a_new_search_and_skip_duplicates(qgis_app, empty_project):
    layer = ResultsLayer(QgsProject.instance())
    factory = CaptureFeatures(layer.fields())
    first = prepare_batch(found(capture(i) for i in range(5)), factory)
    assert layer.add_batch(first) == 5 and first.consumed
    again = prepare_batch(found([capture(3), capture(5), capture(5)]), factory)  # pages overlapping
    assert layer.add_batch(again) == 1 and layer.feature_count() == 6
    layer.clear()  # a new search: the provider's ids go on from where they were
    second = prepare_batch(found(capture(i) for i in range(10, 14)), factory)
    assert layer.add_batch(second) == 4
    layer.select(["geopera:c12", "geopera:c10"])
    selected = {f["key"] for f in layer.layer.selectedFeatures()}
    assert selected == {"geopera:c12", "geopera:c10"} == set(layer.selected_keys())
    for key, fid in layer._fid_of.items():
        assert layer.layer.getFeature(fid)["key"] == key
    layer.remove()


class _Numbered:
    def __init__(self, fid: int) -> None:
        self._fid = fid

    def id(self) -> int:
        return self._fid


def test_ids_are_read_one_by_one_when_they_are_not_a_run():
    assert list(added_ids([_Numbered(i) for i in (7, 8, 9)])) == [7, 8, 9]
    assert list(added_ids([_Numbered(i) for i in (7, 9, 12)])) == [7, 9, 12]  # gaps: read each
    assert list(added_ids([])) == []


def test_the_worker_lets_a_batch_go_once_the_layer_has_it(qgis_app, empty_project):
    layer = ResultsLayer(QgsProject.instance())
    factory = CaptureFeatures(layer.fields())
    release = BatchRelease()
    batches = [prepare_batch(found([capture(i)]), factory) for i in range(3)]
    alive = [weakref.ref(b) for b in batches]
    for batch in batches:
        release.hold(batch)
    layer.add_batch(batches[0])  # the GUI thread took the first one; its slot returns
    del batches, batch
    gc.collect()
    assert all(ref() is not None for ref in alive)  # the worker still holds all three
    release.hold(prepare_batch(found([capture(9)]), factory))  # the worker's next batch
    assert alive[0]() is None and alive[1]() is not None and alive[2]() is not None
    release.close()  # the search ended: the rest go with it
    assert alive[1]() is None and alive[2]() is None
    layer.remove()
