"""The typed registry features find each other through (ui/services.py, issue 12 item 5).

It imports no QGIS at run time (the features that start with QGIS import it), so it is
tested here, in the unit tier."""

from __future__ import annotations

import logging

import pytest

from nadir.ui.services import AOIS, CART, ORDERS, ORDERS_PANEL, ServiceKey, Services


class Owner:
    """A feature waiting for services."""

    def __init__(self) -> None:
        self.seen: list[object] = []

    def ready(self, service: object) -> None:
        self.seen.append(service)


def test_get_gives_the_provided_object_until_it_is_withdrawn():
    services, store = Services(), object()
    assert services.get(AOIS) is None and AOIS not in services
    services.provide(AOIS, store)
    assert services.get(AOIS) is store and AOIS in services
    assert services.get(CART) is None and CART not in services
    services.withdraw(AOIS)
    assert services.get(AOIS) is None and AOIS not in services
    services.withdraw(AOIS)  # twice (an unload after a half-done init_gui): no error


def test_keys_are_told_apart_by_identity_not_by_name():
    services, other = Services(), ServiceKey("aois")
    services.provide(other, "not the AOI store")
    assert services.get(AOIS) is None and services.get(other) == "not the AOI store"
    assert repr(AOIS) == "ServiceKey('aois')"


def test_when_available_calls_back_at_once_if_the_service_is_there():
    services, owner, panel = Services(), Owner(), object()
    services.provide(ORDERS_PANEL, panel)
    services.when_available(ORDERS_PANEL, owner.ready, owner=owner)
    assert owner.seen == [panel]


def test_when_available_waits_for_the_service_and_follows_each_new_one():
    services, owner = Services(), Owner()
    services.when_available(ORDERS_PANEL, owner.ready, owner=owner)
    assert owner.seen == [] and services.waiting(owner) == [ORDERS_PANEL]
    services.provide(ORDERS, "presenter")
    assert owner.seen == []  # another key
    services.provide(ORDERS_PANEL, "panel 1")
    services.withdraw(ORDERS_PANEL)
    services.provide(ORDERS_PANEL, "panel 2")  # the orders feature built again
    assert owner.seen == ["panel 1", "panel 2"]


def test_release_drops_only_the_owners_callbacks():
    services, deliveries, tasking = Services(), Owner(), Owner()
    services.when_available(ORDERS_PANEL, deliveries.ready, owner=deliveries)
    services.when_available(ORDERS_PANEL, tasking.ready, owner=tasking)
    services.when_available(CART, deliveries.ready, owner=deliveries)
    services.release(deliveries)  # deliveries unloads
    assert services.waiting(deliveries) == [] and services.waiting(tasking) == [ORDERS_PANEL]
    services.provide(ORDERS_PANEL, "panel")
    services.provide(CART, "cart")
    assert deliveries.seen == [] and tasking.seen == ["panel"]


def test_a_callback_released_by_an_earlier_one_is_not_called():
    services, first, second = Services(), Owner(), Owner()
    services.when_available(ORDERS_PANEL, lambda _panel: services.release(second), owner=first)
    services.when_available(ORDERS_PANEL, second.ready, owner=second)
    services.provide(ORDERS_PANEL, "panel")
    assert second.seen == []


def test_a_failing_callback_is_logged_and_neither_the_provider_nor_the_others_suffer(caplog):
    services, owner = Services(), Owner()

    def broken(_panel: object) -> None:
        raise RuntimeError("a bug in the deliveries row")

    services.when_available(ORDERS_PANEL, broken, owner=object())
    services.when_available(ORDERS_PANEL, owner.ready, owner=owner)
    with caplog.at_level(logging.ERROR, logger="nadir.ui.services"):
        services.provide(ORDERS_PANEL, "panel")
    assert owner.seen == ["panel"] and services.get(ORDERS_PANEL) == "panel"
    assert "waiting for the orders_panel service failed" in caplog.text
    assert "a bug in the deliveries row" in caplog.text  # the traceback


def test_a_failing_call_made_at_once_reaches_the_feature_asking():
    """Its own init_gui fails, and the wake-up reports it as that feature's failure."""
    services = Services()
    services.provide(ORDERS_PANEL, "panel")

    def broken(_panel: object) -> None:
        raise RuntimeError("cannot attach")

    with pytest.raises(RuntimeError, match="cannot attach"):
        services.when_available(ORDERS_PANEL, broken, owner=object())
