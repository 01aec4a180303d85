"""An order delivered in the sandbox appears as a layer on the map of a real QGIS desktop:
the ``make run`` demo profile (connections to the sandbox, credentials in its auth
database, the world_map basemap project), the orders panel lists the completed order,
Load downloads it in a task and adds the layers in the order's group; the map is drawn
and a screenshot saved."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.testing import run_sandbox
from support.deliveries import clearsky, place
from support.e2e import demo_profile

SCRIPT = r"""
from qgis.core import QgsProject
from qgis.PyQt.QtWidgets import QAction
from qgis.utils import iface, plugins

e2e.wait_for(lambda: "nadir" in plugins and iface.mainWindow().isVisible(), "Nadir and the main window")
e2e.wait_for(lambda: QgsProject.instance().mapLayers(), "the demo project")
plugin = plugins["nadir"]

toggle = [a for a in iface.mainWindow().findChildren(QAction) if a.objectName() == "NadirToggleDock"][0]
toggle.trigger()
e2e.wait_for(lambda: plugins["nadir"].awake, "Nadir's features (built in steps once the dock opens)")
orders = next(f for f in plugin.features if type(f).__name__ == "OrdersFeature")
deliveries = next(f for f in plugin.features if type(f).__name__ == "DeliveriesFeature")
plugin.dock.show_section("orders")
e2e.wait_for(lambda: orders.presenter is not None and deliveries.actions is not None, "orders panel with deliveries")
key = ("clearsky", ORDER_ID)
e2e.wait_for(lambda: orders.presenter.book.get(key) is not None, "the delivered order listed", timeout=120)
e2e.record(status=orders.presenter.book.get(key).order.status.value)
e2e.wait_for(lambda: orders.panel.model.row_of(key) >= 0, "the order in the panel")  # rows render in a task
assert orders.panel.select(key)
e2e.process_events(0.5)
e2e.record(load_enabled=deliveries.actions.load_button.isEnabled())
deliveries.actions.load_button.click()

def group():
    for node in QgsProject.instance().layerTreeRoot().findGroups(True):
        if node.customProperty("nadir/order") == "clearsky:" + ORDER_ID and node.findLayers():
            return node
    return None

found = e2e.wait_for(group, "the order's layers", timeout=180)
e2e.wait_for(lambda: not deliveries.presenter.running(key), "delivery finished", timeout=60)
layers = [n.layer() for n in found.findLayers()]
layer = layers[0]
iface.setActiveLayer(layer)
iface.zoomToActiveLayer()
canvas = iface.mapCanvas()
canvas.refresh()
e2e.wait_for(lambda: not canvas.isDrawing(), "map drawn", timeout=60)
e2e.process_events(1.0)
image = canvas.grab().toImage()
colours = set()
for x in range(image.width() // 4, 3 * image.width() // 4, 7):
    for y in range(image.height() // 4, 3 * image.height() // 4, 7):
        colours.add(image.pixel(x, y))
e2e.record(download_folder=plugin.settings.current.download_folder, group=found.name(), layer_names=[l.name() for l in layers], valid=[l.isValid() for l in layers],
           sources=[l.source() for l in layers], renderer=layer.renderer().type(),
           identifier=layer.metadata().identifier(), rights=layer.metadata().rights(),
           on_canvas=layer.id() in [l.id() for l in canvas.layers()], colours=len(colours),
           messages=[w.text() for w in iface.messageBar().items()])
e2e.screenshot("delivered-layer")
"""


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    with run_sandbox(tmp_path_factory.mktemp("e2e-deliveries")) as server:
        yield server


def test_a_delivered_order_appears_as_a_layer_on_the_map(xvfb, sandbox, tmp_path):
    demo = demo_profile(tmp_path, xvfb.display, sandbox.url)
    adapter = clearsky(sandbox)
    order_id = place(sandbox, "clearsky", adapter, reference="ref-e2e")
    adapter.close()
    sandbox.advance(2 * 24 * 3600)
    script = f"ORDER_ID = {order_id!r}\n" + SCRIPT
    run = demo.desktop.run(script, "deliveries", timeout=300, env=demo.env, project=demo.project)
    downloads = Path(run["download_folder"])
    assert downloads == demo.runs / "downloads"
    assert run["status"] == "completed" and run["load_enabled"] is True
    assert run["group"].startswith("ClearSKY Vision ") and order_id.startswith(run["group"].split()[-1])
    assert len(run["layer_names"]) == 2 and all(run["valid"])
    assert all(Path(source).is_relative_to(downloads / f"clearsky_{order_id}") for source in run["sources"])
    assert run["renderer"] == "multibandcolor" and run["on_canvas"] is True
    assert run["identifier"].startswith(f"nadir:clearsky:{order_id}:")
    assert "ClearSKY Vision" in run["rights"][0]
    assert run["colours"] > 50, "the map shows imagery, not a flat fill"
    assert any("2 layers added" in message for message in run["messages"]), run["messages"]
    shot = Path(run["screenshots"][0])
    assert shot.exists() and shot.stat().st_size > 20_000
