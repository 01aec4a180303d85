"""The whole ordering story in a real QGIS window, against the sandbox over HTTP:

draw an AOI on the map, configure a recurring ClearSKY composite, add it to the cart and
see the provider's estimate, check out, watch the order advance in the Orders panel as
the sandbox's clock moves on (background polling, message-bar notices), show it on the
existing-orders overlay, and cancel it: the confirmation says the month completes and it
will not renew, and the panel then shows its last day. Screenshots: configure, cart,
checkout review, orders panel (and the cancel confirmation).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.testing import run_sandbox
from support.aoi_data import WORLD_MAP
from support.sandbox_profile import master_password_file, prepare_profile

SCRIPT = r"""
import json, urllib.request
from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsPointXY, QgsProject, QgsRectangle
from qgis.core import QgsVectorLayer
from qgis.PyQt.QtCore import QEvent, QPoint, QPointF, Qt, QTimer
from qgis.PyQt.QtGui import QMouseEvent
from qgis.PyQt.QtWidgets import QAction, QApplication, QDockWidget, QLabel, QMessageBox
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

# a basemap in Web Mercator, zoomed to the fields north-west of Aarhus
project = QgsProject.instance()
mercator = QgsCoordinateReferenceSystem("EPSG:3857")
project.addMapLayer(QgsVectorLayer(f"{WORLD}|layername=countries", "Countries", "ogr"))
e2e.process_events(0.5)
project.setCrs(mercator)
canvas = iface.mapCanvas()
e2e.wait_for(lambda: canvas.mapSettings().destinationCrs().authid() == "EPSG:3857", "map in Web Mercator")
to_map = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"), mercator, project)
canvas.setExtent(to_map.transformBoundingBox(QgsRectangle(9.80, 56.35, 10.05, 56.48)))
canvas.refresh()
e2e.process_events(1.0)

toggle = [a for a in iface.mainWindow().findChildren(QAction) if a.objectName() == "NadirToggleDock"][0]
toggle.trigger()
dock = e2e.wait_for(lambda: next((d for d in iface.mainWindow().findChildren(QDockWidget)
                                  if d.objectName() == "NadirDock" and d.isVisible()), None), "dock")
iface.mainWindow().resizeDocks([dock], [760], Qt.Orientation.Horizontal)
# Nadir builds its features on first use: opening the dock is one
features = {type(f).__name__: f for f in plugins["nadir"].features}
ctx = features["OrdersFeature"].ctx
store = ctx.services["aois"]

# 1. draw the AOI: the rectangle tool with real mouse events on the canvas
dock.show_section("aois")
dock.section("aois").rectangle_action.trigger()
e2e.wait_for(lambda: canvas.mapTool() is not None and canvas.mapTool().objectName() == "NadirAoiRectangleTool",
             "rectangle tool")

def pixel(lon, lat):
    point = canvas.getCoordinateTransform().transform(to_map.transform(QgsPointXY(lon, lat)))
    return QPoint(round(point.x()), round(point.y()))

