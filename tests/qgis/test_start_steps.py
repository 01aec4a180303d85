"""The Start tab says what to do first, following the state (issue 16 item 8)."""

from __future__ import annotations

import re
from types import SimpleNamespace

from qgis.PyQt.QtCore import QObject, pyqtSignal


def next_step(html: str) -> str:
    match = re.search(r"<b>Next:</b> (.*?)</li>", html)
    return re.sub("<[^>]+>", "", match.group(1)) if match else ""


def test_first_steps_follow_the_state(qgis_app):
    from nadir.ui.start import Progress, first_steps, steps_html

    assert "credentials" in next_step(steps_html(first_steps(Progress(credentials=False))))
    assert "area of interest" in next_step(steps_html(first_steps(Progress(credentials=True, aois=0, cells=0))))
    assert "Configure order" in next_step(steps_html(first_steps(Progress(credentials=True, aois=2, cart_items=0))))
    assert "Check out" in next_step(steps_html(first_steps(Progress(credentials=True, aois=1, cart_items=1))))
    assert "Orders" in next_step(steps_html(first_steps(Progress(credentials=True, aois=0, orders=3))))
    done = [s.done for s in first_steps(Progress(credentials=True, aois=0, cells=4))]
    assert done == [True, True, False, False, False]


class FakeAois(QObject):
    changed = pyqtSignal()

    def __init__(self) -> None:
        super().__init__()
        self.items: list[object] = []

    def aois(self) -> list[object]:
        return self.items


class FakeCart(QObject):
    changed = pyqtSignal()

    def __init__(self) -> None:
        super().__init__()
        self.items: tuple[object, ...] = ()


def test_start_page_updates_as_the_user_goes(qgis_app, clean_settings):
    from nadir.toolbelt.settings import ProviderConnection, SettingsStore
    from nadir.ui.dock import NadirDock
    from nadir.ui.services import AOIS, CART, Services
    from nadir.ui.start_feature import StartFeature

    store = SettingsStore()
    dock = NadirDock()
    dock.start_page.show_settings(store.current)
    assert "credentials" in next_step(dock.start_page.steps.text())  # before any feature started

    aois, cart = FakeAois(), FakeCart()
    services = Services()
    services.provide(AOIS, aois)
    services.provide(CART, cart)
    ctx = SimpleNamespace(dock=dock, settings=store, services=services)
    feature = StartFeature(ctx)  # type: ignore[arg-type]
    feature.init_gui()
    assert "credentials" in next_step(dock.start_page.steps.text())
    store.update(store.current.with_connection(ProviderConnection("clearsky", authcfg="abc1234")))
    assert "area of interest" in next_step(dock.start_page.steps.text())
    aois.items.append(object())
    aois.changed.emit()
    assert "Configure order" in next_step(dock.start_page.steps.text())
    cart.items = (object(),)
    cart.changed.emit()
    assert "Check out" in next_step(dock.start_page.steps.text())
    feature.unload()
    cart.items = ()
    cart.changed.emit()  # disconnected: nothing changes any more
    assert "Check out" in next_step(dock.start_page.steps.text())
    dock.deleteLater()
