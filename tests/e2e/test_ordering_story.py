"""The whole ordering story in a real QGIS window, against the sandbox over HTTP:

draw an AOI on the map, configure a recurring ClearSKY composite, add it to the cart (a
message and the Cart tab's count say so) and see the provider's estimate; a composite
over the account's MaxCompositeAreaKm2 is refused in the dialog; a fixed three-month
order is priced for its whole period; check out (the recurring order only), watch the
order advance in the Orders panel as the sandbox's clock moves on (background polling,
message-bar notices), named after its cart item with its checkout price; start
cancelling it in Review and let Review end while the confirmation is open: Nadir asks
again with the new outcome, and the user keeps it; show it on the existing-orders
overlay, and cancel it: the confirmation says the month completes and it will not renew,
and the panel then shows its last day. Finally Load its imagery (Stream says why ClearSKY
cannot stream): layers in a group named after the order, no failed date. Screenshots:
configure, cart, checkout review, orders panel, the cancel confirmations, the layers.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from sandbox.testing import run_sandbox
from support.aoi_data import WORLD_MAP
from support.sandbox_profile import master_password_file, prepare_profile

SCRIPT = r"""
from nadir.ui.services import AOIS, CART, CONFIGURE, ORDERS, OUTBOX
import calendar, json, urllib.request
from datetime import date
from qgis.PyQt.QtCore import QDate
from nadir.core.ordering.clearsky_configure import OrderTarget
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
e2e.wait_for(lambda: plugins["nadir"].awake, "Nadir's features (built in steps once the dock opens)")
dock = e2e.wait_for(lambda: next((d for d in iface.mainWindow().findChildren(QDockWidget)
                                  if d.objectName() == "NadirDock" and d.isVisible()), None), "dock")
iface.mainWindow().resizeDocks([dock], [760], Qt.Orientation.Horizontal)
# Nadir builds its features on first use: opening the dock is one
features = {type(f).__name__: f for f in plugins["nadir"].features}
ctx = features["OrdersFeature"].ctx
store = ctx.services.get(AOIS)

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
dialog = ctx.services.get(CONFIGURE).open_for_chosen_aois()
e2e.wait_for(lambda: dialog.modelCombo.findText("Stratus2") >= 0, "ClearSKY's models in the dialog", timeout=60)
dialog.modelCombo.setCurrentIndex(dialog.modelCombo.findText("Stratus2"))
dialog.titleEdit.setText("Aarhus fields, live")
dialog.toCheck.setChecked(False)
dialog.frequencySpin.setValue(5)
e2e.wait_for(lambda: dialog.submit_enabled(), "a valid configuration")
e2e.record(configure_target=dialog.targetLabel.text(), configure_recurring=dialog.recurringLabel.text())
e2e.screenshot("configure", dialog)
dialog.buttonBox.button(dialog.buttonBox.StandardButton.Ok).click()
cart = ctx.services.get(CART)
e2e.wait_for(lambda: len(cart.items) == 1, "the item in the cart")
e2e.wait_for(lambda: any("added to the cart" in t for t in bar_texts()), "the Add to cart confirmation")
cart_tab = lambda: dock.tabs.tabText(dock.tabs.indexOf(dock.section("cart")))
e2e.record(added_notice=[t for t in bar_texts() if "added to the cart" in t], cart_tab=cart_tab())
recurring_id = cart.items[0].id

# 2b. a composite larger than the account retrieves (MaxCompositeAreaKm2) is refused before any estimate
jutland = {"type": "Polygon", "coordinates": [[[8.5, 55.6], [10.6, 55.6], [10.6, 56.8], [8.5, 56.8], [8.5, 55.6]]]}
large = ctx.services.get(CONFIGURE).open_for(OrderTarget.composite(jutland, ["Jutland"], [17_200.0]))
e2e.wait_for(lambda: "MaxCompositeAreaKm2" in large.problems_text(), "the account's composite limit", timeout=60)
e2e.record(large_problem=large.problems_text(), large_submit=large.submit_enabled())
e2e.screenshot("configure-too-large", large)
large.reject()

