"""The archive story in a real QGIS window, against the sandbox over HTTP: search Geopera,
Airbus OneAtlas and UP42 at once over the selected feature of a layer; footprints appear on the map in the
Nadir group and in the table; pick one capture of Geopera and one of OneAtlas in the
table (the map selects them too); add them to the cart (one item per provider, each
priced by its provider, with each provider's product options chosen in a dialog); check
out both; both orders appear in the Orders panel; an hour later they are delivered and
the Geopera capture loads as a layer. Screenshots: the results on the map, the archive
options dialog, the cart, the checkout review, the orders, the delivered layer.
"""

from __future__ import annotations

from pathlib import Path

from sandbox.testing import run_sandbox
from support.aoi_data import WORLD_MAP
from support.sandbox_profile import master_password_file, prepare_profile

SCRIPT = r"""
from nadir.ui.services import ARCHIVE_ORDER, CART, OUTBOX
import json, urllib.request
from qgis.core import QgsCoordinateReferenceSystem, QgsProject, QgsRectangle, QgsVectorLayer
from qgis.PyQt.QtCore import QDate, QItemSelectionModel, Qt
from qgis.PyQt.QtWidgets import QAction, QDockWidget, QLabel
from qgis.utils import iface, plugins

def advance(seconds):
    request = urllib.request.Request(SANDBOX + "/_sandbox/clock/advance", method="POST",
                                     data=json.dumps({"seconds": seconds}).encode(),
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["now"]

def bar_texts():
    return [" ".join(l.text() for l in item.findChildren(QLabel)) + " " + item.text()
            for item in iface.messageBar().items()]

e2e.wait_for(lambda: "nadir" in plugins, "Nadir loaded by QGIS")
e2e.wait_for(lambda: iface.mainWindow().isVisible(), "main window")
import logging
nadir_log = logging.FileHandler(LOGFILE)
nadir_log.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
logging.getLogger("nadir").addHandler(nadir_log)
iface.mainWindow().resize(1560, 980)

project = QgsProject.instance()
project.addMapLayer(QgsVectorLayer(f"{WORLD}|layername=countries", "Countries", "ogr"))
project.setCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
canvas = iface.mapCanvas()
e2e.wait_for(lambda: canvas.mapSettings().destinationCrs().authid() == "EPSG:4326", "map in EPSG:4326")
canvas.setExtent(QgsRectangle(13.30, 52.42, 13.50, 52.58))  # Berlin
canvas.refresh()
e2e.process_events(1.0)

toggle = [a for a in iface.mainWindow().findChildren(QAction) if a.objectName() == "NadirToggleDock"][0]
toggle.trigger()
e2e.wait_for(lambda: plugins["nadir"].awake, "Nadir's features (built in steps once the dock opens)")
dock = e2e.wait_for(lambda: next((d for d in iface.mainWindow().findChildren(QDockWidget)
                                  if d.objectName() == "NadirDock" and d.isVisible()), None), "dock")
iface.mainWindow().resizeDocks([dock], [760], Qt.Orientation.Horizontal)
features = {type(f).__name__: f for f in plugins["nadir"].features}
search = e2e.wait_for(lambda: {type(f).__name__: f for f in plugins["nadir"].features}.get("SearchFeature"),
                      "the search feature")
features = {type(f).__name__: f for f in plugins["nadir"].features}
ctx = search.ctx

# 1. the Search tab: UP42's collections come from UP42; search over the selected feature of
#    the analyst's own site layer, ten years
from qgis.core import QgsFeature, QgsGeometry
site = QgsVectorLayer("Polygon?crs=EPSG:4326", "Site", "memory")
feature = QgsFeature()
feature.setGeometry(QgsGeometry.fromWkt("POLYGON((13.39 52.505, 13.41 52.505, 13.41 52.515, 13.39 52.515, 13.39 52.505))"))
site.dataProvider().addFeatures([feature])
project.addMapLayer(site)
site.selectAll()
iface.setActiveLayer(site)
dock.show_section("search")
section = search.section
e2e.wait_for(lambda: search.presenter.sources, "UP42's searchable collections", timeout=60)
section.collection_combo.setCurrentIndex(next(i for i in range(section.collection_combo.count())
                                              if section.collection_combo.itemData(i).collection == "phr"))
section.aoi_combo.setCurrentIndex(section.aoi_combo.findData("@selection"))
section.start_edit.setDate(QDate(2015, 1, 1))
section.end_edit.setDate(QDate(2025, 1, 1))
section.cloud_spin.setValue(100)
section.incidence_spin.setValue(90)
section.limit_spin.setValue(40)
e2e.record(providers_enabled=[p for p, b in section.provider_boxes.items() if b.isEnabled() and b.isChecked()])
section.search_button.click()
e2e.wait_for(lambda: section.stop_button.isEnabled() or search.model.rowCount(), "the search under way")
e2e.wait_for(lambda: not search.presenter.running, "the search done", timeout=120)
layer = search.layer.layer
e2e.record(status=section.status.text(), rows=search.model.rowCount(), features=layer.featureCount(),
           counts=search.presenter.state.counts, failures=[f.message for f in search.presenter.state.failures],
           group=project.layerTreeRoot().findLayer(layer.id()).parent().name())
canvas.setExtent(layer.extent())
canvas.refresh()
e2e.process_events(1.5)
# the map draws and the rows in view get their quicklooks (quicklook tasks once held every
# thread of QGIS's task pool, which the map's render jobs share: the map stayed undrawn)
e2e.wait_for(lambda: not canvas.isDrawing(), "the map drawn", timeout=5)
e2e.wait_for(lambda: all(search.quicklooks.thumbnail(k) is not None for k in section.shown_keys()),
             "the quicklooks of the rows in view", timeout=30)
e2e.record(thumbnails_in_view=len(section.shown_keys()))
e2e.screenshot("search-results", iface.mainWindow())

# 2. one Geopera and one OneAtlas capture, picked in the table; the map selects them too
proxy = section.proxy
def first_row(provider):
    return next(r for r in range(proxy.rowCount())
                if search.model.capture(proxy.mapToSource(proxy.index(r, 0)).row()).provider == provider)
selection = section.table.selectionModel()
selection.clearSelection()
for provider in ("geopera", "oneatlas"):
    selection.select(proxy.index(first_row(provider), 0),
                     QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
e2e.record(table_selected=section.selected_keys(), map_selected=sorted(search.layer.selected_keys()))

# 3. into the cart through the archive options dialog: one item per provider, each priced by its provider
from qgis.PyQt.QtWidgets import QDialogButtonBox
section.cart_button.click()
archive = e2e.wait_for(lambda: ctx.services.get(ARCHIVE_ORDER), "the archive options service")
options = e2e.wait_for(lambda: archive.dialog, "the archive options dialog")
e2e.wait_for(lambda: options.isVisible(), "the archive options dialog on screen")
e2e.record(archive_options={p: b.options() for p, b in options.boxes.items()}, archive_problems=options.problems())
e2e.process_events(0.3)
e2e.screenshot("archive-options", options)
options.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
cart = e2e.wait_for(lambda: ctx.services.get(CART), "the cart")
e2e.wait_for(lambda: len(cart.items) == 2, "two archive items in the cart")
e2e.wait_for(lambda: all(i.estimate is not None or i.estimate_error for i in cart.items), "their estimates",
             timeout=90)
e2e.record(items=[(i.provider, i.title, i.summary, str(i.estimate.total) if i.estimate else i.estimate_error)
                  for i in cart.items],
           added_notice=[t for t in bar_texts() if "added to the cart" in t])
dock.show_section("cart")
e2e.process_events(0.5)
e2e.screenshot("cart", iface.mainWindow())

# 4. checkout both
cart_feature = features["CartFeature"]
checkout = cart_feature.open_checkout()
e2e.wait_for(lambda: "(2 item(s))" in checkout.totals_label.text(), "the review of both items", timeout=60)
checkout.confirm_box.setChecked(True)
e2e.wait_for(lambda: checkout.place_button.isEnabled(), "Place enabled after confirming")
e2e.record(checkout_totals=checkout.totals_label.text())
e2e.screenshot("checkout-review", checkout)
checkout.place_button.click()
outbox = ctx.services.get(OUTBOX)
done = e2e.wait_for(lambda: [e for e in outbox.outbox.entries() if e.state not in ("queued", "sending")]
                    if len([e for e in outbox.outbox.entries() if e.state not in ("queued", "sending")]) == 2
                    else None, "both placements to end", timeout=120)
e2e.record(placements=[(e.spec.provider if hasattr(e.spec, "provider") else "", e.state, e.message) for e in done])
placed = outbox.outbox.placed()
e2e.record(placed=[(p.spec.provider, [o.id for o in p.orders]) for p in placed])
checkout.close()

# 5. the orders appear in the Orders panel
orders = features["OrdersFeature"]
dock.show_section("orders")
orders.start()
keys = [(p.spec.provider, o.id) for p in placed for o in p.orders]
e2e.wait_for(lambda: orders.presenter is not None and all(orders.presenter.book.get(k) for k in keys),
             "the placed orders in the panel", timeout=60)
e2e.record(order_statuses=[(k[0], orders.presenter.book.get(k).order.raw_status) for k in keys])
e2e.process_events(0.5)
e2e.screenshot("orders", iface.mainWindow())

# 6. an hour later both are delivered: the Geopera capture loads as a layer in a group for its order
advance(3700)
orders.presenter.refresh()
e2e.wait_for(lambda: all(orders.presenter.book.get(k).order.status.value == "completed" for k in keys),
             "both orders delivered", timeout=60)
deliveries = features["DeliveriesFeature"]
geopera_key = next(k for k in keys if k[0] == "geopera")
orders.panel.table.clearSelection()
orders.panel.select(geopera_key)
e2e.wait_for(lambda: deliveries.actions.load_button.isEnabled(), "Load enabled", timeout=30)
delivered = []
deliveries.presenter.finished.connect(lambda k, result: delivered.append(result))
deliveries.actions.load_button.click()
e2e.wait_for(lambda: delivered, "the delivery", timeout=120)
result = delivered[0]
group = next((g for g in project.layerTreeRoot().findGroups(True)
              if g.customProperty("nadir/order") == f"geopera:{geopera_key[1]}"), None)
e2e.record(delivery_failures=[(f.asset_id, f.message) for f in result.failures] if result else "no result",
           delivery_rasters=len(result.rasters) if result else 0,
           group_name=group.name() if group is not None else None,
           group_layers=[l.layer().isValid() for l in group.findLayers()] if group is not None else [])
e2e.process_events(1.0)
e2e.screenshot("delivered", iface.mainWindow())
"""


