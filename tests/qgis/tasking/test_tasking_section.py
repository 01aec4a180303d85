"""The Tasking section against the sandbox's UP42 over HTTP: products with their access,
advice where access is missing, the product's form from its schema, an invalid value
explained under its field, an AOI of two polygons handled by the user's choice, tasking
items in the real cart priced by UP42, edited from the cart, and placed through the
outbox (UP42's reference tag) so the order exists at UP42."""

from __future__ import annotations

import pytest
import shapely
from qgis.PyQt.QtCore import QDateTime, Qt, QTime

from nadir.core.aoi.build import build_aois, raw_from_geometry
from nadir.core.models import AccessStatus, TaskingSpec
from nadir.ui.aoi.store import AoiStore
from nadir.ui.services import AOIS
from nadir.ui.tasking.feature import TaskingFeature
from support import cart_harness
from support.qgis_wait import wait_until

LUXEMBOURG = shapely.Polygon([(6.0, 49.5), (6.2, 49.5), (6.2, 49.65), (6.0, 49.65)])
TWO = shapely.MultiPolygon([LUXEMBOURG, shapely.Polygon([(6.3, 49.5), (6.4, 49.5), (6.4, 49.6), (6.3, 49.6)])])


@pytest.fixture
def tasking(qgis_iface, sb, empty_project, tmp_path, monkeypatch):
    monkeypatch.setenv("NADIR_DATA_DIR", str(tmp_path / "data"))
    adapters = cart_harness.Adapters(sb)
    harness = cart_harness.start(qgis_iface, adapters)
    store = AoiStore(empty_project)
    store.add(build_aois([raw_from_geometry(LUXEMBOURG)], "test", "Luxembourg").aois)
    store.add(build_aois([raw_from_geometry(TWO)], "test", "Two fields").aois)
    harness.ctx.services.provide(AOIS, store)
    feature = TaskingFeature(harness.ctx, adapters=adapters)
    feature.init_gui()
    feature.presenter.load_products()
    wait_until(lambda: feature.presenter.products, 30, "UP42 tasking products")
    yield feature, harness, store
    feature.unload()
    store.close()
    harness.unload()


def fill(form, days=3, mode=True, name="Luxembourg new capture"):
    form.widget_for(("displayName",)).setText(name)
    start = QDateTime.currentDateTimeUtc().addDays(days)
    start = QDateTime(start.date(), QTime(0, 0), Qt.TimeSpec.UTC)
    form.widget_for(("acquisitionStart",)).setDateTime(start)
    form.widget_for(("acquisitionEnd",)).setDateTime(start.addDays(20))
    if mode:
        combo = form.widget_for(("acquisitionMode",))
        combo.setCurrentIndex(combo.findData("mono"))
    form.widget_for(("cloudCoverage",)).setValue(10)
    form.widget_for(("incidenceAngle",)).setValue(25)


def choose(feature, collection):
    product = next(p for p in feature.presenter.products if p.collection == collection)
    assert feature.section.select_product(product.id)
    return product


def test_products_with_access_and_advice_where_it_is_missing(tasking, sb):
    feature, _, _ = tasking
    products = feature.presenter.products
    assert products and all(p.type.upper() == "TASKING" for p in products)
    assert {p.collection for p in products if p.access is AccessStatus.GRANTED} >= {"phr-tasking"}
    texts = [feature.section.product_combo.itemText(i) for i in range(feature.section.product_combo.count())]
    assert any("(granted)" in t for t in texts)
    # an account whose request is pending: the product says so, and how the status changes
    from support.adapters import up42

    second = feature.presenter.products
    feature.presenter.products = []
    feature.presenter.adapters = lambda provider, settings: up42(sb, user=1)
    feature.refresh()
    wait_until(lambda: feature.presenter.products, 30, "the second account's products")
    pending = next(p for p in feature.presenter.products if p.collection == "pneo-tasking")
    assert pending.access is AccessStatus.REQUESTED
    feature.section.select_product(pending.id)
    assert "pending" in feature.section.access_label.text() and "Refresh" in feature.section.access_label.text()
    assert feature.form is None and not feature.section.add_button.isEnabled()
    assert second


