"""The Nadir dock in a real QGIS window keeps still (issue 16 item 7): its width does not
change when switching tabs or importing AOIs, the Orders buttons stay where they are
when the selection changes, no splitter can be dragged shut, the dock does not claim a
tall minimum height, and the configure dialog's fields do not move when a message shows.
Measured geometry, plus screenshots of each tab for a look by eye."""

from __future__ import annotations

from pathlib import Path

from support.aoi_data import DATA, WORLD_MAP

SCRIPT = r"""
from nadir.ui.services import AOIS, CONFIGURE
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from qgis.core import QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt, QUrl
from qgis.PyQt.QtGui import QDropEvent, QMouseEvent
from qgis.PyQt.QtWidgets import QAction, QApplication, QDockWidget, QPushButton, QSplitter
from qgis.utils import iface, plugins

DATA = Path(DATA_DIR)
e2e.wait_for(lambda: "nadir" in plugins, "Nadir loaded by QGIS")
e2e.wait_for(lambda: iface.mainWindow().isVisible(), "main window")
main = iface.mainWindow()
main.resize(1500, 950)
QgsProject.instance().addMapLayer(QgsVectorLayer(f"{WORLD}|layername=countries", "countries", "ogr"))
e2e.process_events(0.5)

toggle = [a for a in main.findChildren(QAction) if a.objectName() == "NadirToggleDock"][0]
toggle.trigger()
e2e.wait_for(lambda: plugins["nadir"].awake, "Nadir's features (built in steps once the dock opens)")
dock = e2e.wait_for(lambda: next((d for d in main.findChildren(QDockWidget)
                                  if d.objectName() == "NadirDock" and d.isVisible()), None), "dock")
e2e.wait_for(lambda: len(dock.section_keys) >= 4, "the dock's sections")
e2e.process_events(0.5)
features = {type(f).__name__: f for f in plugins["nadir"].features}
ctx = features["OrdersFeature"].ctx
store = ctx.services.get(AOIS)

# 1. dock width across every tab, then after imports
widths = {"opened": dock.width()}
tabs = dock.tabs
for index in list(range(tabs.count())) + [0]:
    tabs.setCurrentIndex(index)
    e2e.process_events(0.3)
    widths[f"tab{index}:{tabs.tabText(index)}"] = dock.width()
    e2e.screenshot(f"tab{index}", dock)
dock.show_section("aois")
mime = QMimeData()
mime.setUrls([QUrl.fromLocalFile(str(DATA / "utm_fields_shp.zip"))])
dock.dropEvent(QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                          Qt.KeyboardModifier.NoModifier))
e2e.wait_for(lambda: len(store.aois()) == 2, "the dropped shapefile imported", timeout=60)
e2e.process_events(0.5)
widths["after drop"] = dock.width()
ids = [a.id for a in store.aois()]
dock.section("aois").select(ids[:1])
e2e.process_events(0.5)
widths["after selecting an AOI"] = dock.width()
sideways = {}
for key in dock.section_keys:
    dock.show_section(key)
    e2e.process_events(0.3)
    widths[f"after import, {key}"] = dock.width()
    sideways[key] = dock.tabs.page_of(dock.section(key)).horizontalScrollBar().isVisible()
e2e.record(sideways_scrolling=sideways)
from qgis.PyQt.QtWidgets import QWidget
diag = {}
for key in dock.section_keys:
    sec = dock.section(key)
    wide = sorted(((w.minimumSizeHint().width(), w.minimumSizeHint().height(), type(w).__name__, w.objectName(),
                    (w.text()[:40] if hasattr(w, "text") and callable(w.text) else ""))
                   for w in sec.findChildren(QWidget)), reverse=True)[:6]
    diag[key] = [sec.minimumSizeHint().width(), sec.minimumSizeHint().height(), wide]
e2e.record(diag=diag)
e2e.record(widths=widths, dock_min_height=dock.minimumSizeHint().height(),
           dock_min_width=dock.minimumSizeHint().width(), main_height=main.height())

# 2. splitters: dragging a handle to the end never collapses a pane
splitters = {}
for key in dock.section_keys:
    dock.show_section(key)
    e2e.process_events(0.3)
    for n, splitter in enumerate(dock.section(key).findChildren(QSplitter)):
        if not splitter.isVisible():
            continue
        handle = splitter.handle(1)
        vertical = splitter.orientation() == Qt.Orientation.Vertical
        def mouse(kind, point, buttons):
            QApplication.sendEvent(handle, QMouseEvent(kind, QPointF(point), QPointF(point),
                                                       QPointF(handle.mapToGlobal(point)), Qt.MouseButton.LeftButton,
                                                       buttons, Qt.KeyboardModifier.NoModifier))
        centre = handle.rect().center()
        far = QPoint(centre.x(), -2000) if vertical else QPoint(-2000, centre.y())
        mouse(QEvent.Type.MouseButtonPress, centre, Qt.MouseButton.LeftButton)
        mouse(QEvent.Type.MouseMove, far, Qt.MouseButton.LeftButton)
        mouse(QEvent.Type.MouseButtonRelease, far, Qt.MouseButton.NoButton)
        e2e.process_events(0.2)
        first = list(splitter.sizes())
        far = QPoint(centre.x(), 4000) if vertical else QPoint(4000, centre.y())
        centre = handle.rect().center()
        mouse(QEvent.Type.MouseButtonPress, centre, Qt.MouseButton.LeftButton)
        mouse(QEvent.Type.MouseMove, far, Qt.MouseButton.LeftButton)
        mouse(QEvent.Type.MouseButtonRelease, far, Qt.MouseButton.NoButton)
        e2e.process_events(0.2)
        splitters[f"{key}#{n}"] = [first, list(splitter.sizes())]
e2e.record(splitters=splitters)

# 3. the Orders buttons keep their place whatever is selected
from nadir.core.models import Lifecycle, Money, Order, OrderKind, CancelPreview
from nadir.core.orders.book import BookEntry

def order(n, status, raw, title):
    return Order(provider="clearsky", id=f"1a2b3c4d-0000-4000-8000-00000000000{n}", status=status, raw_status=raw,
                 kind=OrderKind.COMPOSITE, created_at=datetime(2025, 3, n, 12, tzinfo=timezone.utc),
                 start=date(2025, 3, 1), end=date(2025, 5, 31), model="Stratus2",
                 aoi={"type": "Polygon", "coordinates": [[[10, 50], [10.1, 50], [10.1, 50.1], [10, 50]]]},
                 price=Money(amount=Decimal("1234.5"), currency="EUR"), title=title)

dock.show_section("orders")
panel = features["OrdersFeature"].panel
entries = [BookEntry(order(1, Lifecycle.PENDING, "Review", "A field"), label="A field"),
           BookEntry(order(2, Lifecycle.COMPLETED, "Completed", "North vineyard, every month"),
                     label="North vineyard, every month"),
           BookEntry(order(3, Lifecycle.IN_PROGRESS, "Processing", "x" * 20), label="x" * 20)]
panel.set_entries(entries)
e2e.process_events(0.5)
watched = [b for b in panel.findChildren(QPushButton) if b.objectName().startswith(("NadirOrders", "NadirDelivery"))
           and b.objectName() != "NadirOrdersRefresh"]

def positions():
    return {b.objectName(): (b.mapTo(panel, QPoint(0, 0)).x(), b.mapTo(panel, QPoint(0, 0)).y(), b.isVisible())
            for b in watched}

layouts = {"none": positions()}
for entry in entries:
    panel.select(entry.key)
    e2e.process_events(0.3)
    layouts[f"selected {entry.order.raw_status}"] = positions()
    panel.set_cancel_state(entry.key, CancelPreview(allowed=entry.order.raw_status == "Review",
                           effect="The order is cancelled fully and nothing is billed; this explanation is long "
                                  "enough to wrap onto a second line in a narrow dock."), "")
    e2e.process_events(0.3)
    layouts[f"cancel state {entry.order.raw_status}"] = positions()
panel.table.clearSelection()
e2e.process_events(0.3)
layouts["cleared"] = positions()
e2e.record(order_buttons=layouts, orders_width=dock.width())
panel.select(entries[0].key)
e2e.screenshot("orders", dock)

# 4. the configure dialog: messages appear without moving the fields
from nadir.core.ordering.clearsky_configure import Check, Problem
dialog = ctx.services.get(CONFIGURE).open_for_chosen_aois()
e2e.wait_for(lambda: dialog.isVisible(), "configure dialog")
e2e.process_events(1.0)
fields = ("titleEdit", "modelCombo", "fromEdit", "frequencySpin", "advancedToggle")

def field_positions():
    return {name: [getattr(dialog, name).mapTo(dialog, QPoint(0, 0)).x(), getattr(dialog, name).mapTo(dialog, QPoint(0, 0)).y(),
                   getattr(dialog, name).height()] for name in fields}

form = {"shown": field_positions()}
dialog.set_models_loading()
e2e.process_events(0.3)
form["loading"] = field_positions()
dialog.set_models_error("ClearSKY did not answer (connection refused)")
e2e.process_events(0.3)
form["models error"] = field_positions()
dialog.show_check(Check(problems=(Problem("start", "The From date must not be before 2019-01."),
                                  Problem("frequency_days", "The frequency must be between 1 and 31 days."),
                                  Problem("storage_months", "First month free.", blocking=False))))
e2e.process_events(0.3)
form["problems"] = field_positions()
e2e.screenshot("configure-problems", dialog)
dialog.show_check(Check())
e2e.process_events(0.3)
form["no problems"] = field_positions()
e2e.record(configure=form)
dialog.close()
"""