def test_search_two_providers_into_the_cart_and_check_out(desktop, tmp_path):
    with run_sandbox(tmp_path / "sandbox") as sb:
        password = master_password_file(tmp_path / "master-password")
        prepare_profile(desktop.profile_dir, sb.url, password, poll_interval_s=5)
        script = (
            SCRIPT.replace("SANDBOX", repr(sb.url))
            .replace("WORLD", repr(str(WORLD_MAP)))
            .replace("LOGFILE", repr(str(tmp_path / "nadir.log")))
        )
        run = desktop.run(
            script,
            "search",
            timeout=600,
            env={"QGIS_AUTH_PASSWORD_FILE": str(password), "NADIR_DATA_DIR": str(tmp_path / "data")},
        )
    assert set(run["providers_enabled"]) == {"geopera", "oneatlas", "up42"}, run.result
    assert run["failures"] == [], run["failures"]
    assert run["rows"] == run["features"] == sum(run["counts"].values()) and run["rows"] >= 90, run.result
    assert run["thumbnails_in_view"] >= 5, run.result  # every row in view has its quicklook (waited for above)
    assert set(run["counts"]) == {"geopera", "oneatlas", "up42"} and run["group"] == "Nadir"
    assert "captures (" in run["status"], run["status"]
    assert len(run["table_selected"]) == 2 and sorted(run["table_selected"]) == run["map_selected"]
    assert set(run["archive_options"]) == {"geopera", "oneatlas"} and run["archive_problems"] == [], run.result
    assert run["archive_options"]["oneatlas"]["productType"] in ("pansharpened", "pansharpened-fs")
    providers = sorted(p for p, *_ in run["items"])
    assert providers == ["geopera", "oneatlas"], run["items"]
    for provider, _title, summary, estimate in run["items"]:
        assert "1 capture," in summary and "km²" in summary, summary
        # the part bought is the site (AOI ∩ footprint), about 1.5 km², not the whole capture
        assert 1.0 < float(summary.split(", ")[1].split(" ")[0]) < 2.0, summary
        assert any(unit in estimate for unit in ("AUD", "EUR", "credits", "USD")), (provider, estimate)
    assert "(2 item(s))" in run["checkout_totals"]
    assert sorted(p for p, _ in run["placed"]) == ["geopera", "oneatlas"], run["placements"]
    assert all(ids for _, ids in run["placed"])
    assert len(run["order_statuses"]) >= 2 and all(status for _, status in run["order_statuses"])
    # the delivered Geopera capture is a valid layer in its order's group
    assert run["delivery_failures"] == [] and run["delivery_rasters"] >= 1, run.result
    assert run["group_name"] and run["group_layers"] and all(run["group_layers"]), run.result
    names = [Path(p).name for p in run["screenshots"]]
    for shot in ("search-results", "archive-options", "cart", "checkout-review", "orders", "delivered"):
        assert f"search-{shot}.png" in names, names