def test_form_invalid_value_explained_then_items_in_the_cart_priced_and_placed(tasking, sb):
    feature, harness, _ = tasking
    product = choose(feature, "phr-tasking")
    wait_until(lambda: feature.form is not None, 30, "the product's form")
    form = feature.form
    fill(form, mode=False)
    feature.section.aoi_combo.setCurrentIndex(feature.section.aoi_combo.findText("Luxembourg"))
    # a required value left unset is explained under its field, and nothing reaches the cart
    assert not feature.check()
    assert "required" in form.error_text(("acquisitionMode",)), form.error_text(("acquisitionMode",))
    assert "need attention" in feature.section.status.text()
    assert feature.add_to_cart() == [] and not harness.cart.items
    combo = form.widget_for(("acquisitionMode",))
    combo.setCurrentIndex(combo.findData("mono"))
    assert feature.check(), (feature.section.status.text(), [(e.path, e.message) for e in form.errors()])
    added = feature.add_to_cart()
    assert len(added) == 1 and isinstance(added[0].spec, TaskingSpec)
    cart = harness.cart
    item = cart.items[0]
    assert item.title == "Luxembourg new capture" and "km²" in item.summary
    assert item.spec.data_product_id == product.id and item.spec.geometry["type"] == "Polygon"
    cart.request_estimate(item.id)
    wait_until(
        lambda: cart.item(item.id).estimate is not None or cart.item(item.id).estimate_error, 30, "UP42's estimate"
    )
    assert cart.item(item.id).estimate is not None, cart.item(item.id).estimate_error
    assert cart.item(item.id).estimate.total.currency == "credits"
    # edited from the cart: the form shows its values again, Save changes the same item
    assert harness.cart.editable(cart.item(item.id))
    feature.open_editor(item.id)
    assert feature.editing == item.id and feature.form.values()["incidenceAngle"] == 25
    feature.form.widget_for(("cloudCoverage",)).setValue(15)
    feature.add_to_cart()
    assert len(cart.items) == 1 and cart.items[0].spec.params["cloudCoverage"] == 15
    # placed through the outbox: the order exists at UP42 with the outbox reference
    checkout = harness.feature.checkout
    checkout.open()
    wait_until(lambda: checkout.can_place()[0] or "confirm" in checkout.can_place()[1].lower(), 30, "the review")
    checkout.confirm(True)
    wait_until(lambda: checkout.can_place()[0], 30, "Place allowed")
    assert len(checkout.place()) == 1
    wait_until(lambda: harness.outbox.outbox.placed(), 60, "the tasking order placed")
    placed = harness.outbox.outbox.placed()[0]
    assert placed.orders and placed.orders[0].kind.value == "tasking"
    from support.adapters import up42

    at_up42 = up42(sb).get_order(placed.orders[0].id)  # the order as UP42 now lists it
    assert at_up42.kind.value == "tasking" and at_up42.title == "Luxembourg new capture"


def test_several_polygons_follow_the_users_choice(tasking):
    feature, harness, _ = tasking
    choose(feature, "phr-tasking")
    wait_until(lambda: feature.form is not None, 30, "the product's form")
    fill(feature.form)
    feature.section.aoi_combo.setCurrentIndex(feature.section.aoi_combo.findText("Two fields"))
    assert not feature.check()
    assert "one polygon per order; this AOI has 2" in feature.section.status.text()
    feature.section.multipart_combo.setCurrentIndex(
        feature.section.multipart_combo.findData(feature.section.multipart_combo.itemData(1))
    )  # one order per polygon
    assert "2 polygon(s)" in feature.section.geometry_label.text()
    assert feature.check()
    assert len(feature.add_to_cart()) == 2 and len(harness.cart.items) == 2
    feature.section.multipart_combo.setCurrentIndex(2)  # only the largest
    assert "largest" in feature.section.geometry_label.text()


def test_the_form_survives_a_second_answer_for_the_same_product(tasking):
    """A product chosen again while its schema loads, or a late duplicate answer, must not
    rebuild the form under the user's hands (the widgets they hold would be deleted)."""
    feature, _, _ = tasking
    product = choose(feature, "phr-tasking")
    first = feature.presenter.load_schema(product)
    assert first is None or feature.presenter.load_schema(product) is first
    wait_until(lambda: feature.form is not None, 30, "the product's form")
    form = feature.form
    form.widget_for(("displayName",)).setText("typed by the user")
    feature.presenter.schema_loaded.emit(product.id, feature.presenter.schemas[product.id])
    feature.section.product_chosen.emit()
    assert feature.form is form
    assert form.widget_for(("displayName",)).text() == "typed by the user"


def test_choosing_another_product_takes_the_old_form_away_until_the_new_one_is_there(tasking):
    """Found in CI: the e2e filled the first product's form while the chosen product's schema
    was loading; the new form then replaced it and everything typed was lost."""
    feature, _, _ = tasking
    granted = [p for p in feature.presenter.products if p.access is AccessStatus.GRANTED]
    first, second = granted[0], next(p for p in granted if p.id != granted[0].id)
    assert feature.section.select_product(first.id) or feature.section.product_id() == first.id
    wait_until(lambda: feature.form is not None and feature._form_product == first.id, 30, "the first form")
    old = feature.form
    feature.presenter.schemas.pop(second.id, None)  # not cached: its schema comes from UP42
    assert feature.section.select_product(second.id)
    assert feature.form is None and not feature.section.add_button.isEnabled()
    wait_until(lambda: feature.form is not None, 30, "the second product's form")
    assert feature.form is not old and feature._form_product == second.id


@pytest.mark.parametrize("access", [AccessStatus.REQUESTED, AccessStatus.DENIED, AccessStatus.NOT_REQUESTED])
def test_a_product_name_is_shown_as_text_not_markup(access):
    from nadir.core.models import DataProduct
    from nadir.ui.tasking.section import access_advice

    product = DataProduct(id="p", name="p", collection_title='<img src="x"> & Co', access=access)
    advice = access_advice(product)
    assert "&lt;img src=&quot;x&quot;&gt; &amp; Co" in advice and "<img" not in advice
