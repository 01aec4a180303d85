"""Configure dialog rules shown inline before anything is sent, and the cart dock section
with each item's estimate from the sandbox through the real ClearSKY adapter (F4, F5)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from qgis.PyQt.QtCore import QDate

from nadir.core.credentials import Credentials
from nadir.core.errors import InputError
from nadir.core.models import ClearSkySpec
from nadir.core.ordering.cart import EstimateState
from nadir.core.ordering.clearsky_configure import OrderTarget
from nadir.providers.clearsky.adapter import ClearSky
from nadir.providers.http.session import plain_client
from nadir.ui.services import AOIS
from support.cart_harness import AOI, AOI2, Adapters, provider_orders, start, wait_until
from support.qgis_wait import bar_texts


@pytest.fixture
def harness(qgis_iface, sb, tmp_path, monkeypatch):
    monkeypatch.setenv("NADIR_DATA_DIR", str(tmp_path / "profile-nadir"))
    qgis_iface.messageBar().clearWidgets()
    adapters = Adapters(sb)
    h = start(qgis_iface, adapters)
    h.adapters = adapters
    yield h
    h.unload()


def direct(sb) -> ClearSky:
    return ClearSky({"api": sb.provider_url("clearsky")}, Credentials(secret="clearsky-sandbox-key"), plain_client())


def open_dialog(h, target):
    dialog = h.feature.configure.open_for(target)
    wait_until(lambda: h.feature.configure.models and dialog.modelCombo.count() > 0)
    return dialog


def problems(dialog) -> str:
    return dialog.problems_text()


def test_configure_rules_are_explained_inline_and_block_submit(harness, sb):
    h = harness
    dialog = open_dialog(h, OrderTarget.composite(AOI, names=("Field",), areas_km2=(0.6,)))
    # models and constellations come from the provider: required ones fixed
    assert [dialog.modelCombo.itemText(i) for i in range(dialog.modelCombo.count())] == [
        m.name for m in direct(sb).imagery_models()
    ]
    dialog.modelCombo.setCurrentIndex(dialog.modelCombo.findText("Stratus2"))
    required = dialog.findChild(type(dialog.toCheck), "NadirConstellation_Sentinel2")
    assert required.isChecked() and not required.isEnabled()
    optional = dialog.findChild(type(dialog.toCheck), "NadirConstellation_Landsat89")
    assert optional.isEnabled()
    # recurring said in words, first storage month free said
    assert not dialog.toCheck.isChecked() and "renews every month until you cancel" in dialog.recurringLabel.text()
    assert "first month is free" in dialog.storageNote.text()
    # tile deduplication: composite -> disabled with the reason
    assert not dialog.dedupCheck.isEnabled() and "tile and minitile orders only" in dialog.dedupNote.text()
    # a small AOI is a notice, not an error
    assert "at least 1 km²" in dialog.noticesLabel.text() and dialog.submit_enabled()

    dialog.toCheck.setChecked(True)
    dialog.toEdit.setDate(QDate(2020, 1, 1))
    assert "before the start" in problems(dialog) and not dialog.submit_enabled()
    dialog.toCheck.setChecked(False)
    assert problems(dialog) == "" and dialog.submit_enabled()

    dialog.fromEdit.setDate(QDate(2015, 6, 1))
    assert "January 2016" in problems(dialog) and not dialog.submit_enabled()
    # the field's label turns red (a border on the field changed its size and moved the form)
    assert "#b00020" in dialog.field_label(dialog.fromEdit).styleSheet()
    assert "January 2016" in dialog.fromEdit.toolTip()
    dialog.fromEdit.setDate(QDate(2025, 3, 17))  # any day of the month: From is its month
    assert problems(dialog) == "" and dialog.draft().start == date(2025, 3, 1)

    # nothing was sent for the invalid configurations: only the models were fetched
    assert not [r for r in sb.requests("/clearsky") if "estimate" in r["path"] or r["method"] == "POST"]
    h.feature.configure.submit()
    assert len(h.cart.items) == 1 and h.cart.items[0].spec.start == date(2025, 3, 1)


def test_models_that_fail_to_load_are_said_and_can_be_loaded_again(harness, sb):
    h = harness
    h.adapters.fail_with = InputError("No credentials are set for ClearSKY Vision.")
    dialog = h.feature.configure.open_for(OrderTarget.cells(("t",)))
    assert "No credentials" in dialog.statusLabel.text() and dialog.retryModelsButton.isVisibleTo(dialog)
    assert not dialog.modelCombo.isEnabled()
    assert not dialog.submit_enabled() and "not been loaded" in problems(dialog)
    h.adapters.fail_with = None
    dialog.retryModelsButton.click()
    wait_until(lambda: dialog.modelCombo.count() > 0)
    assert dialog.modelCombo.isEnabled() and not dialog.retryModelsButton.isVisibleTo(dialog)
    assert problems(dialog) == "" and dialog.submit_enabled()


def test_dedup_only_for_tiles_and_tile_order_goes_to_the_cart(harness, sb):
    h = harness
    cs = direct(sb)
    tile = cs.tiles(AOI)[0]
    minis = cs.minitiles(cs.tiles(AOI2)[-1].guid)[:2]
    dialog = open_dialog(h, OrderTarget.cells((tile.guid,), [m.guid for m in minis]))
    assert dialog.dedupCheck.isEnabled() and dialog.dedupCheck.isChecked()
    dialog.advancedToggle.setChecked(True)
    dialog.storageSpin.setValue(3)
    dialog.apiSpin.setValue(5)
    dialog.titleEdit.setText("Tiles north")
    dialog.findChild(type(dialog.toCheck), "NadirConfigureSubmit")  # object name for scripts
    h.feature.configure.submit()
    item = h.cart.items[0]
    assert isinstance(item.spec, ClearSkySpec) and item.spec.tile_dedup and item.spec.storage_months == 3
    assert item.spec.tile_guids == (tile.guid,) and len(item.spec.minitile_guids) == 2
    assert item.title == "Tiles north" and "1 tile and 2 minitiles" in item.summary


def test_adding_to_the_cart_says_so_and_the_cart_tab_counts_items(harness, sb, qgis_iface):
    h = harness
    tab = h.dock.tabs.indexOf(h.feature.section)
    assert h.dock.tabs.tabText(tab) == "Cart"
    dialog = open_dialog(h, OrderTarget.composite(AOI, ["Field A"], [12.0]))
    dialog.titleEdit.setText("Field A, spring")
    h.feature.configure.submit()
    assert len(h.cart.items) == 1
    texts = bar_texts(qgis_iface.messageBar())
    assert any("“Field A, spring” added to the cart (1 item(s))" in t for t in texts), texts
    assert h.dock.tabs.tabText(tab) == "Cart (1)"
    dialog = h.feature.configure.open_edit(h.cart.items[0].id)
    wait_until(lambda: h.feature.configure.models and dialog.modelCombo.count() > 0)
    h.feature.configure.submit()
    assert any("“Field A, spring” saved" in t for t in bar_texts(qgis_iface.messageBar()))
    h.cart.duplicate(h.cart.items[0].id)
    assert h.dock.tabs.tabText(tab) == "Cart (2)"
    for item in list(h.cart.items):
        h.cart.remove(item.id)
    assert h.dock.tabs.tabText(tab) == "Cart"


JUTLAND = {"type": "Polygon", "coordinates": [[[8.5, 55.6], [10.6, 55.6], [10.6, 56.8], [8.5, 56.8], [8.5, 55.6]]]}


def test_a_composite_over_the_accounts_limit_is_refused_in_the_dialog_and_at_checkout(harness, sb):
    """The sandbox account retrieves composites up to 10,000 km² (MaxCompositeAreaKm2): a
    larger one would be placed and billed, then never load (HTTP 400)."""
    h = harness
    told = []

    class Aois:  # the AOI feature's service: its checks learn the limit too
        def set_max_area(self, provider, km2):
            told.append((provider, km2))

    h.ctx.services.provide(AOIS, Aois())
    dialog = open_dialog(h, OrderTarget.composite(JUTLAND, ["Jutland"], [17_200.0]))
    wait_until(lambda: h.feature.configure.max_area_km2 == 10_000)
    assert told == [("clearsky", 10_000.0)]
    wait_until(lambda: "MaxCompositeAreaKm2" in problems(dialog))
    assert "17,200 km²" in problems(dialog) and not dialog.submit_enabled()
    assert h.feature.configure.submit() is None and not h.cart.items
    dialog.reject()
    # an item that came from elsewhere (an older cart, a project): checkout refuses it too
    item = h.cart.add(
        ClearSkySpec(
            model="Stratus2",
            constellations=("Sentinel2",),
            start=date(2025, 1, 1),
            end=date(2025, 1, 31),
            frequency_days=7,
            api_requests=1,
            aoi=JUTLAND,
        ),
        title="Jutland",
        area_km2=17_200.0,
    )
    wait_until(lambda: h.cart.item(item.id).state(h.cart.now()) is EstimateState.FRESH)
    review = h.feature.open_checkout()
    h.feature.checkout.confirm(True)
    allowed, reason = h.feature.checkout.can_place()
    assert not allowed and "“Jutland” cannot be delivered" in reason and "10,000 km²" in reason
    assert "MaxCompositeAreaKm2" in review.notes_label.text()
    assert h.feature.checkout.place() == [] and not provider_orders(sb)
    h.feature.checkout.close()
    # an item saved without its area (an older cart): the provider's estimate of it counts
    h.cart.remove(item.id)
    bare = h.cart.add(
        ClearSkySpec(
            model="Stratus2",
            constellations=("Sentinel2",),
            start=date(2025, 1, 1),
            end=date(2025, 1, 31),
            frequency_days=7,
            api_requests=1,
            aoi=JUTLAND,
        ),
        title="Jutland again",
    )
    wait_until(lambda: h.cart.item(bare.id).state(h.cart.now()) is EstimateState.FRESH)
    assert h.cart.item(bare.id).area_km2 is None
    assert "10,000 km²" in h.feature.checkout.too_large(h.cart.item(bare.id))


def add_composite(h, aoi=AOI, **changes):
    values = dict(
        model="Stratus2",
        constellations=("Sentinel2", "Sentinel1"),
        start=date(2025, 1, 1),
        end=date(2025, 2, 28),
        frequency_days=7,
        api_requests=1,
        aoi=aoi,
    )
    values.update(changes)
    return h.cart.add(ClearSkySpec(**values), title=changes.pop("title", "Field A"))


def test_each_item_shows_the_sandbox_estimate_and_totals(harness, sb):
    h = harness
    h.dock.show()
    h.dock.show_section("cart")
    first = add_composite(h)
    second = add_composite(h, aoi=AOI2, end=None, storage_months=2)
    wait_until(lambda: all(i.state(h.cart.now()) is EstimateState.FRESH for i in h.cart.items))
    cs = direct(sb)
    for item in h.cart.items:
        expected = cs.estimate(item.spec)
        assert item.estimate.total == expected.total and item.estimate.image_dates == expected.image_dates
        assert item.estimate.total.currency == "EUR" and item.estimate.total.amount > 0
    section = h.feature.section
    price = section.cell_text(first.id, "Estimate")
    assert price == str(h.cart.item(first.id).estimate.total) and price.endswith("EUR")
    assert section.cell_text(first.id, "Provider") == "ClearSKY Vision"
    assert section.cell_text(first.id, "Type") == "Composite"
    assert section.cell_text(first.id, "Model & satellites") == "Stratus2 · Sentinel2, Sentinel1"
    assert section.cell_text(second.id, "Storage") == "2 months, first free"
    assert section.cell_text(first.id, "Deduplication") == "n/a (composite)"
    dates = h.cart.item(first.id).estimate.image_dates
    assert str(len(dates)) in section.cell_text(first.id, "Image dates")
    assert "until cancelled" in section.cell_text(second.id, "Image dates")
    total = sum((i.estimate.total.amount for i in h.cart.items), Decimal(0))
    assert section.totals_label.text() == f"Total: {total.quantize(Decimal('0.01'))} EUR"


def test_edit_marks_stale_then_refreshes_duplicate_and_remove(harness, sb):
    h = harness
    item = add_composite(h)
    wait_until(lambda: h.cart.item(item.id).state(h.cart.now()) is EstimateState.FRESH)
    old_price = h.cart.item(item.id).estimate.total
    estimates_before = len([r for r in sb.requests("/clearsky") if r["path"].endswith("/estimate")])
    edited_spec = h.cart.item(item.id).spec.model_copy(update={"frequency_days": 2})
    h.cart.edit(item.id, edited_spec)
    assert h.cart.item(item.id).state(h.cart.now()) is EstimateState.PENDING
    assert (
        "updating" in h.feature.section.cell_text(item.id, "Estimate")
        or h.feature.section.cell_text(item.id, "Estimate") == "estimating…"
    )
    wait_until(lambda: h.cart.item(item.id).state(h.cart.now()) is EstimateState.FRESH)
    assert h.cart.item(item.id).estimate.total.amount > old_price.amount  # more image dates
    assert len([r for r in sb.requests("/clearsky") if r["path"].endswith("/estimate")]) == estimates_before + 1
    copy = h.cart.duplicate(item.id)
    assert h.cart.item(copy.id).state(h.cart.now()) is EstimateState.FRESH  # same spec, same price
    h.cart.remove(item.id)
    assert [i.id for i in h.cart.items] == [copy.id]
    assert provider_orders(sb) == []  # estimates never order anything


def test_old_estimates_are_marked_stale_and_refreshed(harness, sb, monkeypatch):
    h = harness
    item = add_composite(h)
    wait_until(lambda: h.cart.item(item.id).state(h.cart.now()) is EstimateState.FRESH)
    later = h.cart.now() + __import__("datetime").timedelta(hours=1)
    monkeypatch.setattr(h.cart, "_clock", lambda: later)
    h.cart.changed.emit()
    assert "old price" in h.feature.section.cell_text(item.id, "Estimate")
    h.cart.refresh_stale()
    wait_until(lambda: h.cart.item(item.id).state(later) is EstimateState.FRESH)


def test_provider_rejection_is_shown_as_a_failed_estimate(harness, sb):
    h = harness
    item = add_composite(h, api_requests=5000)  # beyond what ClearSKY accepts: its message is shown
    wait_until(lambda: h.cart.item(item.id).state(h.cart.now()) is EstimateState.FAILED)
    text = h.feature.section.cell_text(item.id, "Estimate")
    assert text.startswith("price unavailable:") and "ApiRequests" in text