def send(kind, point, buttons):
    event = QMouseEvent(kind, QPointF(point), Qt.MouseButton.LeftButton, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(canvas.viewport(), event)

send(QEvent.Type.MouseButtonPress, pixel(9.90, 56.40), Qt.MouseButton.LeftButton)
send(QEvent.Type.MouseMove, pixel(9.93, 56.42), Qt.MouseButton.LeftButton)
send(QEvent.Type.MouseMove, pixel(9.95, 56.43), Qt.MouseButton.LeftButton)
send(QEvent.Type.MouseButtonRelease, pixel(9.95, 56.43), Qt.MouseButton.NoButton)
e2e.wait_for(lambda: len(store.chosen()) == 1, "the drawn AOI, chosen for ordering")
aoi = store.chosen()[0]
e2e.record(aoi_name=aoi.name, aoi_km2=round(aoi.area_km2, 2))

# 2. configure a recurring Stratus2 composite (no To date)
cart_feature = features["CartFeature"]
dialog = ctx.services["configure"].open_for_chosen_aois()
e2e.wait_for(lambda: dialog.modelCombo.findText("Stratus2") >= 0, "ClearSKY's models in the dialog", timeout=60)
dialog.modelCombo.setCurrentIndex(dialog.modelCombo.findText("Stratus2"))
dialog.titleEdit.setText("Aarhus fields, live")
dialog.toCheck.setChecked(False)
dialog.frequencySpin.setValue(5)
e2e.wait_for(lambda: dialog.submit_enabled(), "a valid configuration")
e2e.record(configure_target=dialog.targetLabel.text(), configure_recurring=dialog.recurringLabel.text())
e2e.screenshot("configure", dialog)
dialog.buttonBox.button(dialog.buttonBox.StandardButton.Ok).click()
cart = ctx.services["cart"]
e2e.wait_for(lambda: len(cart.items) == 1, "the item in the cart")

# 3. the cart shows the provider's estimate
dock.show_section("cart")
e2e.wait_for(lambda: cart.items[0].estimate is not None, "the estimate from ClearSKY", timeout=60)
estimate = cart.items[0].estimate
e2e.record(estimate_total=str(estimate.total), estimate_next=str(estimate.next_month or ""))
e2e.process_events(1.0)
e2e.screenshot("cart")

# 4. checkout: review, confirm, place
checkout = cart_feature.open_checkout()
e2e.wait_for(lambda: "EUR" in checkout.totals_label.text(), "the review with its EUR total", timeout=60)
checkout.confirm_box.setChecked(True)
e2e.wait_for(lambda: checkout.place_button.isEnabled(), "Place enabled after confirming")
e2e.record(checkout_totals=checkout.totals_label.text())
e2e.screenshot("checkout-review", checkout)
checkout.place_button.click()
outbox = ctx.services["outbox"]
done = e2e.wait_for(lambda: [e for e in outbox.outbox.entries() if e.state not in ("queued", "sending")],
                    "the placement to end", timeout=90)
e2e.record(placement=[(e.state, e.message) for e in done], checkout_summary=checkout.summary_label.text())
placed = outbox.outbox.placed()
assert placed, f"not placed: {[(e.state, e.message) for e in done]}\n" + open(LOGFILE).read()[-5000:]
order_id = placed[0].orders[0].id
e2e.process_events(1.0)
checkout.close()
e2e.record(order_id=order_id)

# 5. the Orders panel follows it: Review, then polling picks up every change
dock.show_section("orders")
orders = ctx.services["orders"]
panel = features["OrdersFeature"].panel
key = ("clearsky", order_id)
e2e.wait_for(lambda: orders.book.get(key) is not None, "the placed order in the panel", timeout=30)
e2e.record(first_status=orders.book.get(key).order.raw_status, placed_label=orders.book.get(key).label)
seen = [orders.book.get(key).order.raw_status]

def status():
    return orders.book.get(key).order.raw_status

advance(301)  # review is over: the next background poll (every 5 s) sees it
e2e.wait_for(lambda: status() != seen[-1], "polling sees Review end", timeout=45)
seen.append(status())
notices = list(bar_texts())
for step in (300, 600, 1200):
    advance(step)
    before = orders.cycles
    orders.refresh()
    e2e.wait_for(lambda: orders.cycles > before and not orders.busy, "a polling cycle", timeout=45)
    if status() != seen[-1]:
        seen.append(status())
    notices += [t for t in bar_texts() if t not in notices]
e2e.record(statuses=seen, notices=notices)

def cell(column):
    row = panel.model.row_of(key)
    return panel.model.index(row, column).data() if row >= 0 else None

e2e.wait_for(lambda: cell(3) == seen[-1], "the table showing the last status", timeout=30)
panel.select(key)
e2e.wait_for(lambda: panel.cancel_button.isEnabled(), "cancel allowed for the live recurring order", timeout=30)
e2e.record(cancel_hint=panel.cancel_reason.text())
e2e.process_events(1.0)
e2e.screenshot("orders-panel")

# 6. the existing-orders overlay: off by default, on when asked
overlay = features["OrdersFeature"].overlay
e2e.record(overlay_visible_before=overlay.is_visible(), overlay_features=overlay.layer().featureCount())
panel.overlay_controls.show_box.setChecked(True)
e2e.record(overlay_visible_after=overlay.is_visible())

# 7. cancel the recurring order: the confirmation says what happens, then the panel shows it
asked = {}

def answer():
    box = next((w for w in QApplication.topLevelWidgets() if w.objectName() == "NadirCancelConfirm"
                and w.isVisible()), None)
    if box is None:
        return
    timer.stop()
    asked["text"] = box.text() + "\n" + box.informativeText()
    e2e.screenshot("cancel-confirm", box)
    next(b for b in box.buttons() if b.objectName() == "NadirCancelYes").click()

timer = QTimer()
timer.timeout.connect(answer)
timer.start(200)
finished = []
orders.cancel_finished.connect(lambda k, after: finished.append(after))
panel.cancel_button.click()
e2e.wait_for(lambda: finished, "the cancellation", timeout=60)
after = finished[0]
e2e.record(confirm_text=asked.get("text", ""), cancelled_status=after.raw_status if after else None,
           cancellation_date=str(after.cancellation_date) if after else None)
e2e.wait_for(lambda: "(stopped)" in (cell(6) or ""), "the table showing the last day", timeout=30)
e2e.record(end_cell=cell(6))
e2e.process_events(1.5)
e2e.record(after_cancel_notices=bar_texts())
e2e.screenshot("orders-cancelled")
"""


@pytest.mark.slow
def test_draw_configure_cart_checkout_follow_and_cancel(desktop, tmp_path):
    with run_sandbox(tmp_path / "sandbox", clock_speed=5) as sb:
        password = master_password_file(tmp_path / "master-password")
        prepare_profile(desktop.profile_dir, sb.url, password, poll_interval_s=5)
        script = (SCRIPT.replace("SANDBOX", repr(sb.url)).replace("WORLD", repr(str(WORLD_MAP)))
                  .replace("LOGFILE", repr(str(tmp_path / "nadir.log"))))
        run = desktop.run(script, "story", timeout=420,
                          env={"QGIS_AUTH_PASSWORD_FILE": str(password), "NADIR_DATA_DIR": str(tmp_path / "data")})
    assert run["aoi_name"] == "Rectangle 1" and 9 < run["aoi_km2"] < 12, run.result
    assert "Recurring" in run["configure_recurring"]
    assert run["estimate_total"].endswith("EUR"), run["estimate_total"]
    assert "EUR" in run["checkout_totals"]
    assert run["first_status"] == "Review" and run["placed_label"] == "Aarhus fields, live"
    statuses = run["statuses"]
    assert statuses[0] == "Review" and statuses[1] == "Preparing", statuses
    assert statuses[-1] in ("Processing", "UpToDate"), statuses
    short = run["order_id"][:8]
    assert any(f"ClearSKY Vision order {short}…: Review → Preparing" in t for t in run["notices"]), run["notices"]
    assert "current month completes" in run["cancel_hint"]
    assert run["overlay_visible_before"] is False and run["overlay_features"] == 1 and run["overlay_visible_after"]
    assert "current month completes and the order will not renew" in run["confirm_text"]
    assert run["cancellation_date"] not in (None, "None") and run["cancelled_status"] != "Canceled"
    assert run["end_cell"] == f"{run['cancellation_date']} (stopped)"
    assert any(f"produces until {run['cancellation_date']} and does not renew" in t
               for t in run["after_cancel_notices"]), run["after_cancel_notices"]
    names = [Path(p).name for p in run["screenshots"]]
    for shot in ("configure", "cart", "checkout-review", "orders-panel", "cancel-confirm", "orders-cancelled"):
        assert f"story-{shot}.png" in names, names
    for path in run["screenshots"]:
        assert Path(path).stat().st_size > 5_000
