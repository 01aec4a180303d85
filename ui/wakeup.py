"""When Nadir's features start: the wake-up policy (``plugin.py`` only wires it).

Eager features (``ui/features.py``) start with the plugin. The others, and what they
import (pydantic, httpx, shapely), wait for first need:

- the dock is opened (toolbar button, menu): :meth:`WakeUp.wake`, in steps;
- a project holding Nadir content is read, or is open when the plugin starts: at once
  (QGIS is busy reading the project anyway; the project's cart and grid selection must
  be merged before anyone edits or saves them);
- ``WAKE_DELAY_MS`` after start when there is work to follow (credentials set, a cart or
  an outbox on disk: orders to track, placements to finish): in steps;
- an entry point that needs a feature at once (layer menu, drops on the map,
  ``ctx.wake()``, ``NadirPlugin.activate()``): :meth:`WakeUp.wake_now` builds whatever is
  still missing in one call, the only place the GUI may wait for the whole wake-up.

In steps, the GUI thread never stalls for long (the target: no stall over 50 ms): the
pure-Python modules are first imported on a worker thread (once the dock has shown,
``SETTLE_MS``), polled every ``POLL_MS``;
then each feature takes two event-loop turns, one to import its module and one to build
it. ``wake(then=...)`` runs ``then`` once every feature is built.

One stall is not Nadir's own: a full garbage collection walks every Python object in QGIS
(about 112,000 after start; 40-90 ms on this machine, holding the GIL whichever thread
runs it) and starts once enough objects were made since the last one. QGIS's start leaves
one due, and the wake-up's imports (pydantic's) set it off in the middle of the first
click: it was the longest stall in 15 of 16 cold wake-ups measured (28-99 ms, once 425).
So Nadir runs it at QGIS's first idle turn after the plugin starts
(:func:`collect_once_idle`), while QGIS is still drawing its first map, not when the user
opens the dock (bench_startup.py --stall).
"""

from __future__ import annotations

import gc
import importlib
import logging
import threading
from typing import Any, Callable, Optional

from qgis.core import QgsProject
from qgis.PyQt.QtCore import Qt, QTimer
from qgis.PyQt.QtWidgets import QApplication

from ..toolbelt.i18n import tr
from ..toolbelt.settings import Settings
from .features import FEATURES

LOGGER = logging.getLogger(__name__)
WAKE_DELAY_MS = 2000
POLL_MS = 10
#: the dock shows, lays out and paints before the worker starts: the worker's first
#: import stalls the GUI thread (27-29 ms measured when it starts 200 ms after the click;
#: 26-55 ms at 60 ms, when it met the dock's first paint and the canvas's resize)
SETTLE_MS = 200
#: the providers' modules and the shared TLS context are made this long after the features
#: are up (not in the steps)
PROVIDERS_WARM_MS = 1000
# Imported on a worker thread before the features are built: no Qt in any of them.
WARM_MODULES = (
    "pydantic",
    "httpx",
    "shapely",
    "shapely.geometry",
    "shapely.ops",
    "numpy",
    "..core.models",
    "..core.ordering.cart",
    "..core.ordering.outbox",
    "..core.aoi.build",
    "..core.aoi.rules",
    "..providers.registry",
    "..core.grid.cover",
    "..core.grid.fetch",
    "..core.grid.cache",
    "..core.grid.selection",
    "..core.search.results",
    "..core.search.engine",
)


