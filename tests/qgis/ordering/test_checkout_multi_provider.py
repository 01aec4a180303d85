"""One cart for two providers (ClearSKY in EUR, Geopera archive captures in AUD): totals per
currency, partial failure per item, and Geopera's documented 402s (insufficient credits,
declined card, 3-D Secure) at checkout: never retried, the cart intact, a clear message,
Retry under the same reference (Idempotency-Key), and the 3-D Secure client secret kept
off screen, disk and logs."""

from __future__ import annotations

import logging
from datetime import date, datetime, timezone

import pytest
from qgis.core import QgsSettings
from qgis.PyQt.QtWidgets import QLabel

from nadir.core.models import ArchiveSpec, CaptureRef, ClearSkySpec, SearchQuery
from nadir.core.ordering.cart import EstimateState
from nadir.core.ordering.outbox import FAILED, PLACED
from support.adapters import BERLIN
from support.cart_harness import AOI, Adapters, provider_orders, start, wait_until

GEOPERA_PLACE = "/geopera/v1/op/orders.archive.place"


@pytest.fixture
def harness(qgis_iface, sb, tmp_path, monkeypatch):
    monkeypatch.setenv("NADIR_DATA_DIR", str(tmp_path / "profile-nadir"))
    qgis_iface.messageBar().clearWidgets()
    adapters = Adapters(sb)
    h = start(qgis_iface, adapters)
    h.adapters = adapters
    h.folder = tmp_path / "profile-nadir"
    yield h
    h.unload()


def clearsky_spec():
    return ClearSkySpec(
        model="Stratus2",
        constellations=("Sentinel2",),
        start=date(2025, 1, 1),
        end=date(2025, 1, 31),
        frequency_days=7,
        api_requests=1,
        aoi=AOI,
    )


def geopera_spec(h, count=2):
    adapter = h.adapters("geopera")
    query = SearchQuery(
        geometry=BERLIN,
        start=datetime(2015, 1, 1, tzinfo=timezone.utc),
        end=datetime(2025, 1, 1, tzinfo=timezone.utc),
        host="oneatlas",
        collections=("phr",),
        limit=count,
    )
    found = list(adapter.search(query))
    adapter.close()
    return ArchiveSpec(
        provider="geopera",
        captures=tuple(CaptureRef(id=c.id, geometry=BERLIN, collection=c.collection, host=c.host) for c in found),
    )


def billing(sb, **changes):
    return sb.admin("POST", "geopera/billing", {"org": "org_demo", **changes})


def geopera_orders(sb, h):
    adapter = h.adapters("geopera")
    try:
        return list(adapter.list_orders())
    finally:
        adapter.close()


def fill(h):
    eur = h.cart.add(clearsky_spec(), title="ClearSKY field")
    aud = h.cart.add(geopera_spec(h), title="Berlin captures")
    wait_until(lambda: all(h.cart.item(i).state(h.cart.now()) is EstimateState.FRESH for i in (eur.id, aud.id)))
    return h.cart.item(eur.id), h.cart.item(aud.id)


def settled(h, items):
    rows = h.feature.checkout.rows
    wait_until(
        lambda: (
            all(rows[i.id].status in (PLACED, FAILED, "unknown") for i in items)
            and not any(h.outbox.is_placing(rows[i.id].reference) for i in items)
        ),
        60,
    )


def bar_text(iface):
    return " ".join(
        item.text() + " ".join(label.text() for label in item.findChildren(QLabel))
        for item in iface.messageBar().items()
    )


def test_totals_per_currency_in_the_dock_and_the_review(harness, sb):
    h = harness
    eur, aud = fill(h)
    assert eur.estimate.total.currency == "EUR" and aud.estimate.total.currency == "AUD"
    section = h.feature.section
    assert section.cell_text(aud.id, "Provider") == "Geopera"
    assert section.cell_text(aud.id, "Type") == "Archive: 2 captures"
    assert section.cell_text(aud.id, "Storage") == "—" and section.cell_text(aud.id, "Deduplication") == "—"
    assert section.cell_text(aud.id, "Estimate").endswith("AUD")
    totals = section.totals_label.text()
    assert f"{eur.estimate.total}" in totals and f"{aud.estimate.total}" in totals
    dialog = h.feature.open_checkout()
    assert f"{eur.estimate.total} + {aud.estimate.total}" in dialog.totals_label.text()


