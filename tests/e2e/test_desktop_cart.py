"""The money path in a real QGIS desktop against the sandbox: AOIs chosen -> "Configure
order…" -> configure dialog (valid, then an invalid combination explained inline) ->
cart in the dock with the sandbox's estimates -> item details -> checkout review with
the explicit confirmation -> placed. Screenshots of configure, cart and checkout review
go to tests/e2e/artifacts/ (cart-*.png)."""

from __future__ import annotations

from pathlib import Path

from sandbox.testing import run_sandbox
from support.headless import store_connection

SCRIPT = r"""
from nadir.ui.services import AOIS, CART, CONFIGURE, OUTBOX
import os
from qgis.core import QgsRectangle
from qgis.PyQt.QtCore import QDate
from qgis.PyQt.QtWidgets import QAction, QPushButton
from qgis.utils import iface, plugins
from shapely.geometry import shape

import logging
class _Keep(logging.Handler):
    lines = []
    def emit(self, record):
        self.lines.append(record.getMessage() + ("\n" + record.exc_text if record.exc_text else ""))
_keep = _Keep(logging.WARNING)
logging.getLogger("nadir").addHandler(_keep)
e2e.wait_for(lambda: "nadir" in plugins, "Nadir loaded by QGIS")
plugin = plugins["nadir"]
e2e.wait_for(lambda: iface.mainWindow().isVisible(), "main window")
iface.mainWindow().resize(1600, 1000)
dock = plugin.dock
toggle = [a for a in iface.mainWindow().findChildren(QAction) if a.objectName() == "NadirToggleDock"][0]
toggle.trigger()
e2e.wait_for(lambda: plugins["nadir"].awake, "Nadir's features (built in steps once the dock opens)")
e2e.wait_for(dock.isVisible, "dock visible")
feature = next(f for f in plugin.features if type(f).__name__ == "CartFeature")  # built on first use
services = feature.ctx.services
dock.setMinimumWidth(760)

# two AOIs, chosen for an order, on the map
from nadir.core.aoi.build import build_aois, raw_from_geometry
FIELDS = [({"type": "Polygon", "coordinates": [[[9.90, 56.40], [9.97, 56.40], [9.97, 56.44], [9.90, 56.44], [9.90, 56.40]]]}, "North field"),
        ({"type": "Polygon", "coordinates": [[[10.00, 56.30], [10.08, 56.30], [10.08, 56.34], [10.00, 56.34], [10.00, 56.30]]]}, "South field")]
services.get(AOIS).add(build_aois([raw_from_geometry(shape(g), number=n, name=name) for n, (g, name) in enumerate(FIELDS, 1)], "e2e", "Field").aois)
iface.mapCanvas().setExtent(QgsRectangle(1095000, 7600000, 1130000, 7640000))
iface.mapCanvas().refresh()

# "Configure order…" in the AOI section
dock.show_section("aois")
dock.section("aois").findChild(QPushButton, "NadirAoiConfigureOrder").click()
configure = services.get(CONFIGURE)
dialog = e2e.wait_for(lambda: configure.dialog, "configure dialog")
e2e.wait_for(lambda: dialog.modelCombo.count() > 0 and dialog.submit_enabled(), "models from the sandbox", 60)
dialog.titleEdit.setText("Fields north of Aarhus")
dialog.set_constellation("Sentinel1", True)
dialog.fromEdit.setDate(QDate(2025, 1, 1))
dialog.advancedToggle.setChecked(True)
dialog.storageSpin.setValue(3)
dialog.apiSpin.setValue(2)
dialog.frequencySpin.setValue(5)
e2e.process_events(0.5)
e2e.record(configure_ok=dialog.submit_enabled(), recurring_text=dialog.recurringLabel.text(),
           models=[dialog.modelCombo.itemText(i) for i in range(dialog.modelCombo.count())])
e2e.screenshot("configure", dialog)
dialog.toCheck.setChecked(True)
dialog.toEdit.setDate(QDate(2024, 6, 30))
e2e.process_events(0.3)
e2e.record(invalid_problems=dialog.problems_text(), invalid_submit=dialog.submit_enabled())
e2e.screenshot("configure-invalid", dialog)
dialog.toEdit.setDate(QDate(2025, 3, 31))
e2e.process_events(0.2)
first = configure.submit()

# a recurring order for the south field alone, through the cart section's own menu
services.get(AOIS).set_chosen([a.id for a in services.get(AOIS).aois() if a.name == "North field"], False)
dock.show_section("cart")
feature.section.configure_aois_action.trigger()
dialog = e2e.wait_for(lambda: configure.dialog, "second configure dialog")
e2e.wait_for(lambda: dialog.modelCombo.count() > 0 and dialog.submit_enabled(), "models", 60)
dialog.titleEdit.setText("South field, live")
second = configure.submit()

cart = services.get(CART)
e2e.wait_for(lambda: len(cart.items) == 2 and all(i.state(cart.now()).value == "fresh" for i in cart.items),
             "estimates from the sandbox", 60)
dock.show_section("cart")
feature.section.select(first.id)
e2e.process_events(0.5)
e2e.record(cart_prices=[feature.section.cell_text(i.id, "Estimate") for i in cart.items],
           cart_dates=[feature.section.cell_text(i.id, "Image dates") for i in cart.items],
           cart_totals=feature.section.totals_label.text())
e2e.screenshot("cart")
detail = feature.details(first.id)
e2e.process_events(0.3)
e2e.screenshot("cart-detail", detail)
detail.close()

# checkout: review, confirm, place
review = feature.open_checkout()
e2e.process_events(0.5)
e2e.record(place_enabled_before_confirm=review.place_button.isEnabled())
review.confirm_box.setChecked(True)
e2e.process_events(0.3)
e2e.record(review_totals=review.totals_label.text(), review_confirm=review.confirm_box.text(),
           place_enabled=review.place_button.isEnabled())
e2e.screenshot("checkout-review", review)
review.place_button.click()
rows = feature.checkout.rows
try:
    e2e.wait_for(lambda: all(r.status == "placed" for r in rows.values()), "both placed", 60)
except TimeoutError:
    e2e.record(stuck=[(r.status, r.message) for r in rows.values()], log=_keep.lines)
    e2e.screenshot("checkout-stuck", review)
    raise
e2e.process_events(0.5)
e2e.record(statuses=[review.row_status(i)[1] for i in rows], summary=review.summary_label.text(),
           cart_after=len(cart.items), outbox_placed=len(services.get(OUTBOX).outbox.placed()))
e2e.screenshot("checkout-placed", review)
e2e.record(warnings=_keep.lines)
"""