class WakeUp:
    """Builds the on-first-use features, in steps (:meth:`wake`) or at once (:meth:`wake_now`)."""

    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx
        self.features: list[Any] = []
        self.awake = False
        self._pending: Optional[list[tuple[str, str]]] = None  # (module, class) still to build
        self._classes: dict[str, type] = {}  # imported, not built yet
        self._then: list[Callable[[], None]] = []
        self._waking = False  # wake() was called: steps are under way
        self._warm: Optional[threading.Thread] = None
        self._providers_thread: Optional[threading.Thread] = None
        self._step_timer = QTimer()
        self._step_timer.setSingleShot(True)
        self._step_timer.timeout.connect(self._step)
        self._delay_timer = QTimer()
        self._delay_timer.setSingleShot(True)
        self._delay_timer.timeout.connect(self.wake)
        self._collect_timer = QTimer()
        self._collect_timer.setSingleShot(True)
        self._collect_timer.timeout.connect(collect_once_idle)
        self._providers_timer = QTimer()
        self._providers_timer.setSingleShot(True)
        self._providers_timer.setInterval(PROVIDERS_WARM_MS)
        self._providers_timer.timeout.connect(self._warm_providers)

    # -- policy -------------------------------------------------------------------------
    def start(self, project: QgsProject, settings: Settings) -> None:
        """Called from ``initGui``: the eager features now, the others when needed."""
        self._build_all(eager=True)
        self._collect_timer.start(0)  # QGIS's first idle turn: see the module docstring
        project.readProject.connect(self._project_read)
        if project_has_nadir_content(project):  # enabled with such a project open
            self.wake_now()
        elif work_to_follow(settings):
            self._delay_timer.start(WAKE_DELAY_MS)

    def dock_visibility(self, visible: bool) -> None:
        if visible:
            self.wake()

    def _project_read(self, *_args: Any) -> None:
        if not self.awake and project_has_nadir_content(QgsProject.instance()):
            self.wake_now()

    # -- waking up ----------------------------------------------------------------------
    def wake(self, then: Optional[Callable[[], None]] = None) -> None:
        """Build the waiting features over the next event-loop turns; ``then()`` after."""
        if self.ctx is None:
            return
        if self.awake:
            if then is not None:
                then()
            return
        if then is not None:
            self._then.append(then)
        if not self._waking:
            self._waking = True
            self._step_timer.start(SETTLE_MS)

    def wake_now(self) -> None:
        """Build every waiting feature in this call (entry points that need one at once)."""
        if self.awake or self.ctx is None:
            return
        self._step_timer.stop()
        if self._pending is None:
            self._begin()
        if self._warm is not None and self._warm.is_alive():
            self._warm.join()  # never import the same modules from two threads at once
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            while self._pending:
                self._advance()
        finally:
            QApplication.restoreOverrideCursor()
        self._finish()

    def _begin(self) -> None:
        self._delay_timer.stop()
        self._pending = [(module, name) for module, name, eager in FEATURES if not eager]
        if self._warm is None:
            self._warm = threading.Thread(target=warm_imports, name="nadir-warm-imports", daemon=True)
            self._warm.start()

    def _warm_done(self) -> bool:
        return self._warm is None or not self._warm.is_alive()

    def _step(self) -> None:
        """One event-loop turn of the wake-up: wait for the worker, import or build one feature."""
        if self.awake or self.ctx is None:
            return
        if self._pending is None:
            self._begin()
        if not self._warm_done():
            self._step_timer.start(POLL_MS)
            return
        if self._pending:
            self._advance()
        if self._pending:
            self._step_timer.start(0)
        else:
            self._finish()

    def _advance(self) -> None:
        """Import the next feature's module, or build the next feature if already imported."""
        assert self._pending
        module, name = self._pending[0]
        cls = self._classes.pop(module, None)
        if cls is None:
            try:
                self._classes[module] = getattr(importlib.import_module(module, __package__), name)
            except Exception as exc:  # one broken part must not take the others (or QGIS) down
                LOGGER.exception("Starting %s failed", name)
                self._pending.pop(0)
                self._report(name, exc)
            return
        self._pending.pop(0)
        self._build(cls)

    def _finish(self) -> None:
        self.awake = True
        self._providers_timer.start()
        then, self._then = self._then, []
        for callback in then:
            callback()

    def _warm_providers(self) -> None:
        """The providers' modules and the TLS context every provider client shares, made on
        a worker thread once the features are up, rather than by the first search or order:
        the context cost 100 ms or more of the GUI thread, and the adapters' imports (pydantic
        building its models) held the GIL for up to 80 ms in the first search."""
        from ..toolbelt.http import trusted_ca_pem

        if self._providers_thread is None and self.ctx is not None:
            self._providers_thread = threading.Thread(
                target=warm_providers, args=(trusted_ca_pem(),), name="nadir-warm-providers", daemon=True
            )
            self._providers_thread.start()

    def _build_all(self, eager: bool) -> None:
        from .features import feature_classes

        for cls in feature_classes(eager):
            self._build(cls)

    def _build(self, cls: type) -> None:
        feature = cls(self.ctx)
        try:
            feature.init_gui()
        except Exception as exc:  # one broken part must not take the others (or QGIS) down
            LOGGER.exception("Starting %s failed", cls.__name__)
            self._report(cls.__name__, exc)
        self.features.append(feature)  # unload() undoes whatever it did add

    def _report(self, name: str, exc: Exception) -> None:
        self.ctx.notifier.error(tr("A part of Nadir could not start ({}): {}").format(name, exc))

    # -- unload -------------------------------------------------------------------------
    def unload(self) -> None:
        """Stop waking up and unload every feature built, in reverse order."""
        self._delay_timer.stop()
        self._step_timer.stop()
        self._collect_timer.stop()
        self._providers_timer.stop()
        try:
            QgsProject.instance().readProject.disconnect(self._project_read)
        except (TypeError, RuntimeError):
            pass
        for thread in (self._warm, self._providers_thread):
            # a worker thread still inside OpenSSL or an import when Python shuts down
            # (QGIS quitting right after) crashes the process: let it finish first
            if thread is not None:
                thread.join(15)
        self._warm = self._providers_thread = None
        for feature in reversed(self.features):
            try:
                feature.unload()
            except Exception:
                LOGGER.exception("Unloading %s failed", type(feature).__name__)
            # its unload() releases them; also when it stopped half-way, it waits no more
            self.ctx.services.release(feature)
        self.features = []
        self._pending = None
        self._waking = False
        self._classes = {}
        self._then = []
        self.awake = False
        self.ctx = None


