"""QGIS-tier harness for the money path: the real CartFeature wired to a dock on the
pytest-qgis iface, its files in a temporary folder, and the real ClearSKY adapter
talking to a sandbox process over HTTP."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Optional

import httpx

from nadir.core.credentials import Credentials
from nadir.core.retry import RetryPolicy
from nadir.providers.clearsky.adapter import ClearSky
from nadir.providers.http.session import plain_client
from nadir.tasks.base import TaskRunner
from nadir.toolbelt.notify import Notifier
from nadir.toolbelt.settings import SettingsStore
from nadir.ui.cart.feature import CartFeature
from nadir.ui.dock import NadirDock
from nadir.ui.feature import PluginContext

from .qgis_wait import wait_until

CLEARSKY_KEY = "clearsky-sandbox-key"
FAST = RetryPolicy(max_attempts=3, base_delay=0.05, max_delay=0.2, max_retry_after=2.0)
AOI = {"type": "Polygon", "coordinates": [[[9.90, 56.40], [9.95, 56.40], [9.95, 56.43], [9.90, 56.43], [9.90, 56.40]]]}
AOI2 = {
    "type": "Polygon",
    "coordinates": [[[10.00, 56.30], [10.06, 56.30], [10.06, 56.33], [10.00, 56.33], [10.00, 56.30]]],
}


class Adapters:
    """Adapter source for the feature: real adapters against the sandbox, counted."""

    def __init__(self, sandbox: Any, read_timeout: float = 30.0) -> None:
        self.sandbox = sandbox
        self.read_timeout = read_timeout
        self.made: list[str] = []
        self.fail_with: Optional[BaseException] = None

    def __call__(self, provider: str) -> Any:
        self.made.append(provider)
        if self.fail_with is not None:
            raise self.fail_with
        client = plain_client(timeout=httpx.Timeout(self.read_timeout, connect=5.0))
        if provider == "geopera":
            from .adapters import geopera

            return geopera(self.sandbox, client=client)
        if provider == "up42":
            from .adapters import up42

            return up42(self.sandbox)
        if provider == "oneatlas":
            from .deliveries import oneatlas

            return oneatlas(self.sandbox)
        if provider != "clearsky":
            raise AssertionError(f"no sandbox adapter for {provider} in this harness")
        return ClearSky(
            {"api": self.sandbox.provider_url("clearsky")},
            Credentials(secret=CLEARSKY_KEY),
            client,
            policy=FAST,
            sleep=lambda s: time.sleep(min(s, 0.05)),
        )


@dataclass
class Harness:
    feature: CartFeature
    ctx: PluginContext
    dock: NadirDock

    @property
    def cart(self) -> Any:
        return self.feature.cart

    @property
    def outbox(self) -> Any:
        return self.feature.outbox

    def unload(self) -> None:
        self.feature.unload()
        self.ctx.runner.cancel_all()
        wait_until(lambda: not self.ctx.runner.running, 30)
        self.dock.deleteLater()


def start(iface: Any, adapters: Optional[Callable[[str], Any]]) -> Harness:
    dock = NadirDock(iface.mainWindow())
    notifier = Notifier(
        iface.messageBar(),
        iface.mainWindow(),  # as plugin.py wires it
        open_settings=lambda: iface.showOptionsDialog(iface.mainWindow(), currentPage="Nadir"),
    )
    ctx = PluginContext(iface, dock, notifier, TaskRunner(), SettingsStore())
    feature = CartFeature(ctx, adapters=adapters)
    feature.init_gui()
    return Harness(feature, ctx, dock)


def provider_orders(sandbox: Any) -> list[dict[str, Any]]:
    """Every order the ClearSKY stand-in holds (its admin view, not the API)."""
    return list(sandbox.admin("GET", "clearsky/orders"))