@pytest.mark.parametrize(
    "changes,words",
    [
        ({"billing_mode": "credit", "credits": 0}, "not enough credits"),
        ({"billing_mode": "card", "card": "declined"}, "declined"),
    ],
)
def test_402_on_one_provider_fails_that_item_only_and_is_never_retried(harness, sb, qgis_iface, changes, words):
    h = harness
    eur, aud = fill(h)
    billing(sb, **changes)
    dialog = h.feature.open_checkout()
    dialog.confirm_box.setChecked(True)
    dialog.place_button.click()
    settled(h, [eur, aud])
    assert dialog.row_status(eur.id)[0] == PLACED and len(provider_orders(sb)) == 1  # partial success
    state, text = dialog.row_status(aud.id)
    assert state == FAILED and words in text and "nothing was retried" in text and "stays in the cart" in text
    assert [i.id for i in h.cart.items] == [aud.id]  # the failed item stays, the placed one left
    assert len([r for r in sb.requests(GEOPERA_PLACE) if r["method"] == "POST"]) == 1
    assert geopera_orders(sb, h) == []
    assert "1 placed, 1 not placed" in dialog.summary_label.text()


def test_3ds_challenge_then_retry_with_the_same_key_and_the_secret_goes_nowhere(harness, sb, qgis_iface, caplog):
    h = harness
    _, aud = fill(h)
    h.cart.remove(next(i.id for i in h.cart.items if i.id != aud.id))
    billing(sb, billing_mode="card", card="3ds_required")
    outcomes = []
    h.outbox.outcome.connect(outcomes.append)
    with caplog.at_level(logging.DEBUG):
        dialog = h.feature.open_checkout()
        dialog.confirm_box.setChecked(True)
        dialog.place_button.click()
        settled(h, [aud])
    state, text = dialog.row_status(aud.id)
    assert state == FAILED and "3-D Secure" in text and "Retry" in text and "same reference" in text
    payment = next(o.payment for o in outcomes if o.payment is not None)
    secret = payment.client_secret
    assert secret and payment.requires_action  # in memory, for the payment step only

    # the bank challenge, completed by the user with the provider
    sb.admin("POST", "geopera/3ds/complete", {"client_secret": secret, "outcome": "succeeded"})
    with caplog.at_level(logging.DEBUG):
        dialog.retry_button(aud.id).click()
        settled(h, [aud])
    assert dialog.row_status(aud.id)[0] == PLACED and h.cart.items == ()
    [order] = geopera_orders(sb, h)
    keys = [r["headers"].get("idempotency-key") for r in sb.requests(GEOPERA_PLACE) if r["method"] == "POST"]
    entry = h.outbox.outbox.for_key(aud.id)[0]
    assert keys == [entry.reference, entry.reference] and entry.order_ids == (order.id,)

    # nowhere: screen, log, outbox and cart files, settings, request URLs
    assert secret not in bar_text(qgis_iface) and secret not in text
    assert secret not in caplog.text
    for path in h.folder.iterdir():
        assert secret.encode() not in path.read_bytes(), path
    settings_file = QgsSettings().fileName()
    assert secret not in open(settings_file, encoding="utf-8", errors="replace").read()
    assert not any(secret in r["path"] + r["query"] for r in sb.requests("/geopera"))


@pytest.mark.parametrize(
    "total, words",
    [
        ("forty-two", "cannot read"),  # unreadable: price unavailable, never 0 AUD
        (-42.0, "negative"),
        (10**9, "implausible"),
    ],
)
def test_a_geopera_price_that_cannot_be_trusted_is_unavailable_and_never_placed(harness, sb, monkeypatch, total, words):
    """Outside audit, issue 15 item 3."""
    from nadir.providers.geopera import adapter as adapter_module

    original = adapter_module.Geopera._call

    def tampered(self, operation, body, **kwargs):
        answer = original(self, operation, body, **kwargs)
        if operation == "orders.archive.estimate":
            answer = {**answer, "total_aud": total, "total_credits": None}
        return answer

    monkeypatch.setattr(adapter_module.Geopera, "_call", tampered)
    h = harness
    item = h.cart.add(geopera_spec(h), title="Berlin captures")
    wait_until(lambda: h.cart.item(item.id).state(h.cart.now()) is EstimateState.FAILED)
    text = h.feature.section.cell_text(item.id, "Estimate")
    assert text.startswith("price unavailable:") and words in text and "0.00 AUD" not in text, text
    assert h.cart.item(item.id).price is None
    dialog = h.feature.open_checkout()
    dialog.confirm_box.setChecked(True)
    assert not dialog.place_button.isEnabled()
    dialog.place_button.click()
    assert [r for r in sb.requests(GEOPERA_PLACE) if r["method"] == "POST"] == []


