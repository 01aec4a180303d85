"""How a feature (AOIs, grid, cart, orders...) plugs into the plugin.

``plugin.py`` builds one :class:`PluginContext`, creates every class listed in
:data:`ui.features.FEATURES` with it, calls ``init_gui()`` in order and ``unload()`` in
reverse. A feature undoes in ``unload()`` exactly what its ``init_gui()`` added.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from qgis.gui import QgisInterface

from ..tasks.base import TaskRunner
from ..toolbelt.notify import Notifier
from ..toolbelt.settings import SettingsStore
from .dock import NadirDock


@dataclass
class PluginContext:
    iface: QgisInterface
    dock: NadirDock
    notifier: Notifier
    runner: TaskRunner
    settings: SettingsStore


class Feature(Protocol):
    def __init__(self, ctx: PluginContext) -> None: ...

    def init_gui(self) -> None: ...

    def unload(self) -> None: ...