# 2c. a fixed three-month order: its price is the whole period, and the lines add up to it
fixed = ctx.services.get(CONFIGURE).open_for_chosen_aois()
e2e.wait_for(lambda: fixed.modelCombo.findText("Stratus2") >= 0, "the models again", timeout=60)
fixed.modelCombo.setCurrentIndex(fixed.modelCombo.findText("Stratus2"))
fixed.titleEdit.setText("Aarhus fields, winter")
fixed.frequencySpin.setValue(1)  # daily: most of its dates are not on the recurring order's 5-day schedule
month = date.today().month + 2
year, month = date.today().year + (month - 1) // 12, (month - 1) % 12 + 1
fixed.toCheck.setChecked(True)
fixed.toEdit.setDate(QDate(year, month, calendar.monthrange(year, month)[1]))
e2e.wait_for(lambda: fixed.submit_enabled(), "a valid fixed configuration")
fixed.buttonBox.button(fixed.buttonBox.StandardButton.Ok).click()
e2e.wait_for(lambda: len(cart.items) == 2, "the fixed item in the cart")
fixed_id = next(i.id for i in cart.items if i.id != recurring_id)
e2e.wait_for(lambda: cart.item(fixed_id).estimate is not None, "the fixed order's estimate", timeout=60)
fixed_estimate = cart.item(fixed_id).estimate
e2e.record(cart_tab_two=cart_tab(), fixed_total=str(fixed_estimate.total),
           fixed_lines=[(l.label, str(l.price.amount)) for l in fixed_estimate.lines],
           fixed_months=sorted({d.strftime("%Y-%m") for d in fixed_estimate.image_dates}))

# 3. the cart shows the provider's estimate
dock.show_section("cart")
e2e.wait_for(lambda: cart.item(recurring_id).estimate is not None, "the estimate from ClearSKY", timeout=60)
estimate = cart.item(recurring_id).estimate
e2e.record(estimate_total=str(estimate.total), estimate_next=str(estimate.next_month or ""))
e2e.process_events(1.0)
e2e.screenshot("cart")

# 4. checkout: review, confirm, place
checkout = cart_feature.open_checkout()
e2e.wait_for(lambda: "EUR" in checkout.totals_label.text() and "(2 item(s))" in checkout.totals_label.text(),
             "the review with its EUR total", timeout=60)
e2e.record(checkout_both=checkout.totals_label.text(),
           both_total=str(cart.item(recurring_id).estimate.total.amount + cart.item(fixed_id).estimate.total.amount))
cart_feature.checkout.set_included(fixed_id, False)  # this story places the recurring order only
e2e.wait_for(lambda: "(1 item(s))" in checkout.totals_label.text(), "the review without the fixed order")
checkout.confirm_box.setChecked(True)
e2e.wait_for(lambda: checkout.place_button.isEnabled(), "Place enabled after confirming")
e2e.record(checkout_totals=checkout.totals_label.text())
e2e.screenshot("checkout-review", checkout)
checkout.place_button.click()
outbox = ctx.services.get(OUTBOX)
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
orders = ctx.services.get(ORDERS)
panel = features["OrdersFeature"].panel
key = ("clearsky", order_id)
e2e.wait_for(lambda: orders.book.get(key) is not None, "the placed order in the panel", timeout=30)
e2e.record(first_status=orders.book.get(key).order.raw_status, placed_label=orders.book.get(key).label)
seen = [orders.book.get(key).order.raw_status]

def status():
    return orders.book.get(key).order.raw_status

def cell(column):
    row = panel.model.row_of(key)
    return panel.model.index(row, column).data() if row >= 0 else None

e2e.wait_for(lambda: cell(1) is not None, "the order's row")
e2e.record(order_cell=cell(1), price_cell=cell(7))

# 5b. cancelling in Review, and Review ends while the confirmation is open: asked again
panel.select(key)
e2e.wait_for(lambda: panel.cancel_button.isEnabled() and "review" in panel.cancel_reason.text(),
             "cancel allowed in Review", timeout=30)
asked_in_review = []

def answer_in_review():
    box = next((w for w in QApplication.topLevelWidgets() if w.objectName() == "NadirCancelConfirm"
                and w.isVisible() and all(w is not b for b, _ in asked_in_review)), None)
    if box is None:
        return
    asked_in_review.append((box, box.text() + "\n" + box.informativeText()))
    if len(asked_in_review) == 1:
        e2e.screenshot("cancel-confirm-review", box)
        advance(301)  # Review ends while the user reads "nothing is billed"
        next(b for b in box.buttons() if b.objectName() == "NadirCancelYes").click()
    else:
        review_timer.stop()
        e2e.screenshot("cancel-confirm-again", box)
        next(b for b in box.buttons() if b.objectName() == "NadirCancelKeep").click()

