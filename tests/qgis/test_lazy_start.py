"""Start-up stays light: the features wait for first use (plugin.py, DESIGN.md 6).

A fresh QGIS start with Nadir enabled imports none of the heavy packages and builds no
dock section; opening the dock, reading a project with Nadir content, or having work to
follow (credentials, a cart or an outbox) wakes the features up.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from qgis.core import QgsProject, QgsVectorLayer

from nadir.plugin import NadirPlugin
from nadir.ui.wakeup import project_has_nadir_content
from support.package import package_parent
from support.qgis_wait import wait_until

# Run by pytest (for pytest-qgis's iface) in a fresh interpreter, so sys.modules shows
# what loading Nadir itself imports.
INNER_TEST = """
import json, sys

HEAVY = ("pydantic", "httpx", "shapely", "numpy", "nadir.core.models", "nadir.toolbelt.connections")
before = set(sys.modules)


def test_start(qgis_iface):
    from qgis.core import QgsApplication
    from qgis.PyQt.QtWidgets import QApplication
    import nadir

    plugin = nadir.classFactory(qgis_iface)
    plugin.initGui()
    QApplication.processEvents()
    out = {"plugin": type(plugin).__name__, "active": plugin.active,
           "imported": [m for m in HEAVY if m in sys.modules and m not in before],
           "sections": plugin.dock.section_keys,
           "processing": bool(QgsApplication.processingRegistry().providerById("nadir")),
           "features": [type(f).__name__ for f in plugin.features]}
    plugin.action.trigger()  # the user opens the dock: the features follow in steps
    import time
    deadline = time.monotonic() + 60
    while not plugin.awake and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.005)
    out.update(active_after=plugin.active, sections_after=plugin.dock.section_keys,
               features_after=[type(f).__name__ for f in plugin.features])
    plugin.unload()
    print("RESULT " + json.dumps(out), flush=True)
"""


def test_a_fresh_start_imports_nothing_heavy_until_the_dock_opens(tmp_path):
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "NADIR_DATA_DIR": str(tmp_path / "data"),
        "QGIS_CUSTOM_CONFIG_PATH": str(tmp_path / "config"),
        "XDG_RUNTIME_DIR": str(tmp_path),
        "PYTHONPATH": os.pathsep.join([str(package_parent()), *sys.path]),
    }
    inner = tmp_path / "inner" / "test_inner_start.py"
    inner.parent.mkdir()
    inner.write_text(textwrap.dedent(INNER_TEST))
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", str(inner)],
        cwd=inner.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    assert done.returncode == 0 and line, done.stdout[-2000:] + done.stderr[-3000:]
    out = json.loads(line[len("RESULT ") :])
    assert out["plugin"] == "NadirPlugin"
    assert not out["active"] and out["imported"] == [], out
    # eager: deliveries (streamed layers' auth hook) and the QGIS integration (layer menu, drops; issue 17)
    assert out["sections"] == [] and out["features"] == ["DeliveriesFeature", "IntegrationFeature"]
    assert out["processing"]
    assert out["active_after"]
    assert out["sections_after"] == ["aois", "grid", "cart", "search", "tasking", "orders"]
    assert out["features_after"] == [
        "DeliveriesFeature",
        "IntegrationFeature",
        "AoiFeature",
        "GridFeature",
        "CartFeature",
        "SearchFeature",
        "TaskingFeature",
        "OrdersFeature",
        "StartFeature",
    ]


def test_credentials_wake_the_features_after_start(qgis_iface, clearsky_connection, tmp_path, monkeypatch):
    monkeypatch.setenv("NADIR_DATA_DIR", str(tmp_path / "data"))
    QgsProject.instance().clear()
    plugin = NadirPlugin(qgis_iface)
    plugin.initGui()
    try:
        assert not plugin.active  # not during start-up itself
        assert wait_until(lambda: plugin.active, 20, "orders to track, but Nadir never woke up")
        assert "orders" in plugin.dock.section_keys
    finally:
        plugin.unload()
    assert not plugin.features and plugin.ctx is None


def test_nothing_to_follow_means_no_wake_up(qgis_iface, clean_settings, tmp_path, monkeypatch):
    monkeypatch.setenv("NADIR_DATA_DIR", str(tmp_path / "data"))
    QgsProject.instance().clear()
    plugin = NadirPlugin(qgis_iface)
    plugin.initGui()
    try:
        with pytest.raises(AssertionError):
            wait_until(lambda: plugin.active, 3.0)
        assert not plugin.active
        plugin.action.trigger()  # the toolbar button
        wait_until(lambda: plugin.active, 30, "the features built in steps")
        assert plugin.active and plugin.dock.section_keys == ["aois", "grid", "cart", "search", "tasking", "orders"]
    finally:
        plugin.unload()


def test_a_project_with_nadir_layers_or_entries_is_recognised(qgis_app, tmp_path):
    project = QgsProject()
    assert not project_has_nadir_content(project)
    layer = QgsVectorLayer("Polygon?crs=EPSG:4326", "plain", "memory")
    project.addMapLayer(layer)
    assert not project_has_nadir_content(project)
    layer.setCustomProperty("nadir/delivery", "clearsky:1")
    assert project_has_nadir_content(project)
    other = QgsProject()
    other.writeEntry("Nadir", "grid/selection", "{}")
    assert project_has_nadir_content(other)


def test_a_part_that_fails_to_start_leaves_the_others_working(qgis_iface, clean_settings, tmp_path, monkeypatch):
    from nadir.ui.grid.feature import GridFeature

    def broken(self):
        raise RuntimeError("grid exploded")

    monkeypatch.setattr(GridFeature, "init_gui", broken)
    monkeypatch.setenv("NADIR_DATA_DIR", str(tmp_path / "data"))
    qgis_iface.messageBar().clearWidgets()
    plugin = NadirPlugin(qgis_iface)
    plugin.initGui()
    try:
        plugin.activate()
        assert plugin.dock.section_keys == ["aois", "cart", "search", "tasking", "orders"]
        texts = [item.text() for item in qgis_iface.messageBar().items()]
        assert any("could not start (GridFeature): grid exploded" in t for t in texts), texts
    finally:
        plugin.unload()
    qgis_iface.messageBar().clearWidgets()