def test_dock_and_forms_keep_still(desktop, tmp_path):
    script = SCRIPT.replace("DATA_DIR", repr(str(DATA))).replace("WORLD", repr(str(WORLD_MAP)))
    run = desktop.run(script, "polish", timeout=300, env={"NADIR_DATA_DIR": str(tmp_path / "data")})
    widths = run["widths"]
    assert widths["opened"] >= 440, widths  # opened at the width the sections are made for
    assert len(set(widths.values())) == 1, (widths, run["diag"])
    assert run["dock_min_height"] <= 300, run["dock_min_height"]
    assert not any(run["sideways_scrolling"].values()), (run["sideways_scrolling"], run["diag"])
    for name, (shut, opened) in run["splitters"].items():
        assert min(shut) > 20 and min(opened) > 20, (name, shut, opened)
    layouts = run["order_buttons"]
    first = layouts["none"]
    for label, layout in layouts.items():
        assert {k: v[:2] for k, v in layout.items()} == {k: v[:2] for k, v in first.items()}, (label, layout, first)
        assert all(v[2] for v in layout.values()), (label, layout)
    assert run["orders_width"] == widths["opened"]
    form = run["configure"]
    shown = form["shown"]
    for label, positions in form.items():
        assert positions == shown, (label, positions, shown)
    for path in run["screenshots"]:
        assert Path(path).stat().st_size > 5_000


def test_make_demo_prints_no_auth_database_noise(tmp_path):
    """`make run` prepares its profile with scripts/make_demo.py: it used to print the auth
    database's salt, hash and IV, Qt's XDG_RUNTIME_DIR warning and GDAL warnings."""
    import os
    import subprocess
    import sys

    from sandbox.testing import run_sandbox
    from support.package import ROOT

    env = {k: v for k, v in os.environ.items() if k not in ("QT_LOGGING_RULES", "XDG_RUNTIME_DIR")}
    with run_sandbox(tmp_path / "sandbox") as sb:
        done = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "make_demo.py"), str(tmp_path / "runs"), sb.url],
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
        )
    assert done.returncode == 0, done.stderr[-3000:]
    output = done.stdout + done.stderr
    for noise in ("salt hex", "hash hex", "cipheriv", "XDG_RUNTIME_DIR", "Warning 1"):
        assert noise not in output, output
    assert (tmp_path / "runs" / "demo.qgz").exists()
