"""Archive captures into the cart with their provider's product options (issue 13, item 4):
the options dialog with seed 004's sensor rules applied live, one cart item per provider,
an archive item reopened by Edit, the providers' estimates (Geopera's per-capture errors
before placing) and a OneAtlas archive item checked out through the outbox, against the sandbox."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from qgis.PyQt.QtWidgets import QDialogButtonBox
from shapely.geometry import box as shapely_box
from shapely.geometry import mapping, shape

from nadir.core.models import Capture, SearchQuery
from nadir.core.ordering.cart import EstimateState
from nadir.core.ordering.outbox import FAILED, PLACED
from nadir.ui.services import ARCHIVE_ORDER
from support.adapters import BERLIN
from support.cart_harness import Adapters, start, wait_until

FRANCE = {"type": "Polygon", "coordinates": [[[1.0, 43.0], [3.0, 43.0], [3.0, 45.0], [1.0, 45.0], [1.0, 43.0]]]}


@pytest.fixture
def harness(qgis_iface, sb, tmp_path, monkeypatch):
    monkeypatch.setenv("NADIR_DATA_DIR", str(tmp_path / "profile-nadir"))
    qgis_iface.messageBar().clearWidgets()
    adapters = Adapters(sb)
    h = start(qgis_iface, adapters)
    h.adapters = adapters
    yield h
    h.unload()


def found(h, provider, geometry, count, **query):
    adapter = h.adapters(provider)
    try:
        values = {
            "geometry": geometry,
            "start": datetime(2015, 1, 1, tzinfo=timezone.utc),
            "end": datetime(2025, 1, 1, tzinfo=timezone.utc),
            "limit": count,
            **query,
        }
        return list(adapter.search(SearchQuery(**values)))
    finally:
        adapter.close()


def small_aoi(capture, size=0.02):
    """About 3 km² inside the capture's footprint."""
    point = shape(capture.footprint).representative_point()
    return mapping(shapely_box(point.x - size / 2, point.y - size / 2, point.x + size / 2, point.y + size / 2))


