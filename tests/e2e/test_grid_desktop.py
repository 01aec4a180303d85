"""The tile grid in a real QGIS desktop against the sandbox's ClearSKY grid: zoom into the
demo basemap until the grid loads, click a tile, split another with a right-click,
switch a UTM zone off; and nadir:tile_cover headless in qgis_process."""

from __future__ import annotations

import json
import os
import subprocess
import sysconfig
from pathlib import Path

import pytest

from sandbox.testing import run_sandbox
from support.e2e import demo_profile

SCRIPT = r"""
from nadir.ui.services import GRID
from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsPointXY, QgsProject
from qgis.PyQt.QtCore import QPoint, Qt
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QAction, QDockWidget
from qgis.utils import iface, plugins

e2e.wait_for(lambda: "nadir" in plugins and iface.mainWindow().isVisible(), "Nadir and the main window")
e2e.wait_for(lambda: QgsProject.instance().mapLayers(), "the demo project")
plugin = plugins["nadir"]
canvas = iface.mapCanvas()
toggle = next(a for a in iface.mainWindow().findChildren(QAction) if a.objectName() == "NadirToggleDock")
toggle.trigger()
e2e.wait_for(lambda: plugins["nadir"].awake, "Nadir's features (built in steps once the dock opens)")
dock = e2e.wait_for(lambda: next((d for d in iface.mainWindow().findChildren(QDockWidget)
                                  if d.objectName() == "NadirDock" and d.isVisible()), None), "dock")
plugin.dock.show_section("grid")
grid = next(f for f in plugin.features if type(f).__name__ == "GridFeature")  # built on first use
e2e.record(presenter_before_use=grid.presenter is not None)
panel = grid.panel
panel.show_grid.click()
presenter = grid.presenter
e2e.process_events(0.5)
e2e.record(hint_zoomed_out=panel.hint.text(), scale_zoomed_out=canvas.scale())

wgs84 = QgsCoordinateReferenceSystem("EPSG:4326")
def to_map(lon, lat):
    return QgsCoordinateTransform(wgs84, canvas.mapSettings().destinationCrs(), QgsProject.instance()).transform(
        QgsPointXY(lon, lat))
def pixel(lon, lat):
    p = canvas.getCoordinateTransform().transform(to_map(lon, lat))
    return QPoint(round(p.x()), round(p.y()))

# the window's size is QGIS's own choice (1043x381 on 3.40 under Xvfb): fill the screen so
# the canvas shows the same area on every version
iface.mainWindow().setGeometry(0, 0, 1600, 1000)  # Xvfb has no window manager to maximize it
e2e.process_events(1.0)
# zoom into the basemap on the 31N/32N boundary (Switzerland/France)
canvas.setCenter(to_map(6.0, 46.6))
canvas.zoomScale(1400000)
canvas.refresh()
layer = e2e.wait_for(lambda: presenter.layer.layer if presenter.layer.displayed and not presenter.busy else None,
                     "grid cells in view", timeout=90)
e2e.wait_for(lambda: canvas.isDrawing() is False, "map drawn", timeout=30)
e2e.process_events(1.0)
e2e.record(hint_zoomed_in=panel.hint.text(), cells_in_view=layer.featureCount(),
           zones=[b.text() for b in panel.zone_buttons.values()], layer_name=layer.name())
e2e.screenshot("grid-loaded")

panel.tool_button.click()
e2e.process_events(0.3)
e2e.record(tool_active=canvas.mapTool() is grid.tool)
viewport = canvas.viewport()
first = presenter.cell_at(5.2, 46.9)
QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pixel(5.2, 46.9))
e2e.process_events(0.3)
second = presenter.cell_at(5.4, 46.35)
QTest.mouseClick(viewport, Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier, pixel(5.4, 46.35))
e2e.wait_for(lambda: presenter.selection.is_split(second), "split", timeout=60)
e2e.process_events(0.5)
minis = presenter.selection.minitiles_of(second)
states = {f["guid"]: f["state"] for f in layer.getFeatures()}
e2e.record(first_selected=states.get(first), second_shown=second in states,
           minitiles=len(minis), minitiles_shown=sum(1 for m in minis if m in states))
QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pixel(5.4, 46.35))
e2e.process_events(0.3)

panel.zone_buttons[32632].click()
e2e.process_events(0.5)
states = {f["guid"]: (f["state"], f["epsg"]) for f in layer.getFeatures()}
e2e.record(zone_32_states=sorted({s for s, epsg in states.values() if epsg == 32632}),
           zone_31_states=sorted({s for s, epsg in states.values() if epsg == 32631}),
           summary=panel.summary.text(), selected=[c.level.value for c in plugin.features[0].ctx.services.get(GRID).selected_cells()])
canvas.refresh()
e2e.wait_for(lambda: canvas.isDrawing() is False, "map drawn", timeout=30)
e2e.process_events(1.0)
e2e.screenshot("grid-selection")
"""