review_timer = QTimer()
review_timer.timeout.connect(answer_in_review)
review_timer.start(200)
review_finished = []
orders.cancel_finished.connect(lambda k, after: review_finished.append(after))
panel.cancel_button.click()
e2e.wait_for(lambda: review_finished, "the cancel in Review to end", timeout=60)
review_timer.stop()
e2e.record(review_asked=[text for _, text in asked_in_review], review_outcome=str(review_finished[0]),
           after_review_status=status(),
           after_review_cancellation=str(orders.book.get(key).order.cancellation_date))
notices = list(bar_texts())
e2e.wait_for(lambda: status() != seen[-1], "Review's end seen", timeout=45)
seen.append(status())
for step in (300, 600, 1200):
    advance(step)
    before = orders.cycles
    orders.refresh()
    e2e.wait_for(lambda: orders.cycles > before and not orders.busy, "a polling cycle", timeout=45)
    if status() != seen[-1]:
        seen.append(status())
    notices += [t for t in bar_texts() if t not in notices]
e2e.record(statuses=seen, notices=notices)

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

# 8. the imagery: Stream says why it cannot, Load adds layers of the order's own dates only, although
# the daily fixed order over the same area, placed now, has produced other dates there meanwhile
second = cart_feature.open_checkout()
e2e.wait_for(lambda: "(1 item(s))" in second.totals_label.text(), "the review of the fixed order", timeout=60)
second.confirm_box.setChecked(True)
e2e.wait_for(lambda: second.place_button.isEnabled(), "Place enabled for the fixed order")
second.place_button.click()
e2e.wait_for(lambda: len(outbox.outbox.placed()) == 2, "the fixed order placed", timeout=90)
second.close()
advance(2 * 86400)  # both orders produce their dates up to yesterday, whatever day of the month this runs
before = orders.cycles
orders.refresh()
e2e.wait_for(lambda: orders.cycles > before and not orders.busy, "a polling cycle", timeout=45)
deliveries = features["DeliveriesFeature"]
panel.table.clearSelection()
panel.select(key)
e2e.wait_for(lambda: deliveries.actions.load_button.isEnabled(), "Load enabled", timeout=30)
e2e.record(stream_enabled=deliveries.actions.stream_button.isEnabled(),
           stream_tip=deliveries.actions.stream_button.toolTip())
delivered = []
deliveries.presenter.finished.connect(lambda k, result: delivered.append(result))
deliveries.actions.load_button.click()
e2e.wait_for(lambda: delivered, "the delivery", timeout=120)
result = delivered[0]
group = next((g for g in project.layerTreeRoot().findGroups(True) if g.customProperty("nadir/order") ==
              f"clearsky:{order_id}"), None)
order_now = orders.book.get(key).order
e2e.record(delivery_failures=[(f.asset_id, f.message) for f in result.failures] if result else "no result",
           delivery_dates=sorted(r.provenance.asset_id for r in result.rasters) if result else [],
           reference_date=str(order_now.extra.get("ReferenceDate")), frequency=order_now.extra.get("ImageFrequency"),
           group_name=group.name() if group is not None else None,
           group_layers=len(group.findLayers()) if group is not None else 0,
           delivery_notices=[t for t in bar_texts() if "added to the group" in t])