def ok_button(dialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def fresh(h, item_id):
    wait_until(lambda: h.cart.item(item_id).state(h.cart.now()) in (EstimateState.FRESH, EstimateState.FAILED), 60)
    return h.cart.item(item_id)


def test_service_is_registered_and_sensor_rules_apply_live(harness):
    h = harness
    service = h.ctx.services.get(ARCHIVE_ORDER)
    neo = Capture(provider="oneatlas", id="neo-1", collection="PNEO", footprint=BERLIN)
    far = Capture(
        provider="oneatlas", id="far-1", collection="PNEO", footprint=mapping(shapely_box(100, 10, 100.1, 10.1))
    )
    dialog = service.open_for([neo, far], BERLIN)
    box = dialog.boxes["oneatlas"]
    product = box.combos["productType"]
    model = product.model()
    disabled = {
        product.itemData(i): model.item(i).toolTip() for i in range(product.count()) if not model.item(i).isEnabled()
    }
    assert set(disabled) == {"pansharpened", "bundle", "panchromatic", "multiSpectral"}
    assert "Pleiades Neo takes bundle-fs" in disabled["bundle"]
    assert product.currentData() == "pansharpened-fs"  # the default fits the sensor
    assert "not for Pleiades Neo" in box.rules.text() and not box.rules.isHidden()
    crs = box.combos["crsCode"]
    assert [crs.itemData(i) for i in range(crs.count())] == ["EPSG:4326", "EPSG:32633"]  # Berlin: UTM 33N
    assert "far-1" in dialog.dropped.text() and "does not overlap" in dialog.dropped.text()
    assert ok_button(dialog).isEnabled() and dialog.problems_label.isHidden()

    radiometric = box.combos["radiometricProcessing"]
    radiometric.setCurrentIndex(radiometric.findData("BASIC16"))  # disabled in the list, forced here
    assert "Choose DISPLAY or REFLECTANCE" in dialog.problems_label.text() and not ok_button(dialog).isEnabled()
    radiometric.setCurrentIndex(radiometric.findData("REFLECTANCE"))
    assert ok_button(dialog).isEnabled() and dialog.problems() == []
    dialog.reject()


def test_nothing_meets_the_aoi_says_so_and_opens_nothing(harness, qgis_iface):
    h = harness
    far = Capture(provider="geopera", id="far", footprint=mapping(shapely_box(100, 10, 100.1, 10.1)))
    assert h.ctx.services.get(ARCHIVE_ORDER).open_for([far], BERLIN) is None
    wait_until(lambda: any("no selected capture overlaps" in i.text() for i in qgis_iface.messageBar().items()))


def test_dialog_to_one_item_per_provider_with_estimates_then_edit(harness, sb):
    h = harness
    (oneatlas,) = found(h, "oneatlas", FRANCE, 1, collections=("PHR",))
    aoi = small_aoi(oneatlas)
    geopera = found(h, "geopera", aoi, 2, host="oneatlas", collections=("phr",))
    assert geopera, "the sandbox's Geopera catalog covers the same place"
    dialog = h.ctx.services.get(ARCHIVE_ORDER).open_for([oneatlas, *geopera], aoi)
    assert set(dialog.boxes) == {"oneatlas", "geopera"}
    utm = dialog.boxes["oneatlas"].combos["crsCode"]
    utm.setCurrentIndex(1)
    assert utm.currentData().startswith("EPSG:326")
    dialog.boxes["geopera"].checks["split_by_date"].setChecked(True)
    ok_button(dialog).click()
    items = {i.spec.provider: i for i in h.cart.items}
    assert set(items) == {"oneatlas", "geopera"}
    one = items["oneatlas"]
    assert one.title == "OneAtlas archive: 1 capture" or one.title.endswith("archive: 1 capture")
    assert one.summary.startswith("1 capture, ") and one.summary.endswith("km²")
    assert one.area_km2 == pytest.approx(shape(aoi).area * 111.2 * 111.2 * 0.72, rel=0.1)
    assert one.spec.options["crsCode"] == utm.currentData() and one.spec.options["productType"] == "pansharpened"
    assert shape(one.spec.captures[0].geometry).equals(shape(aoi))  # AOI inside the footprint: all of it
    assert items["geopera"].spec.options["split_by_date"] is True
    section = h.feature.section
    assert (
        section.cell_text(one.id, "Model & satellites")
        == f"PHR · pansharpened, image/geotiff, {utm.currentData()}, DISPLAY"
    )
    assert section.cell_text(items["geopera"].id, "Model & satellites").endswith("licence standard, split by date")

    priced = fresh(h, one.id)
    assert priced.estimate is not None and priced.estimate.total.amount > 0, priced.estimate_error
    geopera_item = fresh(h, items["geopera"].id)
    estimate = geopera_item.estimate
    assert estimate is not None and estimate.total.currency == "AUD"
    assert any(m.currency.lower() == "credits" for m in estimate.other_totals)
    assert estimate.lines  # Geopera's groups

    # Edit reopens the same dialog for that item; Save changes its options, not its captures
    edit = h.feature.edit(one.id)
    assert edit is h.ctx.services.get(ARCHIVE_ORDER).dialog and set(edit.boxes) == {"oneatlas"}
    assert edit.boxes["oneatlas"].combos["crsCode"].currentData() == utm.currentData()
    edit.boxes["oneatlas"].combos["imageFormat"].setCurrentIndex(
        edit.boxes["oneatlas"].combos["imageFormat"].findData("image/jp2")
    )
    ok_button(edit).click()
    edited = h.cart.item(one.id)
    assert edited.spec.options["imageFormat"] == "image/jp2" and edited.title == one.title
    assert edited.spec.captures == one.spec.captures and len(h.cart.items) == 2


def test_geopera_per_capture_errors_are_shown_before_placing(harness, sb):
    h = harness
    known = found(h, "geopera", BERLIN, 1, host="oneatlas", collections=("phr",))
    gone = Capture(provider="geopera", id="withdrawn-scene", footprint=BERLIN, collection="phr")
    h.ctx.services.get(ARCHIVE_ORDER).open_for([*known, gone], BERLIN)
    ok_button(h.ctx.services.get(ARCHIVE_ORDER).dialog).click()
    (item,) = h.cart.items
    item = fresh(h, item.id)
    assert [e.item for e in item.estimate.errors] == ["withdrawn-scene"]
    assert item.estimate.errors[0].message
    detail = h.feature.details(item.id)
    assert "withdrawn-scene" in detail.fields["errors"].text()
    review = h.feature.open_checkout()
    status, said = review.row_status(item.id)
    assert status == "" and "Not priced by the provider: withdrawn-scene: " in said


def test_oneatlas_archive_item_checked_out_through_the_outbox(harness, sb):
    h = harness
    (capture,) = found(h, "oneatlas", FRANCE, 1, collections=("PHR",))
    h.ctx.services.get(ARCHIVE_ORDER).open_for([capture], small_aoi(capture))
    ok_button(h.ctx.services.get(ARCHIVE_ORDER).dialog).click()
    (item,) = h.cart.items
    fresh(h, item.id)
    dialog = h.feature.open_checkout()
    dialog.confirm_box.setChecked(True)
    dialog.place_button.click()
    rows = h.feature.checkout.rows
    wait_until(
        lambda: (
            rows[item.id].status in (PLACED, FAILED, "unknown") and not h.outbox.is_placing(rows[item.id].reference)
        ),
        60,
    )
    state, text = dialog.row_status(item.id)
    assert state == PLACED, text
    entry = h.outbox.outbox.for_key(item.id)[0]
    assert entry.order_ids and h.cart.items == ()
    adapter = h.adapters("oneatlas")
    try:
        order = adapter.get_order(entry.order_ids[0])
    finally:
        adapter.close()
    assert order.id == entry.order_ids[0]


@pytest.mark.parametrize(
    "mode, words",
    [
        ("credit", "paid with credits reserved from your prepaid balance"),
        ("enterprise", "monthly invoice"),
    ],
)
def test_geopera_archive_checkout_says_how_it_is_billed(harness, sb, mode, words):
    h = harness
    sb.admin("POST", "geopera/billing", {"org": "org_demo", "billing_mode": mode})
    known = found(h, "geopera", BERLIN, 1, host="oneatlas", collections=("phr",))
    h.ctx.services.get(ARCHIVE_ORDER).open_for(known, BERLIN)
    ok_button(h.ctx.services.get(ARCHIVE_ORDER).dialog).click()
    (item,) = h.cart.items
    fresh(h, item.id)
    dialog = h.feature.open_checkout()
    dialog.confirm_box.setChecked(True)
    dialog.place_button.click()
    rows = h.feature.checkout.rows
    wait_until(
        lambda: (
            rows[item.id].status in (PLACED, FAILED, "unknown") and not h.outbox.is_placing(rows[item.id].reference)
        ),
        60,
    )
    state, text = dialog.row_status(item.id)
    assert state == PLACED and words in text, text


def test_up42_archive_item_is_priced_in_credits(harness, sb):
    h = harness
    found_ = found(h, "up42", BERLIN, 1, host="oneatlas", collections=("phr",))
    assert found_, "the sandbox's UP42 catalog covers Berlin"
    dialog = h.ctx.services.get(ARCHIVE_ORDER).open_for(found_, BERLIN)
    combo = dialog.boxes["up42"].combos["data_product"]
    assert combo.currentData() == ""  # the collection's archive product
    wait_until(lambda: combo.count() > 1, 30)  # the glossary's ARCHIVE products of the capture's collection
    adapter = h.adapters("up42")
    try:
        glossary = {p.id: p for p in adapter.data_products()}
    finally:
        adapter.close()
    offered = [combo.itemData(i) for i in range(1, combo.count())]
    assert offered and all(
        glossary[i].type.upper() == "ARCHIVE" and glossary[i].collection == found_[0].collection for i in offered
    )
    assert combo.currentData() == ""
    ok_button(dialog).click()
    (item,) = h.cart.items
    item = fresh(h, item.id)
    assert item.estimate is not None, item.estimate_error
    assert "credit" in item.estimate.total.currency.lower()


def test_geopera_without_a_payment_method_is_explained_and_retried_under_the_same_key(harness, sb):
    h = harness
    sb.admin("POST", "geopera/billing", {"org": "org_demo", "billing_mode": "card", "card": "none"})
    known = found(h, "geopera", BERLIN, 1, host="oneatlas", collections=("phr",))
    h.ctx.services.get(ARCHIVE_ORDER).open_for(known, BERLIN)
    ok_button(h.ctx.services.get(ARCHIVE_ORDER).dialog).click()
    (item,) = h.cart.items
    fresh(h, item.id)
    dialog = h.feature.open_checkout()
    dialog.confirm_box.setChecked(True)
    dialog.place_button.click()
    rows = h.feature.checkout.rows

    def settled():
        return rows[item.id].status in (PLACED, FAILED, "unknown") and not h.outbox.is_placing(rows[item.id].reference)

    wait_until(settled, 60)
    state, text = dialog.row_status(item.id)
    assert state == FAILED and "no payment method" in text and "Attach a card" in text and "Retry" in text
    sb.admin("POST", "geopera/billing", {"org": "org_demo", "card": "ok"})
    dialog.retry_button(item.id).click()
    wait_until(settled, 60)
    assert dialog.row_status(item.id)[0] == PLACED
    keys = [
        r["headers"].get("idempotency-key")
        for r in sb.requests("/geopera/v1/op/orders.archive.place")
        if r["method"] == "POST"
    ]
    assert len(keys) == 2 and keys[0] == keys[1] == rows[item.id].reference


def test_a_mixed_pleiades_neo_and_pleiades_selection_gets_a_product_type_for_each(harness):
    h = harness
    phr = Capture(provider="oneatlas", id="phr-1", collection="PHR", footprint=BERLIN)
    neo = Capture(provider="oneatlas", id="neo-1", collection="PNEO", footprint=BERLIN)
    dialog = h.ctx.services.get(ARCHIVE_ORDER).open_for([phr, neo], BERLIN)
    box = dialog.boxes["oneatlas"]
    assert box.combos["productType"].currentData() == "pansharpened"
    neo_combo = box.combos["productTypeNeo"]
    assert [neo_combo.itemData(i) for i in range(neo_combo.count())] == ["bundle-fs", "pansharpened-fs"]
    assert neo_combo.currentData() == "pansharpened-fs" and dialog.problems() == []
    radiometric = box.combos["radiometricProcessing"]
    assert not radiometric.model().item(radiometric.findData("BASIC16")).isEnabled()  # a Neo capture is in it
    neo_combo.setCurrentIndex(neo_combo.findData("bundle-fs"))
    ok_button(dialog).click()
    (item,) = h.cart.items
    assert item.spec.options["productTypeNeo"] == "bundle-fs" and item.spec.options["productType"] == "pansharpened"


def test_a_mixed_oneatlas_item_is_priced_by_the_sandbox(harness, sb):
    h = harness
    (phr,) = found(h, "oneatlas", FRANCE, 1, collections=("PHR",))
    neo = found(h, "oneatlas", FRANCE, 1, collections=("PNEO",))
    assert neo, "the sandbox's OneAtlas catalog has Pleiades Neo over France"
    h.ctx.services.get(ARCHIVE_ORDER).open_for([phr, *neo], None)
    ok_button(h.ctx.services.get(ARCHIVE_ORDER).dialog).click()
    (item,) = h.cart.items
    item = fresh(h, item.id)
    assert item.estimate is not None and item.estimate.total.amount > 0, item.estimate_error
    body = [r for r in sb.requests("/oneatlas") if r["path"].endswith("/prices") and r["method"] == "POST"]
    assert body, "the price was asked"