# ------------------------------------------------------------------ outside audit (issue 15 item 5)
def test_B3_an_item_edited_after_a_failed_placement_is_sent_under_a_new_key_without_409_or_422(harness, sb):
    h = harness
    _, aud = fill(h)
    h.cart.remove(next(i.id for i in h.cart.items if i.id != aud.id))
    billing(sb, billing_mode="credit", credits=0)
    dialog = h.feature.open_checkout()
    dialog.confirm_box.setChecked(True)
    dialog.place_button.click()
    settled(h, [aud])
    assert dialog.row_status(aud.id)[0] == FAILED
    first = h.outbox.outbox.for_key(aud.id)[0].reference
    dialog.close()

    edited = aud.spec.model_copy(update={"captures": aud.spec.captures[:1]})  # the user drops a capture
    h.cart.edit(aud.id, edited)
    wait_until(lambda: h.cart.item(aud.id).state(h.cart.now()) is EstimateState.FRESH)
    billing(sb, billing_mode="credit", credits=10**7)
    dialog = h.feature.open_checkout()
    dialog.confirm_box.setChecked(True)
    dialog.place_button.click()
    settled(h, [aud])
    state, text = dialog.row_status(aud.id)
    assert state == PLACED, text
    entries = h.outbox.outbox.for_key(aud.id)
    second = next(e for e in entries if e.state == PLACED)
    assert second.reference != first, "a changed order body must never reuse the earlier idempotency key"
    keys = [r["headers"].get("idempotency-key") for r in sb.requests(GEOPERA_PLACE) if r["method"] == "POST"]
    assert keys == [first, second.reference]
    [order] = geopera_orders(sb, h)
    assert second.order_ids == (order.id,)
    assert "HTTP 409" not in text and "HTTP 422" not in text and "idempotency" not in text.lower()


def test_B11_geopera_failing_every_placement_with_5xx_is_bounded_same_key_then_looked_up(harness, sb, qgis_iface):
    h = harness
    _, aud = fill(h)
    h.cart.remove(next(i.id for i in h.cart.items if i.id != aud.id))
    sb.fault(kind="status", prefix=GEOPERA_PLACE, method="POST", status=503, times=0)  # until cleared
    dialog = h.feature.open_checkout()
    dialog.confirm_box.setChecked(True)
    dialog.place_button.click()
    settled(h, [aud])
    entry = h.outbox.outbox.for_key(aud.id)[0]
    posts = [r for r in sb.requests(GEOPERA_PLACE) if r["method"] == "POST"]
    assert 1 < len(posts) <= 4, "bounded attempts (the retry policy's max_attempts)"
    assert {r["headers"].get("idempotency-key") for r in posts} == {entry.reference}
    lookups = [r for r in sb.requests("/geopera/v1/op/orders.list") if r["method"] == "POST"]
    assert lookups, "the outcome of a 5xx write is looked up before Nadir says anything"
    state, text = dialog.row_status(aud.id)
    assert state == FAILED and entry.failure == "not_placed", text
    assert "HTTP 503" in text and "checked with the provider: it has no such order" in text and "Retry" in text
    assert [i.id for i in h.cart.items] == [aud.id] and geopera_orders(sb, h) == []
    sb.clear_faults()
    dialog.retry_button(aud.id).click()
    settled(h, [aud])
    assert dialog.row_status(aud.id)[0] == PLACED
    assert {r["headers"].get("idempotency-key") for r in sb.requests(GEOPERA_PLACE) if r["method"] == "POST"} == {
        entry.reference
    }
