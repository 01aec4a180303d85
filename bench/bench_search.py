"""Archive search at scale (DESIGN.md 6: the map stays live; issue 13's targets).

1. 10,000 captures searched, drawn and listed: the real Search presenter, footprints
   layer (on a map canvas) and results table against the sandbox's Geopera stream
   (NDJSON over loopback). A 1 ms heartbeat timer on the GUI thread records every gap
   between its ticks while the search runs: the longest gap and the p99 are the stalls
   the user would feel. Also: time from Search to the first batch on screen, and to the
   last.
2. 100,000 footprints into the results layer (batches of 1,000, as the presenter adds
   them): wall time and the resident memory added.

One JSON line per metric.   QT_QPA_PLATFORM=offscreen python bench/bench_search.py
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))
from support.package import ensure_importable  # noqa: E402

ensure_importable()

GERMANY = {"type": "Polygon", "coordinates": [[[6.0, 47.5], [15.0, 47.5], [15.0, 55.0], [6.0, 55.0], [6.0, 47.5]]]}


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def emit(metric: str, value: float, unit: str, **extra: object) -> None:
    print(json.dumps({"metric": metric, "value": round(value, 3), "unit": unit, **extra}), flush=True)


def search_10k(app: object, sandbox: object) -> None:
    from qgis.core import QgsProject
    from qgis.gui import QgsMapCanvas
    from qgis.PyQt.QtCore import QElapsedTimer, QTimer
    from qgis.PyQt.QtWidgets import QTableView

    from nadir.tasks.base import TaskRunner
    from nadir.toolbelt.settings import SettingsStore
    from nadir.ui.search.layer import ResultsLayer
    from nadir.ui.search.presenter import SearchPresenter, SearchRequest
    from nadir.ui.search.table import ResultsFilter, ResultsModel
    from support.adapters import geopera

    project = QgsProject.instance()
    model, layer = ResultsModel(), ResultsLayer(project)
    proxy = ResultsFilter()
    proxy.setSourceModel(model)
    proxy.sort(3)
    table = QTableView()
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.resize(800, 400)
    table.show()
    canvas = QgsMapCanvas()
    canvas.resize(800, 600)
    canvas.show()
    presenter = SearchPresenter(TaskRunner(), SettingsStore(), lambda provider, settings: geopera(sandbox),
                                layer, model)
    ticks: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    heartbeat = QTimer()
    heartbeat.setInterval(1)
    heartbeat.timeout.connect(lambda: ticks.append(clock.nsecsElapsed() / 1e6))
    heartbeat.start()
    request = SearchRequest(providers=("geopera",), aoi=GERMANY, start=datetime(2015, 1, 1, tzinfo=timezone.utc),
                            end=datetime(2025, 1, 1, tzinfo=timezone.utc), max_cloud=100.0, max_incidence=90.0,
                            limit=10_000)
    started = time.perf_counter()
    presenter.search(request)
    shown_first = None
    while presenter.running:
        app.processEvents()
        if shown_first is None and model.rowCount():
            shown_first = time.perf_counter() - started
            if layer.layer is not None and not canvas.layers():
                canvas.setDestinationCrs(layer.layer.crs())
                canvas.setLayers([layer.layer])
                canvas.setExtent(layer.layer.extent())
                canvas.refresh()
        time.sleep(0.0005)
    done = time.perf_counter() - started
    canvas.setExtent(layer.layer.extent())
    canvas.refresh()
    while canvas.isDrawing():
        app.processEvents()
    heartbeat.stop()
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    emit("search_10k_captures", float(model.rowCount()), "captures", layer=layer.feature_count(),
         failures=[f.message for f in presenter.state.failures])
    emit("search_first_batch_on_screen", shown_first or float("nan"), "s")
    emit("search_all_on_screen", done, "s")
    emit("search_longest_gui_stall", max(gaps), "ms", ticks=len(ticks))
    emit("search_p99_gui_stall", statistics.quantiles(gaps, n=100)[98], "ms")
    presenter.close()
    layer.remove()


def footprints_100k() -> None:
    from qgis.core import QgsProject

    from nadir.core.models import Capture
    from nadir.ui.search.layer import ResultsLayer

    base = datetime(2020, 1, 1, tzinfo=timezone.utc)
    captures = []
    for i in range(100_000):
        lon, lat = -20 + (i % 400) * 0.1, 30 + (i // 400) * 0.1
        ring = [[lon, lat], [lon + 0.12, lat], [lon + 0.12, lat + 0.12], [lon, lat + 0.12], [lon, lat]]
        captures.append(Capture(provider="geopera", id=f"cap-{i:06d}", collection="phr", constellation="PHR",
                                acquired=base + timedelta(hours=i),
                                footprint={"type": "Polygon", "coordinates": [ring]},
                                cloud_cover=float(i % 100), incidence_angle=float(i % 40), gsd=0.5))
    from nadir.core.search.engine import Found
    from nadir.ui.search.layer import prepare_batch

    layer = ResultsLayer(QgsProject.instance())
    fields = layer.fields()
    before = rss_mb()
    started = time.perf_counter()
    batches = [prepare_batch(Found("geopera", tuple(captures[i:i + 1000]), (50.0,) * 1000), fields)
               for i in range(0, len(captures), 1000)]
    prepared = time.perf_counter() - started
    started = time.perf_counter()
    for batch in batches:
        layer.add_prepared(batch.keys, batch.features)
    added = time.perf_counter() - started
    emit("footprints_100k_features_built", prepared, "s", where="search task (worker thread)")
    emit("footprints_100k_into_layer", added, "s", where="GUI thread", features=layer.feature_count())
    emit("footprints_100k_total", prepared + added, "s")
    emit("footprints_100k_memory_added", rss_mb() - before, "MB")
    layer.remove()


def main() -> None:
    from qgis.core import QgsApplication

    from sandbox.testing import run_sandbox

    app = QgsApplication([], True)
    app.initQgis()
    with tempfile.TemporaryDirectory() as folder, run_sandbox(Path(folder)) as sandbox:
        search_10k(app, sandbox)
    footprints_100k()
    app.exitQgis()


if __name__ == "__main__":
    main()
