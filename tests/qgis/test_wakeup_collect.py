"""The full garbage collection QGIS's start leaves due runs at the first idle turn after
Nadir starts, once, not in the middle of the first click's wake-up (ui/wakeup.py)."""

from __future__ import annotations

from qgis.core import QgsProject
from qgis.PyQt.QtWidgets import QApplication

from nadir.plugin import NadirPlugin
from nadir.ui import wakeup


def counted(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = wakeup.gc.collect

    def collect(*args: int) -> int:
        calls.append(args[0] if args else 2)
        return real(*args)

    monkeypatch.setattr(wakeup.gc, "collect", collect)
    return calls


def test_one_full_collection_at_the_first_idle_turn_after_start(qgis_iface, clean_settings, tmp_path, monkeypatch):
    monkeypatch.setenv("NADIR_DATA_DIR", str(tmp_path / "data"))
    QgsProject.instance().clear()
    calls = counted(monkeypatch)
    plugin = NadirPlugin(qgis_iface)
    plugin.initGui()
    try:
        assert calls == []  # not inside initGui: QGIS's start is not made longer
        QApplication.processEvents()
        assert calls == [2]  # a full collection, once
        plugin.action.trigger()  # the dock opened: the wake-up does not collect again
        plugin.activate()
        for _ in range(5):
            QApplication.processEvents()
        assert calls == [2]
    finally:
        plugin.unload()
