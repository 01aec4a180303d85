"""Archive search at scale (DESIGN.md 6: the map stays live; issue 13's targets).

1. 10,000 captures searched, drawn and listed: the real Search presenter, footprints
   layer (on a map canvas) and results table against the sandbox's Geopera stream
   (NDJSON over loopback). A 1 ms heartbeat timer on the GUI thread records every gap
   between its ticks while the search runs: the longest gap and the p99 are the stalls
   the user would feel. Also: time from Search to the first batch on screen, and to the
   last.
2. 100,000 footprints into the results layer as a search puts them there: from the
   batches of 1,000 the search engine hands over (captures, AOI shares and the footprints'
   WKB it wrote for the shares), a worker thread builds the features while the GUI thread
   adds each batch to the layer: the wall time until all are in, the GUI thread's share,
   the worker's CPU and the resident memory added. Then again with the WKB written on the
   worker inside the clock (``..._with_wkb``).
3. ``--desktop``: the same 10,000-capture search as the user runs it, in the QGIS desktop
   under Xvfb: the dock's Search tab (map view extent over Germany, Geopera), Search
   clicked, the footprints drawn on the real map canvas and the table with its quicklook
   thumbnails loading for the rows in view. The heartbeat runs in QGIS's own event loop
   from the click until a second after the last capture arrived.

One JSON line per metric.   QT_QPA_PLATFORM=offscreen python bench/bench_search.py
                            python bench/bench_search.py --desktop [runs]
"""

from __future__ import annotations

import json
import queue
import statistics
import sys
import tempfile
import threading
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
    presenter = SearchPresenter(
        TaskRunner(), SettingsStore(), lambda provider, settings: geopera(sandbox), layer, model
    )
    ticks: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    heartbeat = QTimer()
    heartbeat.setInterval(1)
    heartbeat.timeout.connect(lambda: ticks.append(clock.nsecsElapsed() / 1e6))
    heartbeat.start()
    request = SearchRequest(
        providers=("geopera",),
        aoi=GERMANY,
        start=datetime(2015, 1, 1, tzinfo=timezone.utc),
        end=datetime(2025, 1, 1, tzinfo=timezone.utc),
        max_cloud=100.0,
        max_incidence=90.0,
        limit=10_000,
    )
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
    emit(
        "search_10k_captures",
        float(model.rowCount()),
        "captures",
        layer=layer.feature_count(),
        failures=[f.message for f in presenter.state.failures],
    )
    emit("search_first_batch_on_screen", shown_first or float("nan"), "s")
    emit("search_all_on_screen", done, "s")
    longest = max(range(len(gaps)), key=gaps.__getitem__)
    emit(
        "search_longest_gui_stall",
        gaps[longest],
        "ms",
        ticks=len(ticks),
        at_s=round((ticks[longest] - ticks[0]) / 1000, 2),
        done_at_s=round(done, 2),
    )
    emit("search_p99_gui_stall", statistics.quantiles(gaps, n=100)[98], "ms")
    presenter.close()
    layer.remove()


