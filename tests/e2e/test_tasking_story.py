"""The tasking story in a real QGIS window, against the sandbox's UP42 over HTTP: choose a
tasking product (the account's access shown), fill its form built from the product's
schema, leave a required value out and see it explained under its field, add it to the
cart, check out; the order appears in the Orders panel; when UP42's feasibility study
arrives Nadir says the order awaits a decision, Decide… shows the options and sends the
chosen one; the quotation follows an hour later, is accepted in Nadir, and the order
moves on. Screenshots: the form, the feasibility and quotation dialogs, the orders.
"""

from __future__ import annotations

from pathlib import Path

from sandbox.testing import run_sandbox
from support.sandbox_profile import master_password_file, prepare_profile

SCRIPT = r"""
from nadir.ui.services import AOIS, CART, OUTBOX
import json, urllib.request
import shapely
from qgis.PyQt.QtCore import QDateTime, Qt, QTime
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

toggle = [a for a in iface.mainWindow().findChildren(QAction) if a.objectName() == "NadirToggleDock"][0]
toggle.trigger()
e2e.wait_for(lambda: plugins["nadir"].awake, "Nadir's features (built in steps once the dock opens)")
dock = e2e.wait_for(lambda: next((d for d in iface.mainWindow().findChildren(QDockWidget)
                                  if d.objectName() == "NadirDock" and d.isVisible()), None), "dock")
iface.mainWindow().resizeDocks([dock], [760], Qt.Orientation.Horizontal)
tasking = e2e.wait_for(lambda: {type(f).__name__: f for f in plugins["nadir"].features}.get("TaskingFeature"),
                       "the tasking feature")
features = {type(f).__name__: f for f in plugins["nadir"].features}
ctx = tasking.ctx

# an AOI over Luxembourg in the AOI list (drawing and importing AOIs have their own stories)
from nadir.core.aoi.build import build_aois, raw_from_geometry
store = ctx.services.get(AOIS)
store.add(build_aois([raw_from_geometry(shapely.Polygon([(6.0, 49.5), (6.2, 49.5), (6.2, 49.65), (6.0, 49.65)]))],
                     "e2e", "Luxembourg").aois)

# 1. the Tasking tab: products with the account's access; the Pléiades tasking product's form
dock.show_section("tasking")
section = tasking.section
e2e.wait_for(lambda: tasking.presenter.products, "UP42's tasking products", timeout=60)
e2e.record(products=[section.product_combo.itemText(i) for i in range(section.product_combo.count())])
product = next(p for p in tasking.presenter.products if p.collection == "phr-tasking")
section.select_product(product.id)
# the form of this product: the first product's form may be up already, and goes when this one comes
form = e2e.wait_for(lambda: tasking.form if tasking._form_product == product.id else None, "the product's form",
                    timeout=60)
section.aoi_combo.setCurrentIndex(section.aoi_combo.findText("Luxembourg"))
form.widget_for(("displayName",)).setText("Luxembourg, spring capture")
start = QDateTime.currentDateTimeUtc().addDays(3)
start = QDateTime(start.date(), QTime(0, 0), Qt.TimeSpec.UTC)
form.widget_for(("acquisitionStart",)).setDateTime(start)
form.widget_for(("acquisitionEnd",)).setDateTime(start.addDays(20))
form.widget_for(("cloudCoverage",)).setValue(10)
form.widget_for(("incidenceAngle",)).setValue(25)

# 2. a required value left out: explained under its field, nothing added
section.check_button.click()
e2e.record(check_status=section.status.text(), mode_error=form.error_text(("acquisitionMode",)),
           geometry=section.geometry_label.text())
e2e.screenshot("form-invalid", iface.mainWindow())
mode = form.widget_for(("acquisitionMode",))
mode.setCurrentIndex(mode.findData("mono"))
section.add_button.click()
cart = ctx.services.get(CART)
e2e.wait_for(lambda: len(cart.items) == 1, "the tasking item in the cart")
e2e.wait_for(lambda: cart.items[0].estimate is not None or cart.items[0].estimate_error, "UP42's estimate",
             timeout=60)
item = cart.items[0]
e2e.record(item=(item.title, item.summary, str(item.estimate.total) if item.estimate else item.estimate_error))

# 3. checkout
checkout = features["CartFeature"].open_checkout()
e2e.wait_for(lambda: "(1 item(s))" in checkout.totals_label.text(), "the review", timeout=60)
checkout.confirm_box.setChecked(True)
e2e.wait_for(lambda: checkout.place_button.isEnabled(), "Place enabled")
checkout.place_button.click()
outbox = ctx.services.get(OUTBOX)
e2e.wait_for(lambda: outbox.outbox.placed(), "the order placed", timeout=90)
order_id = outbox.outbox.placed()[0].orders[0].id
checkout.close()

# 4. the order in the Orders panel; the feasibility study arrives two hours later
orders = features["OrdersFeature"]
dock.show_section("orders")
orders.start()
key = ("up42", order_id)
e2e.wait_for(lambda: orders.presenter is not None and orders.presenter.book.get(key), "the order in the panel",
             timeout=60)
e2e.record(first_status=orders.presenter.book.get(key).order.raw_status)
advance(2 * 3600 + 120)
orders.presenter.refresh()
e2e.wait_for(lambda: orders.presenter.book.get(key).order.sub_status == "FEASIBILITY_WAITING_RESPONSE",
             "the order awaiting the feasibility decision", timeout=60)
e2e.wait_for(lambda: any("awaiting your decision" in t for t in bar_texts()), "the notice", timeout=30)
e2e.record(notices=[t for t in bar_texts() if "awaiting your decision" in t])
panel = orders.panel
panel.select(key)
controls = tasking.controls
e2e.wait_for(lambda: controls.decide_button.isEnabled(), "Decide… on")
controls.decide_button.click()
dialog = e2e.wait_for(lambda: tasking.decisions.dialog, "the feasibility dialog", timeout=60)
e2e.record(feasibility_text=dialog.text.text(), options=[b.text() for b in dialog.options.buttons()])
dialog.options.buttons()[0].click()
e2e.screenshot("feasibility", dialog)
dialog.choose_button.click()
e2e.wait_for(lambda: any("Feasibility option chosen" in t for t in bar_texts()), "the option sent", timeout=60)

# 5. the quotation, an hour later: accepted in Nadir
advance(3600 + 120)
orders.presenter.refresh()
e2e.wait_for(lambda: orders.presenter.book.get(key).order.sub_status == "QUOTATION_WAITING_RESPONSE",
             "the order awaiting the quotation decision", timeout=60)
tasking.decisions.dialog = None
panel.select(key)
e2e.wait_for(lambda: controls.decide_button.isEnabled(), "Decide… on again")
controls.decide_button.click()
dialog = e2e.wait_for(lambda: tasking.decisions.dialog, "the quotation dialog", timeout=60)
e2e.record(quotation_text=dialog.text.text(), accept_text=dialog.accept_button.text())
e2e.screenshot("quotation", dialog)
dialog.accept_button.click()
e2e.wait_for(lambda: any("Quotation accepted" in t for t in bar_texts()), "the acceptance sent", timeout=60)
advance(3600 + 120)
orders.presenter.refresh()
e2e.wait_for(lambda: orders.presenter.book.get(key).order.sub_status != "QUOTATION_WAITING_RESPONSE",
             "the order moving on", timeout=60)
after = orders.presenter.book.get(key).order
e2e.record(after=(after.raw_status, after.sub_status, after.status.value), decide_after=controls.decide_button.isEnabled())
e2e.process_events(0.5)
e2e.screenshot("orders", iface.mainWindow())
"""