e2e.process_events(1.0)
e2e.screenshot("delivered-layers")
"""


@pytest.mark.slow
def test_draw_configure_cart_checkout_follow_and_cancel(desktop, tmp_path):
    with run_sandbox(tmp_path / "sandbox", clock_speed=5) as sb:
        password = master_password_file(tmp_path / "master-password")
        prepare_profile(desktop.profile_dir, sb.url, password, poll_interval_s=5)
        script = (
            SCRIPT.replace("SANDBOX", repr(sb.url))
            .replace("WORLD", repr(str(WORLD_MAP)))
            .replace("LOGFILE", repr(str(tmp_path / "nadir.log")))
        )
        run = desktop.run(
            script,
            "story",
            timeout=600,
            env={"QGIS_AUTH_PASSWORD_FILE": str(password), "NADIR_DATA_DIR": str(tmp_path / "data")},
        )
    assert run["aoi_name"] == "Rectangle 1" and 9 < run["aoi_km2"] < 12, run.result
    assert "Recurring" in run["configure_recurring"]
    # feedback after Add to cart: a message and the count on the Cart tab
    assert any("“Aarhus fields, live” added to the cart (1 item(s))" in t for t in run["added_notice"]), run.result
    assert run["cart_tab"] == "Cart (1)" and run["cart_tab_two"] == "Cart (2)"
    # a composite over the account's limit never reaches the cart
    assert "10,000 km²" in run["large_problem"] and "17,200 km²" in run["large_problem"], run["large_problem"]
    assert run["large_submit"] is False
    # a fixed three-month order: the whole period, equal to the sum of its lines
    assert len(run["fixed_months"]) == 3, run["fixed_months"]
    lines = run["fixed_lines"]
    assert any(label == "Order and storage, later months" for label, _ in lines), lines
    assert run["fixed_total"] == f"{sum(Decimal(amount) for _, amount in lines)} EUR", (run["fixed_total"], lines)
    assert f"{run['both_total']} EUR (2 item(s))" in run["checkout_both"], run["checkout_both"]
    assert run["estimate_total"].endswith("EUR"), run["estimate_total"]
    assert "EUR" in run["checkout_totals"] and "(1 item(s))" in run["checkout_totals"]
    assert run["first_status"] == "Review" and run["placed_label"] == "Aarhus fields, live"
    short = run["order_id"][:8]
    # the order keeps its cart item's name and checkout price
    assert run["order_cell"] == f"Aarhus fields, live ({short}…)" and run["price_cell"] == run["estimate_total"]
    # Review ended while the confirmation was open: asked again with the new outcome, nothing cancelled
    first, again = run["review_asked"]
    assert "still in review" in first and "Status now: Review" in first, first
    assert "Status now: Preparing" in again and "current month completes" in again, again
    assert run["review_outcome"] == "None" and run["after_review_cancellation"] == "None"
    assert run["after_review_status"] == "Preparing"
    statuses = run["statuses"]
    assert statuses[0] == "Review" and statuses[1] == "Preparing", statuses
    assert statuses[-1] in ("Processing", "UpToDate"), statuses
    assert any(
        f"ClearSKY Vision order Aarhus fields, live ({short}…): Review → Preparing" in t for t in run["notices"]
    ), run["notices"]
    assert "current month completes" in run["cancel_hint"]
    assert run["overlay_visible_before"] is False and run["overlay_features"] == 1 and run["overlay_visible_after"]
    assert "current month completes and the order will not renew" in run["confirm_text"]
    assert f"Aarhus fields, live ({short}…)" in run["confirm_text"]
    assert f"Price: {run['estimate_total']}" in run["confirm_text"], run["confirm_text"]
    assert run["cancellation_date"] not in (None, "None") and run["cancelled_status"] != "Canceled"
    assert run["end_cell"] == f"{run['cancellation_date']} (stopped)"
    assert any(
        f"produces until {run['cancellation_date']} and does not renew" in t for t in run["after_cancel_notices"]
    ), run["after_cancel_notices"]
    # the imagery: Stream says why ClearSKY cannot stream; Load adds the order's own dates, none failing
    assert run["stream_enabled"] is False and "use Load" in run["stream_tip"], run["stream_tip"]
    assert run["delivery_failures"] == [], run["delivery_failures"]
    dates = [date.fromisoformat(d) for d in run["delivery_dates"]]
    reference = date.fromisoformat(run["reference_date"])
    assert dates and all((d - reference).days % int(run["frequency"]) == 0 for d in dates), (dates, reference)
    assert run["group_name"] == f"ClearSKY Vision: Aarhus fields, live ({short})"
    assert run["group_layers"] == len(dates)
    names = [Path(p).name for p in run["screenshots"]]
    for shot in (
        "configure",
        "configure-too-large",
        "cart",
        "checkout-review",
        "orders-panel",
        "cancel-confirm-review",
        "cancel-confirm-again",
        "cancel-confirm",
        "orders-cancelled",
        "delivered-layers",
    ):
        assert f"story-{shot}.png" in names, names
    for path in run["screenshots"]:
        assert Path(path).stat().st_size > 5_000