def footprints_100k(wkbs_from_engine: bool = True) -> None:
    """``wkbs_from_engine``: the batches arrive as the search engine hands them over, each
    footprint's WKB already written (it writes them for the AOI share, core/search/engine);
    else the worker writes the WKB here too (the metrics are then named ``..._with_wkb``)."""
    from qgis.core import QgsProject

    from nadir.core.models import Capture
    from nadir.ui.search.layer import ResultsLayer

    base = datetime(2020, 1, 1, tzinfo=timezone.utc)
    captures = []
    for i in range(100_000):
        lon, lat = -20 + (i % 400) * 0.1, 30 + (i // 400) * 0.1
        ring = [[lon, lat], [lon + 0.12, lat], [lon + 0.12, lat + 0.12], [lon, lat + 0.12], [lon, lat]]
        captures.append(
            Capture(
                provider="geopera",
                id=f"cap-{i:06d}",
                collection="phr",
                constellation="PHR",
                acquired=base + timedelta(hours=i),
                footprint={"type": "Polygon", "coordinates": [ring]},
                cloud_cover=float(i % 100),
                incidence_angle=float(i % 40),
                gsd=0.5,
            )
        )
    from nadir.core.search.engine import Found, footprint_wkbs
    from nadir.toolbelt.search.layer import CaptureFeatures
    from nadir.ui.search.layer import BatchRelease, prepare_batch

    layer = ResultsLayer(QgsProject.instance())
    factory = CaptureFeatures(layer.fields())
    ready: queue.Queue = queue.Queue(maxsize=4)
    worker_cpu = []

    def found(batch: tuple[Capture, ...]) -> Found:
        return Found("geopera", batch, (50.0,) * len(batch), footprint_wkbs(c.footprint for c in batch))

    batches = [tuple(captures[i : i + 1000]) for i in range(0, len(captures), 1000)]
    handed_over = [found(b) for b in batches] if wkbs_from_engine else []

    def build() -> None:  # the search task's part (ui/search/presenter.run_search), off the GUI thread
        begin = time.thread_time()
        release = BatchRelease()
        for index, batch in enumerate(batches):
            prepared = prepare_batch(handed_over[index] if wkbs_from_engine else found(batch), factory)
            release.hold(prepared)
            ready.put(prepared)
        release.close()
        worker_cpu.append(time.thread_time() - begin)
        ready.put(None)

    from nadir.core import collector

    before = rss_mb()
    gui = 0.0
    collector.hold()  # as the search presenter does while results stream in
    started = time.perf_counter()
    worker = threading.Thread(target=build)
    worker.start()
    while True:  # the GUI thread's part, as batches arrive
        batch = ready.get()
        if batch is None:
            break
        begin = time.perf_counter()
        layer.add_batch(batch)
        del batch  # as a slot returns: the worker frees the batch (ui/search/layer.BatchRelease)
        gui += time.perf_counter() - begin
    wall = time.perf_counter() - started
    collector.release()
    worker.join()
    suffix = "" if wkbs_from_engine else "_with_wkb"
    emit(
        f"footprints_100k_total{suffix}",
        wall,
        "s",
        where="features built on a worker while the GUI thread adds them"
        + ("" if wkbs_from_engine else ", the footprints' WKB written on the worker too"),
        features=layer.feature_count(),
    )
    emit(f"footprints_100k_into_layer{suffix}", gui, "s", where="GUI thread")
    emit(f"footprints_100k_features_built{suffix}", worker_cpu[0], "s", where="worker thread CPU")
    emit(f"footprints_100k_memory_added{suffix}", rss_mb() - before, "MB")
    layer.remove()


DESKTOP_SCRIPT = r"""
import time
from qgis.core import QgsCoordinateReferenceSystem, QgsProject, QgsRectangle, QgsVectorLayer
from qgis.PyQt.QtCore import QDate, QEventLoop, Qt, QTimer
from qgis.PyQt.QtWidgets import QAction, QDockWidget
from qgis.utils import iface, plugins
e2e.wait_for(lambda: "nadir" in plugins and iface.mainWindow().isVisible(), "Nadir and the main window")
iface.mainWindow().resize(1560, 980)
project = QgsProject.instance()
project.addMapLayer(QgsVectorLayer(WORLD + "|layername=countries", "Countries", "ogr"))
project.setCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
canvas = iface.mapCanvas()
e2e.wait_for(lambda: canvas.mapSettings().destinationCrs().authid() == "EPSG:4326", "map in EPSG:4326")
canvas.setExtent(QgsRectangle(6.0, 47.5, 15.0, 55.0))
canvas.refresh()
toggle = next(a for a in iface.mainWindow().findChildren(QAction) if a.objectName() == "NadirToggleDock")
toggle.trigger()
e2e.wait_for(lambda: plugins["nadir"].awake, "Nadir's features", timeout=60)
dock = e2e.wait_for(lambda: next((d for d in iface.mainWindow().findChildren(QDockWidget)
                                  if d.objectName() == "NadirDock" and d.isVisible()), None), "dock")
iface.mainWindow().resizeDocks([dock], [760], Qt.Orientation.Horizontal)
search = next(f for f in plugins["nadir"].features if type(f).__name__ == "SearchFeature")
dock.show_section("search")
section = search.section
for provider, box in section.provider_boxes.items():
    box.setChecked(provider == "geopera")
section.aoi_combo.setCurrentIndex(section.aoi_combo.findData("@view"))
section.start_edit.setDate(QDate(2015, 1, 1))
section.end_edit.setDate(QDate(2025, 1, 1))
section.cloud_spin.setValue(100)
section.incidence_spin.setValue(90)
section.limit_spin.setValue(10000)
e2e.process_events(3.0)  # QGIS and the map settle, the dock open a few seconds as while filling the form
ticks, state = [], {}
loop = QEventLoop()
def beat():
    now = time.perf_counter()
    ticks.append(now)
    if "first" not in state and search.model.rowCount():
        state["first"] = now
    if "clicked" in state and "done" not in state and not search.presenter.running:
        state["done"] = now
        QTimer.singleShot(1000, loop.quit)  # the tail: last batch drawn, quicklooks of the rows in view
heart = QTimer()
heart.setInterval(1)
heart.timeout.connect(beat)
QTimer.singleShot(180000, loop.quit)
def click():
    state["clicked"] = time.perf_counter()
    section.search_button.click()
heart.start()
QTimer.singleShot(0, click)
loop.exec()
heart.stop()
begin = state["clicked"]
timed = sorted((((b - a) * 1000, a - begin) for a, b in zip(ticks, ticks[1:]) if a >= begin), reverse=True)
gaps = [gap for gap, _ in timed]
e2e.record(rows=search.model.rowCount(), features=search.layer.feature_count(),
           first_s=state.get("first", begin) - begin, done_s=state.get("done", begin) - begin,
           longest_ms=gaps[0], p99_ms=gaps[len(gaps) // 100], over_16=sum(1 for g in gaps if g > 16),
           top=gaps[:8], top_at_s=[round(at, 2) for _, at in timed[:8]], thumbnails=search.quicklooks.thumbnail_count,
           failures=[f.message for f in search.presenter.state.failures])
e2e.screenshot("search-10k", iface.mainWindow())
"""


def desktop(runs: int) -> None:
    """The 10,000-capture search in the QGIS desktop (see DESKTOP_SCRIPT), ``runs`` times."""
    from sandbox.testing import run_sandbox
    from support.aoi_data import WORLD_MAP
    from support.e2e import Desktop, Xvfb
    from support.sandbox_profile import master_password_file, prepare_profile

    xvfb = Xvfb()
    found = []
    try:
        with tempfile.TemporaryDirectory() as folder:
            base = Path(folder)
            with run_sandbox(base / "sandbox") as sandbox:
                desk = Desktop(base / "desktop", xvfb.display, "bench")
                password = master_password_file(base / "master-password")
                prepare_profile(desk.profile_dir, sandbox.url, password, poll_interval_s=600)
                script = DESKTOP_SCRIPT.replace("WORLD", repr(str(WORLD_MAP)))
                env = {"QGIS_AUTH_PASSWORD_FILE": str(password), "NADIR_DATA_DIR": str(base / "data")}
                for run in range(runs):
                    result = desk.run(script, f"search{run}", timeout=300, env=env)
                    assert result["rows"] == 10_000 and not result["failures"], result
                    found.append(result)
    finally:
        xvfb.stop()
    for key, unit in (
        ("first_s", "s"),
        ("done_s", "s"),
        ("longest_ms", "ms"),
        ("p99_ms", "ms"),
        ("over_16", "gaps"),
        ("thumbnails", "thumbnails"),
    ):
        values = [float(f[key]) for f in found]
        print(
            json.dumps(
                {
                    "metric": f"desktop_search_10k_{key.rsplit('_', 1)[0] if '_' in key else key}",
                    "value": round(statistics.median(values), 3),
                    "unit": unit,
                    "runs": runs,
                    "min": round(min(values), 3),
                    "max": round(max(values), 3),
                }
            ),
            flush=True,
        )
    print(
        json.dumps(
            {
                "metric": "desktop_search_10k_top_gaps_ms",
                "runs": [[round(g, 1) for g in f["top"]] for f in found],
                "at_s": [f["top_at_s"] for f in found],
            }
        ),
        flush=True,
    )


def main() -> None:
    from qgis.core import QgsApplication

    from sandbox.testing import run_sandbox

    app = QgsApplication([], True)
    app.initQgis()
    with tempfile.TemporaryDirectory() as folder, run_sandbox(Path(folder)) as sandbox:
        search_10k(app, sandbox)
    footprints_100k()
    footprints_100k(wkbs_from_engine=False)
    app.exitQgis()


if __name__ == "__main__":
    if "--desktop" in sys.argv:
        desktop(next((int(a) for a in sys.argv[1:] if a.isdigit()), 3))
    else:
        main()
