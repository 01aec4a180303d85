"""The features' services at run time (ui/services.py, issue 12 item 5): the real classes
of ui/features.py declare keys every need of which some feature provides, a woken plugin
provides what each declares, the orders panel gets the controls of the features that
waited for it, and unload leaves no service and no waiting callback behind."""

from __future__ import annotations

from qgis.core import QgsProject

from nadir.plugin import NadirPlugin
from nadir.ui.features import feature_classes
from nadir.ui.services import ORDERS, ORDERS_PANEL, ServiceKey
from support.qgis_wait import wait_until


def test_every_needed_service_is_provided_by_a_listed_feature():
    classes = feature_classes()
    assert len(classes) >= 9
    provided: dict[ServiceKey, list[str]] = {}
    for cls in classes:
        assert isinstance(cls.provides, tuple) and isinstance(cls.needs, tuple), cls.__name__
        assert all(isinstance(key, ServiceKey) for key in (*cls.provides, *cls.needs)), cls.__name__
        for key in cls.provides:
            provided.setdefault(key, []).append(cls.__name__)
    assert all(len(names) == 1 for names in provided.values()), provided  # one provider per service
    unprovided = {cls.__name__: [k.name for k in cls.needs if k not in provided] for cls in classes}
    assert not any(unprovided.values()), unprovided


def test_a_woken_plugin_provides_what_each_feature_declares_and_unload_takes_it_back(
    qgis_iface, clean_settings, tmp_path, monkeypatch
):
    monkeypatch.setenv("NADIR_DATA_DIR", str(tmp_path / "data"))
    QgsProject.instance().clear()
    plugin = NadirPlugin(qgis_iface)
    plugin.initGui()
    ctx = plugin.ctx
    services = ctx.services
    try:
        deliveries = next(f for f in plugin.features if type(f).__name__ == "DeliveriesFeature")
        assert services.waiting(deliveries) == [ORDERS_PANEL]  # eager: it waits for the orders panel
        plugin.activate()
        features = {type(f).__name__: f for f in plugin.features}
        tasking, orders = features["TaskingFeature"], features["OrdersFeature"]
        assert ORDERS_PANEL not in services and deliveries.actions is None  # the orders panel comes later
        ctx.dock.show_section("orders")  # the orders panel is built: the features waiting add their controls
        wait_until(lambda: orders.presenter is not None, what="the orders panel")
        assert services.get(ORDERS) is orders.presenter and services.get(ORDERS_PANEL) is orders.panel
        assert deliveries.actions is not None and deliveries.actions.parent() is not None
        assert tasking.controls is not None and tasking._panel is orders.panel
        for name, feature in features.items():
            missing = [key.name for key in type(feature).provides if key not in services]
            assert not missing, f"{name} declares {missing} but does not provide them"
        keys = {key for feature in features.values() for key in type(feature).provides}
    finally:
        plugin.unload()
    assert not [key.name for key in keys if key in services]
    assert not [name for name, feature in features.items() if services.waiting(feature)]