@pytest.fixture
def sandbox(tmp_path):
    with run_sandbox(tmp_path / "sandbox") as server:
        yield server


def test_grid_on_the_demo_basemap(tmp_path, xvfb, sandbox):
    demo = demo_profile(tmp_path, xvfb.display, sandbox.url)
    run = demo.desktop.run(SCRIPT, "grid", timeout=300, env=demo.env, project=demo.project)
    assert run["presenter_before_use"] is False
    assert "Zoom in to 1:1,500,000" in run["hint_zoomed_out"] and run["scale_zoomed_out"] > 1_500_000
    assert run["hint_zoomed_in"] == "" and run["cells_in_view"] > 10
    assert run["zones"] == ["31N", "32N"] and run["tool_active"] is True
    assert run["first_selected"] == "selected"
    assert run["second_shown"] is False and run["minitiles"] == 256 and run["minitiles_shown"] > 0
    assert run["zone_32_states"] == ["disabled"] and "selected" in run["zone_31_states"]
    assert sorted(run["selected"]) == ["minitile", "tile"]
    assert "1 tile, 1 minitile" in run["summary"] and "zones off: 32N" in run["summary"]
    for shot in run["screenshots"]:
        assert Path(shot).stat().st_size > 20_000
    bodies = [r["body"] for r in sandbox.requests("/clearsky/api/tasking/search/tiles")]
    assert any('"Wkt"' in b for b in bodies) and any("TileGuidForMiniTiles" in b for b in bodies)


def test_tile_cover_runs_headless_in_qgis_process(tmp_path, xvfb, sandbox):
    demo = demo_profile(tmp_path, xvfb.display, sandbox.url)
    (demo.runs / "profiles" / "default").symlink_to("nadir-demo")  # qgis_process uses the default profile
    aoi = tmp_path / "aoi.geojson"
    aoi.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {},
                        "geometry": {
                            "type": "Polygon",
                            "coordinates": [
                                [[4.70, 45.70], [4.95, 45.68], [4.98, 45.85], [4.75, 45.88], [4.70, 45.70]]
                            ],
                        },
                    }
                ],
            }
        )
    )
    out = tmp_path / "cells.gpkg"
    env = {k: v for k, v in os.environ.items() if not k.startswith("QGIS_") and k not in ("PYTHONPATH", "DISPLAY")}
    env.update(
        demo.env,
        QT_QPA_PLATFORM="offscreen",
        QGIS_CUSTOM_CONFIG_PATH=str(demo.runs),
        PYTHONPATH=sysconfig.get_paths()["purelib"],
    )
    done = subprocess.run(
        ["qgis_process.bin", "--json", "run", "nadir:tile_cover", "--", f"INPUT={aoi}", "LEVEL=1", f"OUTPUT={out}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)["results"]
    assert result["CELL_COUNT"] > 30 and 1.0 < result["RATIO"] < 1.6 and result["UNCOVERED_KM2"] == 0
    assert out.stat().st_size > 0
    logged = sandbox.requests("/clearsky/api/tasking/search/tiles")
    assert logged and all(r["headers"].get("x-api-key") == "clearsky-sandbox-key" for r in logged)