def test_configure_cart_and_checkout_in_the_desktop(desktop, tmp_path):
    with run_sandbox(tmp_path / "sandbox") as sb:
        password_file = store_connection(desktop.profile_dir, sb.provider_url("clearsky"))
        run = desktop.run(
            SCRIPT,
            "cart",
            timeout=300,
            env={
                "QGIS_AUTH_PASSWORD_FILE": str(password_file),
                "NADIR_DATA_DIR": str(tmp_path / "nadir-data"),
                "NO_PROXY": "127.0.0.1,localhost",
                "no_proxy": "127.0.0.1,localhost",
            },
        )
        orders = sb.admin("GET", "clearsky/orders")
    assert run["configure_ok"] is True and "Stratus2" in run["models"]
    assert "Recurring live order" in run["recurring_text"]
    assert "before the start" in run["invalid_problems"] and run["invalid_submit"] is False
    assert all(p.endswith("EUR") for p in run["cart_prices"]), run["cart_prices"]
    assert "until cancelled" in run["cart_dates"][1]
    assert run["cart_totals"].startswith("Total: ") and run["cart_totals"].endswith("EUR")
    assert run["place_enabled_before_confirm"] is False and run["place_enabled"] is True
    assert "I confirm placing these 2 order(s)" in run["review_confirm"]
    assert all(s.startswith("Placed: order ") for s in run["statuses"]) and "2 placed" in run["summary"]
    assert run["cart_after"] == 0 and run["outbox_placed"] == 2 and len(orders) == 2
    for shot in run["screenshots"]:
        assert Path(shot).exists() and Path(shot).stat().st_size > 5_000, shot
    names = {Path(s).stem for s in run["screenshots"]}
    assert {"cart-configure", "cart-configure-invalid", "cart-cart", "cart-checkout-review"} <= names
