"""How a feature (AOIs, grid, cart, orders...) plugs into the plugin.

``plugin.py`` builds one :class:`PluginContext`; :mod:`ui.wakeup` creates every class
listed in :data:`ui.features.FEATURES` with it (when is its policy), calls ``init_gui()``
in order and ``unload()`` in reverse. A feature undoes in ``unload()`` exactly what its ``init_gui()`` added.

Features find each other through ``ctx.services`` (:mod:`ui.services`), never by importing
each other's widgets; each declares the service keys it ``provides`` and ``needs``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, Protocol

from qgis.gui import QgisInterface

from ..tasks.base import TaskRunner
from ..toolbelt.notify import Notifier
from ..toolbelt.settings import SettingsStore
from .dock import NadirDock
from .services import ServiceKey, Services


@dataclass
class PluginContext:
    """What every feature gets.

    ``services`` lets features find each other without importing each other's widgets:
    a feature provides an object under a typed key in ``init_gui()`` (for example
    ``AOIS`` for the AOI store the ordering flow reads) and withdraws it in ``unload()``.
    Features that depend on a service get it when they need it, or ask to be called
    when it is available (see :mod:`ui.services`).
    """

    iface: QgisInterface
    dock: NadirDock
    notifier: Notifier
    runner: TaskRunner
    settings: SettingsStore
    services: Services = field(default_factory=Services)
    #: builds the features that wait for first use, in this call (``NadirPlugin.activate``,
    #: ``WakeUp.wake_now``); for entry points outside the dock (layer menu, drops on the
    #: map) that need them at once
    wake: Callable[[], None] = field(default=lambda: None)


class Feature(Protocol):
    #: the services ``init_gui()`` (or later work) provides, and the ones it gets or waits
    #: for; a test checks that every needed key is provided by a feature of ``FEATURES``
    provides: ClassVar[tuple[ServiceKey[Any], ...]]
    needs: ClassVar[tuple[ServiceKey[Any], ...]]

    def __init__(self, ctx: PluginContext) -> None: ...

    def init_gui(self) -> None: ...

    def unload(self) -> None: ...