def project_has_nadir_content(project: QgsProject) -> bool:
    """Nadir entries in the project file (cart, grid selection) or a layer Nadir made."""
    if project.subkeyList("Nadir", "") or project.entryList("Nadir", ""):
        return True
    return any(
        any(str(key).startswith("nadir/") for key in layer.customPropertyKeys())
        for layer in project.mapLayers().values()
    )


def work_to_follow(settings: Settings) -> bool:
    """Something to do in the background this session: orders to track, placements to finish."""
    from ..core.provider_info import PROVIDERS
    from ..toolbelt.paths import cart_path, outbox_path

    if any(settings.connection(p).enabled and settings.connection(p).authcfg for p in PROVIDERS):
        return True
    return outbox_path().exists() or cart_path().exists()


def collect_once_idle() -> None:  # GUI thread
    """The full garbage collection QGIS's start has made due, now rather than mid-click."""
    collected = gc.collect()
    LOGGER.debug("Garbage collection after start: %d objects freed", collected)


def warm_imports() -> None:  # worker thread
    for name in WARM_MODULES:
        try:
            importlib.import_module(name, __package__)
        except Exception:  # the GUI thread imports it again and reports the error there
            LOGGER.debug("Pre-importing %s failed", name, exc_info=True)


def warm_providers(pems: list[str]) -> None:  # worker thread
    from ..providers.registry import FACTORIES, adapter_class
    from ..toolbelt.http import ssl_context

    for name in ("httpcore", "h11"):
        try:
            importlib.import_module(name)
        except ImportError:
            LOGGER.debug("Pre-importing %s failed", name, exc_info=True)
    for provider in FACTORIES:
        try:
            adapter_class(provider)
        except Exception:  # the first use imports it again and reports the error there
            LOGGER.debug("Pre-importing the %s adapter failed", provider, exc_info=True)
    ssl_context(pems)
