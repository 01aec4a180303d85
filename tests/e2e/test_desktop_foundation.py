"""The plugin in a real QGIS desktop: enabled in a fresh profile, dock opens, nothing
left behind after unload, reload gives exactly one of everything."""

from __future__ import annotations

from pathlib import Path

SCRIPT = r"""
from qgis.core import QgsApplication
from qgis.PyQt.QtWidgets import QAction, QDockWidget
from qgis.utils import iface, plugins, active_plugins, unloadPlugin, loadPlugin, startPlugin
import logging

e2e.wait_for(lambda: "nadir" in plugins, "Nadir loaded by QGIS")
plugin = plugins["nadir"]
e2e.record(plugin_class=type(plugin).__name__)
e2e.wait_for(lambda: iface.mainWindow().isVisible(), "main window")

def counts():
    main = iface.mainWindow()
    actions = [a for a in main.findChildren(QAction) if a.objectName() in ("NadirToggleDock", "NadirHelp")]
    web_menu_actions = [a.text() for a in iface.webMenu().actions()]
    docks = [d for d in main.findChildren(QDockWidget) if d.objectName() == "NadirDock"]
    providers = [p.id() for p in QgsApplication.processingRegistry().providers() if p.id() == "nadir"]
    help_actions = [a for a in iface.pluginHelpMenu().actions() if a.objectName() == "NadirHelp"]
    handlers = len(logging.getLogger("nadir").handlers)
    return {"actions": len(actions), "docks": len(docks), "processing": len(providers),
            "help": len(help_actions), "web_menu_nadir": sum(1 for t in web_menu_actions if "Nadir" in t),
            "log_handlers": handlers, "record_factory_wrapped": logging.getLogRecordFactory() is not logging.LogRecord}

e2e.record(after_start=counts())
toggle = [a for a in iface.mainWindow().findChildren(QAction) if a.objectName() == "NadirToggleDock"][0]
toggle.trigger()
e2e.wait_for(lambda: plugins["nadir"].awake, "Nadir's features (built in steps once the dock opens)")
dock = e2e.wait_for(lambda: next((d for d in iface.mainWindow().findChildren(QDockWidget)
                                  if d.objectName() == "NadirDock" and d.isVisible()), None), "Nadir dock visible")
e2e.process_events(1.0)
e2e.record(dock_visible=dock.isVisible(), dock_title=dock.windowTitle(), dock_width=dock.width(), dock_height=dock.height())
e2e.screenshot("dock-open")

unloadPlugin("nadir")
e2e.process_events(0.5)
from qgis.PyQt.QtCore import QCoreApplication, QEvent
QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # run pending deleteLater()s
e2e.record(after_unload=counts(), still_loaded="nadir" in plugins)

loadPlugin("nadir")
startPlugin("nadir")
e2e.process_events(0.5)
e2e.record(after_reload=counts())
"""


def test_plugin_enabled_dock_opens_and_unload_leaves_nothing(desktop):
    run = desktop.run(SCRIPT, "foundation", timeout=240)
    assert run["plugin_class"] == "NadirPlugin", run.log[-3000:]
    assert run["dock_visible"] is True and run["dock_title"] == "Nadir"
    assert run["dock_width"] > 50 and run["dock_height"] > 100
    started = run["after_start"]
    assert started == {
        "actions": 2,
        "docks": 1,
        "processing": 1,
        "help": 1,
        "web_menu_nadir": 1,
        "log_handlers": 1,
        "record_factory_wrapped": True,
    }, started
    unloaded = run["after_unload"]
    assert run["still_loaded"] is False
    assert unloaded == {
        "actions": 0,
        "docks": 0,
        "processing": 0,
        "help": 0,
        "web_menu_nadir": 0,
        "log_handlers": 0,
        "record_factory_wrapped": False,
    }, unloaded
    assert run["after_reload"] == started
    shot = Path(run["screenshots"][0])
    assert shot.exists() and shot.stat().st_size > 10_000