def test_task_a_new_acquisition_and_decide_it_in_nadir(desktop, tmp_path):
    with run_sandbox(tmp_path / "sandbox") as sb:
        password = master_password_file(tmp_path / "master-password")
        prepare_profile(desktop.profile_dir, sb.url, password, poll_interval_s=600)
        script = SCRIPT.replace("SANDBOX", repr(sb.url)).replace("LOGFILE", repr(str(tmp_path / "nadir.log")))
        run = desktop.run(
            script,
            "tasking",
            timeout=600,
            env={"QGIS_AUTH_PASSWORD_FILE": str(password), "NADIR_DATA_DIR": str(tmp_path / "data")},
        )
    assert any("(granted)" in p for p in run["products"]), run["products"]
    assert "need attention" in run["check_status"] and "required" in run["mode_error"], run.result
    assert "1 polygon(s)" in run["geometry"], run["geometry"]
    title, summary, estimate = run["item"]
    assert title == "Luxembourg, spring capture" and "km²" in summary and "credits" in estimate, run["item"]
    assert run["first_status"] in ("CREATED", "BEING_PLACED", "PLACED"), run["first_status"]
    assert len(run["notices"]) == 1 and "Luxembourg, spring capture" in run["notices"][0], run["notices"]
    assert run["options"] and "Choose the option" in run["feasibility_text"]
    assert "credits" in run["quotation_text"] and run["accept_text"].startswith("Accept")
    raw, sub, lifecycle = run["after"]
    assert lifecycle != "awaiting_decision" and run["decide_after"] is False, run["after"]
    assert raw in ("PLACED", "BEING_FULFILLED", "FULFILLED") and sub != "QUOTATION_WAITING_RESPONSE", run["after"]
    names = [Path(p).name for p in run["screenshots"]]
    for shot in ("form-invalid", "feasibility", "quotation", "orders"):
        assert f"tasking-{shot}.png" in names, names
