"""How a feature (AOIs, grid, cart, orders...) plugs into the plugin.

``plugin.py`` builds one :class:`PluginContext`; :mod:`ui.wakeup` creates every class
listed in :data:`ui.features.FEATURES` with it (when is its policy), calls ``init_gui()``
in order and ``unload()`` in reverse. A feature undoes in ``unload()`` exactly what its ``init_gui()`` added.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

from qgis.gui import QgisInterface

from ..tasks.base import TaskRunner
from ..toolbelt.notify import Notifier
from ..toolbelt.settings import SettingsStore
from .dock import NadirDock


@dataclass
class PluginContext:
    """What every feature gets.

    ``services`` lets features find each other without importing each other's widgets:
    a feature registers an object under a well-known key in ``init_gui()`` (for example
    ``"aois"`` for the AOI store the ordering flow reads) and removes it in ``unload()``.
    Features that depend on a service look it up lazily, when they need it.
    """

    iface: QgisInterface
    dock: NadirDock
    notifier: Notifier
    runner: TaskRunner
    settings: SettingsStore
    services: dict[str, Any] = field(default_factory=dict)
    #: builds the features that wait for first use, in this call (``NadirPlugin.activate``,
    #: ``WakeUp.wake_now``); for entry points outside the dock (layer menu, drops on the
    #: map) that need them at once
    wake: Callable[[], None] = field(default=lambda: None)


class Feature(Protocol):
    def __init__(self, ctx: PluginContext) -> None: ...

    def init_gui(self) -> None: ...

    def unload(self) -> None: ...
