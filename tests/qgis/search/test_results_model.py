"""The results table's model while a search streams: rows take their sorted place batch
by batch (no long sort at the end), a selected row keeps its selection while others are
inserted around it, duplicates are dropped, and equal values keep their arrival order."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from qgis.PyQt.QtCore import QItemSelectionModel, Qt

from nadir.core.models import Capture
from nadir.ui.search.table import COLUMNS, KEY_ROLE, ResultsFilter, ResultsModel

BASE = datetime(2020, 1, 1, tzinfo=timezone.utc)
SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}


def capture(index: int, day: int, cloud: float | None = None, provider: str = "geopera") -> Capture:
    return Capture(
        provider=provider,
        id=f"c{index}",
        collection="phr",
        constellation="PHR",
        acquired=BASE + timedelta(days=day),
        footprint=SQUARE,
        cloud_cover=cloud,
    )


def shown(proxy: ResultsFilter) -> list[str]:
    return [proxy.index(r, 0).data(KEY_ROLE) for r in range(proxy.rowCount())]


def test_batches_take_their_sorted_place_as_they_arrive(qgis_app):
    model, proxy = ResultsModel(), ResultsFilter()
    proxy.setSourceModel(model)
    proxy.sort(COLUMNS.index("acquired"), Qt.SortOrder.DescendingOrder)
    model.append([capture(1, 10), capture(2, 30), capture(3, 20)], [None] * 3)
    assert shown(proxy) == ["geopera:c2", "geopera:c3", "geopera:c1"]
    selection = QItemSelectionModel(proxy)
    selection.select(proxy.index(1, 0), QItemSelectionModel.SelectionFlag.Select)  # c3
    # a later batch: one newer, one between, one older, and a capture already shown
    assert model.append([capture(4, 40), capture(5, 25), capture(6, 5), capture(3, 20)], [None] * 4) == 3
    assert shown(proxy) == ["geopera:c4", "geopera:c2", "geopera:c5", "geopera:c3", "geopera:c1", "geopera:c6"]
    assert [i.data(KEY_ROLE) for i in selection.selectedIndexes()] == ["geopera:c3"]
    assert model.row_of("geopera:c6") == 5 and model.captures(["geopera:c5"])[0].id == "c5"


def test_another_column_sorts_every_row_and_unknown_values_go_last(qgis_app):
    model, proxy = ResultsModel(), ResultsFilter()
    proxy.setSourceModel(model)
    proxy.sort(COLUMNS.index("acquired"))
    model.append([capture(1, 1, 30.0), capture(2, 2, None), capture(3, 3, 10.0)], [None] * 3)
    proxy.sort(COLUMNS.index("cloud"))
    assert shown(proxy) == ["geopera:c3", "geopera:c1", "geopera:c2"]
    model.append([capture(4, 4, 20.0), capture(5, 5, None)], [None] * 2)
    # equal values (both unknown) keep the order they arrived in
    assert shown(proxy) == ["geopera:c3", "geopera:c4", "geopera:c1", "geopera:c2", "geopera:c5"]
    model.clear()
    assert model.append([capture(7, 1, 5.0)], [None]) == 1 and shown(proxy) == ["geopera:c7"]


def test_unsorted_rows_stay_in_arrival_order_and_a_batch_does_not_repeat_a_capture(qgis_app):
    model = ResultsModel()
    assert model.append([capture(2, 2), capture(1, 1), capture(2, 2)], [None] * 3) == 2
    assert [model.capture(r).id for r in range(model.rowCount())] == ["c2", "c1"]
